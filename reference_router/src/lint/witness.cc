#include "lint/witness.h"

#include <set>

#include "stages/retry.h"

namespace routecheck::lint {

using nlohmann::json;

json witness_scenario(const json& config_doc, Profile profile, const WitnessRequest& w, const std::string& id) {
  json headers = json::object();
  if (!w.tags.empty()) {
    std::string joined;
    for (const std::string& t : w.tags) joined += (joined.empty() ? "" : ",") + t;
    headers["x-litellm-tags"] = joined;
  }
  json faults = json::object();
  for (const auto& [d, list] : w.faults) faults[d] = list;
  return {{"format", "routecheck-scenario/1"},
          {"id", id},
          {"profile", to_string(profile)},
          {"config", config_doc},
          {"request",
           {{"path", "/v1/chat/completions"},
            {"headers", headers},
            {"body", {{"model", w.group}, {"messages", json::array({{{"role", "user"}, {"content", "ping"}}})}}}}},
          {"faults", faults}};
}

Answer ask(const json& scenario, Profile profile, const Mutant* mutant) {
  Scenario s = parse_scenario(scenario, "<witness>", profile);
  RouteOptions options;
  options.profile = profile;
  options.mutant = mutant;
  options.alternatives = false;
  options.trace = true;
  RouteResult r = route(s, options);
  return Answer{r.statuses(), r.served_by(), std::move(r)};
}

std::vector<std::vector<std::string>> candidate_tag_sets(const Config& config) {
  std::vector<std::vector<std::string>> out = {{}};
  std::set<std::string> seen;
  for (const Deployment& d : config.deployments)
    for (const std::string& t : d.tags)
      if (t != "default" && seen.insert(t).second) out.push_back({t});
  return out;
}

std::map<std::string, std::vector<std::string>> failing_group(const Config& config, const ModelGroup& group,
                                                              bool once, Profile profile) {
  std::map<std::string, std::vector<std::string>> faults;
  for (int i : group.members) {
    std::vector<std::string> queue(1 + (once ? sdk_max_retries(config, profile, i) : 0), "500");
    if (once) queue.push_back("ok");
    faults[config.deployments[i].id] = std::move(queue);
  }
  return faults;
}

}  // namespace routecheck::lint
