#pragma once
/// What oracle_fuzz checks on a routable scenario, apart from how the input became one: route() as the
/// properties see it (trace on, alternatives off), the properties' invariant and per-attempt predicates,
/// and two CONTRACT.md §3 checks on the full answer (alternatives on). Shared by the fuzz target and
/// oracle_stage_times (which times each stage of the target's pipeline).
#include <string>
#include <vector>

#include "property.h"
#include "routecheck/profile.h"
#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck::fuzz {

class OracleChecks {
 public:
  /// ROUTECHECK_MUTANT=<id> switches a mutant on (an unknown id exits 2, naming the variable).
  static const OracleChecks& from_environment(const char* target);

  /// The properties' run of route(), with the fuzzing budget (truncated beyond it).
  RouteResult route(const Scenario& scenario) const { return oracle_(scenario); }
  /// Every check on `result` (route(scenario), not truncated); a violation aborts via fuzz::violation.
  void check(const Scenario& scenario, const RouteResult& result) const;

  const Mutant* mutant() const { return mutant_; }

 private:
  OracleChecks(const char* target, const Mutant* mutant);
  void check_contract(const Scenario& scenario, const RouteResult& traced) const;

  const char* target_;
  const Mutant* mutant_;
  properties::Oracle oracle_;  // as the properties see it
  properties::Oracle full_;    // the full answer: alternatives on, trace off
  std::vector<const properties::Property*> checks_;
};

}  // namespace routecheck::fuzz
