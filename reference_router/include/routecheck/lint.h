#pragma once
/// Static findings about a LiteLLM config: hazards found by asking route() about witness requests.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/profile.h"

namespace routecheck {

/// One lint finding. `witness` is a scenario a user can replay with `routecheck oracle --scenario`.
struct Finding {
  enum class Severity { Error, Warning, Info };
  Severity severity = Severity::Warning;
  std::string rule;     // e.g. "known-bug-25276", "fallback-tag-denial", "fallback-cycle"
  std::string path;     // dotted config path, e.g. "router_settings.fallbacks[0]"
  std::string message;  // one line
  std::optional<nlohmann::json> witness;
  std::string workaround;  // "" when none is known; verified by re-running the oracle when given
};

std::string to_string(Finding::Severity);

/// Lints a validated config under `profile`. Findings are ordered by severity, then rule.
std::vector<Finding> lint_config(const Config& config, Profile profile);

nlohmann::json finding_to_json(const Finding&);

}  // namespace routecheck
