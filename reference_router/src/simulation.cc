#include "simulation.h"

#include <algorithm>
#include <charconv>

#include "overwrite.h"
#include "stages/retry.h"
#include "stages/tag_filter.h"

namespace routecheck {

// The walk's steps called from one or two places (run_hop, walk, skipped, call, record_post_pick_writes,
// and put_header, called only while writing the answer) are always_inline (declared inline in the
// class): g++ 12 at -O2 keeps them out of line, and their frames were ~9% of the instructions of a
// route() call without the trace (callgrind, the named benchmark scenario; scripts/route-instructions).

namespace {

constexpr int kMaxAttempts = 2000;  // a branch longer than this is reported as truncated

// Header names (§9.4), made once: each outcome copies them.
const std::string kModelId = "x-litellm-model-id", kModelGroup = "x-litellm-model-group",
                  kApiBase = "x-litellm-model-api-base", kAttemptedRetries = "x-litellm-attempted-retries",
                  kMaxRetries = "x-litellm-max-retries", kAttemptedFallbacks = "x-litellm-attempted-fallbacks";

void merge(std::vector<std::string>& into, const std::string& tag) {
  if (std::find(into.begin(), into.end(), tag) == into.end()) into.push_back(tag);
}
void merge(std::vector<std::string>& into, const std::vector<std::string>& more) {
  for (const std::string& t : more) merge(into, t);
}

// A mock_response answers without an upstream call (§11.6). The answers are constants, read in place.
const UpstreamOutcome& mock_outcome(const std::string& text) {
  static const UpstreamOutcome kRateLimit{UpstreamOutcome::Kind::Status, 429, std::nullopt},
      kInternalServer{UpstreamOutcome::Kind::Status, 500, std::nullopt},
      kContextWindow{UpstreamOutcome::Kind::ContextWindow, 0, std::nullopt}, kOk{};
  if (text == "litellm.RateLimitError") return kRateLimit;
  if (text == "litellm.InternalServerError") return kInternalServer;
  if (text == "litellm.ContextWindowExceededError") return kContextWindow;
  return kOk;
}

// Element `n` of a reused Outcome's list, appended when the list is shorter: the elements a previous
// answer left keep their string buffers. `first` is the capacity of a list's first allocation.
template <class T>
[[gnu::noinline, gnu::cold]] void append_slot(std::vector<T>& list, std::size_t first) {
  if (list.capacity() == 0) list.reserve(first);
  list.emplace_back();
}
template <class T>
T& slot(std::vector<T>& list, std::size_t n, std::size_t first) {
  if (n == list.size()) [[unlikely]] append_slot(list, first);  // out of line: the common path makes no call
  return list[n];
}

}  // namespace

Simulation::Simulation(const RouteInput& input, const ConfigIndex& index, const Ingress& ingress,
                       const FaultQueues& faults, const RouteOptions& options, const Deviations& dev, Chooser& chooser,
                       Outcome& out)
    : input_(input),
      config_(input.config),
      index_(index),
      in_(ingress),
      faults_(faults),
      options_(options),
      dev_(dev),
      latest_(options.profile == Profile::LitellmLatest),
      trace_(options.trace),
      chooser_(chooser),
      // The post-pick writes go to `metadata`; a filter reading litellm_metadata never sees them (point 5).
      leaking_((has(dev, Deviation::LeakObservabilityTags) || has(dev, Deviation::LeakCredentialTagOnly)) &&
               !ingress.tags_from_litellm_metadata),
      cooldowns_(input.config, index),
      calls_(input.config.deployments.size()),
      query_{leaking_ ? bucket_tags_ : ingress.tags().list, leaking_ ? leaked_matches_ : ingress.tag_matches,
             ingress.user_agent_line(), options.profile_options, dev_},
      outcome_(out) {
  if (leaking_) bucket_tags_ = in_.tags().list;
}

std::vector<std::string> Simulation::names(const Bits& deployments) const {
  std::vector<std::string> out;
  out.reserve(deployments.count());
  deployments.for_each([&](int i) { out.push_back(config_.deployments[i].id); });
  return out;
}

AttemptRecord* Simulation::last_record() { return outcome_.trace.empty() ? nullptr : &outcome_.trace.back(); }

Simulation::Target Simulation::resolve(const std::string& name, NameTarget named) const {
  if (named.deployment >= 0) return Target{&name, -1, named.deployment, std::nullopt};  // the id wins (§5.2)
  return Target{&name, named.group, -1, std::nullopt};
}

// keep_lowest_order for a config where some deployment has an `order`.
void Simulation::keep_lowest_ranked(Bits& set) const {
  int best = 1 << 30;
  set.for_each([&](int i) { best = std::min(best, index_.order_rank[i]); });
  Bits out;
  set.for_each([&](int i) {
    if (index_.order_rank[i] == best) out.set(i);
  });
  set = std::move(out);
}

void Simulation::run() {
  // Every field is rewritten: the Outcome may hold a previous branch's or call's answer. (Every end of
  // walk_request sets status, error_class, served_by and denial; error_class keeps its text until then,
  // so the same class written again is copied in place.)
  outcome_.status = 0;
  outcome_.max_duration_s = 0;
  outcome_.trace.clear();
  headers_ = calls_made_ = tags_written_ = 0;
  walk_request();
  auto cut = [](auto& v, std::size_t n) { v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end()); };
  cut(outcome_.headers, headers_);
  cut(outcome_.upstream_calls, calls_made_);
  cut(outcome_.observability_tags, tags_written_);
}

