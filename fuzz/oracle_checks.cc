#include "oracle_checks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "fuzz_target.h"
#include "routecheck/document.h"
#include "routecheck/input_error.h"

namespace routecheck::fuzz {

namespace {

// The properties checked on every input, by registry name (properties/property_registry.cc). I-3 and
// the MP-k relations re-run route() on transformed twins and stay with the RapidCheck suite.
const char* const kCheckedProperties[] = {
    "I-1-routing-tags-fixed", "I-2-observability-inert", "I-4-status-honesty", "I-6-termination",
    "eligibility",            "retry-discipline",        "fallback-walk",      "status-from-primary",
};

// The enumeration budget of a fuzzed route(): the properties' oracle allows 1,024 branches, but an
// input that needs hundreds costs milliseconds, and the fuzzer's corpus drifts towards such inputs (the
// slowest 5% of a corpus took 40% of the time). Inputs beyond this budget are rejected as truncated.
constexpr std::size_t kMaxBranches = 128;
constexpr std::size_t kMaxOutcomes = 64;

// properties::make_oracle with the budget above: the properties' run (trace on, alternatives off) and
// the CONTRACT.md §3 run (trace off, alternatives on).
properties::OracleSettings fuzz_settings(bool trace) {
  properties::OracleSettings o;
  o.trace = trace;
  o.alternatives = !trace;
  o.max_outcomes = kMaxOutcomes;
  o.max_branches = kMaxBranches;
  return o;
}

const Mutant* mutant_from_environment(const char* target) {
  const char* id = std::getenv("ROUTECHECK_MUTANT");
  if (!id || !*id) return nullptr;
  try {
    const Mutant& m = find_mutant(id, "ROUTECHECK_MUTANT");
    std::fprintf(stderr, "%s: mutant %s switched on (%s)\n", target, m.id.c_str(), m.summary.c_str());
    return &m;
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s: %s\n", target, e.message().c_str());
    std::exit(2);
  }
}

}  // namespace

const OracleChecks& OracleChecks::from_environment(const char* target) {
  static const OracleChecks checks(target, mutant_from_environment(target));
  return checks;
}

OracleChecks::OracleChecks(const char* target, const Mutant* mutant)
    : target_(target),
      mutant_(mutant),
      oracle_(properties::make_oracle(mutant, fuzz_settings(true))),
      full_(properties::make_oracle(mutant, fuzz_settings(false))) {
  for (const char* name : kCheckedProperties) {
    const properties::Property* p = properties::find_property(name);
    if (!p) {
      std::fprintf(stderr, "%s: the properties library has no property '%s' (renamed?)\n", target, name);
      std::abort();
    }
    checks_.push_back(p);
  }
}

void OracleChecks::check(const Scenario& scenario, const RouteResult& result) const {
  check_contract(scenario, result);
  for (const properties::Property* p : checks_) {
    if (!p->applies_to(scenario.profile)) continue;
    properties::PropertyResult verdict = p->check(scenario, result, oracle_);
    if (verdict.verdict == properties::PropertyResult::Verdict::Violated)
      violation(target_, p->name + (mutant_ ? " (mutant " + mutant_->id + ")" : ""),
                p->statement + " [" + p->section + "]\n" + verdict.message, scenario_to_json(scenario).dump(2));
  }
}

// CONTRACT.md §3 on the full answer (alternatives on, trace off), beside the properties' run: the trace
// is explanation only (same statuses and servers), and an alternative lists only outcomes that are not
// already allowed (amendment 1).
void OracleChecks::check_contract(const Scenario& scenario, const RouteResult& traced) const {
  RouteResult r = full_(scenario);
  auto input = [&] { return scenario_to_json(scenario).dump(2); };
  if (r.truncated) return;
  if (r.statuses() != traced.statuses() || r.served_by() != traced.served_by())
    violation(target_, "contract-trace-is-explanation", "statuses or servers differ with the trace off (CONTRACT.md §3)", input());
  for (const Alternative& a : r.alternatives)
    for (const Outcome& o : a.outcomes)
      if (std::find(r.outcomes.begin(), r.outcomes.end(), o) != r.outcomes.end())
        violation(target_, "contract-alternatives-are-new",
                  "alternative " + a.rule + " repeats an allowed outcome (CONTRACT.md amendment 1)", input());
}

}  // namespace routecheck::fuzz
