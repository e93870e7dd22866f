#pragma once
/// route() into a result the caller keeps: for loops that route many requests (batches, fuzzers,
/// benchmarks). The answer is the one route() returns; only where it is written differs.
#include "routecheck/route.h"

namespace routecheck {

/// Overwrites `into` with route(input, options). The vectors and strings `into` already holds are
/// reused, so a caller that passes the same result again allocates only where this answer outgrows
/// the last one (with the trace off and one branch, typically nothing).
void route(const RouteInput& input, const RouteOptions& options, RouteResult& into);

/// The same for a scenario, with the scenario's inputs (the options are taken as given).
void route(const Scenario& scenario, const RouteOptions& options, RouteResult& into);

}  // namespace routecheck
