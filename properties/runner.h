#pragma once
/// Runs one property under RapidCheck against one oracle (unmutated or a mutant), with a fixed seed
/// unless RC_PARAMS says otherwise, and reports what a user needs: the reproduce string and the shrunk
/// scenario.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "generators/scenario_gen.h"
#include "property.h"

namespace routecheck::properties {

/// How long to search. RC_PARAMS (seed=, max_success=, reproduce=) overrides these when it sets them.
struct CheckSettings {
  std::uint64_t seed = 20250325;
  int max_success = 200;
};

/// What one RapidCheck run found.
struct CheckReport {
  std::string property, mutant;  // mutant "" for the unmutated oracle
  bool failed = false, gave_up = false;
  int cases = 0;                  // test cases run until the first failure (inclusive), or in total
  double seconds = 0;             // whole run, shrinking included
  double seconds_to_failure = 0;  // until the first failing case was generated
  std::string message;            // the property's message on the shrunk case
  std::string reproduce;          // RC_PARAMS="reproduce=..." for this property and mutant
  std::optional<nlohmann::json> counterexample;  // the shrunk scenario document
  std::size_t evaluated = 0, applicable = 0;     // property evaluations (shrinking included) and how many applied
};

/// The RapidCheck test id for a property and mutant: "<property>/<mutant or unmutated>".
std::string check_id(const std::string& property, const std::string& mutant);

/// Generates scenarios with `options` and checks `property` against the oracle with `mutant` (may be null).
CheckReport run_property(const Property& property, const Mutant* mutant, const generators::GenOptions& options,
                         const CheckSettings& settings);

nlohmann::json to_json(const CheckReport&);
CheckReport report_from_json(const nlohmann::json&);

}  // namespace routecheck::properties
