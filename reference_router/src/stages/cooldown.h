#pragma once
// Pipeline step 3 (semantics §10.1): which deployments a request's own failures have put in cooldown.
// The oracle starts every request from a fresh proxy (no earlier traffic) and assumes a request ends
// before any cooldown it caused expires.
#include <array>
#include <vector>

#include "config_index.h"
#include "routecheck/config.h"
#include "stages/router_error.h"
#include "bit_set.h"

namespace routecheck {

/// Calls, failures and cooldowns per deployment within one request.
class CooldownBook {
 public:
  CooldownBook(const Config& config, const ConfigIndex& index) : config_(config), index_(index) {}

  /// Counts a successful upstream call. With cooldowns disabled nothing is counted: the counts only
  /// ever decide a cooldown (inline: that test is all most calls do).
  void on_success(int deployment) {
    if (!config_.router.disable_cooldowns) ++counts(deployment).calls;
  }
  /// Counts a failed upstream call and cools the deployment when §10.1 says so.
  void on_failure(int deployment, const RouterError& error) {
    if (!config_.router.disable_cooldowns) count_failure(deployment, error);
  }

  bool cooled(int deployment) const { return cooled_.test(deployment); }
  /// Whether any deployment is in cooldown.
  bool any_cooled() const { return !cooled_.empty(); }
  /// The members of group `group` not in cooldown (all of them when cooldowns are disabled): the group's
  /// own set, read in place, when nothing is cooled; else written into `scratch`, which the reference
  /// then names.
  const Bits& healthy(int group, Bits& scratch) const {
    if (cooled_.empty()) return index_.members[group];
    scratch = index_.members[group];
    scratch -= cooled_;
    return scratch;
  }
  /// How many members of group `group` are not in cooldown.
  std::size_t healthy_count(int group) const {
    const Bits& members = index_.members[group];
    if (cooled_.empty()) return static_cast<std::size_t>(members.count());
    return static_cast<std::size_t>((members - cooled_).count());
  }

 private:
  struct Counts {
    int calls = 0, failures = 0;
    std::array<int, 6> failures_by_class{};  // AllowedFailsPolicy classes
  };
  Counts& counts(int deployment);
  void count_failure(int deployment, const RouterError& error);

  const Config& config_;
  const ConfigIndex& index_;
  std::vector<Counts> counts_;  // allocated at the first call counted: never with cooldowns disabled
  Bits cooled_;
};

}  // namespace routecheck
