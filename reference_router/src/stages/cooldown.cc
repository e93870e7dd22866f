#include "cooldown.h"

namespace routecheck {
namespace {

// The AllowedFailsPolicy class an error counts under (-1: none).
int policy_class(const RouterError& e) {
  if (e.kind != RouterError::Kind::Upstream || !e.status) return -1;
  int s = *e.status;
  if (s == 400) return e.is_content_policy() ? 4 : 0;
  if (s == 401) return 1;
  if (s == 408) return 2;
  if (s == 429) return 3;
  if (s >= 500) return 5;
  return -1;
}

std::optional<int> policy_threshold(const ClassCounts& c, int cls) {
  switch (cls) {
    case 0: return c.bad_request;
    case 1: return c.authentication;
    case 2: return c.timeout;
    case 3: return c.rate_limit;
    case 4: return c.content_policy;
    case 5: return c.internal_server;
    default: return std::nullopt;
  }
}

}  // namespace

CooldownBook::Counts& CooldownBook::counts(int d) {
  if (counts_.empty()) counts_.resize(config_.deployments.size());
  return counts_[d];
}

void CooldownBook::count_failure(int d, const RouterError& e) {
  const Config& config = config_;
  const RouterSettings& r = config.router;
  Counts& n = counts(d);
  ++n.calls;
  ++n.failures;
  int cls = policy_class(e);
  if (cls >= 0) ++n.failures_by_class[cls];
  // Eligible errors: never connection errors or errors without a status; 401, 404, 408, 429 and 5xx.
  if (e.kind != RouterError::Kind::Upstream || !e.status) return;
  if (e.upstream.kind == UpstreamOutcome::Kind::Refused) return;
  int s = *e.status;
  if (!(s == 401 || s == 404 || s == 408 || s == 429 || s >= 500)) return;
  // Duration: the deployment's cooldown_time, else the upstream's Retry-After, else the router's.
  const Deployment& deployment = config.deployments[d];
  double duration = deployment.cooldown_time ? *deployment.cooldown_time
                                             : e.upstream.retry_after.value_or(r.cooldown_time);
  if (duration <= 0) return;
  std::size_t group_size = config.groups[index_.group_of[d]].members.size();
  bool cool = false;
  if (r.allowed_fails || r.allowed_fails_policy) {
    std::optional<int> threshold;
    if (r.allowed_fails_policy && cls >= 0) threshold = policy_threshold(*r.allowed_fails_policy, cls);
    int limit = threshold.value_or(r.allowed_fails.value_or(3));
    int count = threshold ? n.failures_by_class[cls] : n.failures;
    cool = count > limit;
  } else if (s == 429) {
    cool = group_size > 1;
  } else if (s == 401 || s == 404) {
    cool = true;
  } else if (group_size > 1) {
    cool = n.calls >= 5 && n.failures * 2 > n.calls;
  } else {
    cool = n.calls >= 1000 && n.failures == n.calls;
  }
  if (cool) cooled_.set(d);
}

}  // namespace routecheck
