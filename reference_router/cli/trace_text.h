#pragma once
// The oracle's answer for people: outcomes, headers, upstream calls and the decision trace in words.
#include <ostream>
#include <string>

#include "routecheck/route.h"

namespace routecheck {

void print_result_text(std::ostream& out, const RouteResult& result, const std::string& id, Profile profile,
                       const Mutant* mutant);

}  // namespace routecheck
