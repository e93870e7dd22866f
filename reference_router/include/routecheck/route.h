#pragma once
/// route(): what a correct proxy must do with one request, as the set of allowed outcomes.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/faults.h"
#include "routecheck/profile.h"
#include "routecheck/request.h"
#include "routecheck/scenario.h"
#include "routecheck/trace.h"

namespace routecheck {

/// One upstream call the proxy must make: which deployment, with which key identity.
struct UpstreamCall {
  std::string deployment;
  std::string key;  // credential name, or the deployment id for its own api_key
  bool operator==(const UpstreamCall&) const = default;
};

/// The tag denial carried by a final error (the 401 case).
struct Denial {
  std::string group;
  std::vector<std::string> tags;
  bool operator==(const Denial&) const = default;
};

/// One allowed end of the request: status, who served, headers, upstream calls, and why.
struct Outcome {
  int status = 0;
  std::string error_class;  // "ok", "tag_denied", "no_deployments", "upstream:500", ...
  std::optional<std::string> served_by;
  std::optional<Denial> denial;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<UpstreamCall> upstream_calls;
  double max_duration_s = 0;  // upper bound of sleeps and timeouts (INFO)
  std::vector<std::string> observability_tags;  // what §5.5 wrote; never an input to routing
  Trace trace;
  /// Field by field; equal outcomes serialise to equal JSON, so this is how route() dedupes them.
  bool operator==(const Outcome&) const = default;
};

/// Another behaviour the modelled release may show, under a SHOULD-tier or unverified rule.
struct Alternative {
  std::string rule;  // "4.2.2-should", "unverified-7", ...
  std::vector<Outcome> outcomes;
};

/// Everything route() says about one request.
struct RouteResult {
  std::vector<Outcome> outcomes;  // distinct, in exploration order
  std::vector<Alternative> alternatives;
  bool truncated = false;
  std::vector<std::string> ignored_config_keys;
  std::vector<std::string> unverified;  // unverified points this request depends on

  std::vector<int> statuses() const;             // sorted, distinct
  std::vector<std::string> served_by() const;    // sorted, distinct
};

/// How route() runs: which profile, which mutant, how much it explains.
struct RouteOptions {
  Profile profile = Profile::Litellm182;
  ProfileOptions profile_options;
  const Mutant* mutant = nullptr;
  bool trace = true;
  bool alternatives = true;
  std::size_t max_outcomes = 256;
  std::size_t max_branches = 4096;
};

/// The inputs of one routing question.
struct RouteInput {
  const Config& config;
  const Request& request;
  const FaultPlan& faults;
  const Principal& principal;
};

/// Enumerates every outcome a correct proxy may produce (picks are sets, never guessed).
RouteResult route(const RouteInput& input, const RouteOptions& options);

/// route() on a scenario, with the scenario's profile, options and mutant unless `options` say otherwise.
RouteResult route(const Scenario& scenario, const RouteOptions& options);

}  // namespace routecheck