[[gnu::always_inline]] inline void Simulation::put_header(const std::string& name, std::string_view value) {
  auto& header = slot(outcome_.headers, headers_++, 6);
  overwrite(header.first, name);
  overwrite(header.second, value);
}

void Simulation::walk_request() {
  const Config& config = config_;
  const ParsedRequest& req = in_.request;
  Target first = resolve(req.model, in_.model);
  bool mock_switch = req.mock_fallbacks || req.mock_context_fallbacks || req.mock_content_policy_fallbacks ||
                     req.mock_rate_limit;
  if (latest() && mock_switch && !config.allow_mock_testing_params) {
    outcome_.status = 400;  // 1.108.7 refuses the switches unless the config allows them (confirmed)
    outcome_.error_class = "mock_testing_refused";
    outcome_.served_by.reset();
    outcome_.denial.reset();
    return;
  }
  HopResult result;
  if (first.group < 0 && first.deployment < 0) {
    // §9.2: the proxy refuses an unknown model before the router. Only with unknown-model=default-fallbacks
    // does latest's Router rule (§7.4: default_fallbacks serve it) apply; 1.108.7's proxy never gets there.
    if (!latest() || config.router.default_fallbacks.empty() || !options_.profile_options.default_fallbacks_serve_unknown()) {
      outcome_.status = 400;
      outcome_.error_class = "unknown_model";
      outcome_.served_by.reset();
      outcome_.denial.reset();
      return;
    }
    RouterError unknown = RouterError::unknown_model();
    WalkList entries{ChainChoice{ChainChoice::Kind::Walk, ChainChoice::List::Generic, nullptr,
                                 &config.router.default_fallbacks, &index_.default_fallbacks},
                     {}};
    attempted_.insert(req.model);
    result.error = unknown;
    walk(entries, req.model, 0, result);
    if (!result.ok) result.error = compose(unknown, result.error);
  } else {
    run_group(first, 0, result);
  }
  if (result.ok) {
    const Success* ok = &result.success;
    const Deployment& d = config.deployments[ok->deployment];
    outcome_.status = 200;
    overwrite(outcome_.error_class, "ok");
    if (outcome_.served_by)
      overwrite(*outcome_.served_by, d.id);
    else
      outcome_.served_by.emplace(d.id);
    outcome_.denial.reset();
    char digits[16];
    auto number = [&](int n) {
      auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
      return std::string_view(digits, static_cast<std::size_t>(end - digits));
    };
    put_header(kModelId, d.id);
    put_header(kModelGroup, d.group);
    if (const auto& base = index_.api_base[ok->deployment]) put_header(kApiBase, *base);
    put_header(kAttemptedRetries, number(ok->retries));
    if (ok->retries > 0) put_header(kMaxRetries, number(ok->max_retries));
    put_header(kAttemptedFallbacks, number(ok->fallbacks));
  } else {
    const RouterError& e = result.error;
    // 1.82.3 sends the model_info of the last pick on error responses too (confirmed, point 24);
    // 1.108.7 does not.
    if (last_picked_ >= 0 && !latest()) put_header(kModelId, config.deployments[last_picked_].id);
    outcome_.status = final_status(e);
    outcome_.error_class = final_error_class(e);
    outcome_.served_by.reset();
    if (e.tag_denied_text)
      outcome_.denial = denials_[e.denial];
    else
      outcome_.denial.reset();
  }
}

