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

CooldownBook::CooldownBook(std::size_t deployments) { reset(deployments); }

void CooldownBook::reset(std::size_t n) {
  calls_.assign(n, 0);
  failures_.assign(n, 0);
  failures_by_class_.assign(n, std::vector<int>(6, 0));
  cooled_.assign(n, false);
}

void CooldownBook::on_success(int d) { ++calls_[d]; }

void CooldownBook::on_failure(const Config& config, int d, const RouterError& e) {
  ++calls_[d];
  ++failures_[d];
  int cls = policy_class(e);
  if (cls >= 0) ++failures_by_class_[d][cls];
  const RouterSettings& r = config.router;
  if (r.disable_cooldowns) return;
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
  std::size_t group_size = config.find_group(config.deployments[d].group)->members.size();
  bool cool = false;
  if (r.allowed_fails || r.allowed_fails_policy) {
    std::optional<int> threshold;
    if (r.allowed_fails_policy && cls >= 0) threshold = policy_threshold(*r.allowed_fails_policy, cls);
    int limit = threshold.value_or(r.allowed_fails.value_or(3));
    int count = threshold ? failures_by_class_[d][cls] : failures_[d];
    cool = count > limit;
  } else if (s == 429) {
    cool = group_size > 1;
  } else if (s == 401 || s == 404) {
    cool = true;
  } else if (group_size > 1) {
    cool = calls_[d] >= 5 && failures_[d] * 2 > calls_[d];
  } else {
    cool = calls_[d] >= 1000 && failures_[d] == calls_[d];
  }
  if (cool) cooled_[d] = true;
}

std::vector<int> CooldownBook::healthy(const Config& config, const ModelGroup& group) const {
  std::vector<int> out;
  for (int i : group.members)
    if (config.router.disable_cooldowns || !cooled_[i]) out.push_back(i);
  return out;
}

}  // namespace routecheck
