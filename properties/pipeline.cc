#include "pipeline.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "trace_view.h"

namespace routecheck::properties {

using nlohmann::json;
using Ids = std::vector<std::string>;

namespace {

std::set<std::string> as_set(const Ids& v) { return {v.begin(), v.end()}; }

bool subset(const Ids& a, const Ids& b) {
  std::set<std::string> bs = as_set(b);
  return std::all_of(a.begin(), a.end(), [&](const std::string& x) { return bs.count(x) > 0; });
}

// §4.1 tag_match.
bool tag_match(const Ids& dtags, const Ids& rtags, bool any) {
  if (rtags.empty()) return false;
  auto carried = [&](const std::string& t) { return std::find(dtags.begin(), dtags.end(), t) != dtags.end(); };
  return any ? std::any_of(rtags.begin(), rtags.end(), carried) : std::all_of(rtags.begin(), rtags.end(), carried);
}

std::string show(const Ids& v) { return json(v).dump(); }

}  // namespace

PropertyResult check_eligibility(const Scenario& s, const RouteResult& r, const Oracle&) {
  const Config& c = s.config;
  for (const Outcome& o : r.outcomes) {
    for (const AttemptRecord& rec : o.trace) {
      // §5.2: a specific-deployment attempt runs no filter (its eligible set is null) and uses that deployment.
      if (rec.specific_deployment && !rec.picked.empty() && rec.picked != rec.group)
        return PropertyResult::violated(where(rec) + ": the request names deployment " + rec.group + " but " +
                                        rec.picked + " was picked");
      if (!rec.specific_deployment && !rec.picked.empty() && (!rec.eligible || !subset({rec.picked}, *rec.eligible)))
        return PropertyResult::violated(where(rec) + ": picked " + rec.picked + " outside the eligible set");
      if (!rec.tag_decision || rec.specific_deployment) continue;
      const ModelGroup* g = c.find_group(rec.group);
      if (!g) return PropertyResult::violated(where(rec) + ": no such model group");
      Ids members;
      bool regex = false;
      for (int i : g->members) members.push_back(c.deployments[i].id), regex = regex || !c.deployments[i].tag_regex.empty();
      if (!subset(rec.after_cooldown, members))
        return PropertyResult::violated(where(rec) + ": after_cooldown " + show(rec.after_cooldown) + " is not within the group");
      if (rec.tag_result && !subset(*rec.tag_result, rec.after_cooldown))
        return PropertyResult::violated(where(rec) + ": tag result " + show(*rec.tag_result) + " is not within after_cooldown");
      if (rec.eligible && rec.tag_result && !subset(*rec.eligible, *rec.tag_result))
        return PropertyResult::violated(where(rec) + ": eligible set is not within the tag result");
      if (regex) continue;
      // What §4.1–4.2 give for the survivors of cooldown and the tags this decision used.
      const Ids& after = rec.after_cooldown;
      const Ids& T = rec.tags_used;
      Ids expected, matched, defaults;
      for (const std::string& id : after) {
        const Deployment& d = c.deployments[c.find_deployment(id)];
        if (!d.tags.empty() && tag_match(d.tags, T, c.router.tag_filtering_match_any)) matched.push_back(id);
        if (d.has_tag("default")) defaults.push_back(id);
      }
      bool deny = false;
      if (!c.router.enable_tag_filtering) expected = after;
      else if (after.empty()) expected = {};
      else if (T.empty()) expected = defaults.empty() ? after : defaults;
      else if (!matched.empty()) expected = matched;
      else if (!defaults.empty()) expected = defaults;
      else deny = true;
      if (deny) {
        // §4.2.2 item 5: a denial only cooldowns caused is a no-deployments error instead.
        bool cooldown_caused = after.size() < members.size() && rec.tag_result && rec.tag_result->empty();
        if (rec.outcome != "TAG_DENIED" && !cooldown_caused)
          return PropertyResult::violated(where(rec) + ": tags " + show(T) + " match no deployment of " + show(after) +
                                          " and none is a default, so the decision must deny; it gave " +
                                          (rec.tag_result ? show(*rec.tag_result) : rec.outcome));
        continue;
      }
      if (!rec.tag_result)
        return PropertyResult::violated(where(rec) + ": denied tags " + show(T) + " although " + show(expected) +
                                        " are eligible by §4.1");
      // §5.1 step 6 (and the 1.82 SHOULD): the lowest `order` among the tag-eligible deployments.
      auto rank = [&](const std::string& id) { return c.deployments[c.find_deployment(id)].order.value_or(1 << 30); };
      if (!expected.empty()) {
        int best = rank(*std::min_element(expected.begin(), expected.end(),
                                          [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); }));
        Ids lowest;
        for (const std::string& id : expected)
          if (rank(id) == best) lowest.push_back(id);
        expected = lowest;
      }
      if (as_set(*rec.tag_result) != as_set(expected))
        return PropertyResult::violated(where(rec) + ": tag filter gave " + show(*rec.tag_result) + " for tags " + show(T) +
                                        (c.router.tag_filtering_match_any ? " (match any)" : " (match all)") + " over " +
                                        show(after) + "; §4.1 gives " + show(expected));
    }
    if (o.served_by) {
      auto it = std::find_if(o.trace.rbegin(), o.trace.rend(), [](const AttemptRecord& a) { return a.outcome == "ok"; });
      if (it == o.trace.rend() || it->picked != *o.served_by)
        return PropertyResult::violated("served by " + *o.served_by + " but no successful attempt picked it");
    }
  }
  return PropertyResult::holds();
}

