// Speed of route() on the named scenario, with and without the decision trace (issue: the oracle's
// speed). Targets: >= 4.5M calls/s without the trace, >= 500k with it, on one core.
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

}  // namespace
}  // namespace routecheck::bench

BENCHMARK_MAIN();
