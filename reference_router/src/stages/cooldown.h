#pragma once
// Pipeline step 3 (semantics §10.1): which deployments a request's own failures have put in cooldown.
// The oracle starts every request from a fresh proxy (no earlier traffic) and assumes a request ends
// before any cooldown it caused expires.
#include <vector>

#include "routecheck/config.h"
#include "stages/router_error.h"

namespace routecheck {

/// Calls, failures and cooldowns per deployment within one request.
class CooldownBook {
 public:
  explicit CooldownBook(std::size_t deployments = 0);
  void reset(std::size_t deployments);

  /// Counts a successful upstream call.
  void on_success(int deployment);
  /// Counts a failed upstream call and cools the deployment when §10.1 says so.
  void on_failure(const Config& config, int deployment, const RouterError& error);

  bool cooled(int deployment) const { return cooled_[deployment]; }
  /// The members of `group` not in cooldown (all of them when cooldowns are disabled).
  std::vector<int> healthy(const Config& config, const ModelGroup& group) const;

 private:
  std::vector<int> calls_, failures_;
  std::vector<std::vector<int>> failures_by_class_;
  std::vector<bool> cooled_;
};

}  // namespace routecheck
