#include "routecheck/result_json.h"

namespace routecheck {

using nlohmann::json;

// The result is built straight into nlohmann's object maps: one node per field, no temporary
// initializer-list values (batch mode builds one result per scenario line). Keys are sorted on output
// whatever the insertion order.
namespace {

json::object_t& fields_of(json& j) { return *j.get_ptr<json::object_t*>(); }

json strings(const std::vector<std::string>& list) {
  json out(json::value_t::array);
  auto& a = *out.get_ptr<json::array_t*>();
  a.reserve(list.size());
  for (const std::string& s : list) a.emplace_back(s);
  return out;
}

json or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json record_to_json(const AttemptRecord& r) {
  json j(json::value_t::object);
  json::object_t& o = fields_of(j);
  o.emplace("hop", r.hop);
  o.emplace("depth", r.depth);
  o.emplace("attempt", r.attempt);
  o.emplace("group", r.group);
  o.emplace("tags_used", strings(r.tags_used));
  json sources(json::value_t::object);
  for (const auto& [t, s] : r.tag_sources) fields_of(sources).emplace(t, s);
  o.emplace("tag_sources", std::move(sources));
  o.emplace("after_cooldown", strings(r.after_cooldown));
  if (!r.tag_decision) {
    o.emplace("tag_result", nullptr);
    o.emplace("eligible", nullptr);
  } else {
    o.emplace("tag_result", r.tag_result ? strings(*r.tag_result) : json("TAG_DENIED"));
    o.emplace("eligible", r.eligible ? strings(*r.eligible)
                                     : json(r.outcome == "TAG_DENIED" ? "TAG_DENIED" : "NO_DEPLOYMENTS"));
  }
  o.emplace("picked", r.picked.empty() ? json(nullptr) : json(r.picked));
  o.emplace("outcome", r.outcome);
  o.emplace("tag_decision", r.tag_decision);
  if (r.specific_deployment) o.emplace("specific_deployment", true);
  if (r.retry) {
    json retry(json::value_t::object);
    fields_of(retry).emplace("decision", r.retry->decision);
    fields_of(retry).emplace("rule", r.retry->rule);
    fields_of(retry).emplace("sleep", r.retry->sleep);
    o.emplace("retry", std::move(retry));
  } else {
    o.emplace("retry", nullptr);
  }
  if (r.fallback) {
    json fallback(json::value_t::object);
    fields_of(fallback).emplace("chain", r.fallback->chain);
    fields_of(fallback).emplace("next", r.fallback->next);
    if (!r.fallback->reason.empty()) fields_of(fallback).emplace("reason", r.fallback->reason);
    o.emplace("fallback", std::move(fallback));
  } else {
    o.emplace("fallback", nullptr);
  }
  return j;
}

json outcomes_to_json(const std::vector<Outcome>& outcomes) {
  json out(json::value_t::array);
  out.get_ptr<json::array_t*>()->reserve(outcomes.size());
  for (const Outcome& o : outcomes) out.get_ptr<json::array_t*>()->push_back(outcome_to_json(o));
  return out;
}

}  // namespace

json outcome_to_json(const Outcome& o) {
  json j(json::value_t::object);
  json::object_t& f = fields_of(j);
  f.emplace("status", o.status);
  f.emplace("error_class", o.error_class);
  f.emplace("served_by", or_null(o.served_by));
  if (o.denial) {
    json denial(json::value_t::object);
    fields_of(denial).emplace("group", o.denial->group);
    fields_of(denial).emplace("tags", strings(o.denial->tags));
    f.emplace("denial", std::move(denial));
  } else {
    f.emplace("denial", nullptr);
  }
  json headers(json::value_t::object);
  for (const auto& [n, v] : o.headers) fields_of(headers).insert_or_assign(n, v);  // a repeated name: the last wins
  f.emplace("headers", std::move(headers));
  json calls(json::value_t::array);
  for (const UpstreamCall& c : o.upstream_calls) {
    json call(json::value_t::object);
    fields_of(call).emplace("deployment", c.deployment);
    fields_of(call).emplace("key", c.key);
    calls.get_ptr<json::array_t*>()->push_back(std::move(call));
  }
  f.emplace("upstream_calls", std::move(calls));
  f.emplace("max_duration_s", o.max_duration_s);
  f.emplace("observability_tags", strings(o.observability_tags));
  json trace(json::value_t::array);
  trace.get_ptr<json::array_t*>()->reserve(o.trace.size());
  for (const AttemptRecord& r : o.trace) trace.get_ptr<json::array_t*>()->push_back(record_to_json(r));
  f.emplace("trace", std::move(trace));
  return j;
}

json result_to_json(const RouteResult& r, const std::string& id, Profile profile, const Mutant* mutant) {
  json j(json::value_t::object);
  json::object_t& f = fields_of(j);
  f.emplace("id", id);
  f.emplace("profile", to_string(profile));
  f.emplace("mutant", mutant ? json(mutant->id) : json(nullptr));
  f.emplace("statuses", r.statuses());
  f.emplace("served_by", strings(r.served_by()));
  f.emplace("outcomes", outcomes_to_json(r.outcomes));
  json alternatives(json::value_t::array);
  for (const Alternative& a : r.alternatives) {
    json alt(json::value_t::object);
    fields_of(alt).emplace("rule", a.rule);
    fields_of(alt).emplace("outcomes", outcomes_to_json(a.outcomes));
    alternatives.get_ptr<json::array_t*>()->push_back(std::move(alt));
  }
  f.emplace("alternatives", std::move(alternatives));
  f.emplace("truncated", r.truncated);
  f.emplace("ignored_config_keys", strings(r.ignored_config_keys));
  f.emplace("unverified", strings(r.unverified));
  // A label names a released bug: it applies only to the profile modelling those releases.
  if (mutant && !mutant->label.empty() && profile == Profile::Litellm182) f.emplace("label", mutant->label);
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
