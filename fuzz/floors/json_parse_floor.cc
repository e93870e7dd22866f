// json_parse_floor: the floor under scenario_fuzz — nlohmann::json::parse alone (no exceptions). Built
// with replay_main.cc in the same tree and timed over the same inputs as scenario_fuzz_replay (`--time
// N`): scenario_fuzz cannot run faster than this. A benchmark for scripts/fuzz figures, not a target.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  (void)doc.is_object();
  return 0;
}
