#include "routecheck/result_json.h"

namespace routecheck {

using nlohmann::json;

static json record_to_json(const AttemptRecord& r) {
  json j = {{"hop", r.hop}, {"depth", r.depth}, {"attempt", r.attempt}, {"group", r.group},
            {"tags_used", r.tags_used}, {"tag_sources", r.tag_sources}};
  j["tag_sources"] = json::object();
  for (const auto& [t, s] : r.tag_sources) j["tag_sources"][t] = s;
  j["after_cooldown"] = r.after_cooldown;
  if (!r.tag_decision && !r.specific_deployment) {
    j["tag_result"] = nullptr;
    j["eligible"] = nullptr;
  } else {
    j["tag_result"] = r.tag_result ? json(*r.tag_result) : json("TAG_DENIED");
    j["eligible"] = r.eligible ? json(*r.eligible)
                               : json(r.outcome == "TAG_DENIED" ? "TAG_DENIED" : "NO_DEPLOYMENTS");
  }
  j["picked"] = r.picked.empty() ? json(nullptr) : json(r.picked);
  j["outcome"] = r.outcome;
  j["tag_decision"] = r.tag_decision;
  if (r.specific_deployment) j["specific_deployment"] = true;
  j["retry"] = r.retry ? json{{"decision", r.retry->decision}, {"rule", r.retry->rule}, {"sleep", r.retry->sleep}}
                       : json(nullptr);
  if (r.fallback) {
    j["fallback"] = {{"chain", r.fallback->chain}, {"next", r.fallback->next}};
    if (!r.fallback->reason.empty()) j["fallback"]["reason"] = r.fallback->reason;
  } else {
    j["fallback"] = nullptr;
  }
  return j;
}

json outcome_to_json(const Outcome& o) {
  json j;
  j["status"] = o.status;
  j["error_class"] = o.error_class;
  j["served_by"] = o.served_by ? json(*o.served_by) : json(nullptr);
  j["denial"] = o.denial ? json{{"group", o.denial->group}, {"tags", o.denial->tags}} : json(nullptr);
  j["headers"] = json::object();
  for (const auto& [n, v] : o.headers) j["headers"][n] = v;
  j["upstream_calls"] = json::array();
  for (const UpstreamCall& c : o.upstream_calls) j["upstream_calls"].push_back({{"deployment", c.deployment}, {"key", c.key}});
  j["max_duration_s"] = o.max_duration_s;
  j["observability_tags"] = o.observability_tags;
  j["trace"] = json::array();
  for (const AttemptRecord& r : o.trace) j["trace"].push_back(record_to_json(r));
  return j;
}

json result_to_json(const RouteResult& r, const std::string& id, Profile profile, const Mutant* mutant) {
  json j;
  j["id"] = id;
  j["profile"] = to_string(profile);
  j["mutant"] = mutant ? json(mutant->id) : json(nullptr);
  j["statuses"] = r.statuses();
  j["served_by"] = r.served_by();
  j["outcomes"] = json::array();
  for (const Outcome& o : r.outcomes) j["outcomes"].push_back(outcome_to_json(o));
  j["alternatives"] = json::array();
  for (const Alternative& a : r.alternatives) {
    json outs = json::array();
    for (const Outcome& o : a.outcomes) outs.push_back(outcome_to_json(o));
    j["alternatives"].push_back({{"rule", a.rule}, {"outcomes", outs}});
  }
  j["truncated"] = r.truncated;
  j["ignored_config_keys"] = r.ignored_config_keys;
  j["unverified"] = r.unverified;
  if (mutant && !mutant->label.empty()) j["label"] = mutant->label;
  return j;
}

std::string expectation_key(Profile profile, const Mutant* mutant) {
  return to_string(profile) + (mutant ? "+" + mutant->id : "");
}

std::optional<bool> meets_expectation(const Scenario& s, const RouteResult& r, Profile profile, const Mutant* mutant) {
  auto it = s.expected.find(expectation_key(profile, mutant));
  if (it == s.expected.end()) return std::nullopt;
  return it->second.statuses == r.statuses() && it->second.served_by == r.served_by();
}

}  // namespace routecheck
