#pragma once
// One run of the request through the router, for one sequence of picks (the branch).
#include <optional>
#include <set>
#include <string_view>
#include <variant>

#include "config_index.h"
#include "ingress.h"
#include "routecheck/route.h"
#include "stages/cooldown.h"
#include "stages/fallback.h"
#include "stages/router_error.h"
#include "bit_set.h"
#include "small_vector.h"

namespace routecheck {

/// The fault plan's queue per deployment index (nullptr: every call answers ok), resolved once per
/// exploration so a call reads its answer without looking the deployment id up.
using FaultQueues = SmallVector<const std::vector<UpstreamOutcome>*, 16>;
FaultQueues resolve_faults(const FaultPlan& plan, const Config& config, const ConfigIndex& index);

/// Supplies the picks of one branch: an index into each eligible set, in the order they are asked.
class Chooser {
 public:
  virtual ~Chooser() = default;
  virtual int choose(int arity) = 0;
};

/// Walks one request through hops, attempts, retries and fallbacks, asking `chooser` at every pick.
/// The decision trace is written only when options.trace is set; without it a branch allocates only
/// what its Outcome holds.
class Simulation {
 public:
  /// `out` receives the branch's Outcome; what it holds is overwritten, its buffers reused.
  Simulation(const RouteInput& input, const ConfigIndex& index, const Ingress& ingress, const FaultQueues& faults,
             const RouteOptions& options, const Deviations& dev, Chooser& chooser, Outcome& out);
  /// Runs the branch into `out`; `exhausted()` tells whether it hit the attempt limit instead of ending.
  void run();
  bool exhausted() const { return exhausted_; }
  int attempts() const { return attempts_; }

 private:
  struct Success {
    int deployment;
    int retries;
    int max_retries;
    int fallbacks;
  };
  using HopResult = std::variant<Success, RouterError>;
  /// What a hop targets: a group, or a deployment named by its id (§5.2).
  struct Target {
    const std::string* name;        // as the request or the chain names it
    int group = -1;                 // -1 for a specific-deployment target
    int deployment = -1;
    std::optional<int> order_tier;  // latest: an order-based fallback hop (§7.8)
    NameTarget named() const { return {deployment, group}; }
  };
  /// One entry of a walk: a chain target, or (latest) one `order` tier of the failing group.
  struct WalkEntry {
    const std::string* name;
    NameTarget target;
    std::optional<int> tier;
  };
  using WalkEntries = SmallVector<WalkEntry, 8>;

  bool latest() const { return options_.profile == Profile::LitellmLatest; }
  Target resolve(const std::string& name, NameTarget named) const;
  HopResult run_group(const Target& target, int depth);
  HopResult run_hop(const Target& target, int hop, int depth);
  std::variant<int, RouterError> attempt(const Target& target, int hop, int depth, int index);
  HopResult walk(const WalkEntries& entries, const std::string& group, const RouterError& error, int depth);
  WalkEntries order_tiers(const Target& failed, const RouterError& error) const;
  void note_fallback(const std::string& chain, const WalkEntries& entries, const std::string& group, const RouterError& error, int depth);
  static bool refused_payload(const RouterError& error);
  bool skipped(const WalkEntry& entry, const std::string& group) const;
  std::variant<int, RouterError> call(int deployment);
  void keep_lowest_order(Bits& set) const;
  void walk_request();
  void put_header(const std::string& name, std::string_view value);
  void record_post_pick_writes(int deployment);
  AttemptRecord* last_record();
  std::vector<std::string> names(const Bits& deployments) const;

  const RouteInput& input_;
  const Config& config_;
  const ConfigIndex& index_;
  const Ingress& in_;
  const FaultQueues& faults_;
  const RouteOptions& options_;
  const Deviations& dev_;
  Chooser& chooser_;
  const bool leaking_;  // a leak mutant: tag decisions read the bucket that post-pick writes extend

  CooldownBook cooldowns_;
  SmallVector<int, 16> calls_;             // upstream calls per deployment (fault queue position)
  std::vector<std::string> bucket_tags_;   // under a leak mutant: RT(R) extended by post-pick writes
  std::vector<Denial> denials_;            // the tag denials raised, which RouterError::denial indexes
  Outcome& outcome_;
  // How many entries of outcome_'s headers, upstream calls and observability tags this branch wrote:
  // the entries are overwritten in place (their strings keep their buffers) and the rest cut at the end.
  std::size_t headers_ = 0, calls_made_ = 0, tags_written_ = 0;
  Bits written_;  // tag ids in outcome_.observability_tags
  int last_picked_ = -1;
  int hops_ = 0;
  int attempts_ = 0;
  bool exhausted_ = false;
  bool mock_switch_pending_ = true;
  std::set<std::string> attempted_;  // latest: targets already attempted for this request (§7.5)
};

}  // namespace routecheck
