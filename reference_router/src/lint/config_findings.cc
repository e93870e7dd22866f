// Findings read off the config's structure: fallback graph, tag layout, settings the profile ignores.
#include <algorithm>
#include <functional>
#include <set>

#include "lint/findings.h"

namespace routecheck::lint {
namespace {

// The generic fallback targets of `group` (§7.4: exact key, provider-stripped key, then "*").
const FallbackRule* generic_rule(const Config& c, const std::string& group) {
  auto find = [&](const std::string& key) -> const FallbackRule* {
    for (const FallbackRule& r : c.router.fallbacks)
      if (r.key == key) return &r;
    return nullptr;
  };
  if (const FallbackRule* r = find(group)) return r;
  auto slash = group.find('/');
  if (slash != std::string::npos)
    if (const FallbackRule* r = find(group.substr(slash + 1))) return r;
  return find("*");
}

std::vector<std::string> generic_targets(const Config& c, const std::string& group) {
  std::vector<std::string> out;
  if (const FallbackRule* r = generic_rule(c, group)) out = r->targets;
  else if (!c.router.default_fallbacks.empty()) out = c.router.default_fallbacks;
  return out;
}

std::string rule_path(const Config& c, const std::string& key) {
  for (std::size_t i = 0; i < c.router.fallbacks.size(); ++i)
    if (c.router.fallbacks[i].key == key) return "router_settings.fallbacks[" + std::to_string(i) + "]";
  return "router_settings.fallbacks";
}

std::string arrow(const std::vector<std::string>& path) {
  std::string s;
  for (const std::string& g : path) s += (s.empty() ? "" : " → ") + g;
  return s;
}

}  // namespace

void fallback_graph_findings(const Config& c, Profile profile, std::vector<Finding>& out) {
  // Cycles: each reported once, starting at its first group in config order.
  std::set<std::string> reported;
  for (const ModelGroup& start : c.groups) {
    std::vector<std::string> path = {start.name};
    std::function<void(const std::string&)> visit = [&](const std::string& g) {
      for (const std::string& t : generic_targets(c, g)) {
        if (t == g) continue;  // the failing group itself is skipped (§7.5)
        auto at = std::find(path.begin(), path.end(), t);
        if (at != path.end()) {
          std::vector<std::string> cycle(at, path.end());
          std::vector<std::string> key = cycle;
          std::sort(key.begin(), key.end());
          std::string id = arrow(key);
          if (reported.insert(id).second) {
            cycle.push_back(t);
            out.push_back({Finding::Severity::Warning, "fallback-cycle", rule_path(c, cycle.front()),
                           "fallback cycle " + arrow(cycle) + ": " +
                               (profile == Profile::Litellm182
                                    ? "1.82 revisits groups, re-running their retries, until max_fallbacks (" +
                                          std::to_string(c.router.max_fallbacks) + ") stops the walk"
                                    : "latest skips groups already attempted, so the cycle only wastes a lookup"),
                           std::nullopt, "break the cycle: fall back only to groups closer to a last resort"});
          }
          continue;
        }
        if (path.size() > 16) continue;
        path.push_back(t);
        visit(t);
        path.pop_back();
      }
    };
    visit(start.name);
  }
  // max_fallbacks cutting a configured chain: a simple path deeper than the cap.
  int cap = c.router.max_fallbacks;
  for (const ModelGroup& start : c.groups) {
    std::vector<std::string> path = {start.name}, longest = path;
    std::function<void(const std::string&)> deepen = [&](const std::string& g) {
      if (path.size() > longest.size()) longest = path;
      if (path.size() > 16) return;
      for (const std::string& t : generic_targets(c, g)) {
        if (std::find(path.begin(), path.end(), t) != path.end()) continue;
        path.push_back(t);
        deepen(t);
        path.pop_back();
      }
    };
    deepen(start.name);
    int depth = static_cast<int>(longest.size()) - 1;
    if (depth > cap && cap > 0) {
      out.push_back({Finding::Severity::Warning, "max-fallbacks-cuts-chain", "router_settings.max_fallbacks",
                     "max_fallbacks " + std::to_string(cap) + " stops the chain " + arrow(longest) + " at depth " +
                         std::to_string(cap) + ": the last " + std::to_string(depth - cap) +
                         " group(s) start no walk of their own",
                     std::nullopt, "raise max_fallbacks to " + std::to_string(depth) + " or shorten the chain"});
    }
  }
  // Context-window and content-policy keys only ever match a group name exactly (§7.3).
  const std::pair<const char*, const FallbackList*> lists[] = {
      {"context_window_fallbacks", &c.router.context_window_fallbacks},
      {"content_policy_fallbacks", &c.router.content_policy_fallbacks}};
  for (const auto& [name, list] : lists)
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string& key = (*list)[i].key;
      if (c.find_group(key)) continue;
      out.push_back({Finding::Severity::Warning, "dead-fallback-key",
                     std::string("router_settings.") + name + "[" + std::to_string(i) + "]",
                     std::string("key '") + key + "' never matches: " + name +
                         " are looked up by the exact group name (no '*', no provider prefix stripping)",
                     std::nullopt, "use the exact model_name of the group"});
    }
}

void tag_layout_findings(const Config& c, Profile profile, std::vector<Finding>& out) {
  if (!c.router.enable_tag_filtering) return;
  for (const ModelGroup& g : c.groups) {
    std::vector<std::string> tagged, untagged_plain;
    bool has_default = false;
    for (int i : g.members) {
      const Deployment& d = c.deployments[i];
      if (d.has_tag("default")) has_default = true;
      if (!d.tags.empty() && !d.has_tag("default")) tagged.push_back(d.id);
      if (d.tags.empty()) untagged_plain.push_back(d.id);
    }
    std::string path = "model_list[" + std::to_string(g.members.front()) + "]";
    if (!has_default && !tagged.empty()) {
      std::string ids;
      for (const std::string& id : tagged) ids += (ids.empty() ? "" : ", ") + id;
      out.push_back({Finding::Severity::Warning, "no-default-deployment", path,
                     "group '" + g.name + "' has no 'default' deployment: requests without tags may use its tagged "
                     "deployments (" + ids + ") (untagged rule, §4.1)",
                     std::nullopt, "tag the deployments meant for untagged traffic with 'default'"});
    }
    if (has_default)
      for (const std::string& id : untagged_plain)
        out.push_back({Finding::Severity::Warning, "unreachable-deployment",
                       "model_list[" + std::to_string(c.find_deployment(id)) + "].litellm_params.tags",
                       "deployment '" + id + "' has no tags in a group with 'default' deployments: no request "
                       "reaches it by routing (only by naming its id)",
                       std::nullopt, "give it tags, or 'default'"});
  }
  (void)profile;
}

void ignored_key_findings(const Config& c, Profile profile, std::vector<Finding>& out) {
  for (const std::string& key : c.ignored_keys)
    out.push_back({Finding::Severity::Info, "ignored-setting", key,
                   to_string(profile) + " does not read '" + key + "': it has no effect on routing", std::nullopt, ""});
}

}  // namespace routecheck::lint
