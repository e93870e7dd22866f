#include "tag_filter.h"

#include <algorithm>

#include "ingress.h"

namespace routecheck {

bool tag_match(const std::vector<std::string>& dtags, const std::vector<std::string>& rtags, bool match_any) {
  if (rtags.empty()) return false;
  auto carried = [&](const std::string& t) { return std::find(dtags.begin(), dtags.end(), t) != dtags.end(); };
  return match_any ? std::any_of(rtags.begin(), rtags.end(), carried)
                   : std::all_of(rtags.begin(), rtags.end(), carried);
}

// A pattern hit with Python's re.search semantics approximated by ECMAScript search; bad patterns are skipped.
bool regex_hit(const ConfigIndex& index, int deployment, const std::string& line) {
  for (const std::optional<std::regex>& pattern : index.tag_regex[deployment])
    if (pattern && std::regex_search(line, *pattern)) return true;
  return false;
}

namespace {

// Confirmed on 1.82.3 (docs/confirmed-semantics.md, point 1): with match-all, a deployment whose plain
// tags fail the subset check for a tagged request is not rescued by its tag_regex.
bool strict_tags_failed(const Deployment& d, const TagQuery& q, bool match_any) {
  return !match_any && !d.tags.empty() && !q.tags.empty();
}

// The tagged/untagged branches of §4.2.1 over `pool`, written into `out`; empty means "deny". Inlined
// into each tag decision (its frame was a fifth of the decision's instructions).
[[gnu::always_inline]] inline void apply_rule(const Config& config, const ConfigIndex& index, const Bits& pool, const TagQuery& q,
                                              Bits& out) {
  const std::string& header_line = q.user_agent_line;
  // Patterns count only with a User-Agent line, a pool member that has some, and tag_regex present.
  bool regex_present = !header_line.empty() && pool.intersects(index.with_regex) && q.options.tag_regex_present();
  if (q.tags.empty() && !regex_present) {  // untagged rule
    out.assign_and(pool, index.defaults);
    if (out.empty()) out = pool;
    return;
  }
  out.assign_and(pool, q.matches);  // tag_match: the deployment's tags against the request's
  if (regex_present) {
    bool any = match_any(config, q.dev);
    (pool - out).for_each([&](int i) {
      if (!strict_tags_failed(config.deployments[i], q, any) && regex_hit(index, i, header_line)) out.set(i);
    });
  }
  if (out.empty()) {
    out.assign_and(pool, index.defaults);  // default rule
    return;
  }
  if (has(q.dev, Deviation::DefaultsBesideMatches)) out |= pool & index.defaults;
}

}  // namespace

void filter_tags_182(const Config& config, const ConfigIndex& index, int group, const Bits& healthy,
                     const TagQuery& q, TagDecision& out) {
  out.kind = TagDecision::Kind::Eligible;
  if (!config.router.enable_tag_filtering) {
    out.eligible = healthy;
    return;
  }
  if (healthy.empty()) {
    // §4.2.2 item 4: an empty healthy set is a no-deployments error, never a denial (unverified-7: the
    // 1.82 code may still evaluate the tagged branch and deny).
    out.eligible.clear();
    if (!q.tags.empty() && has(q.dev, Deviation::EmptyHealthyDenies)) out.kind = TagDecision::Kind::Denied;
    return;
  }
  apply_rule(config, index, healthy, q, out.eligible);
  if (!out.eligible.empty()) return;
  // §4.2.2 item 5 (SHOULD): a denial that only cooldowns caused is a no-deployments error.
  if (!has(q.dev, Deviation::CooldownDenialIs401) && q.cooldown_shrunk) {
    Bits whole_group;
    apply_rule(config, index, index.members[group], q, whole_group);
    if (!whole_group.empty()) {
      out.kind = TagDecision::Kind::NoDeployments;
      return;
    }
  }
  out.kind = TagDecision::Kind::Denied;
}

}  // namespace routecheck
