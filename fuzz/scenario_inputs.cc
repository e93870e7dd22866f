#include "scenario_inputs.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "input_files.h"
#include "routecheck/input_error.h"
#include "routecheck/request.h"
#include "scenario_codec.h"

namespace routecheck::fuzz {

namespace fs = std::filesystem;

Scenario routable_scenario(const nlohmann::json& doc, const std::string& file) {
  Scenario s = parse_scenario(doc, file);
  check_request_against(s.config, s.request, file, "/request");
  return s;
}

void routable_scenario_into(Scenario& s, nlohmann::json&& doc, const std::string& file) {
  parse_scenario_into(s, std::move(doc), file);
  check_request_against(s.config, s.request, file, "/request");
}

std::size_t for_each_routable_scenario(
    const std::vector<std::string>& paths, bool json_files_only,
    const std::function<void(const fs::path&, const nlohmann::json&, const Scenario&)>& use) {
  std::size_t skipped = 0;
  for (const std::string& path : paths) {
    for (const fs::path& file : input_files(path)) {
      if (json_files_only && file.extension() != ".json") continue;
      std::ifstream in(file, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      try {
        nlohmann::json doc = oracle_input_document(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        use(file, doc, routable_scenario(doc, file.string()));
      } catch (const InputError&) {
        ++skipped;  // not a scenario on its own (a twin, a JSONL fragment, an invalid input)
      }
    }
  }
  return skipped;
}

}  // namespace routecheck::fuzz
