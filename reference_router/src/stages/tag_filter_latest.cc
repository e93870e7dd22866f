// The litellm-latest tag filter (semantics §4.3). Kept apart from the 1.82 filter: the two profiles
// share only tag_match and the untagged rule.
#include <algorithm>
#include <set>

#include "ingress.h"
#include "tag_filter.h"

namespace routecheck {
namespace {

using TagSet = std::set<std::string>;

bool carries(const Deployment& d, const std::string& t) { return d.has_tag(t); }
bool carries_all(const Deployment& d, const TagSet& s) {
  return std::all_of(s.begin(), s.end(), [&](const std::string& t) { return carries(d, t); });
}
bool carries_any(const Deployment& d, const TagSet& s) {
  return std::any_of(s.begin(), s.end(), [&](const std::string& t) { return carries(d, t); });
}

// §4.3.2: the request's tags split into positive, required (&x) and excluded (!x), after the prefix.
struct ParsedTags {
  std::vector<std::string> positive;
  TagSet required, excluded, confirmed;
};

std::string bare(const std::string& t) {
  return (!t.empty() && (t[0] == '&' || t[0] == '!')) ? t.substr(1) : t;
}

ParsedTags parse(const std::vector<std::string>& tags, const std::string& prefix, bool unprefixed_inert) {
  ParsedTags out;
  for (const std::string& raw : tags) {
    std::string t = raw;
    bool prefixed = !prefix.empty() && t.rfind(prefix, 0) == 0;
    if (prefixed) {
      t = t.substr(prefix.size());
      out.confirmed.insert(bare(t));
    } else if (!prefix.empty() && unprefixed_inert) {
      continue;  // profile option unprefixed-tags=inert
    }
    if (t.size() > 1 && t[0] == '&') out.required.insert(t.substr(1));
    else if (t.size() > 1 && t[0] == '!') out.excluded.insert(t.substr(1));
    else if (t != "&" && t != "!") out.positive.push_back(t);
  }
  return out;
}

std::vector<int> defaults_or_all(const Config& config, const std::vector<int>& pool) {
  std::vector<int> defaults;
  for (int i : pool)
    if (config.deployments[i].has_tag("default")) defaults.push_back(i);
  return defaults.empty() ? pool : defaults;
}

bool unprefixed_inert(const ProfileOptions& options) {
  auto it = options.values.find("unprefixed-tags");
  return it != options.values.end() && it->second == "inert";
}

// §4.3.1: the first non-null per-group flag over all configured deployments, else the router flag.
bool filtering_on(const Config& config, const ModelGroup& group) {
  for (int i : group.members)
    if (config.deployments[i].enable_tag_filtering) return *config.deployments[i].enable_tag_filtering;
  return config.router.enable_tag_filtering;
}

struct Evaluation {
  bool denied = false;
  std::vector<int> eligible;
};

Evaluation evaluate(const Config& config, const ConfigIndex& index, const ModelGroup& group,
                    const std::vector<int>& healthy, const TagQuery& q,
                    const std::optional<std::vector<std::string>>& inherited) {
  const std::string& prefix = config.router.tag_routing_prefix;
  bool inert = unprefixed_inert(q.options);
  ParsedTags p = parse(q.tags, prefix, inert);
  bool any = match_any(config, q.dev);
  const std::string& ua_line = q.user_agent_line;

  auto fail_open_or_deny = [&]() -> Evaluation {
    TagSet healthy_tags = p.confirmed;
    for (int i : healthy)
      for (const std::string& t : config.deployments[i].tags) healthy_tags.insert(t);
    TagSet known_req;
    for (const std::string& t : p.required)
      if (healthy_tags.count(t)) known_req.insert(t);
    bool hides = false;
    if (!known_req.empty() && known_req != p.required)
      for (int i : healthy)
        if (!carries_any(config.deployments[i], p.excluded) && carries_all(config.deployments[i], known_req)) hides = true;
    bool fail_open = std::any_of(healthy.begin(), healthy.end(), [&](int i) { return config.deployments[i].allow_fail_open; });
    if (!hides && fail_open) {
      ParsedTags inh = inherited ? parse(*inherited, prefix, inert) : ParsedTags{};
      TagSet keep_exc, keep_req;
      for (const std::string& t : inh.excluded)
        if (p.excluded.count(t)) keep_exc.insert(t);
      for (const std::string& t : inh.required)
        if (p.required.count(t)) keep_req.insert(t);
      std::vector<int> trusted;
      for (int i : healthy)
        if (!carries_any(config.deployments[i], keep_exc) && carries_all(config.deployments[i], keep_req)) trusted.push_back(i);
      if (!trusted.empty()) return {false, defaults_or_all(config, trusted)};
    }
    return {true, {}};
  };

  std::vector<int> allowed, candidates;
  for (int i : healthy)
    if (!carries_any(config.deployments[i], p.excluded)) allowed.push_back(i);
  for (int i : allowed)
    if (carries_all(config.deployments[i], p.required)) candidates.push_back(i);
  bool regex_in_candidates = std::any_of(candidates.begin(), candidates.end(),
                                         [&](int i) { return !config.deployments[i].tag_regex.empty(); });
  bool has_pos = !p.positive.empty() || (!ua_line.empty() && regex_in_candidates && p.required.empty() &&
                                         q.options.tag_regex_present());

  if ((!p.excluded.empty() || !p.required.empty()) && !has_pos) {
    std::vector<int> pool;
    if (!p.required.empty()) {
      pool = candidates;
    } else {
      for (int i : defaults_or_all(config, healthy))
        if (!carries_any(config.deployments[i], p.excluded)) pool.push_back(i);
    }
    return pool.empty() ? fail_open_or_deny() : Evaluation{false, pool};
  }
  if (has_pos) {
    std::vector<int> matched, dflt;
    for (int i : candidates) {
      const Deployment& d = config.deployments[i];
      bool by_tags = !d.tags.empty() && tag_match(d.tags, p.positive, any);
      bool by_regex = !ua_line.empty() && !d.tag_regex.empty() && (any || d.tags.empty()) && regex_hit(index, i, ua_line);
      if (by_tags || by_regex) matched.push_back(i);
      if (d.has_tag("default")) dflt.push_back(i);
    }
    if (matched.empty() && dflt.empty()) return fail_open_or_deny();
    if (matched.empty() && !p.positive.empty()) {
      bool known = std::any_of(p.positive.begin(), p.positive.end(), [&](const std::string& t) {
        if (p.confirmed.count(t)) return true;
        return std::any_of(group.members.begin(), group.members.end(),
                           [&](int i) { return carries(config.deployments[i], t); });
      });
      if (known) return fail_open_or_deny();
    }
    if (!matched.empty() && has(q.dev, Deviation::DefaultsBesideMatches)) {
      for (int i : dflt)
        if (std::find(matched.begin(), matched.end(), i) == matched.end()) matched.push_back(i);
      std::sort(matched.begin(), matched.end());
    }
    return {false, matched.empty() ? dflt : matched};
  }
  return {false, defaults_or_all(config, healthy)};  // untagged rule
}

TagDecision decide(const Config& config, const ConfigIndex& index, int group_index, const Bits& healthy_set,
                   const TagQuery& q, const std::optional<std::vector<std::string>>& inherited) {
  if (healthy_set.empty()) return {TagDecision::Kind::Eligible, {}};  // empty healthy: no-deployments later
  const ModelGroup& group = config.groups[group_index];
  if (!filtering_on(config, group)) return {TagDecision::Kind::Eligible, healthy_set};
  std::vector<int> healthy = healthy_set.to_vector();
  Evaluation e = evaluate(config, index, group, healthy, q, inherited);
  if (!e.denied) return {TagDecision::Kind::Eligible, Bits::of(e.eligible)};
  // §4.2.2 item 5 applies as a SHOULD: a denial only cooldowns caused is a no-deployments error.
  if (!has(q.dev, Deviation::CooldownDenialIs401) && q.cooldown_shrunk &&
      !evaluate(config, index, group, group.members, q, inherited).denied)
    return {TagDecision::Kind::NoDeployments, {}};
  return {TagDecision::Kind::Denied, {}};
}

}  // namespace

void filter_tags_latest(const Config& config, const ConfigIndex& index, int group, const Bits& healthy,
                        const TagQuery& q, const std::optional<std::vector<std::string>>& inherited,
                        TagDecision& out) {
  out = decide(config, index, group, healthy, q, inherited);
}

bool can_satisfy_confirmed_tags(const Config& config, const ModelGroup& group, const std::vector<std::string>& tags,
                                const ProfileOptions& options) {
  const std::string& prefix = config.router.tag_routing_prefix;
  if (prefix.empty()) return true;
  ParsedTags p = parse(tags, prefix, unprefixed_inert(options));
  TagSet confirmed_required, confirmed_positive;
  for (const std::string& t : p.required)
    if (p.confirmed.count(t)) confirmed_required.insert(t);
  for (const std::string& t : p.positive)
    if (p.confirmed.count(t)) confirmed_positive.insert(t);
  if (confirmed_required.empty() && confirmed_positive.empty()) return true;
  return std::any_of(group.members.begin(), group.members.end(), [&](int i) {
    const Deployment& d = config.deployments[i];
    return carries_all(d, confirmed_required) && (confirmed_positive.empty() || carries_any(d, confirmed_positive));
  });
}

}  // namespace routecheck
