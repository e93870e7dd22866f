#pragma once
/// Generators of fault plans in the contract grammar (CONTRACT.md §2): what each deployment answers,
/// call by call.
#include <rapidcheck.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "generators/config_gen.h"

namespace routecheck::generators {

/// A queue per (group index, deployment index); an empty queue means "not named" (always ok).
struct FaultPlanSpec {
  std::vector<std::vector<std::string>> queues;  // kMaxGroups * kMaxDeployments, row-major
};

/// One OUTCOME; shrinks toward "500", the simplest failure. `with_timeout`: may answer "timeout".
rc::Gen<std::string> genUpstreamOutcome(bool with_timeout);
/// A fault plan naming about half the deployments, 1–3 outcomes each (shrinks toward fewer, shorter queues).
rc::Gen<FaultPlanSpec> genFaultPlan(bool with_timeout);

/// The scenario's `faults` object for `spec` against `shape`.
nlohmann::json render_faults(const FaultPlanSpec& spec, const ConfigShape& shape);

}  // namespace routecheck::generators
