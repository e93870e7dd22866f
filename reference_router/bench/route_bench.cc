// Speed of route() on the named scenario, with and without the decision trace (issue: the oracle's
// speed). Targets: >= 4.5M calls/s without the trace, >= 500k with it, on one core. README "Speed".
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "bench_config.h"
#include "routecheck/document.h"
#include "routecheck/result_json.h"
#include "routecheck/route.h"
#include "routecheck/route_into.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 pairs the inlined free() with new
#endif

// Every heap allocation of the process is counted, so each benchmark reports its allocations per call.
namespace {
std::atomic<long> g_allocations{0};
}  // namespace
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace routecheck::bench {
namespace {

// Sets the "allocs/call" counter from the allocations made since `before`.
void count_allocations(benchmark::State& state, long before) {
  state.counters["allocs/call"] = static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations());
}

const Scenario& scenario() {
  static const Scenario s = parse_scenario(parse_document(kThreeGroupsEightDeployments, "bench", false), "bench");
  return s;
}

// The loop a batch or fuzz driver runs: one RouteResult kept across calls (routecheck/route_into.h),
// so the answer's vectors and strings are reused. Same answer as route() returning a fresh result.
void RouteWithoutTrace(benchmark::State& state) {
  RouteOptions options;
  options.trace = false;
  options.alternatives = false;
  const Scenario& s = scenario();
  RouteResult into;
  long before = g_allocations.load();
  for (auto _ : state) {
    route(s, options, into);
    benchmark::DoNotOptimize(into);
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(RouteWithoutTrace);

// route() returning a fresh RouteResult each call, with the trace and alternatives as given.
void time_fresh_route(benchmark::State& state, bool trace, bool alternatives) {
  RouteOptions options;
  options.trace = trace;
  options.alternatives = alternatives;
  const Scenario& s = scenario();
  long before = g_allocations.load();
  for (auto _ : state) benchmark::DoNotOptimize(route(s, options));
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}

// The reusing loop above plus building and freeing the answer each call.
void RouteWithoutTraceFreshResult(benchmark::State& state) { time_fresh_route(state, false, false); }
BENCHMARK(RouteWithoutTraceFreshResult);

// The full decision trace, with a fresh RouteResult each call (as `routecheck oracle` makes it).
void RouteWithTrace(benchmark::State& state) { time_fresh_route(state, true, false); }
BENCHMARK(RouteWithTrace);

// Trace and alternatives on: the CLI's defaults.
void RouteAsTheCliDoes(benchmark::State& state) { time_fresh_route(state, true, true); }
BENCHMARK(RouteAsTheCliDoes);

// Not route(): building by hand the one Outcome route() returns for the scenario, and dropping it.
// Its nine heap allocations (the result vector, the headers vector and four header names longer than
// the 15-character small-string buffer, the upstream calls, the observability tags and
// "Credential: shared") are what the public types cost; no route() can be faster than this.
void OutcomeConstructionOnly(benchmark::State& state) {
  const std::string id = "x-litellm-model-id", group = "x-litellm-model-group", retries = "x-litellm-attempted-retries",
                    fallbacks = "x-litellm-attempted-fallbacks", credential = "Credential: shared";
  long before = g_allocations.load();
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
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OutcomeConstructionOnly);

// The stages of one `routecheck oracle --jsonl` line for the named scenario, one at a time: the line
// parsed into JSON, the scenario validated (config, index, request, faults), and the result printed.
std::string scenario_line() {
  return parse_document(kThreeGroupsEightDeployments, "bench", false).dump();
}

void OracleLineParseJson(benchmark::State& state) {
  const std::string line = scenario_line();
  long before = g_allocations.load();
  for (auto _ : state) benchmark::DoNotOptimize(parse_document(line, "<stdin>:1", false));
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OracleLineParseJson);

void OracleLineParseScenario(benchmark::State& state) {
  const nlohmann::json doc = parse_document(scenario_line(), "<stdin>:1", false);
  long before = g_allocations.load();
  for (auto _ : state) {
    Scenario s = parse_scenario(doc, "<stdin>:1");
    check_request_against(s.config, s.request, "<stdin>:1", "/request");
    benchmark::DoNotOptimize(s);
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OracleLineParseScenario);

// As `oracle --jsonl` reads a line: parsed, then validated into the scenario of the line before, which
// keeps its config (the same one each line). Less OracleLineParseJson: the validation.
void OracleLineParseAndValidate(benchmark::State& state) {
  const std::string line = scenario_line();
  Scenario s;
  long before = g_allocations.load();
  for (auto _ : state) {
    parse_scenario_into(s, parse_document(line, "<stdin>:1", false), "<stdin>:1");
    check_request_against(s.config, s.request, "<stdin>:1", "/request");
    check_deployment_keys(s.config, "<stdin>:1", "/config");
    benchmark::DoNotOptimize(s);
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OracleLineParseAndValidate);

void OracleLinePrintResult(benchmark::State& state) {
  const Scenario& s = scenario();
  RouteResult result = route(s, RouteOptions{});
  std::string out;
  long before = g_allocations.load();
  for (auto _ : state) {
    out.clear();
    write_result_json(out, result, s.id, s.profile, nullptr, std::nullopt);
    benchmark::DoNotOptimize(out.data());
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(OracleLinePrintResult);

}  // namespace
}  // namespace routecheck::bench

BENCHMARK_MAIN();
