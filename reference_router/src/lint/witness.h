#pragma once
// Witness scenarios: small requests built from a config to ask route() whether a hazard is real.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/profile.h"
#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck::lint {

/// A request for `group` carrying `tags` (through x-litellm-tags; none when empty), with `faults`.
struct WitnessRequest {
  std::string group;
  std::vector<std::string> tags;
  std::map<std::string, std::vector<std::string>> faults;
};

/// The scenario document for a witness request against `config_doc`.
nlohmann::json witness_scenario(const nlohmann::json& config_doc, Profile profile, const WitnessRequest& w,
                                const std::string& id);

/// The oracle's statuses and served_by for a witness, under an optional mutant.
struct Answer {
  std::vector<int> statuses;
  std::vector<std::string> served_by;
  RouteResult result;
  bool operator==(const Answer& o) const { return statuses == o.statuses && served_by == o.served_by; }
};
Answer ask(const nlohmann::json& scenario, Profile profile, const Mutant* mutant);

/// Tag sets worth trying as witnesses: none, and each tag any deployment carries (except "default").
std::vector<std::vector<std::string>> candidate_tag_sets(const Config& config);

/// Faults that make every deployment of `group` fail with 500 on its first router attempt only
/// (`once`: its first call, or in 1.82 all 1 + num_retries SDK calls of that attempt) or on every call.
std::map<std::string, std::vector<std::string>> failing_group(const Config& config, const ModelGroup& group,
                                                              bool once, Profile profile);

}  // namespace routecheck::lint
