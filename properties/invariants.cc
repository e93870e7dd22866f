#include "invariants.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "trace_view.h"

namespace routecheck::properties {

using nlohmann::json;

PropertyResult check_routing_tags_fixed(const Scenario& s, const RouteResult& r, const Oracle&) {
  for (const Outcome& o : r.outcomes) {
    std::optional<std::vector<std::string>> rt = first_tags_used(o);
    if (!rt) continue;
    for (const AttemptRecord& rec : o.trace) {
      if (!rec.tag_decision) continue;
      if (rec.tags_used != *rt)
        return PropertyResult::violated(where(rec) + ": tags_used " + json(rec.tags_used).dump() +
                                        " differ from the first tag decision's " + json(*rt).dump());
      for (const auto& [tag, source] : rec.tag_sources)
        if (source.find("post-pick") != std::string::npos)
          return PropertyResult::violated(where(rec) + ": tag '" + tag + "' comes from " + source);
    }
  }
  return PropertyResult::holds();
}

PropertyResult check_observability_inert(const Scenario& s, const RouteResult& r, const Oracle&) {
  std::set<std::string> caller = caller_tag_strings(s);
  for (const Outcome& o : r.outcomes) {
    for (const AttemptRecord& rec : o.trace) {
      if (!rec.tag_decision) continue;
      for (const std::string& t : rec.tags_used)
        if (!caller.count(t))
          return PropertyResult::violated(where(rec) + ": the tag decision used '" + t +
                                          "', which the caller never sent (observability tags " +
                                          json(o.observability_tags).dump() + ")");
    }
    if (o.denial)
      for (const std::string& t : o.denial->tags)
        if (!caller.count(t))
          return PropertyResult::violated("the final " + std::to_string(o.status) + " denial names tag '" + t +
                                          "', which the caller never sent");
  }
  return PropertyResult::holds();
}

PropertyResult check_status_honesty(const Scenario& s, const RouteResult& r, const Oracle&) {
  for (const Outcome& o : r.outcomes) {
    if (o.error_class != "tag_denied") continue;
    if (o.status != 401) return PropertyResult::violated("error class tag_denied with status " + std::to_string(o.status));
    if (!o.denial) return PropertyResult::violated("a tag-denial 401 without the denial it reports");
    std::optional<std::vector<std::string>> rt = first_tags_used(o);
    bool found = std::any_of(o.trace.begin(), o.trace.end(), [&](const AttemptRecord& rec) {
      return rec.outcome == "TAG_DENIED" && rec.group == o.denial->group && rec.tags_used == o.denial->tags &&
             rt && rec.tags_used == *rt;
    });
    if (!found)
      return PropertyResult::violated("401 denial (group " + o.denial->group + ", tags " + json(o.denial->tags).dump() +
                                      ") matches no TAG_DENIED decision made with RT(R) = " +
                                      (rt ? json(*rt).dump() : std::string("?")));
  }
  return PropertyResult::holds();
}

namespace {

// The longest chain any walk can take: fallback lists, default_fallbacks, a client-side list.
std::size_t longest_chain(const Scenario& s) {
  const RouterSettings& r = s.config.router;
  std::size_t longest = r.default_fallbacks.size();
  for (const FallbackList* list : {&r.fallbacks, &r.context_window_fallbacks, &r.content_policy_fallbacks})
    for (const FallbackRule& rule : *list) longest = std::max(longest, rule.targets.size());
  const json& body = s.request.body;
  if (body.contains("fallbacks") && body["fallbacks"].is_array()) {
    longest = std::max(longest, body["fallbacks"].size());
    for (const json& e : body["fallbacks"])
      if (e.is_object())
        for (auto it = e.begin(); it != e.end(); ++it)
          if (it.value().is_array()) longest = std::max(longest, it.value().size());
  }
  // latest §7.8: an order-based walk first takes the failing group's higher `order` tiers.
  if (s.profile == Profile::LitellmLatest) {
    std::size_t tiers = 0;
    for (const ModelGroup& g : s.config.groups) {
      std::set<int> orders;
      for (int i : g.members) orders.insert(s.config.deployments[i].order.value_or(1 << 30));
      tiers = std::max(tiers, orders.size() - 1);
    }
    longest += tiers;
  }
  return longest;
}

// Hops a walk can run from a hop at depth d (§7.5): itself, plus, below the cap, each chain entry's.
double hop_bound(int d, int cap, std::size_t chain, std::map<int, double>& memo) {
  if (auto it = memo.find(d); it != memo.end()) return it->second;
  double n = 1;
  if (d < cap)
    for (std::size_t i = 1; i <= chain; ++i) n += hop_bound(d + static_cast<int>(i), cap, chain, memo);
  return memo[d] = std::min(n, 1e12);
}

std::string class_of_attempt(const std::string& outcome) {
  std::string s = outcome;
  if (s.rfind("mock_testing:", 0) == 0) s = s.substr(13);
  if (s == "refused") return "connection";
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) return "upstream:" + s.substr(0, 3);
  return s;
}

// Calls the OpenAI SDK may make inside one router attempt on `deployment` beyond the first: 1.82.3 hands
// a per-deployment litellm_params.num_retries to the SDK (point 12, confirmed live); latest makes none.
int sdk_retries(const Scenario& s, const std::string& deployment) {
  if (s.profile != Profile::Litellm182) return 0;
  int i = s.config.find_deployment(deployment);
  return i >= 0 ? s.config.deployments[i].num_retries.value_or(0) : 0;
}

// §6.5 with the SDK retries above: the calls are, in order, one run per non-silent attempt, of 1 to
// 1 + sdk_retries calls to the picked deployment. Consecutive attempts on one deployment merge into one
// run of calls, so both sides are compared run by run. "" when they fit, else what is wrong.
std::string calls_fit_attempts(const Scenario& s, const Outcome& o) {
  struct Run {
    std::string deployment;
    std::size_t min = 0, max = 0;
  };
  std::vector<Run> picks;
  for (const AttemptRecord& a : o.trace) {
    if (a.picked.empty()) continue;
    if (picks.empty() || picks.back().deployment != a.picked) picks.push_back(Run{a.picked, 0, 0});
    picks.back().min += 1;
    picks.back().max += 1 + static_cast<std::size_t>(sdk_retries(s, a.picked));
  }
  std::vector<std::pair<std::string, std::size_t>> calls;
  for (const UpstreamCall& c : o.upstream_calls) {
    if (calls.empty() || calls.back().first != c.deployment) calls.emplace_back(c.deployment, 0);
    ++calls.back().second;
  }
  std::size_t attempts = std::count_if(o.trace.begin(), o.trace.end(), [](const AttemptRecord& a) { return !a.picked.empty(); });
  std::string counts = std::to_string(attempts) + " attempts picked a deployment and " +
                       std::to_string(o.upstream_calls.size()) + " upstream calls were made";
  if (picks.size() != calls.size()) return counts + ", in a different order (§6.5)";
  for (std::size_t i = 0; i < picks.size(); ++i) {
    if (picks[i].deployment != calls[i].first) return counts + ", in a different order (§6.5)";
    if (calls[i].second < picks[i].min || calls[i].second > picks[i].max)
      return counts + ": " + std::to_string(calls[i].second) + " consecutive calls to " + picks[i].deployment +
             " for " + std::to_string(picks[i].min) + " attempts, outside 1 to 1 + its SDK retries each (§6.5)";
  }
  return "";
}

}  // namespace

