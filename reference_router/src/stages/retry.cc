#include "retry.h"

#include <algorithm>
#include <cmath>

#include "stages/fallback.h"

namespace routecheck {
namespace {

std::optional<int> class_count(const ClassCounts& c, const RouterError& e) {
  // LiteLLM checks isinstance in this order; ContentPolicyViolationError is a BadRequestError.
  if (!e.status) return std::nullopt;
  int s = *e.status;
  if (s == 400 && c.bad_request) return c.bad_request;
  if (s == 401 && c.authentication) return c.authentication;
  if (s == 408 && c.timeout) return c.timeout;
  if (s == 429 && c.rate_limit) return c.rate_limit;
  if (e.is_content_policy() && c.content_policy) return c.content_policy;
  if (s == 500 && e.upstream.kind != UpstreamOutcome::Kind::Refused && c.internal_server) return c.internal_server;
  return std::nullopt;
}

std::optional<int> policy_count(const Config& config, const std::string& group, const RouterError& e) {
  // A group's policy replaces the router's whole policy for that group (LiteLLM picks one policy
  // object, then reads the error's class from it).
  const auto& by_group = config.router.model_group_retry_policy;
  if (!by_group.empty())
    if (auto it = by_group.find(group); it != by_group.end()) return class_count(it->second, e);
  if (config.router.retry_policy) return class_count(*config.router.retry_policy, e);
  return std::nullopt;
}

}  // namespace

bool policy_covers(const Config& config, const std::string& group, const RouterError& e) {
  return policy_count(config, group, e).has_value();
}

RetryBudget retry_budget(const Config& config, const Ingress& in, const std::string& group, const RouterError& first,
                         bool explain) {
  // The rule reads "6.1: <where the count came from>=<count>".
  auto budget = [&](int n, bool from_policy, auto where) {
    RetryBudget b{n, from_policy, {}};
    if (explain) {
      b.rule = "6.1: ";
      b.rule += where();
      b.rule += '=';
      b.rule += std::to_string(n);
    }
    return b;
  };
  const ParsedRequest& req = in.request;
  if (auto n = policy_count(config, group, first))
    return budget(*n, true, [&] { return "retry policy for " + first.class_name(); });
  // The deployment that raised the error: its num_retries rides on the exception. 1.82.3's router takes
  // it over the request's count (point 12, confirmed); latest takes the header and the body first.
  const Deployment* raiser = first.deployment >= 0 ? &config.deployments[first.deployment] : nullptr;
  auto from_deployment = [&] {
    return budget(*raiser->num_retries, false, [&] { return raiser->id + " litellm_params.num_retries"; });
  };
  bool deployment_first = in.profile == Profile::Litellm182;
  if (deployment_first && raiser && raiser->num_retries) return from_deployment();
  if (req.header_num_retries) return budget(*req.header_num_retries, false, [] { return "header x-litellm-num-retries"; });
  if (req.body_num_retries) return budget(*req.body_num_retries, false, [] { return "body num_retries"; });
  if (raiser && raiser->num_retries) return from_deployment();
  if (config.router.num_retries) return budget(*config.router.num_retries, false, [] { return "num_retries"; });
  return budget(2, false, [] { return "default num_retries"; });
}

std::optional<std::string> no_retry_rule(const Config& config, const Ingress& in, const RouterError& e,
                                         std::size_t healthy, std::size_t group_size, const Deviations& dev,
                                         bool explain) {
  auto rule = [&](auto text) { return std::optional<std::string>(explain ? std::string(text) : std::string()); };
  const RouterSettings& r = config.router;
  if (e.is_context_window() && !r.context_window_fallbacks.empty())
    return rule("6.2a: context-window error with context_window_fallbacks");
  if (e.is_content_policy() && !r.content_policy_fallbacks.empty())
    return rule("6.2b: content-policy error with content_policy_fallbacks");
  if (e.status && !has(dev, Deviation::RetryNonRetryable)) {
    int s = *e.status;
    bool retryable = s == 408 || s == 409 || s == 429 || s >= 500;
    if (!retryable && s != 401 && s != 403)
      return rule(explain ? "6.2c: status " + std::to_string(s) + " is not retryable" : "");
  }
  if (e.status == 404 && !has(dev, Deviation::RetryNonRetryable)) return rule("6.2d: not found");
  if (e.status == 429 && healthy == 0 && has_generic_fallbacks(config, in))
    return rule("6.2e: rate limited, no healthy deployment, generic fallbacks exist");
  if (e.status == 401 && group_size <= 1) return rule("6.2f: authentication error in a single-deployment group");
  if (healthy == 0) return rule("6.2g: no healthy deployment left in the group");
  return std::nullopt;
}

double backoff_bound(const Config& config, const RouterError& e, int k, std::size_t healthy, std::size_t group_size) {
  if (group_size > 1 && healthy > 0) return 0;
  double sleep;
  if (e.upstream.retry_after && *e.upstream.retry_after > 0 && *e.upstream.retry_after <= 60) {
    sleep = *e.upstream.retry_after + 0.75;  // jitter is added to Retry-After too (confirmed gaps of 1.03-1.45 s)
  } else {
    sleep = std::min(8.0, 0.5 * std::pow(2.0, k - 1)) + 0.75;
  }
  return std::max(sleep, config.router.retry_after);
}

bool sdk_retries_answer(const UpstreamOutcome& a) {
  constexpr double kMaxRetryAfter = 120;  // the SDK's MAX_RETRY_AFTER_DELAY
  switch (a.kind) {
    case UpstreamOutcome::Kind::Timeout:
    case UpstreamOutcome::Kind::Refused:
      return true;
    case UpstreamOutcome::Kind::Status:
      if (a.retry_after && *a.retry_after > kMaxRetryAfter) return false;
      return a.status == 408 || a.status == 409 || a.status == 429 || a.status >= 500;
    default:
      return false;  // ok ends the attempt; context-window and content-policy answers are 400s
  }
}

double sdk_backoff_bound(const UpstreamOutcome& a, int k) {
  if (a.retry_after && *a.retry_after > 0 && *a.retry_after <= 120) return *a.retry_after;
  return std::min(8.0, 0.5 * std::pow(2.0, k - 1));
}

}  // namespace routecheck
