#pragma once
/// The scenario file `routecheck-scenario/1` (CONTRACT.md §1): config, request, faults, expectations.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/faults.h"
#include "routecheck/profile.h"
#include "routecheck/request.h"

namespace routecheck {

/// What a scenario expects under one profile (or profile+mutant).
struct Expectation {
  std::vector<int> statuses;
  std::vector<std::string> served_by;
};

/// One parsed, validated scenario.
struct Scenario {
  std::string id;
  Profile profile = Profile::Litellm182;
  ProfileOptions profile_options;
  std::optional<std::string> mutant;  // JSONL lines may name one
  Config config;
  Request request;
  Principal principal;
  FaultPlan faults;
  std::map<std::string, Expectation> expected;  // keyed "profile" or "profile+mutant"
  std::optional<std::string> twin_of, relation;
  nlohmann::json source;  // the document as given
};

/// Validates a scenario document. `profile_override` (a CLI flag) wins over the file's `profile`.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& file,
                        std::optional<Profile> profile_override = std::nullopt);

/// parse_scenario for batch runs (oracle --jsonl), reusing `s` from the line before: the document is
/// moved into `s.source`, and `s.config` stays as it is when the line's config is the one it holds
/// (same profile and document; `s.config` must not have been edited since). On error `s` is unspecified.
void parse_scenario_into(Scenario& s, nlohmann::json&& doc, const std::string& file,
                         std::optional<Profile> profile_override = std::nullopt);

/// Reads and validates a scenario file.
Scenario load_scenario(const std::string& path, std::optional<Profile> profile_override = std::nullopt);

/// Builds the scenario document (CONTRACT.md §1) from parts; the inverse of parse_scenario.
nlohmann::json scenario_to_json(const Scenario&);

}  // namespace routecheck
