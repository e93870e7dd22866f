#pragma once
// The families of lint findings; lint.cc runs them all.
#include <vector>

#include "routecheck/config.h"
#include "routecheck/lint.h"

namespace routecheck::lint {

void fallback_graph_findings(const Config& c, Profile profile, std::vector<Finding>& out);
void tag_layout_findings(const Config& c, Profile profile, std::vector<Finding>& out);
void ignored_key_findings(const Config& c, Profile profile, std::vector<Finding>& out);
/// Fallback targets that deny by tags a request their source group admits (asks route()).
void fallback_denial_findings(const Config& c, Profile profile, std::vector<Finding>& out);
/// Configs on which a labelled mutant (a released bug) and the oracle disagree (asks route()).
void known_bug_findings(const Config& c, Profile profile, std::vector<Finding>& out);

}  // namespace routecheck::lint
