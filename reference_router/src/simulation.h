#pragma once
// One run of the request through the router, for one sequence of picks (the branch).
#include <optional>
#include <set>
#include <variant>

#include "ingress.h"
#include "routecheck/route.h"
#include "stages/cooldown.h"
#include "stages/fallback.h"
#include "stages/router_error.h"

namespace routecheck {

/// Supplies the picks of one branch: an index into each eligible set, in the order they are asked.
class Chooser {
 public:
  virtual ~Chooser() = default;
  virtual int choose(int arity) = 0;
};

/// Walks one request through hops, attempts, retries and fallbacks, asking `chooser` at every pick.
class Simulation {
 public:
  Simulation(const RouteInput& input, const Ingress& ingress, const RouteOptions& options, const Deviations& dev,
             Chooser& chooser);
  /// Runs the branch; `exhausted()` tells whether it hit the attempt limit instead of ending.
  Outcome run();
  bool exhausted() const { return exhausted_; }

 private:
  struct Success {
    int deployment;
    int retries;
    int max_retries;
    int fallbacks;
  };
  using HopResult = std::variant<Success, RouterError>;
  struct Target {
    std::string name;
    const ModelGroup* group = nullptr;  // null for a specific-deployment target
    int deployment = -1;
    std::optional<int> order_tier;      // latest: an order-based fallback hop (§7.8)
  };
  /// One entry of a walk: a group, or (latest) one `order` tier of the failing group.
  struct WalkEntry {
    std::string group;
    std::optional<int> tier;
  };

  bool latest() const { return options_.profile == Profile::LitellmLatest; }
  Target resolve(const std::string& name) const;
  HopResult run_group(const Target& target, int depth);
  HopResult run_hop(const Target& target, int hop, int depth);
  std::variant<int, RouterError> attempt(const Target& target, int hop, int depth, int index);
  HopResult walk(const std::vector<WalkEntry>& entries, const std::string& group, const RouterError& error, int depth);
  std::vector<WalkEntry> order_tiers(const Target& failed, const RouterError& error) const;
  void note_fallback(const std::string& chain, const std::vector<WalkEntry>& entries, const std::string& group, int depth);
  std::variant<int, RouterError> call(int deployment);
  void record_post_pick_writes(const Deployment& d);
  AttemptRecord* last_record();
  std::vector<std::string> names(const std::vector<int>& indices) const;

  const RouteInput& input_;
  const Ingress& in_;
  const RouteOptions& options_;
  const Deviations& dev_;
  Chooser& chooser_;

  CooldownBook cooldowns_;
  std::vector<int> calls_;                     // upstream calls per deployment (fault queue position)
  std::vector<std::string> bucket_tags_;       // the 1.82 bucket: RT(R) extended by post-pick writes
  std::vector<std::string> observability_;     // the post-pick writes alone (§5.5)
  Outcome outcome_;
  int last_picked_ = -1;
  int hops_ = 0;
  int attempts_ = 0;
  bool exhausted_ = false;
  bool mock_switch_pending_ = true;
  std::set<std::string> attempted_;  // latest: targets already attempted for this request (§7.5)
};

}  // namespace routecheck
