// oracle_fuzz ↔ corpus/oracle/: structure-aware fuzzing of route() itself. An input is the compact
// form of a scenario (scenario_codec.h: a few dozen bytes decoded straight into a scenario document,
// mutated by libFuzzer's own byte mutations), or a `routecheck-scenario/1` JSON file (it starts with
// '{'): any scenario file seeds it, and the custom mutator turns such a seed into its compact form
// before mutating it; any corpus input decodes back to a scenario file (scripts/fuzz export). Each input is routed as the properties see it (trace on, alternatives off) and
// checked by the properties library's own predicates — the invariant and per-attempt rules, not the
// metamorphic ones that re-run route() on twins — plus two CONTRACT.md §3 checks on the full answer
// (alternatives on). ROUTECHECK_MUTANT=<id> switches a mutant on.
#include <algorithm>
#include <cstring>
#include <vector>

#include "fuzz_target.h"
#include "property.h"
#include "routecheck/document.h"
#include "routecheck/scenario.h"
#include "scenario_codec.h"
#include "scenario_inputs.h"

extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using namespace routecheck;
using nlohmann::json;

constexpr const char* kTarget = "oracle_fuzz";
constexpr std::size_t kMaxInput = 64 * 1024;

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

fuzz::Rejections rejections(kTarget);

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

struct Setup {
  const Mutant* mutant = nullptr;
  properties::Oracle oracle;  // as the properties see it
  properties::Oracle full;    // the full answer: alternatives on, trace off
  std::vector<const properties::Property*> checks;

  Setup() {
    if (const char* id = std::getenv("ROUTECHECK_MUTANT"); id && *id) {
      try {
        mutant = &find_mutant(id, "ROUTECHECK_MUTANT");
      } catch (const InputError& e) {
        std::fprintf(stderr, "%s: %s\n", kTarget, e.message().c_str());
        std::exit(2);
      }
      std::fprintf(stderr, "%s: mutant %s switched on (%s)\n", kTarget, mutant->id.c_str(), mutant->summary.c_str());
    }
    oracle = properties::make_oracle(mutant, fuzz_settings(true));
    full = properties::make_oracle(mutant, fuzz_settings(false));
    for (const char* name : kCheckedProperties) {
      const properties::Property* p = properties::find_property(name);
      if (!p) {
        std::fprintf(stderr, "%s: the properties library has no property '%s' (renamed?)\n", kTarget, name);
        std::abort();
      }
      checks.push_back(p);
    }
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

// CONTRACT.md §3 on the full answer (alternatives on, trace off), beside the properties' run: the trace
// is explanation only (same statuses and servers), and an alternative lists only outcomes that are not
// already allowed (amendment 1).
void check_contract(const Scenario& scenario, const RouteResult& traced, const Setup& s) {
  RouteResult r = s.full(scenario);
  auto input = [&] { return scenario_to_json(scenario).dump(2); };
  if (r.truncated) return;
  if (r.statuses() != traced.statuses() || r.served_by() != traced.served_by())
    fuzz::violation(kTarget, "contract-trace-is-explanation", "statuses or servers differ with the trace off (CONTRACT.md §3)", input());
  for (const Alternative& a : r.alternatives)
    for (const Outcome& o : a.outcomes)
      if (std::find(r.outcomes.begin(), r.outcomes.end(), o) != r.outcomes.end())
        fuzz::violation(kTarget, "contract-alternatives-are-new",
                        "alternative " + a.rule + " repeats an allowed outcome (CONTRACT.md amendment 1)", input());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 64 KiB");
  const Setup& s = setup();
  // Kept from input to input, so each document is moved in rather than copied (ASan makes every
  // allocation dear: an input made ~700 of them, the document copy among the largest items).
  static Scenario scenario;
  try {
    // Only what a user can route: parse_scenario, then what `routecheck oracle --scenario` checks next.
    fuzz::routable_scenario_into(scenario, fuzz::oracle_input_document(data, size), "oracle-input");
  } catch (const InputError& e) {
    scenario = Scenario{};  // unspecified after a refusal
    return rejections.reject(e);
  }
  RouteResult result = s.oracle(scenario);
  if (result.truncated) return rejections.reject("outcome enumeration truncated");
  rejections.accept();
  check_contract(scenario, result, s);
  for (const properties::Property* p : s.checks) {
    if (!p->applies_to(scenario.profile)) continue;
    properties::PropertyResult verdict = p->check(scenario, result, s.oracle);
    if (verdict.verdict == properties::PropertyResult::Verdict::Violated)
      fuzz::violation(kTarget, p->name + (s.mutant ? " (mutant " + s.mutant->id + ")" : ""),
                      p->statement + " [" + p->section + "]\n" + verdict.message, scenario_to_json(scenario).dump(2));
  }
  return 0;
}

// A scenario JSON input (a seed) becomes its compact form first; then libFuzzer's own byte mutations.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int) {
  if (!LLVMFuzzerMutate) return size;  // only libFuzzer calls this
  if (size > 0 && data[0] == '{') {
    json doc = json::parse(data, data + size, nullptr, false);
    if (!doc.is_discarded()) {
      std::vector<uint8_t> compact = fuzz::encode_scenario(doc);
      size = std::min(compact.size(), max_size);
      std::memcpy(data, compact.data(), size);
    }
  }
  // A compact input reads at most a few dozen bytes (scenario_codec.cc): longer ones only slow the
  // search, and -max_len cannot say so without cutting the JSON seeds.
  constexpr size_t kMaxCompact = 256;
  return LLVMFuzzerMutate(data, std::min(size, kMaxCompact), std::min(max_size, kMaxCompact));
}
