#pragma once
// One run of the request through the router, for one sequence of picks (the branch).
#include <optional>
#include <set>
#include <string_view>

#include "config_index.h"
#include "fault_queues.h"
#include "ingress.h"
#include "routecheck/route.h"
#include "stages/cooldown.h"
#include "stages/fallback.h"
#include "stages/router_error.h"
#include "stages/tag_filter.h"
#include "bit_set.h"
#include "small_vector.h"
#include "zeroed_array.h"

namespace routecheck {

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
  Simulation(const Simulation&) = delete;  // query_ refers to this object's own members
  Simulation& operator=(const Simulation&) = delete;
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
  /// What a hop or a walk ended with. Written in place by the callee (no variant copied back up the
  /// walk): `success` when `ok`, else `error`.
  struct HopResult {
    bool ok = false;
    Success success{};
    RouterError error;
  };
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
  /// The entries of one walk, read in place: (latest) the failing group's order tiers, then the
  /// chain's targets when it is one to walk.
  struct WalkList {
    ChainChoice chain;
    WalkEntries tiers;
    std::size_t chain_size() const { return chain.kind == ChainChoice::Kind::Walk ? chain.names->size() : 0; }
    std::size_t size() const { return tiers.size() + chain_size(); }
    WalkEntry operator[](std::size_t k) const {
      if (k < tiers.size()) return tiers[k];
      k -= tiers.size();
      return WalkEntry{&(*chain.names)[k], (*chain.targets)[k], std::nullopt};
    }
  };

  bool latest() const { return latest_; }
  Target resolve(const std::string& name, NameTarget named) const;
  void run_group(const Target& target, int depth, HopResult& out);
  inline void run_hop(const Target& target, int hop, int depth, HopResult& out);
  /// The deployment that answered, or -1 with `error` set.
  int attempt(const Target& target, int hop, int depth, int index, RouterError& error);
  /// Walks `entries` after `group` failed with the error `out.error` holds.
  inline void walk(const WalkList& entries, const std::string& group, int depth, HopResult& out);
  void order_tiers(const Target& failed, const RouterError& error, WalkEntries& out) const;
  void note_fallback(const std::string& chain, const WalkList& entries, const std::string& group, const RouterError& error, int depth);
  static bool refused_payload(const RouterError& error);
  inline bool skipped(const WalkEntry& entry, const std::string& group) const;
  /// Whether the call answered ok; else `error` is set.
  inline bool call(int deployment, RouterError& error);
  /// §5.1 step 6: keeps the lowest `order` (a deployment without one ranks last); inline, as most configs
  /// have no `order` and it is asked on every attempt.
  void keep_lowest_order(Bits& set) const {
    if (index_.any_order) keep_lowest_ranked(set);
  }
  void keep_lowest_ranked(Bits& set) const;
  void walk_request();
  inline void put_header(const std::string& name, std::string_view value);
  inline void record_post_pick_writes(int deployment);
  AttemptRecord* last_record();
  std::vector<std::string> names(const Bits& deployments) const;

  const RouteInput& input_;
  const Config& config_;
  const ConfigIndex& index_;
  const Ingress& in_;
  const FaultQueues& faults_;
  const RouteOptions& options_;
  // Read at almost every step: held by value, one load each instead of a reference and then the value.
  const Deviations dev_;
  const bool latest_;  // the litellm-latest profile
  const bool trace_;   // options_.trace: the decision trace is written
  Chooser& chooser_;
  const bool leaking_;  // a leak mutant: tag decisions read the bucket that post-pick writes extend

  CooldownBook cooldowns_;
  // Scratch of each attempt, kept so an attempt constructs and frees no set: the healthy set when
  // cooldowns or an order-first deviation change it, the tag decision, a leak mutant's tag matches.
  Bits healthy_;
  TagDecision decision_;
  Bits leaked_matches_;
  ZeroedArray<int, 16> calls_;             // upstream calls per deployment (fault queue position)
  std::vector<std::string> bucket_tags_;   // under a leak mutant: RT(R) extended by post-pick writes
  std::vector<Denial> denials_;            // the tag denials raised, which RouterError::denial indexes
  // What every tag decision of the branch reads: the same but for cooldown_shrunk, set per attempt (the
  // tags and matches are RT(R)'s, or a leak mutant's bucket and its matches, which change in place).
  TagQuery query_;
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
