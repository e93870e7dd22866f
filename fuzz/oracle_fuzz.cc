// oracle_fuzz ↔ corpus/oracle/: structure-aware fuzzing of route() itself. An input is the compact
// form of a scenario (scenario_codec.h: a few dozen bytes decoded straight into a scenario document,
// mutated by libFuzzer's own byte mutations), or a `routecheck-scenario/1` JSON file (it starts with
// '{'): any scenario file seeds it, and the custom mutator turns such a seed into its compact form
// before mutating it; any corpus input decodes back to a scenario file (scripts/fuzz export). Each input
// is routed and checked by oracle_checks.h: the properties library's own predicates — the invariant and
// per-attempt rules, not the metamorphic ones that re-run route() on twins — plus two CONTRACT.md §3
// checks on the full answer. ROUTECHECK_MUTANT=<id> switches a mutant on.
#include <algorithm>
#include <cstring>
#include <vector>

#include "fuzz_target.h"
#include "oracle_checks.h"
#include "routecheck/scenario.h"
#include "scenario_codec.h"
#include "scenario_inputs.h"

extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using namespace routecheck;
using nlohmann::json;

constexpr const char* kTarget = "oracle_fuzz";
constexpr std::size_t kMaxInput = 64 * 1024;

fuzz::Rejections rejections(kTarget);

const fuzz::OracleChecks& checks() { return fuzz::OracleChecks::from_environment(kTarget); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  checks();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 64 KiB");
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
  RouteResult result = checks().route(scenario);
  if (result.truncated) return rejections.reject("outcome enumeration truncated");
  rejections.accept();
  checks().check(scenario, result);
  return 0;
}

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