PropertyResult check_retry_discipline(const Scenario& s, const RouteResult& r, const Oracle&) {
  const Config& c = s.config;
  std::optional<int> budget = uniform_retry_budget(s);
  // A retry policy that counts an error class replaces the retryability rules for it (§6.1).
  bool policies = c.router.retry_policy || !c.router.model_group_retry_policy.empty();
  for (const Outcome& o : r.outcomes) {
    for (const HopView& h : hops_of(o)) {
      const ModelGroup* g = c.find_group(h.group);
      std::size_t size = g ? g->members.size() : 1;
      for (std::size_t i = 0; i < h.records.size(); ++i) {
        const AttemptRecord& rec = *h.records[i];
        if (rec.attempt != static_cast<int>(i))
          return PropertyResult::violated(where(rec) + ": attempt numbers of the hop are not 0, 1, 2, ...");
        if (!policies && i + 1 < h.records.size() && !retryable(rec.outcome, size, c))
          return PropertyResult::violated(where(rec) + ": retried after " + rec.outcome + ", which §6.2 never retries");
      }
      if (!budget) continue;
      if (h.records.size() > static_cast<std::size_t>(1 + *budget))
        return PropertyResult::violated("hop " + std::to_string(h.hop) + " made " + std::to_string(h.records.size()) +
                                        " attempts with num_retries " + std::to_string(*budget));
      const AttemptRecord& last = h.last();
      bool mock_switch = last.outcome.rfind("mock_testing:", 0) == 0;
      // A hop on a deployment id has no group of that name and so no healthy deployments: rule 6.2g
      // ends it after its first attempt (confirmed on 1.82.3).
      bool by_id = last.specific_deployment;
      if (c.router.disable_cooldowns && !mock_switch && !by_id && last.attempt < *budget &&
          retryable(last.outcome, size, c))
        return PropertyResult::violated(where(last) + ": the hop stopped after " + last.outcome +
                                        ", which §6.2 retries, with " + std::to_string(*budget - last.attempt) +
                                        " of num_retries " + std::to_string(*budget) + " left (every hop gets the full budget, §6.1)");
    }
  }
  return PropertyResult::holds();
}

PropertyResult check_fallback_walk(const Scenario& s, const RouteResult& r, const Oracle&) {
  const Config& c = s.config;
  const int cap = c.router.max_fallbacks;
  const std::string model = s.request.body["model"].get<std::string>();
  bool client_list = s.request.body.contains("fallbacks");
  for (const Outcome& o : r.outcomes) {
    std::vector<HopView> hops = hops_of(o);
    if (hops.empty()) continue;
    bool known = c.find_group(model) || c.find_deployment(model) >= 0;  // latest: default_fallbacks serve unknown names
    if (known && (hops[0].depth != 0 || hops[0].group != model))
      return PropertyResult::violated("hop 0 routes " + hops[0].group + " at depth " + std::to_string(hops[0].depth) +
                                      "; the request names " + model);
    for (std::size_t i = 0; i < hops.size(); ++i) {
      const HopView& h = hops[i];
      if (i > 0 && h.depth < 1)
        return PropertyResult::violated("fallback hop " + std::to_string(h.hop) + " has depth " + std::to_string(h.depth));
      const AttemptRecord& last = h.last();
      if (!last.fallback) continue;
      const FallbackDecision& f = *last.fallback;
      // §7.3 branches 3-4: an error with its own non-empty list uses that list or none, never the generic one.
      if (!client_list) {
        if (last.outcome == "context_window" && !c.router.context_window_fallbacks.empty() &&
            f.chain.rfind("context_window:", 0) != 0 && f.chain != "none")
          return PropertyResult::violated(where(last) + ": a context-window error took chain " + f.chain);
        if (last.outcome == "content_policy" && !c.router.content_policy_fallbacks.empty() &&
            f.chain.rfind("content_policy:", 0) != 0 && f.chain != "none")
          return PropertyResult::violated(where(last) + ": a content-policy error took chain " + f.chain);
      }
      if (f.next == "none") continue;
      if (f.next.find(" (order ") != std::string::npos) continue;  // latest: an order tier of the same group
      if (h.depth >= cap)
        return PropertyResult::violated(where(last) + ": a hop at depth " + std::to_string(h.depth) +
                                        " starts a walk (to " + f.next + ") although max_fallbacks is " + std::to_string(cap));
      if (f.next == h.group)
        return PropertyResult::violated(where(last) + ": the walk re-enters the failing group " + h.group);
      if (s.profile == Profile::Litellm182 &&
          (i + 1 >= hops.size() || hops[i + 1].group != f.next || hops[i + 1].depth != h.depth + 1))
        return PropertyResult::violated(where(last) + ": the walk names " + f.next + " next, but the next hop is " +
                                        (i + 1 < hops.size() ? hops[i + 1].group + " at depth " + std::to_string(hops[i + 1].depth)
                                                             : std::string("missing")));
    }
  }
  return PropertyResult::holds();
}

}  // namespace routecheck::properties
