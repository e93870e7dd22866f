// yaml_load_floor: the floor under config_fuzz — yaml-cpp's YAML::Load alone. Built with replay_main.cc
// in the same tree (same compiler and sanitizers) and timed over the same inputs as config_fuzz_replay
// (`--time N`): config_fuzz cannot run faster than this, whatever routecheck does after the parse.
// A benchmark for scripts/fuzz figures, not a fuzz target.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    YAML::Node doc = YAML::Load(std::string(reinterpret_cast<const char*>(data), size));
    (void)doc.IsMap();
  } catch (const YAML::Exception&) {
  }
  return 0;
}
