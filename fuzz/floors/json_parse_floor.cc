// json_parse_floor: the floor under scenario_fuzz. Only nlohmann::json::parse (no exceptions), under
// the same sanitizers, engine and coverage ignorelist, fed the same seeds (corpus/scenario/) and
// dictionary: scenario_fuzz cannot run faster than this. A benchmark for scripts/fuzz figures.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  (void)doc.is_object();
  return 0;
}
