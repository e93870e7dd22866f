#include "tag_filter.h"

#include <algorithm>
#include <regex>

namespace routecheck {

bool tag_match(const std::vector<std::string>& dtags, const std::vector<std::string>& rtags, bool match_any) {
  if (rtags.empty()) return false;
  auto carried = [&](const std::string& t) { return std::find(dtags.begin(), dtags.end(), t) != dtags.end(); };
  return match_any ? std::any_of(rtags.begin(), rtags.end(), carried)
                   : std::all_of(rtags.begin(), rtags.end(), carried);
}

namespace {

// A pattern hit with Python's re.search semantics approximated by ECMAScript search; bad patterns are skipped.
bool regex_hit(const Deployment& d, const std::string& header_line) {
  for (const std::string& pattern : d.tag_regex) {
    try {
      if (std::regex_search(header_line, std::regex(pattern))) return true;
    } catch (const std::regex_error&) {
    }
  }
  return false;
}

// Confirmed on 1.82.3 (docs/confirmed-semantics.md, point 1): with match-all, a deployment whose plain
// tags fail the subset check for a tagged request is not rescued by its tag_regex.
bool strict_tags_failed(const Deployment& d, const TagQuery& q, bool match_any) {
  return !match_any && !d.tags.empty() && !q.tags.empty();
}

// The tagged/untagged branches of §4.2.1 over `pool`; empty result means "deny".
std::vector<int> apply_rule(const Config& config, const std::vector<int>& pool, const TagQuery& q, bool& tagged) {
  bool match_any = config.router.tag_filtering_match_any || has(q.dev, Deviation::MatchAllAsAny);
  bool regex_on = q.options.tag_regex_present();
  std::string header_line = q.user_agent.empty() ? "" : "User-Agent: " + q.user_agent;
  bool regex_present = regex_on && std::any_of(pool.begin(), pool.end(), [&](int i) {
                         return !config.deployments[i].tag_regex.empty();
                       });
  tagged = !q.tags.empty() || (!header_line.empty() && regex_present);
  std::vector<int> matched, defaults;
  for (int i : pool) {
    const Deployment& d = config.deployments[i];
    if (tagged) {
      if (!d.tags.empty() && !q.tags.empty() && tag_match(d.tags, q.tags, match_any)) {
        matched.push_back(i);
      } else if (regex_on && !d.tag_regex.empty() && !header_line.empty() &&
                 !(strict_tags_failed(d, q, match_any)) && regex_hit(d, header_line)) {
        matched.push_back(i);
      }
    }
    if (d.has_tag("default")) defaults.push_back(i);
  }
  if (!tagged) return defaults.empty() ? pool : defaults;  // untagged rule
  if (matched.empty()) return defaults;                    // default rule
  if (has(q.dev, Deviation::DefaultsBesideMatches)) {
    for (int i : defaults)
      if (std::find(matched.begin(), matched.end(), i) == matched.end()) matched.push_back(i);
    std::sort(matched.begin(), matched.end());
  }
  return matched;
}

}  // namespace

TagDecision filter_tags_182(const Config& config, const ModelGroup& group, const std::vector<int>& healthy,
                            const TagQuery& q) {
  if (!config.router.enable_tag_filtering) return {TagDecision::Kind::Eligible, healthy};
  if (healthy.empty()) {
    // §4.2.2 item 4: an empty healthy set is a no-deployments error, never a denial (unverified-7: the
    // 1.82 code may still evaluate the tagged branch and deny).
    if (!q.tags.empty() && has(q.dev, Deviation::EmptyHealthyDenies)) return {TagDecision::Kind::Denied, {}};
    return {TagDecision::Kind::Eligible, {}};
  }
  bool tagged = false;
  std::vector<int> result = apply_rule(config, healthy, q, tagged);
  if (!result.empty()) return {TagDecision::Kind::Eligible, result};
  // §4.2.2 item 5 (SHOULD): a denial that only cooldowns caused is a no-deployments error.
  if (!has(q.dev, Deviation::CooldownDenialIs401) && healthy.size() < group.members.size()) {
    bool unused = false;
    if (!apply_rule(config, group.members, q, unused).empty()) return {TagDecision::Kind::NoDeployments, {}};
  }
  return {TagDecision::Kind::Denied, {}};
}

}  // namespace routecheck
