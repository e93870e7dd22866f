// Speed of route() on the named scenario, with and without the decision trace (issue: the oracle's
// speed). Targets: >= 4.5M calls/s without the trace, >= 500k with it, on one core. README "Speed".
#include <benchmark/benchmark.h>

#include "bench_config.h"
#include "routecheck/document.h"
#include "routecheck/route.h"

namespace routecheck::bench {
namespace {

const Scenario& scenario() {
  static const Scenario s = parse_scenario(parse_document(kThreeGroupsEightDeployments, "bench", false), "bench");
  return s;
}

void RouteWithoutTrace(benchmark::State& state) {
  RouteOptions options;
  options.trace = false;
  options.alternatives = false;
  const Scenario& s = scenario();
  for (auto _ : state) benchmark::DoNotOptimize(route(s, options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(RouteWithoutTrace);

void RouteWithTrace(benchmark::State& state) {
  RouteOptions options;
  options.alternatives = false;
  const Scenario& s = scenario();
  for (auto _ : state) benchmark::DoNotOptimize(route(s, options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(RouteWithTrace);

void RouteAsTheCliDoes(benchmark::State& state) {
  RouteOptions options;  // trace and alternatives on
  const Scenario& s = scenario();
  for (auto _ : state) benchmark::DoNotOptimize(route(s, options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(RouteAsTheCliDoes);

// Not route(): building by hand the one Outcome route() returns for the scenario, and dropping it.
// Its nine heap allocations (the result vector, the headers vector and four header names longer than
// the 15-character small-string buffer, the upstream calls, the observability tags and
// "Credential: shared") are what the public types cost; no route() can be faster than this.
void OutcomeConstructionOnly(benchmark::State& state) {
  const std::string id = "x-litellm-model-id", group = "x-litellm-model-group", retries = "x-litellm-attempted-retries",
                    fallbacks = "x-litellm-attempted-fallbacks", credential = "Credential: shared";
  for (auto _ : state) {
    RouteResult r;
    Outcome& o = r.outcomes.emplace_back();
    o.status = 200;
    o.error_class = "ok";
    o.served_by = "l1";
    o.headers.reserve(6);
    o.headers.emplace_back(id, "l1");
    o.headers.emplace_back(group, "last");
    o.headers.emplace_back(retries, "0");
    o.headers.emplace_back(fallbacks, "1");
    o.upstream_calls.reserve(4);
    o.upstream_calls.push_back({"c1", "shared"});
    o.upstream_calls.push_back({"b1", "b1"});
    o.upstream_calls.push_back({"l1", "l1"});
    o.observability_tags.reserve(8);
    for (const char* t : {"eu", "fast"}) o.observability_tags.emplace_back(t);
    o.observability_tags.push_back(credential);
    o.observability_tags.emplace_back("gpu");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OutcomeConstructionOnly);

}  // namespace
}  // namespace routecheck::bench

BENCHMARK_MAIN();
