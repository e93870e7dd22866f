// oracle_fuzz ↔ corpus/oracle/: structure-aware fuzzing of route() itself. An input is a
// `routecheck-scenario/1` document (any scenario file seeds it; any corpus file is a scenario); the
// custom mutator changes one routing field at a time (scenario_mutator.h) and falls back to libFuzzer's
// byte mutations. Each input is routed as the properties see it (trace on, alternatives off) and
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
#include "scenario_mutator.h"

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

fuzz::Rejections rejections(kTarget);

struct Setup {
  const Mutant* mutant = nullptr;
  properties::Oracle oracle;
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
    oracle = properties::make_oracle(mutant);
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
  RouteOptions full;
  full.profile = scenario.profile;
  full.profile_options = scenario.profile_options;
  full.mutant = s.mutant;
  full.trace = false;
  full.alternatives = true;
  full.max_outcomes = 64;
  full.max_branches = 1024;
  RouteResult r = route(scenario, full);
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
  Scenario scenario;
  try {
    scenario = parse_scenario(parse_document(std::string(reinterpret_cast<const char*>(data), size), "oracle-input.json", false),
                              "oracle-input.json");
  } catch (const InputError& e) {
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

namespace {
// A few recently used scenarios, the partners of crossover.
std::vector<json>& recent() {
  static std::vector<json> docs;
  return docs;
}
void remember(const json& doc, fuzz::Rng& rng) {
  constexpr std::size_t kKept = 16;
  if (recent().size() < kKept) recent().push_back(doc);
  else recent()[static_cast<std::size_t>(rng.below(static_cast<int>(kKept)))] = doc;
}
}  // namespace

// Structure-aware mutation: most steps change one scenario field and re-serialise compactly; some are
// libFuzzer's own byte mutations (dictionary, comparison operands), which keep odd spellings reachable.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  fuzz::Rng rng(seed);
  json doc = json::parse(data, data + size, nullptr, false);
  bool usable = !doc.is_discarded() && doc.is_object();
  if (usable && rng.one_in(8)) remember(doc, rng);
  if (LLVMFuzzerMutate && usable && rng.one_in(10)) return LLVMFuzzerMutate(data, size, max_size);
  if (!usable) {
    if (LLVMFuzzerMutate && size > 0 && rng.one_in(2)) return LLVMFuzzerMutate(data, size, max_size);
    doc = fuzz::fresh_scenario();
  }
  // Crossover happens here, seldom, with another corpus scenario's config: a separate
  // LLVMFuzzerCustomCrossOver would take half of libFuzzer's mutation steps, each a JSON round trip.
  if (rng.one_in(16) && !recent().empty()) doc = fuzz::cross_scenarios(doc, recent()[static_cast<std::size_t>(rng.below(static_cast<int>(recent().size())))], rng);
  for (int steps = 1 + rng.below(3); steps > 0; --steps) fuzz::mutate_scenario(doc, rng);
  fuzz::repair_scenario(doc);
  std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
  std::memcpy(data, text.data(), text.size());
  return text.size();
}
