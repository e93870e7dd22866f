#include "counterexample.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace routecheck::properties {

std::string counterexample_dir(const std::string& fallback) {
  const char* env = std::getenv("ROUTECHECK_COUNTEREXAMPLES");
  return env && *env ? std::string(env) : fallback;
}

std::optional<std::string> write_counterexample(const nlohmann::json& scenario, const std::string& property,
                                                const std::string& mutant, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  nlohmann::json doc = scenario;
  if (!mutant.empty()) doc["mutant"] = mutant;
  else doc.erase("mutant");
  std::string name = property + (mutant.empty() ? "" : "--" + mutant) + ".json";
  std::filesystem::path path = std::filesystem::path(dir) / name;
  std::ofstream out(path);
  if (!out) return std::nullopt;
  out << doc.dump(2) << "\n";
  if (!out) return std::nullopt;
  return path.string();
}

}  // namespace routecheck::properties
