#pragma once
// Retries inside one hop (semantics §6): how many, whether the latest error is retried, the sleep bound.
// The rule texts are for the trace: they are written only when `explain` is set.
#include <optional>
#include <string>

#include "ingress.h"
#include "routecheck/config.h"
#include "routecheck/profile.h"
#include "stages/router_error.h"

namespace routecheck {

/// The effective retry count of a hop after its first error (§6.1), and whether a retry policy set it.
struct RetryBudget {
  int retries = 0;
  bool from_policy = false;
  std::string rule;  // e.g. "6.1: router_settings.num_retries=1"; "" unless explained
};

RetryBudget retry_budget(const Config& config, const Ingress& in, const std::string& group, const RouterError& first,
                         bool explain);

/// Whether a retry policy defines a count for this error's class in this group.
bool policy_covers(const Config& config, const std::string& group, const RouterError& error);

/// §6.2: the rule that forbids retrying `error` (its text when `explain`, else ""), or nullopt when it is
/// retried. `healthy` counts the group's deployments not in cooldown; `group_size` all of them.
std::optional<std::string> no_retry_rule(const Config& config, const Ingress& in, const RouterError& error,
                                         std::size_t healthy, std::size_t group_size, const Deviations& dev,
                                         bool explain);

/// §6.4: an upper bound, in seconds, of the sleep before the `k`-th retry (1-based); 0 means no sleep.
double backoff_bound(const Config& config, const RouterError& error, int k, std::size_t healthy, std::size_t group_size);

// OpenAI SDK retries inside one router attempt (§6.5). LiteLLM turns them off, except that 1.82.3 hands a
// per-deployment `litellm_params.num_retries` to the SDK as its max_retries (point 12, confirmed: 9 calls
// for num_retries 2 with every call failing).

/// How many times the SDK retries a call to `deployment` under `profile`: its num_retries in 1.82, else 0.
inline int sdk_max_retries(const Config& config, Profile profile, int deployment) {
  if (profile != Profile::Litellm182) return 0;
  return config.deployments[static_cast<std::size_t>(deployment)].num_retries.value_or(0);
}

/// Whether the OpenAI SDK retries this answer: timeouts, refused connections, 408, 409, 429 and 5xx,
/// unless a Retry-After beyond the SDK's 120 s cap says not to (its `_should_retry`).
bool sdk_retries_answer(const UpstreamOutcome& answer);

/// An upper bound, in seconds, of the SDK's sleep before its `k`-th retry (1-based): Retry-After when in
/// (0, 120], else min(0.5 * 2^(k-1), 8) (the SDK's jitter only shortens it).
double sdk_backoff_bound(const UpstreamOutcome& answer, int k);

}  // namespace routecheck
