// oracle_codec_check [SCENARIO_DIR...]: checks scenario_codec on random compact inputs and on scenario
// files. Every byte string decodes to a scenario parse_scenario accepts, and encoding a decoded document
// gives back the same document; every scenario file (that the CLI would route) encodes to an input that
// decodes to a valid scenario. Exit 1 on the first failure, naming it.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "routecheck/input_error.h"
#include "routecheck/scenario.h"
#include "scenario_codec.h"
#include "scenario_inputs.h"

namespace {

using namespace routecheck;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kRandomInputs = 5000;

bool accepted(const json& doc, const std::string& what) {
  try {
    fuzz::routable_scenario(doc, what);
    return true;
  } catch (const InputError& e) {
    std::fprintf(stderr, "codec: %s decodes to a scenario parse_scenario refuses: %s\n%s\n", what.c_str(), e.what(),
                 doc.dump(2).c_str());
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::mt19937 rng(1);
  for (int i = 0; i < kRandomInputs; ++i) {
    std::vector<uint8_t> bytes(rng() % 64);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    if (!bytes.empty() && bytes[0] == '{') bytes[0] = 0;
    json doc = fuzz::decode_scenario(bytes.data(), bytes.size());
    if (!accepted(doc, "random input #" + std::to_string(i))) return kFailed;
    std::vector<uint8_t> again = fuzz::encode_scenario(doc);
    if (fuzz::decode_scenario(again.data(), again.size()) != doc) {
      std::fprintf(stderr, "codec: decode(encode(d)) != d for random input #%d:\n%s\ndiff: %s\n", i, doc.dump().c_str(),
                   json::diff(doc, fuzz::decode_scenario(again.data(), again.size())).dump().c_str());
      return kFailed;
    }
  }
  std::size_t files = 0;
  bool ok = true;
  fuzz::for_each_routable_scenario(std::vector<std::string>(argv + 1, argv + argc), /*json_files_only=*/true,
                                   [&](const fs::path& file, const json& doc, const Scenario&) {
                                     if (!ok) return;
                                     std::vector<uint8_t> bytes = fuzz::encode_scenario(doc);
                                     ok = accepted(fuzz::decode_scenario(bytes.data(), bytes.size()), file.string());
                                     ++files;
                                   });
  if (!ok) return kFailed;
  std::printf("codec: %d random inputs and %zu scenario files round-trip\n", kRandomInputs, files);
  return kOk;
}