// latest §7.8: the failing group's higher `order` tiers, in turn, before the external chain.
void Simulation::order_tiers(const Target& failed, const RouterError& error, WalkEntries& out) const {
  if (!latest() || failed.group < 0 || failed.order_tier || error.is_context_window() || error.is_content_policy())
    return;
  std::set<int> tiers;
  // Tiers are the distinct explicit `order` values: a deployment without one is in no tier (1.108.7's
  // get_deployment_order gives None and the set of orders skips it).
  for (int i : config_.groups[failed.group].members)
    if (config_.deployments[i].order) tiers.insert(index_.order_rank[i]);
  if (tiers.size() < 2) return;
  for (auto it = std::next(tiers.begin()); it != tiers.end(); ++it)
    out.push_back({failed.name, index_.lookup(*failed.name), *it});
}

// §7.8 (latest): a provider refusal of the payload (400/422) is not resent to other groups.
bool Simulation::refused_payload(const RouterError& e) {
  return e.kind == RouterError::Kind::Upstream && (e.status == 400 || e.status == 422) && !e.is_context_window() &&
         !e.is_content_policy();
}

// Whether the walk passes over an entry without a hop: the failing group itself (§7.5), and in latest
// a target already attempted or one that can never satisfy the prefix-confirmed tags (§4.3.5).
[[gnu::always_inline]] inline bool Simulation::skipped(const WalkEntry& entry, const std::string& group) const {
  if (!entry.tier && *entry.name == group && !has(dev_, Deviation::ReenterFailingGroup)) return true;
  if (!latest()) return false;
  if (attempted_.count(*entry.name + (entry.tier ? "#" + std::to_string(*entry.tier) : ""))) return true;
  Target target = resolve(*entry.name, entry.target);
  return target.group >= 0 &&
         !can_satisfy_confirmed_tags(config_, config_.groups[target.group], in_.tags().list, options_.profile_options);
}

void Simulation::note_fallback(const std::string& chain, const WalkList& entries, const std::string& group,
                               const RouterError& error, int depth) {
  AttemptRecord* rec = last_record();
  if (!rec) return;
  std::string next = "none";
  if (!(latest() && refused_payload(error)))
    for (std::size_t k = 0; k < entries.size(); ++k)
      if (const WalkEntry e = entries[k]; !skipped(e, group)) {
        next = *e.name + (e.tier ? " (order " + std::to_string(*e.tier) + ")" : "");
        break;
      }
  int cap = config_.router.max_fallbacks;
  bool capped = has(dev_, Deviation::DepthCapOffByOne) ? depth > cap : depth >= cap;
  std::string reason = capped ? "7.5: depth " + std::to_string(depth) + " >= max_fallbacks " + std::to_string(cap)
                       : next == "none" ? "7.5: every entry is the failing group" : "";
  rec->fallback = FallbackDecision{chain, capped ? "none" : next, reason};
}

