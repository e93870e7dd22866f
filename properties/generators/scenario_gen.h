#pragma once
/// Whole scenarios (`routecheck-scenario/1` documents): a generated or given config, a request and a
/// fault plan. Every generated document is validated by `parse_scenario`, the one scenario parser.
#include <rapidcheck.h>

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "generators/config_gen.h"
#include "generators/fault_gen.h"
#include "generators/request_gen.h"
#include "routecheck/profile.h"
#include "routecheck/scenario.h"

namespace routecheck::generators {

/// What to generate.
struct GenOptions {
  Profile profile = Profile::Litellm182;
  /// CONTRACT.md §9: chat only, num_retries <= 2, Retry-After <= 1 s, a 1 s timeout on deployments
  /// that time out, router settings from 4 presets, cooldowns disabled.
  bool live_safe = false;
  /// A fixed config document: only requests and faults vary.
  std::optional<nlohmann::json> config;
};

/// The parts of a generated scenario (the config part unused when GenOptions::config is given).
struct ScenarioSpec {
  ConfigSpec config;
  RequestSpec request;
  FaultPlanSpec faults;
};

/// A scenario document as generated; shown by RapidCheck as one JSON line.
struct ScenarioDoc {
  nlohmann::json doc;
};
void showValue(const ScenarioDoc& s, std::ostream& os);

/// A scenario document (shrinks toward fewer groups, deployments, tags and faults).
rc::Gen<ScenarioDoc> genScenarioDoc(const GenOptions& options);

/// The document for `spec`; its id is "gen-<hash of the content>".
nlohmann::json render_scenario(const ScenarioSpec& spec, const GenOptions& options);

/// Parses a generated document (throws InputError if the generator made an invalid one).
Scenario to_scenario(const nlohmann::json& doc);

/// A stable id for a document's content (FNV-1a of its compact dump, without `id`).
std::string content_id(const nlohmann::json& doc, const std::string& prefix = "gen-");

}  // namespace routecheck::generators