PropertyResult check_termination(const Scenario& s, const RouteResult& r, const Oracle&) {
  bool mocked = s.request.body.contains("mock_response") ||
                std::any_of(s.config.deployments.begin(), s.config.deployments.end(),
                            [](const Deployment& d) { return d.mock_response.has_value(); });
  std::optional<int> budget = uniform_retry_budget(s);
  std::map<int, double> memo;
  double max_hops = hop_bound(0, s.config.router.max_fallbacks, longest_chain(s), memo);
  for (const Outcome& o : r.outcomes) {
    if (!mocked)
      if (std::string wrong = calls_fit_attempts(s, o); !wrong.empty()) return PropertyResult::violated(wrong);
    std::vector<HopView> hops = hops_of(o);
    if (static_cast<double>(hops.size()) > max_hops)
      return PropertyResult::violated(std::to_string(hops.size()) + " hops, more than the " + std::to_string(max_hops) +
                                      " the walk of §7.5 allows with max_fallbacks " +
                                      std::to_string(s.config.router.max_fallbacks));
    if (budget)
      for (const HopView& h : hops)
        if (h.records.size() > static_cast<std::size_t>(1 + *budget))
          return PropertyResult::violated("hop " + std::to_string(h.hop) + " (" + h.group + ") made " +
                                          std::to_string(h.records.size()) + " attempts; num_retries is " +
                                          std::to_string(*budget));
  }
  return PropertyResult::holds();
}

PropertyResult check_status_from_primary(const Scenario& s, const RouteResult& r, const Oracle&) {
  for (const Outcome& o : r.outcomes) {
    if (o.status == 200) continue;
    static const std::set<std::string> rewritten = {"tag_denied", "no_deployments", "unknown_model", "mock_testing_refused"};
    if (rewritten.count(o.error_class)) continue;
    std::vector<HopView> hops = hops_of(o);
    if (hops.empty()) continue;
    const AttemptRecord& last = hops.front().last();
    std::optional<int> status = status_of_attempt(last.outcome);
    if (!status)
      return PropertyResult::violated("hop 0 ended with " + last.outcome + " but the request ended as " +
                                      o.error_class + " " + std::to_string(o.status));
    if (o.status != *status || o.error_class != class_of_attempt(last.outcome))
      return PropertyResult::violated("the requested group's latest error is " + last.outcome + " (" +
                                      std::to_string(*status) + ") but the request ended with " +
                                      std::to_string(o.status) + " " + o.error_class);
  }
  return PropertyResult::holds();
}

}  // namespace routecheck::properties
