#pragma once
/// Counterexamples a user can act on: the shrunk scenario as a scenario file, replayable with
/// `routecheck oracle --scenario FILE` (the file names the mutant it was found under).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace routecheck::properties {

/// $ROUTECHECK_COUNTEREXAMPLES, else `fallback` (e.g. "<build>/counterexamples").
std::string counterexample_dir(const std::string& fallback);

/// Writes `scenario` (with `mutant` recorded, if any) to `<dir>/<property>[--<mutant>].json`; returns
/// the path, or nullopt if it could not be written.
std::optional<std::string> write_counterexample(const nlohmann::json& scenario, const std::string& property,
                                                const std::string& mutant, const std::string& dir);

}  // namespace routecheck::properties
