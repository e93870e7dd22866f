#include "config_index.h"

namespace routecheck {
namespace {

constexpr int kNoOrder = 1 << 30;

std::vector<NameTarget> resolve_all(const ConfigIndex& index, const std::vector<std::string>& names) {
  std::vector<NameTarget> out;
  out.reserve(names.size());
  for (const std::string& n : names) out.push_back(index.lookup(n));
  return out;
}

std::vector<std::vector<NameTarget>> resolve_rules(const ConfigIndex& index, const FallbackList& list) {
  std::vector<std::vector<NameTarget>> out;
  for (const FallbackRule& rule : list) out.push_back(resolve_all(index, rule.targets));
  return out;
}

int intern(ConfigIndex& x, const std::string& tag) {
  bool added = false;
  int& id = x.tag_ids.insert(tag, added);
  if (added) {
    id = static_cast<int>(x.tag_names.size());
    x.tag_names.push_back(tag);
    x.carrying.emplace_back();
  }
  return id;
}

std::optional<std::regex> compile(const std::string& pattern) {
  try {
    return std::regex(pattern);
  } catch (const std::regex_error&) {
    return std::nullopt;  // the filter skips a pattern that does not compile
  }
}

// One entry of §7.4 on the router's lists.
int generic_entry(const RouterSettings& r, std::string_view key, bool default_wins_star) {
  bool star = !r.default_fallbacks.empty() && key == "*";
  if (star && default_wins_star) return ChainRules::kDefaultFallbacks;
  int rule = first_rule(r.fallbacks, key);
  if (rule >= 0 || !star) return rule;
  return ChainRules::kDefaultFallbacks;
}

ChainRules chain_rules(const RouterSettings& r, std::string_view name) {
  ChainRules c;
  c.generic[0] = router_generic_rule(r, name, false);
  c.generic[1] = router_generic_rule(r, name, true);
  c.context_window = first_rule(r.context_window_fallbacks, name);
  c.content_policy = first_rule(r.content_policy_fallbacks, name);
  return c;
}

}  // namespace

int first_rule(const FallbackList& list, std::string_view key) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].key == key) return static_cast<int>(i);
  return -1;
}

int router_generic_rule(const RouterSettings& r, std::string_view name, bool default_wins_star) {
  return first_by_fallback_key(name, [&](std::string_view key) { return generic_entry(r, key, default_wins_star); });
}

void ConfigIndex::carrying_any(const std::vector<std::string>& tags, Bits& out) const {
  out.clear();
  for (const std::string& t : tags)
    if (const int* id = tag_ids.find(t)) out |= carrying[static_cast<std::size_t>(*id)];
}

void ConfigIndex::carrying_all(const std::vector<std::string>& tags, Bits& out) const {
  out.clear();
  for (std::size_t k = 0; k < tags.size(); ++k) {
    const int* id = tag_ids.find(tags[k]);
    if (!id) {  // nobody carries it
      out.clear();
      return;
    }
    if (k == 0) out = carrying[static_cast<std::size_t>(*id)];
    else out &= carrying[static_cast<std::size_t>(*id)];
  }
}

std::shared_ptr<const ConfigIndex> build_index(const Config& config) {
  auto index = std::make_shared<ConfigIndex>();
  ConfigIndex& x = *index;
  const std::size_t n = config.deployments.size();
  x.list_bytes = ConfigListBytes::of(config);
  x.group_of.assign(n, -1);
  // Sized up front: batch mode builds one index per scenario line.
  x.names.reserve(n + config.groups.size());
  x.members.reserve(config.groups.size());
  x.order_rank.reserve(n);
  x.tag_regex.reserve(n);
  x.key_identity.reserve(n);
  x.api_base.reserve(n);
  x.credential_tag.reserve(n);
  x.post_pick_writes.reserve(n);
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    const ModelGroup& group = config.groups[g];
    x.names[group.name].group = static_cast<int>(g);
    x.members.push_back(Bits::of(group.members));
    for (int i : group.members) x.group_of[i] = static_cast<int>(g);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Deployment& d = config.deployments[i];
    int di = static_cast<int>(i);
    x.names[d.id].deployment = di;
    std::vector<int> writes;
    for (const std::string& t : d.tags) {
      writes.push_back(intern(x, t));
      x.carrying[writes.back()].set(di);
    }
    if (d.has_tag("default")) x.defaults.set(di);
    if (!d.tag_regex.empty()) x.with_regex.set(di);
    std::vector<std::optional<std::regex>> patterns;
    for (const std::string& p : d.tag_regex) patterns.push_back(compile(p));
    x.tag_regex.push_back(std::move(patterns));

    x.order_rank.push_back(d.order.value_or(kNoOrder));
    x.any_order = x.any_order || d.order.has_value();
    x.key_identity.push_back(d.api_key ? d.id : d.credential_name ? *d.credential_name : "none");
    std::optional<std::string> base = d.api_base;
    if (!base && d.credential_name)
      if (const Credential* c = config.find_credential(*d.credential_name)) base = c->api_base;
    if (base) base = base->substr(0, base->find('?'));
    x.api_base.push_back(base);
    x.credential_tag.push_back(d.credential_name ? std::optional<std::string>("Credential: " + *d.credential_name)
                                                 : std::nullopt);
    if (x.credential_tag.back()) writes.push_back(intern(x, *x.credential_tag.back()));
    x.post_pick_writes.push_back(std::move(writes));
  }
  x.fallbacks = resolve_rules(x, config.router.fallbacks);
  x.context_window_fallbacks = resolve_rules(x, config.router.context_window_fallbacks);
  x.content_policy_fallbacks = resolve_rules(x, config.router.content_policy_fallbacks);
  x.default_fallbacks = resolve_all(x, config.router.default_fallbacks);
  x.group_chains.reserve(config.groups.size());
  for (const ModelGroup& group : config.groups) x.group_chains.push_back(chain_rules(config.router, group.name));
  x.deployment_chains.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    x.deployment_chains.push_back(chain_rules(config.router, config.deployments[i].id));
    x.unique_ids = x.unique_ids && x.lookup(config.deployments[i].id).deployment == static_cast<int>(i);
  }
  return index;
}

const ConfigIndex& index_of(const Config& config, std::optional<ConfigIndex>& local) {
  if (const ConfigIndex* own = own_index(config)) return *own;
  return local.emplace(*build_index(config));
}

}  // namespace routecheck
