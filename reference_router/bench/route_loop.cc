// Routes the named benchmark scenario N times (trace and alternatives off, one result reused), for
// profilers: scripts/route-instructions runs it under callgrind and prints the instructions one
// route() call costs, a count that other load on the machine does not disturb. Prints the last
// answer's status and outcome count, so the loop is not optimised away and a broken build shows.
//   route_loop [N]   (N: 0 to 100,000,000; default 100,000)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_config.h"
#include "routecheck/document.h"
#include "routecheck/route.h"
#include "routecheck/route_into.h"

int main(int argc, char** argv) {
  long n = 100000;
  if (argc > 2 || (argc == 2 && (std::string(argv[1]).find_first_not_of("0123456789") != std::string::npos ||
                                 std::string(argv[1]).empty() || (n = std::atol(argv[1])) > 100000000))) {
    std::fprintf(stderr, "usage: route_loop [N]  (N: calls, 0 to 100000000)\n");
    return 2;
  }
  using namespace routecheck;
  const Scenario s = parse_scenario(parse_document(bench::kThreeGroupsEightDeployments, "bench", false), "bench");
  RouteOptions options;
  options.trace = false;
  options.alternatives = false;
  RouteResult result;
  for (long i = 0; i < n; ++i) route(s, options, result);
  std::printf("%ld calls; last: status %d, %zu outcome(s)\n", n,
              result.outcomes.empty() ? 0 : result.outcomes.front().status, result.outcomes.size());
  return 0;
}
