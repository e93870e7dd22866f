#include "generators/config_gen.h"

#include <algorithm>
#include <set>

#include "generators/choice.h"

namespace routecheck::generators {

using nlohmann::json;
namespace gen = rc::gen;

const std::vector<std::string>& group_names() {
  static const std::vector<std::string> names = {"primary", "backup", "tertiary", "spare"};
  return names;
}

const std::vector<std::string>& deployment_tag_alphabet() {
  static const std::vector<std::string> tags = {"eu", "us", "gpu", "default"};
  return tags;
}

const std::vector<std::string>& credential_names() {
  static const std::vector<std::string> names = {"openai", "azure"};
  return names;
}

ConfigShape ConfigShape::of(const Config& config) {
  ConfigShape shape;
  for (const ModelGroup& g : config.groups) {
    std::vector<std::string> ids;
    for (int i : g.members) ids.push_back(config.deployments[i].id);
    shape.groups.emplace_back(g.name, std::move(ids));
  }
  return shape;
}

rc::Gen<DeploymentSpec> genDeployment() {
  return gen::build<DeploymentSpec>(
      gen::set(&DeploymentSpec::tags, subset_of(deployment_tag_alphabet(), 30)),
      gen::set(&DeploymentSpec::credential, weighted<int>({{55, -1}, {35, 0}, {10, 1}})));
}

rc::Gen<ModelGroupSpec> genModelGroup() {
  return gen::build<ModelGroupSpec>(
      gen::set(&ModelGroupSpec::size, weighted<int>({{45, 1}, {30, 2}, {15, 3}, {10, 4}})),
      gen::set(&ModelGroupSpec::deployments,
               gen::container<std::vector<DeploymentSpec>>(kMaxDeployments, genDeployment())));
}

rc::Gen<FallbackRuleSpec> genFallbackRule(bool allow_star) {
  int keys = kMaxGroups + (allow_star ? 1 : 0);
  return gen::build<FallbackRuleSpec>(
      gen::set(&FallbackRuleSpec::key, uniform(0, keys)),
      gen::set(&FallbackRuleSpec::targets, between(1, 3, uniform(0, kMaxGroups))));
}

namespace {

// CONTRACT.md §9: live-safe scenarios share a proxy only when their router settings agree, so they come
// from a few presets. Each: tag filtering, match_any, num_retries (<= 2), max_fallbacks.
struct Preset {
  bool tag_filtering;
  int match_any;
  int num_retries;
  int max_fallbacks;
};
const Preset kPresets[] = {{true, 0, 0, 5}, {true, 1, 1, 2}, {true, 2, 2, 1}, {false, 0, 1, 5}};

}  // namespace

rc::Gen<RouterSpec> genRouterSettings(bool live_safe) {
  if (live_safe) {
    return gen::build<RouterSpec>(
        gen::set(&RouterSpec::preset, uniform(0, 4)),
        gen::set(&RouterSpec::fallbacks, between(0, 3, genFallbackRule(false))),
        gen::set(&RouterSpec::context_window_fallbacks, between(0, 1, genFallbackRule(false))),
        gen::set(&RouterSpec::content_policy_fallbacks, between(0, 1, genFallbackRule(false))));
  }
  return gen::build<RouterSpec>(
      gen::set(&RouterSpec::tag_filtering, weighted<bool>({{75, true}, {25, false}})),  // shrinks to on
      gen::set(&RouterSpec::match_any, weighted<int>({{40, 0}, {20, 1}, {40, 2}})),
      gen::set(&RouterSpec::num_retries, uniform(0, 4)),
      gen::set(&RouterSpec::max_fallbacks, weighted<int>({{20, 0}, {25, 1}, {20, 2}, {10, 3}, {5, 4}, {20, 5}})),
      gen::set(&RouterSpec::cooldowns, chance(15)),
      gen::set(&RouterSpec::fallbacks, between(0, 3, genFallbackRule(true))),
      gen::set(&RouterSpec::context_window_fallbacks, between(0, 2, genFallbackRule(true))),
      gen::set(&RouterSpec::content_policy_fallbacks, between(0, 2, genFallbackRule(true))),
      gen::set(&RouterSpec::default_fallbacks, between(0, 2, uniform(0, kMaxGroups))));
}

rc::Gen<ConfigSpec> genConfig(bool live_safe) {
  return gen::build<ConfigSpec>(
      gen::set(&ConfigSpec::group_count, weighted<int>({{25, 1}, {40, 2}, {20, 3}, {15, 4}})),
      gen::set(&ConfigSpec::groups, gen::container<std::vector<ModelGroupSpec>>(kMaxGroups, genModelGroup())),
      gen::set(&ConfigSpec::router, genRouterSettings(live_safe)));
}

ConfigShape shape_of(const ConfigSpec& spec) {
  ConfigShape shape;
  for (int g = 0; g < spec.group_count; ++g) {
    std::vector<std::string> ids;
    for (int k = 0; k < spec.groups[g].size; ++k) ids.push_back(group_names()[g] + "-" + std::to_string(k + 1));
    shape.groups.emplace_back(group_names()[g], std::move(ids));
  }
  return shape;
}

namespace {

// A fallback list with out-of-range references dropped, empty entries removed and each key kept once.
json render_fallbacks(const std::vector<FallbackRuleSpec>& rules, int groups) {
  json list = json::array();
  std::set<int> keys;
  for (const FallbackRuleSpec& r : rules) {
    bool star = r.key == FallbackRuleSpec::kStarKey;
    if ((!star && r.key >= groups) || !keys.insert(r.key).second) continue;
    json targets = json::array();
    for (int t : r.targets)
      if (t < groups) targets.push_back(group_names()[t]);
    if (targets.empty()) continue;
    list.push_back({{star ? "*" : group_names()[r.key], targets}});
  }
  return list;
}

}  // namespace

json render_config(const ConfigSpec& spec) {
  json models = json::array();
  std::set<int> credentials;
  for (int g = 0; g < spec.group_count; ++g) {
    for (int k = 0; k < spec.groups[g].size; ++k) {
      const DeploymentSpec& d = spec.groups[g].deployments[k];
      std::string id = group_names()[g] + "-" + std::to_string(k + 1);
      json params = {{"model", "openai/" + id}, {"api_base", "http://127.0.0.1:8901/d/" + id + "/v1"}};
      if (d.credential >= 0) {
        params["litellm_credential_name"] = credential_names()[d.credential];
        credentials.insert(d.credential);
      } else {
        params["api_key"] = "sk-fake-" + id;
      }
      if (!d.tags.empty()) params["tags"] = d.tags;
      models.push_back({{"model_name", group_names()[g]}, {"litellm_params", params}, {"model_info", {{"id", id}}}});
    }
  }
  json config = {{"model_list", models}};
  if (!credentials.empty()) {
    json list = json::array();
    for (int c : credentials)
      list.push_back({{"credential_name", credential_names()[c]},
                      {"credential_values", {{"api_key", "sk-fake-cred-" + credential_names()[c]}}}});
    config["credential_list"] = list;
  }
  RouterSpec r = spec.router;
  if (r.preset >= 0) {
    const Preset& p = kPresets[r.preset];
    r.tag_filtering = p.tag_filtering;
    r.match_any = p.match_any;
    r.num_retries = p.num_retries;
    r.max_fallbacks = p.max_fallbacks;
    r.cooldowns = false;
  }
  json rs = json::object();
  rs["enable_tag_filtering"] = r.tag_filtering;
  if (r.match_any) rs["tag_filtering_match_any"] = r.match_any == 1;
  rs["num_retries"] = r.num_retries;
  rs["max_fallbacks"] = r.max_fallbacks;
  rs["disable_cooldowns"] = !r.cooldowns;
  const int n = spec.group_count;
  if (json f = render_fallbacks(r.fallbacks, n); !f.empty()) rs["fallbacks"] = f;
  if (json f = render_fallbacks(r.context_window_fallbacks, n); !f.empty()) rs["context_window_fallbacks"] = f;
  if (json f = render_fallbacks(r.content_policy_fallbacks, n); !f.empty()) rs["content_policy_fallbacks"] = f;
  json defaults = json::array();
  for (int t : r.default_fallbacks)
    if (t < n && std::find(defaults.begin(), defaults.end(), group_names()[t]) == defaults.end())
      defaults.push_back(group_names()[t]);
  if (!defaults.empty()) rs["default_fallbacks"] = defaults;
  config["router_settings"] = rs;
  config["general_settings"] = {{"master_key", "sk-routecheck"}};
  return config;
}

}  // namespace routecheck::generators