void Simulation::run_group(const Target& target, int depth, HopResult& out) {
  const std::string& name = *target.name;
  int hop = hops_++;
  if (latest()) attempted_.insert(name + (target.order_tier ? "#" + std::to_string(*target.order_tier) : ""));
  bool mocked = false;
  if (mock_switch_pending_) {
    mock_switch_pending_ = false;  // the proxy removes the switches when it reads them (§7.2)
    const ParsedRequest& req = in_.request;
    if (req.mock_fallbacks || req.mock_context_fallbacks || req.mock_content_policy_fallbacks) {
      mocked = true;
      out.ok = false;
      out.error = RouterError::mock(req.mock_fallbacks ? RouterError::Kind::MockInternalServer
                                    : req.mock_context_fallbacks ? RouterError::Kind::MockContextWindow
                                                                 : RouterError::Kind::MockContentPolicy);
      if (trace_) {
        AttemptRecord r;
        r.hop = hop;
        r.depth = depth;
        r.group = name;
        r.tag_decision = false;
        r.tags_used = in_.tags().list;
        r.outcome = "mock_testing:" + out.error.class_name();
        r.retry = RetryDecision{"no", "7.2: a mock_testing switch raises before any attempt, without retries", "0"};
        outcome_.trace.push_back(std::move(r));
      }
    }
  }
  if (!mocked) {
    run_hop(target, hop, depth, out);
    if (out.ok || exhausted_) return;
  }
  // From here on out.error is this hop's error.
  // An order-tier hop belongs to the walk that targeted it: the enclosing walk goes on to the next
  // tier and then the external chain, so the tier hop starts no walk of its own.
  if (target.order_tier) return;
  // The chain is built where the walk reads it (no copy of its fields: that copy read them back wider
  // than select_chain had just stored them, a store-forwarding stall on every failed hop).
  WalkList entries{select_chain(config_, index_, in_, name, target.named(), out.error, depth, dev_), {}};
  const ChainChoice& chain = entries.chain;
  order_tiers(target, out.error, entries.tiers);
  bool order_based = !entries.tiers.empty();
  if (entries.size() == 0) {
    if (trace_ && last_record()) last_record()->fallback = FallbackDecision{chain.name(), "none", chain.reason(name)};
    return;  // raised unchanged, or with the no-chain note, which adds no new text (§7.7)
  }
  if (trace_) note_fallback(order_based ? "order:" + name : chain.name(), entries, name, out.error, depth);
  const RouterError error = out.error;  // this hop's, composed with the walk's last below
  walk(entries, name, depth, out);
  if (out.ok || exhausted_) return;
  // out.error is now the walk's last error.
  if (has(dev_, Deviation::StatusFromLastFallback)) return;
  // latest composes the error only at the top-level hop, and not after an order-based walk
  // (unverified-22; ComposeAtEveryHop is the 1.82-style alternative).
  if (latest() && (depth > 0 || order_based) && !has(dev_, Deviation::ComposeAtEveryHop)) {
    out.error = error;
    return;
  }
  out.error = compose(error, out.error);
}

[[gnu::always_inline]] inline void Simulation::walk(const WalkList& entries, const std::string& group, int depth,
                                                    HopResult& out) {
  // out.error is the failed hop's error on entry, then the walk's last error so far.
  out.ok = false;
  int cap = config_.router.max_fallbacks;
  bool capped = has(dev_, Deviation::DepthCapOffByOne) ? depth > cap : depth >= cap;
  if (capped) return;  // the cap is checked only on entry (§7.5)
  if (latest() && refused_payload(out.error)) return;
  int d = depth;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const WalkEntry entry = entries[k];
    if (skipped(entry, group)) continue;
    Target target = resolve(*entry.name, entry.target);
    target.order_tier = entry.tier;
    ++d;
    run_group(target, d, out);
    if (exhausted_) return;
    if (out.ok) {
      out.success.fallbacks = d;  // each enclosing walk overwrites it on the way out
      return;
    }
    if (latest() && refused_payload(out.error)) break;
  }
}

[[gnu::always_inline]] inline void Simulation::run_hop(const Target& target, int hop, int depth, HopResult& out) {
  const Config& config = config_;
  RouterError& error = out.error;
  out.ok = false;
  if (int d = attempt(target, hop, depth, 0, error); d >= 0) {
    out.ok = true;
    out.success = Success{d, 0, 0, 0};
    return;
  }
  if (exhausted_) return;
  const bool explain = trace_;
  RetryBudget budget = retry_budget(config, in_, *target.name, error, explain);
  if (depth > 0 && has(dev_, Deviation::RetriesFromFirstHopOnly))
    budget = {0, false, explain ? "6.1: no retries on fallback hops" : ""};
  std::size_t group_size = target.group >= 0 ? config.groups[target.group].members.size() : 1;
  // A request naming a deployment id has no group of that name, so LiteLLM finds no healthy
  // deployments for it and rule 6.2g ends the hop: 1.82.3 does not retry it (confirmed live).
  auto healthy_in_group = [&]() -> std::size_t { return target.group >= 0 ? cooldowns_.healthy_count(target.group) : 0; };
  for (int i = 1;; ++i) {
    AttemptRecord* rec = explain ? last_record() : nullptr;
    if (i > budget.retries) {
      // Confirmed on 1.82.3 (point 15): after the last failed retry the router sleeps once more.
      double sleep = budget.retries ? backoff_bound(config, error, i, healthy_in_group(), group_size) : 0;
      outcome_.max_duration_s += sleep;
      if (rec) {
        if (budget.retries) budget.rule += ", retries exhausted";
        rec->retry = RetryDecision{"no", std::move(budget.rule), sleep > 0 ? "backoff" : "0"};
      }
      return;
    }
    std::size_t healthy = healthy_in_group();
    if (!budget.from_policy || !policy_covers(config, *target.name, error)) {
      if (auto rule = no_retry_rule(config, in_, error, healthy, group_size, dev_, explain)) {
        if (rec) rec->retry = RetryDecision{"no", *rule, "0"};
        return;
      }
    }
    double sleep = backoff_bound(config, error, i, healthy, group_size);
    outcome_.max_duration_s += sleep;
    if (rec) rec->retry = RetryDecision{"yes", budget.rule, sleep > 0 ? "backoff" : "0"};
    if (int d = attempt(target, hop, depth, i, error); d >= 0) {
      out.ok = true;
      out.success = Success{d, i, budget.retries, 0};
      return;
    }
    if (exhausted_) return;
  }
}

