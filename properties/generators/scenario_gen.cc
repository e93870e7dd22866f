#include "generators/scenario_gen.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <cstdio>
#include <ostream>

namespace routecheck::generators {

using nlohmann::json;
namespace gen = rc::gen;

void showValue(const ScenarioDoc& s, std::ostream& os) { os << s.doc.dump(); }

std::string content_id(const json& doc, const std::string& prefix) {
  json copy = doc;
  if (copy.is_object()) copy.erase("id");
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : copy.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return prefix + std::string(buf).substr(0, 12);
}

namespace {

// Drops the groups no walk from `start` can reach (and their fallback entries): they cannot change the
// outcome, and without them a shrunk counterexample shows only what matters.
void prune_unreachable(json& config, const std::string& start) {
  json& rs = config["router_settings"];
  std::set<std::string> reach = {start};
  for (bool grew = true; grew;) {
    grew = false;
    auto add = [&](const json& targets) {
      for (const json& t : targets) grew = reach.insert(t.get<std::string>()).second || grew;
    };
    for (const char* list : {"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"})
      for (const json& rule : rs.value(list, json::array()))
        for (auto it = rule.begin(); it != rule.end(); ++it)
          if (it.key() == "*" || reach.count(it.key())) add(it.value());
    add(rs.value("default_fallbacks", json::array()));
  }
  json kept = json::array();
  for (const json& d : config["model_list"])
    if (reach.count(d["model_name"].get<std::string>())) kept.push_back(d);
  config["model_list"] = kept;
  for (const char* list : {"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"}) {
    if (!rs.contains(list)) continue;
    json rules = json::array();
    for (const json& rule : rs[list])
      if (rule.begin().key() == "*" || reach.count(rule.begin().key())) rules.push_back(rule);
    if (rules.empty()) rs.erase(list);
    else rs[list] = rules;
  }
  std::set<std::string> names;
  for (const json& c : config.value("credential_list", json::array())) names.insert(c["credential_name"].get<std::string>());
  std::set<std::string> used;
  for (const json& d : kept)
    if (d["litellm_params"].contains("litellm_credential_name"))
      used.insert(d["litellm_params"]["litellm_credential_name"].get<std::string>());
  if (config.contains("credential_list")) {
    json creds = json::array();
    for (const json& c : config["credential_list"])
      if (used.count(c["credential_name"].get<std::string>())) creds.push_back(c);
    if (creds.empty()) config.erase("credential_list");
    else config["credential_list"] = creds;
  }
}

}  // namespace

json render_scenario(const ScenarioSpec& spec, const GenOptions& options) {
  json config;
  ConfigShape shape;
  if (options.config) {
    config = *options.config;
    shape = ConfigShape::of(parse_config(config, options.profile, "<config>"));
  } else {
    config = render_config(spec.config);
    shape = shape_of(spec.config);
  }
  json request = render_request(spec.request, shape);
  if (!options.config) {
    std::string model = request["body"]["model"].get<std::string>();
    for (const auto& [group, ids] : shape.groups)
      if (std::find(ids.begin(), ids.end(), model) != ids.end()) model = group;
    prune_unreachable(config, model);
    std::set<std::string> kept;
    for (const json& d : config["model_list"]) kept.insert(d["model_name"].get<std::string>());
    ConfigShape pruned;
    for (const auto& g : shape.groups)
      if (kept.count(g.first)) pruned.groups.push_back(g);
      else pruned.groups.emplace_back(g.first, std::vector<std::string>{});  // keep indices, drop its faults
    shape = pruned;
  }
  json faults = render_faults(spec.faults, shape);
  // A deployment that times out gets a 1 s timeout (CONTRACT.md §9: <= 2 s where a timeout fault is
  // present), so the outcome's max_duration_s stays small. Only generated configs are changed.
  if (!options.config) {
    for (json& d : config["model_list"]) {
      const std::string id = d["model_info"]["id"].get<std::string>();
      if (!faults.contains(id)) continue;
      for (const json& o : faults[id])
        if (o == "timeout") d["litellm_params"]["timeout"] = 1;
    }
  }
  json doc = {{"format", "routecheck-scenario/1"},
              {"id", ""},
              {"profile", to_string(options.profile)},
              {"config", config},
              {"request", request},
              {"faults", faults}};
  doc["id"] = content_id(doc);
  return doc;
}

rc::Gen<ScenarioDoc> genScenarioDoc(const GenOptions& options) {
  // With a fixed config and live-safe output the config cannot be given a timeout: no timeout faults.
  bool with_timeout = !(options.config && options.live_safe);
  auto spec = gen::build<ScenarioSpec>(gen::set(&ScenarioSpec::config, genConfig(options.live_safe)),
                                       gen::set(&ScenarioSpec::request, genRequest(options.live_safe)),
                                       gen::set(&ScenarioSpec::faults, genFaultPlan(with_timeout)));
  if (options.config) {
    spec = gen::build<ScenarioSpec>(gen::set(&ScenarioSpec::request, genRequest(options.live_safe)),
                                    gen::set(&ScenarioSpec::faults, genFaultPlan(with_timeout)));
  }
  return gen::map(spec, [options](const ScenarioSpec& s) { return ScenarioDoc{render_scenario(s, options)}; });
}

Scenario to_scenario(const json& doc) { return parse_scenario(doc, "<generated>"); }

}  // namespace routecheck::generators
