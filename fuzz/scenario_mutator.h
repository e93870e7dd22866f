#pragma once
/// Structure-aware mutation of `routecheck-scenario/1` documents for oracle_fuzz: each step changes one
/// routing-relevant field — a deployment, its tags or credential, router settings, a fallback list,
/// the request's tags, model or retries, a fault queue, the principal — and `repair` keeps the document
/// referentially valid (faults name deployments, fallbacks name groups) so parse_scenario accepts it.
/// Inputs stay plain scenario JSON: any scenario file seeds the fuzzer, and any corpus file is a scenario.
#include <cstdint>
#include <nlohmann/json.hpp>

namespace routecheck::fuzz {

/// A small deterministic generator: libFuzzer hands each mutation a seed, and the same seed must
/// give the same mutation.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed ^ 0x9E3779B97F4A7C15ull) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n > 0.
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  bool one_in(int n) { return below(n) == 0; }

 private:
  uint64_t state_;
};

/// The smallest valid scenario: one group of one deployment and a request for it. Mutations grow it.
nlohmann::json fresh_scenario();

/// Applies one structural mutation, chosen by `rng`, to `doc` (any JSON; coerced into scenario shape).
void mutate_scenario(nlohmann::json& doc, Rng& rng);

/// Takes the config of `a` and the request, principal and faults of `b` (or the other way round).
nlohmann::json cross_scenarios(const nlohmann::json& a, const nlohmann::json& b, Rng& rng);

/// Drops references that parse_scenario would reject: faults of unknown deployments, fallbacks to
/// unknown groups, credentials not in credential_list; restores `format` and `id`.
void repair_scenario(nlohmann::json& doc);

}  // namespace routecheck::fuzz