[[gnu::always_inline]] inline void Simulation::record_post_pick_writes(int deployment) {
  // §5.5: deployment tags merged, then "Credential: <name>" appended. Observability only, except
  // under the leak mutants, which let later tag decisions read the bucket these writes extend.
  const Deployment& d = config_.deployments[deployment];
  const std::optional<std::string>& credential = index_.credential_tag[deployment];
  std::vector<std::string>& written = outcome_.observability_tags;
  for (int tag : index_.post_pick_writes[deployment]) {
    if (written_.test(tag)) continue;
    written_.set(tag);
    overwrite(slot(written, tags_written_++, 8), index_.tag_names[tag]);  // 8: a few picks' tags, one allocation
  }
  if (!leaking_) return;  // the bucket is read by no tag decision
  if (has(dev_, Deviation::LeakObservabilityTags)) {
    merge(bucket_tags_, d.tags);
    if (credential) merge(bucket_tags_, *credential);
  } else if (credential) {
    merge(bucket_tags_, *credential);  // LeakCredentialTagOnly
  }
}

int Simulation::attempt(const Target& target, int hop, int depth, int index, RouterError& error) {
  const Config& config = config_;
  if (++attempts_ > kMaxAttempts) {
    exhausted_ = true;
    error = RouterError::no_deployments();
    return -1;
  }
  AttemptRecord* rec = nullptr;
  if (trace_) {
    if (outcome_.trace.capacity() == 0) outcome_.trace.reserve(4);  // most branches: no reallocation
    outcome_.trace.emplace_back();
    rec = &outcome_.trace.back();
    rec->hop = hop;
    rec->depth = depth;
    rec->attempt = index;
    rec->group = *target.name;
  }
  if (hop == 0 && index == 0 && in_.request.mock_rate_limit) {
    if (rec) {
      rec->tag_decision = false;
      rec->tags_used = in_.tags().list;
      rec->outcome = "mock_testing:upstream:429";
    }
    error = RouterError::mock(RouterError::Kind::MockRateLimit);
    return -1;
  }
  // A name the config does not know (a body fallback route() was given unchecked) has nothing to pick.
  if (target.group < 0 && target.deployment < 0) {
    if (rec) rec->outcome = "NO_DEPLOYMENTS";
    error = RouterError::no_deployments();
    return -1;
  }

  TagDecision& decision = decision_;  // a group's tag decision, written in place; its set is the pick's
  Bits& eligible = decision.eligible;
  if (target.group < 0) {
    decision.kind = TagDecision::Kind::Eligible;
    eligible.clear();
    eligible.set(target.deployment);  // §5.2: a deployment id bypasses cooldown and tags
    if (rec) {
      rec->specific_deployment = true;
      rec->tag_decision = false;  // no tag filter ran: tag_result and eligible stay null
      rec->tags_used = in_.tags().list;
      rec->after_cooldown = names(eligible);
    }
  } else {
    const Bits* healthy = &cooldowns_.healthy(target.group, healthy_);
    if (rec) rec->after_cooldown = names(*healthy);
    bool cooldown_shrunk = cooldowns_.any_cooled() && healthy->count() < index_.members[target.group].count();
    bool order_first = has(dev_, Deviation::OrderBeforeTagFilter);
    if (order_first && config.router.enable_pre_call_checks && index_.any_order) {  // without any order: no copy
      if (healthy != &healthy_) healthy_ = *healthy;  // the next line edits it: never the group's own set
      keep_lowest_ranked(healthy_);
      healthy = &healthy_;
    }
    const std::vector<std::string>& tags = query_.tags;
    if (rec) {
      rec->tags_used = tags;
      const auto& sources = in_.tags().sources;
      for (const std::string& t : tags) {
        auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.first == t; });
        rec->tag_sources[t] = it != sources.end() ? it->second : "post-pick write (5.5)";
      }
    }
    // Under a leak mutant the tags change after every pick: their matches are found again.
    if (leaking_) tag_matches(index_, tags, match_any(config, dev_), leaked_matches_);
    query_.cooldown_shrunk = cooldown_shrunk;
    if (latest())
      filter_tags_latest(config, index_, target.group, *healthy, query_, in_.inherited_tags, decision);
    else
      filter_tags_182(config, index_, target.group, *healthy, query_, decision);
    if (decision.kind == TagDecision::Kind::Denied) {
      if (rec) rec->outcome = "TAG_DENIED";
      denials_.push_back(Denial{*target.name, tags});
      error = RouterError::tag_denied(static_cast<int>(denials_.size()) - 1);
      return -1;
    }
    // Eligible or NoDeployments (whose set is empty) from here on.
    if (target.order_tier) {
      Bits tier;  // latest §7.8: exactly the order tier this fallback hop targets
      eligible.for_each([&](int i) {
        if (index_.order_rank[i] == *target.order_tier) tier.set(i);
      });
      eligible = tier;
    } else if (!order_first) {
      keep_lowest_order(eligible);
    }
    if (rec) rec->tag_result = names(eligible);
    if (eligible.empty()) {
      if (rec) rec->outcome = "NO_DEPLOYMENTS";
      error = RouterError::no_deployments();
      return -1;
    }
    if (rec) rec->eligible = names(eligible);
  }

  int pick = eligible.single() ? eligible.first() : eligible.nth(chooser_.choose(eligible.count()));
  const Deployment& d = config.deployments[pick];
  last_picked_ = pick;
  if (rec) rec->picked = d.id;
  record_post_pick_writes(pick);
  const bool ok = call(pick, error);
  if (rec) {
    rec = last_record();
    rec->outcome = ok ? "ok" : error.upstream.to_string();
  }
  return ok ? pick : -1;
}

