#pragma once
/// The decision trace: one record per attempt (semantics §5.6, CONTRACT.md §3).
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace routecheck {

/// Why an attempt was or was not followed by a retry.
struct RetryDecision {
  std::string decision;  // "yes", "no"
  std::string rule;      // e.g. "6.2c: status 400 is not retryable", "6.3: num_retries=0"
  std::string sleep;     // "0" or "backoff"
  bool operator==(const RetryDecision&) const = default;
};

/// Which fallback chain a failed hop selected and what it takes next.
struct FallbackDecision {
  std::string chain;  // "generic:primary", "context_window:G", "client", "none"
  std::string next;   // first target the walk takes, or "none"
  std::string reason; // why there is no next, when next is "none"
  bool operator==(const FallbackDecision&) const = default;
};

/// One attempt: the candidate set after each pipeline stage and what happened.
struct AttemptRecord {
  int hop = 0, depth = 0, attempt = 0;
  std::string group;
  std::vector<std::string> tags_used;
  std::map<std::string, std::string> tag_sources;  // tag -> where it came from
  std::vector<std::string> after_cooldown;
  std::optional<std::vector<std::string>> tag_result;  // nullopt: TAG_DENIED
  std::optional<std::vector<std::string>> eligible;    // nullopt: NO_DEPLOYMENTS (or denied before)
  std::string picked;                                  // "" for a silent attempt
  std::string outcome;  // "ok", a fault class, "TAG_DENIED", "NO_DEPLOYMENTS"
  std::optional<RetryDecision> retry;
  std::optional<FallbackDecision> fallback;
  bool tag_decision = true;          // false when no tag filter ran (mock switch, specific deployment)
  bool specific_deployment = false;  // model named a deployment id: no tag decision (§5.2)
  /// Field by field; equal records serialise to equal JSON (route() dedupes outcomes with it).
  bool operator==(const AttemptRecord&) const = default;
};

using Trace = std::vector<AttemptRecord>;

}  // namespace routecheck
