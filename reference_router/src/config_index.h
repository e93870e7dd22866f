#pragma once
// What routing looks up in a Config, derived once by parse_config: names to indices, each group's
// members, tags interned to bit sets, key identities and api bases, compiled tag_regex, fallback
// targets resolved. It holds indices, never pointers, so every copy of the Config can share it.
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "routecheck/config.h"
#include "bit_set.h"
#include "name_table.h"

namespace routecheck {

/// What a name means in the config: a deployment id, a group name, or both (the id wins, §5.2).
struct NameTarget {
  int deployment = -1;
  int group = -1;
};

/// The rules of the router's own fallback lists a failing hop's name selects (§7.3, §7.4), found once
/// per name: an index into the list, -1 for none, kDefaultFallbacks for default_fallbacks as "*".
struct ChainRules {
  static constexpr int kDefaultFallbacks = -2;
  int generic[2] = {-1, -1};  // [DefaultFallbacksWinStar off / on]: router_settings.fallbacks
  int context_window = -1;    // context_window_fallbacks, exact key
  int content_policy = -1;    // content_policy_fallbacks, exact key
};

/// The first rule of `list` keyed `key`, or -1.
int first_rule(const FallbackList& list, std::string_view key);
/// §7.4's order of keys for a failing name: the name, then the name without its provider/ prefix, then
/// "*". The first `rule(key)` that is not -1, else -1 (the router's lists and a body's list alike).
template <class Rule>
int first_by_fallback_key(std::string_view name, Rule rule) {
  int found = rule(name);
  auto slash = name.find('/');
  if (found == -1 && slash != std::string_view::npos) found = rule(name.substr(slash + 1));
  if (found == -1) found = rule(std::string_view("*"));
  return found;
}
/// §7.4 on the router's lists: exact key, then the key without its provider/ prefix, then "*"
/// (default_fallbacks standing for "*": last, or first when `default_wins_star`).
int router_generic_rule(const RouterSettings& router, std::string_view name, bool default_wins_star);

/// The sizes, in bytes, of the Config's lists an index holds positions in (deployments, groups, the
/// router's fallback lists): an edited Config has other sizes. Bytes, not element counts, so comparing
/// them costs no division by an element's size: route() compares them on every call.
struct ConfigListBytes {
  std::size_t deployments_bytes = 0, groups_bytes = 0, fallbacks_bytes = 0, context_window_fallbacks_bytes = 0,
              content_policy_fallbacks_bytes = 0, default_fallbacks_bytes = 0;
  static ConfigListBytes of(const Config& config) {
    const RouterSettings& r = config.router;
    return {bytes(config.deployments), bytes(config.groups), bytes(r.fallbacks), bytes(r.context_window_fallbacks),
            bytes(r.content_policy_fallbacks), bytes(r.default_fallbacks)};
  }
  bool operator==(const ConfigListBytes&) const = default;

 private:
  template <class T>
  static std::size_t bytes(const std::vector<T>& list) { return list.size() * sizeof(T); }  // a subtraction
};

struct ConfigIndex {
  NameTable<NameTarget> names;  // every deployment id and group name
  std::vector<int> group_of;                           // per deployment
  std::vector<Bits> members;                           // per group

  // Tags (§4.1): each tag a deployment carries or a pick writes gets an id; per id, the deployments
  // carrying it.
  NameTable<int> tag_ids;
  std::vector<std::string> tag_names;  // per id
  std::vector<Bits> carrying;          // per id
  Bits defaults;                                                  // deployments tagged "default"
  Bits with_regex;                                                // deployments with tag_regex patterns
  std::vector<std::vector<std::optional<std::regex>>> tag_regex;  // per deployment; nullopt: a bad pattern

  // Picks, calls and headers.
  std::vector<int> order_rank;  // `order`, or 1<<30 for none: it ranks last (§5.1 step 6)
  bool any_order = false;
  std::vector<std::string> key_identity;             // credential name, own id for an api_key, or "none"
  std::vector<std::optional<std::string>> api_base;  // own or the credential's, without its query (§9.4)
  std::vector<std::optional<std::string>> credential_tag;  // "Credential: <name>", written after a pick (§5.5)
  std::vector<std::vector<int>> post_pick_writes;  // per deployment: its tags, then its credential tag (ids)

  // The router's fallback lists with each target resolved: [rule][target], parallel to RouterSettings.
  std::vector<std::vector<NameTarget>> fallbacks, context_window_fallbacks, content_policy_fallbacks;
  std::vector<NameTarget> default_fallbacks;
  // Per group / per deployment: the router's rules its name selects (a hop names its target by it).
  std::vector<ChainRules> group_chains, deployment_chains;
  bool unique_ids = true;  // every deployment id names its own deployment (parse_config checks it)

  ConfigListBytes list_bytes;  // of the Config it was built from

  NameTarget lookup(std::string_view name) const {
    const NameTarget* t = names.find(name);
    return t ? *t : NameTarget{};
  }
  /// The chain rules of a known target's name; nullptr for a name the config does not know.
  const ChainRules* chains(NameTarget target) const {
    if (target.deployment >= 0) return &deployment_chains[static_cast<std::size_t>(target.deployment)];
    if (target.group >= 0) return &group_chains[static_cast<std::size_t>(target.group)];
    return nullptr;
  }
  /// The deployments carrying at least one of `tags` / every one of them (tag_match, §4.1, for all
  /// deployments at once), written into `out`; empty for no tags.
  void carrying_any(const std::vector<std::string>& tags, Bits& out) const;
  void carrying_all(const std::vector<std::string>& tags, Bits& out) const;
  /// Whether `config` still has the lists this index was built from (by their sizes).
  bool fits(const Config& config) const { return list_bytes == ConfigListBytes::of(config); }
};

std::shared_ptr<const ConfigIndex> build_index(const Config& config);

/// The index parse_config built for `config`, if it still fits it; nullptr for a Config that has none
/// (made some other way) or was edited since. Inline: route() asks it on every call.
inline const ConfigIndex* own_index(const Config& config) {
  const ConfigIndex* index = config.index.get();
  return index && index->fits(config) ? index : nullptr;
}
/// The config's own index, or one built into `local` for a Config that has none (or was edited).
const ConfigIndex& index_of(const Config& config, std::optional<ConfigIndex>& local);

}  // namespace routecheck
