#pragma once
/// The oracle result as JSON (CONTRACT.md §3), and matching it against expectations.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck {

/// The full result object as one compact JSON line (no newline) appended to `out`: the bytes
/// result_to_json(...).dump() gives, with `expectation_met` when given, without building the tree.
void write_result_json(std::string& out, const RouteResult&, const std::string& id, Profile profile,
                       const Mutant* mutant, std::optional<bool> expectation_met = std::nullopt);

nlohmann::json outcome_to_json(const Outcome&);
/// The full result object; `id`, `profile` and `mutant` are echoed.
nlohmann::json result_to_json(const RouteResult&, const std::string& id, Profile profile, const Mutant* mutant);

/// The expectation key for a run: "litellm-1.82" or "litellm-1.82+credential-tag-leak".
std::string expectation_key(Profile profile, const Mutant* mutant);

/// Whether `result` meets the scenario's expectation for this run; nullopt when none is given.
std::optional<bool> meets_expectation(const Scenario&, const RouteResult&, Profile profile, const Mutant* mutant);

}  // namespace routecheck