[[gnu::always_inline]] inline bool Simulation::call(int index, RouterError& error) {
  const Config& config = config_;
  const Deployment& d = config.deployments[index];
  // A timed-out call waits the deployment's timeout (else the router's, else 600 s) before it fails.
  auto add_waiting = [&](const UpstreamOutcome& a) {
    if (a.kind == UpstreamOutcome::Kind::Timeout) outcome_.max_duration_s += d.timeout.value_or(config.router.timeout.value_or(600));
  };
  const UpstreamOutcome* answer = nullptr;  // read in place: the fault plan's entry, or a mock's
  // A body mock_response needs key/team metadata (a database) in latest: without one it is ignored.
  const std::optional<std::string>& mock =
      in_.request.mock_response && !latest() ? in_.request.mock_response : d.mock_response;
  if (mock) {
    answer = &mock_outcome(*mock);
  } else {
    // 1.82.3 hands a per-deployment num_retries to the OpenAI SDK (point 12): one router attempt is up to
    // 1 + N calls to the deployment, each taking the fault plan's next entry; the last answer counts.
    const int sdk_retries = sdk_max_retries(config, options_.profile, index);
    const std::vector<UpstreamOutcome>* queue = faults_[static_cast<std::size_t>(index)];
    for (int k = 0;; ++k) {
      const auto call_index = static_cast<std::size_t>(calls_[index]++);
      answer = &FaultPlan::answer_from(queue, call_index);
      UpstreamCall& made = slot(outcome_.upstream_calls, calls_made_++, 4);  // 4: one allocation for most branches
      overwrite(made.deployment, d.id);
      overwrite(made.key, index_.key_identity[index]);
      if (k == sdk_retries || !sdk_retries_answer(*answer)) break;
      add_waiting(*answer);
      outcome_.max_duration_s += sdk_backoff_bound(*answer, k + 1);
    }
  }
  if (answer->kind == UpstreamOutcome::Kind::Ok) {
    cooldowns_.on_success(index);
    return true;
  }
  add_waiting(*answer);
  error.set_upstream(*answer, index);
  cooldowns_.on_failure(index, error);
  return false;
}

}  // namespace routecheck
