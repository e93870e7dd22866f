#include "scenario_mutator.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace routecheck::fuzz {
namespace {

using nlohmann::json;

// The vocabulary mutations draw from: the names of the generators (properties/generators) and of
// corpus/scenarios, plus the spellings each profile gives a meaning to.
const std::vector<std::string> kGroups = {"primary", "backup", "tertiary", "spare"};
const std::vector<std::string> kTags = {"eu", "us", "gpu", "default", "!eu", "&gpu", "route:eu", ""};
const std::vector<std::string> kCredentials = {"openai", "azure"};
const std::vector<std::string> kOutcomes = {"ok",  "500", "429", "429@retry-after=1", "503", "400", "401", "404",
                                            "408", "422", "timeout", "context_window", "content_policy", "refused"};
const std::vector<std::string> kPaths = {"/v1/chat/completions", "/chat/completions", "/v1/responses",
                                         "/v1/embeddings", "/v1/messages", "/v1/completions"};
const std::vector<std::string> kFallbackLists = {"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"};
const std::vector<std::string> kRetryClasses = {"BadRequestErrorRetries", "AuthenticationErrorRetries", "TimeoutErrorRetries",
                                                "RateLimitErrorRetries", "ContentPolicyViolationErrorRetries",
                                                "InternalServerErrorRetries"};

template <typename T>
const T& pick(const std::vector<T>& v, Rng& rng) {
  return v[static_cast<std::size_t>(rng.below(static_cast<int>(v.size())))];
}

// `parent[key]` as an object/array, replacing whatever else is there.
json& object_at(json& parent, const std::string& key) {
  if (!parent.is_object()) parent = json::object();
  json& v = parent[key];
  if (!v.is_object()) v = json::object();
  return v;
}
json& array_at(json& parent, const std::string& key) {
  if (!parent.is_object()) parent = json::object();
  json& v = parent[key];
  if (!v.is_array()) v = json::array();
  return v;
}

json& model_list(json& doc) { return array_at(object_at(doc, "config"), "model_list"); }
json& router(json& doc) { return object_at(object_at(doc, "config"), "router_settings"); }
json& body(json& doc) { return object_at(object_at(doc, "request"), "body"); }
json& headers(json& doc) { return object_at(object_at(doc, "request"), "headers"); }

std::string id_of(const json& d) {
  if (d.is_object() && d.contains("model_info") && d["model_info"].is_object() && d["model_info"].contains("id") &&
      d["model_info"]["id"].is_string())
    return d["model_info"]["id"].get<std::string>();
  return "";
}
std::string group_of(const json& d) {
  return d.is_object() && d.contains("model_name") && d["model_name"].is_string() ? d["model_name"].get<std::string>() : "";
}

std::vector<std::string> groups_in(json& doc) {
  std::vector<std::string> out;
  for (const json& d : model_list(doc)) {
    std::string g = group_of(d);
    if (!g.empty() && std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  }
  return out;
}
std::vector<std::string> ids_in(json& doc) {
  std::vector<std::string> out;
  for (const json& d : model_list(doc))
    if (!id_of(d).empty()) out.push_back(id_of(d));
  return out;
}

// A group already in the config two times in three, else any name of the vocabulary.
std::string some_group(json& doc, Rng& rng) {
  std::vector<std::string> groups = groups_in(doc);
  if (!groups.empty() && !rng.one_in(3)) return pick(groups, rng);
  return pick(kGroups, rng);
}

json some_tags(Rng& rng, int max) {
  json out = json::array();
  int n = rng.below(max + 1);
  for (int i = 0; i < n; ++i) {
    const std::string& t = pick(kTags, rng);
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

json* some_deployment(json& doc, Rng& rng) {
  json& list = model_list(doc);
  if (list.empty()) return nullptr;
  json& d = list[static_cast<std::size_t>(rng.below(static_cast<int>(list.size())))];
  if (!d.is_object()) d = json::object();
  return &d;
}

json& params(json& d) { return object_at(d, "litellm_params"); }

// Removes `key` when `drop`, else sets it to `value`.
void set_or_drop(json& object, const std::string& key, bool drop, json value) {
  if (drop) object.erase(key);
  else object[key] = std::move(value);
}

// --- mutations, one routing-relevant field each ---------------------------------------------------

void add_deployment(json& doc, Rng& rng) {
  std::string group = some_group(doc, rng);
  std::vector<std::string> ids = ids_in(doc);
  std::string id;
  for (int k = 1; id.empty() || std::find(ids.begin(), ids.end(), id) != ids.end(); ++k) id = group + "-" + std::to_string(k);
  json d = {{"model_name", group}, {"litellm_params", {{"model", "openai/" + id}}}, {"model_info", {{"id", id}}}};
  if (rng.one_in(2)) d["litellm_params"]["tags"] = some_tags(rng, 2);
  if (rng.one_in(3)) d["litellm_params"]["litellm_credential_name"] = pick(kCredentials, rng);
  else if (rng.one_in(2)) d["litellm_params"]["api_key"] = "sk-fake-" + id;
  model_list(doc).push_back(std::move(d));
}

void remove_deployment(json& doc, Rng& rng) {
  json& list = model_list(doc);
  if (list.size() > 1) list.erase(list.begin() + rng.below(static_cast<int>(list.size())));
}

void regroup_deployment(json& doc, Rng& rng) {
  if (json* d = some_deployment(doc, rng)) (*d)["model_name"] = some_group(doc, rng);
}

void retag_deployment(json& doc, Rng& rng) {
  json* d = some_deployment(doc, rng);
  if (!d) return;
  json& tags = array_at(params(*d), "tags");
  const std::string& t = pick(kTags, rng);
  auto it = std::find(tags.begin(), tags.end(), t);
  if (it != tags.end()) tags.erase(it);
  else tags.push_back(t);
  if (tags.empty() && rng.one_in(2)) params(*d).erase("tags");
}

void set_key_source(json& doc, Rng& rng) {
  json* d = some_deployment(doc, rng);
  if (!d) return;
  json& p = params(*d);
  p.erase("litellm_credential_name");
  p.erase("api_key");
  switch (rng.below(3)) {
    case 0: p["litellm_credential_name"] = pick(kCredentials, rng); break;
    case 1: p["api_key"] = "sk-fake-" + id_of(*d); break;
    default: break;
  }
}

void set_deployment_param(json& doc, Rng& rng) {
  json* d = some_deployment(doc, rng);
  if (!d) return;
  json& p = params(*d);
  switch (rng.below(6)) {
    case 0: set_or_drop(p, "order", rng.one_in(3), 1 + rng.below(3)); break;
    case 1: set_or_drop(p, "num_retries", rng.one_in(3), rng.below(4)); break;
    case 2: set_or_drop(p, "tag_regex", rng.one_in(2), json::array({"^User-Agent: claude-code/.*"})); break;
    case 3: set_or_drop(p, "timeout", rng.one_in(2), 1 + rng.below(3)); break;
    case 4: set_or_drop(p, "mock_response", rng.one_in(2), rng.one_in(2) ? "litellm.RateLimitError" : "hi"); break;
    default: set_or_drop(p, "cooldown_time", rng.one_in(2), rng.below(2) * 10); break;
  }
}

void toggle_router_flag(json& doc, Rng& rng) {
  static const std::vector<std::string> flags = {"enable_tag_filtering", "enable_tag_filtering", "tag_filtering_match_any",
                                                 "disable_cooldowns", "enable_pre_call_checks"};
  json& r = router(doc);
  const std::string& f = pick(flags, rng);
  if (rng.one_in(4)) r.erase(f);
  else r[f] = !(r.contains(f) && r[f].is_boolean() && r[f].get<bool>());
}

void set_router_number(json& doc, Rng& rng) {
  json& r = router(doc);
  switch (rng.below(6)) {
    case 0: case 1: set_or_drop(r, "num_retries", rng.one_in(4), rng.below(4)); break;
    case 2: r["max_fallbacks"] = rng.below(7); break;
    case 3: set_or_drop(r, "allowed_fails", rng.one_in(2), rng.below(3)); break;
    case 4: r["retry_after"] = rng.below(2); break;
    default: set_or_drop(r, "cooldown_time", rng.one_in(2), rng.below(3) * 5); break;
  }
}

void set_retry_policy(json& doc, Rng& rng) {
  json& r = router(doc);
  if (rng.one_in(3)) {
    r.erase(rng.one_in(2) ? "retry_policy" : "model_group_retry_policy");
    return;
  }
  json& policy = rng.one_in(2) ? object_at(r, "retry_policy") : object_at(object_at(r, "model_group_retry_policy"), some_group(doc, rng));
  policy[pick(kRetryClasses, rng)] = rng.below(4);
}

void edit_fallbacks(json& doc, Rng& rng) {
  json& r = router(doc);
  if (rng.one_in(5)) {
    if (rng.one_in(2)) r.erase("default_fallbacks");
    else r["default_fallbacks"] = json::array({some_group(doc, rng)});
    return;
  }
  const std::string& which = rng.below(3) ? kFallbackLists[0] : pick(kFallbackLists, rng);
  json& list = array_at(r, which);
  if (!list.empty() && rng.one_in(3)) {
    list.erase(list.begin() + rng.below(static_cast<int>(list.size())));
    return;
  }
  json targets = json::array();
  for (int n = 1 + rng.below(2); n > 0; --n) targets.push_back(some_group(doc, rng));
  std::string key = rng.one_in(6) ? "*" : some_group(doc, rng);
  list.push_back(json{{key, targets}});
}

void set_request_tags(json& doc, Rng& rng) {
  json& b = body(doc);
  json tags = some_tags(rng, 3);
  switch (rng.below(5)) {
    case 0: case 1: object_at(b, "metadata")["tags"] = tags; break;
    case 2: b["tags"] = tags; break;
    case 3: object_at(b, "litellm_metadata")["tags"] = tags; break;
    default: {
      std::string line;
      for (const json& t : tags) line += (line.empty() ? "" : ",") + t.get<std::string>();
      if (tags.empty()) headers(doc).erase("x-litellm-tags");
      else headers(doc)["x-litellm-tags"] = line;
    }
  }
}

void set_request_model(json& doc, Rng& rng) {
  std::vector<std::string> ids = ids_in(doc);
  if (rng.one_in(5) && !ids.empty()) body(doc)["model"] = pick(ids, rng);  // a specific deployment (§5.2)
  else if (rng.one_in(12)) body(doc)["model"] = "unknown-model";
  else body(doc)["model"] = some_group(doc, rng);
}

void set_request_retries(json& doc, Rng& rng) {
  switch (rng.below(3)) {
    case 0: set_or_drop(body(doc), "num_retries", rng.one_in(3), rng.below(4)); break;
    case 1: set_or_drop(headers(doc), "x-litellm-num-retries", rng.one_in(3), std::to_string(rng.below(4))); break;
    default: set_or_drop(headers(doc), "User-Agent", rng.one_in(2), "claude-code/1.0"); break;
  }
}

void set_request_switches(json& doc, Rng& rng) {
  json& b = body(doc);
  static const std::vector<std::string> switches = {"disable_fallbacks", "mock_testing_fallbacks",
                                                    "mock_testing_context_fallbacks", "mock_testing_content_policy_fallbacks",
                                                    "mock_testing_rate_limit_error"};
  switch (rng.below(4)) {
    case 0: b["fallbacks"] = json::array({some_group(doc, rng)}); break;  // a client-side list
    case 1: b["fallbacks"] = json::array({json{{some_group(doc, rng), json::array({some_group(doc, rng)})}}}); break;
    case 2: if (rng.one_in(2)) b.erase("fallbacks"); else b["fallbacks"] = nullptr; break;
    default: {
      const std::string& s = pick(switches, rng);
      if (b.contains(s)) b.erase(s); else b[s] = true;
    }
  }
}

void set_path(json& doc, Rng& rng) { object_at(doc, "request")["path"] = pick(kPaths, rng); }

void set_fault_queue(json& doc, Rng& rng) {
  std::vector<std::string> ids = ids_in(doc);
  if (ids.empty()) return;
  json& faults = object_at(doc, "faults");
  const std::string& id = pick(ids, rng);
  if (faults.contains(id) && rng.one_in(3)) {
    faults.erase(id);
    return;
  }
  json queue = json::array();
  for (int n = 1 + rng.below(3); n > 0; --n) queue.push_back(pick(kOutcomes, rng));
  faults[id] = queue;
}

void set_principal(json& doc, Rng& rng) {
  json& p = object_at(doc, "principal");
  object_at(p, rng.one_in(2) ? "key_metadata" : "team_metadata")["tags"] = some_tags(rng, 2);
}

void set_profile(json& doc, Rng& rng) {
  if (rng.one_in(3)) {
    json& options = object_at(doc, "profile_options");
    if (options.contains("tag-regex")) options.erase("tag-regex");
    else options["tag-regex"] = rng.one_in(2) ? "absent" : "present";
    return;
  }
  bool latest = doc.is_object() && doc.contains("profile") && doc["profile"] == "litellm-latest";
  doc["profile"] = latest ? "litellm-1.82" : "litellm-latest";
  doc.erase("profile_options");  // options are per profile
}

using Mutation = void (*)(json&, Rng&);
struct Weighted {
  int weight;
  Mutation apply;
};
// Weights favour what #25276-style bugs need: deployments with tags and credentials, faults, fallbacks.
const Weighted kMutations[] = {
    {6, add_deployment},    {2, remove_deployment},    {2, regroup_deployment},   {5, retag_deployment},
    {4, set_key_source},    {3, set_deployment_param}, {4, toggle_router_flag},   {3, set_router_number},
    {1, set_retry_policy},  {5, edit_fallbacks},       {4, set_request_tags},     {2, set_request_model},
    {2, set_request_retries}, {2, set_request_switches}, {1, set_path},           {6, set_fault_queue},
    {1, set_principal},     {1, set_profile},
};

// --- repair ---------------------------------------------------------------------------------------

void keep_known_targets(json& list, const std::set<std::string>& groups, bool key_may_be_star) {
  if (!list.is_array()) {
    list = json::array();
    return;
  }
  json out = json::array();
  for (json& rule : list) {
    if (!rule.is_object() || rule.size() != 1) continue;
    std::string key = rule.begin().key();
    if (!(key_may_be_star && key == "*") && !groups.count(key)) continue;
    json targets = json::array();
    if (rule.begin().value().is_array())
      for (const json& t : rule.begin().value())
        if (t.is_string() && groups.count(t.get<std::string>())) targets.push_back(t);
    if (!targets.empty()) out.push_back(json{{key, targets}});
  }
  list = out;
}

}  // namespace

json fresh_scenario() {
  return json{{"format", "routecheck-scenario/1"},
              {"id", "fuzz"},
              {"config", {{"model_list", json::array({{{"model_name", "primary"},
                                                       {"litellm_params", {{"model", "openai/primary-1"}}},
                                                       {"model_info", {{"id", "primary-1"}}}}})}}},
              {"request", {{"path", "/v1/chat/completions"}, {"headers", json::object()}, {"body", {{"model", "primary"}}}}}};
}

void mutate_scenario(json& doc, Rng& rng) {
  if (!doc.is_object()) doc = fresh_scenario();
  int total = 0;
  for (const Weighted& m : kMutations) total += m.weight;
  int x = rng.below(total);
  for (const Weighted& m : kMutations) {
    if (x < m.weight) {
      m.apply(doc, rng);
      return;
    }
    x -= m.weight;
  }
}

json cross_scenarios(const json& a, const json& b, Rng& rng) {
  const json& config_from = rng.one_in(2) ? a : b;
  const json& rest_from = &config_from == &a ? b : a;
  json out = rest_from.is_object() ? rest_from : fresh_scenario();
  if (config_from.is_object() && config_from.contains("config")) out["config"] = config_from["config"];
  return out;
}

void repair_scenario(json& doc) {
  if (!doc.is_object()) doc = fresh_scenario();
  doc["format"] = "routecheck-scenario/1";
  if (!doc.contains("id") || !doc["id"].is_string() || doc["id"].get<std::string>().empty()) doc["id"] = "fuzz";
  json& list = model_list(doc);
  if (list.empty()) list = fresh_scenario()["config"]["model_list"];
  std::set<std::string> groups, ids, credentials;
  json kept = json::array();
  for (json& d : list) {
    std::string id = id_of(d), group = group_of(d);
    if (id.empty() || group.empty() || ids.count(id)) continue;  // duplicates and shapeless entries go
    ids.insert(id);
    groups.insert(group);
    json& p = params(d);
    if (!p.contains("model") || !p["model"].is_string()) p["model"] = "openai/" + id;
    if (p.contains("litellm_credential_name") && p["litellm_credential_name"].is_string())
      credentials.insert(p["litellm_credential_name"].get<std::string>());
    kept.push_back(d);
  }
  if (kept.empty()) kept = fresh_scenario()["config"]["model_list"], groups = {"primary"}, ids = {"primary-1"};
  list = kept;

  // Every referenced credential exists (an unreferenced one may stay).
  json& creds = array_at(object_at(doc, "config"), "credential_list");
  std::set<std::string> defined;
  json creds_kept = json::array();
  for (const json& c : creds)
    if (c.is_object() && c.contains("credential_name") && c["credential_name"].is_string() &&
        defined.insert(c["credential_name"].get<std::string>()).second)
      creds_kept.push_back(c);
  for (const std::string& name : credentials)
    if (!defined.count(name))
      creds_kept.push_back(json{{"credential_name", name}, {"credential_values", {{"api_key", "sk-fake-cred-" + name}}}});
  creds = creds_kept;
  if (creds.empty()) doc["config"].erase("credential_list");

  json& r = router(doc);
  for (const std::string& which : kFallbackLists)
    if (r.contains(which)) {
      keep_known_targets(r[which], groups, true);
      if (r[which].empty()) r.erase(which);
    }
  if (r.contains("default_fallbacks")) {
    json out = json::array();
    if (r["default_fallbacks"].is_array())
      for (const json& g : r["default_fallbacks"])
        if (g.is_string() && groups.count(g.get<std::string>())) out.push_back(g);
    if (out.empty()) r.erase("default_fallbacks");
    else r["default_fallbacks"] = out;
  }
  if (r.empty()) doc["config"].erase("router_settings");

  json& b = body(doc);
  if (!b.contains("model") || !b["model"].is_string() || b["model"].get<std::string>().empty()) b["model"] = *groups.begin();
  if (b.contains("fallbacks") && b["fallbacks"].is_array()) {
    json out = json::array();
    for (json& e : b["fallbacks"]) {
      if (e.is_string() && groups.count(e.get<std::string>())) out.push_back(e);
      if (e.is_object() && e.size() == 1 && !e.contains("model")) {
        json one = json::array({e});
        keep_known_targets(one, groups, false);
        if (!one.empty()) out.push_back(one[0]);
      }
    }
    // Client-side entries and {"A": [...]} entries do not mix (make_request refuses the mixture).
    bool generic = std::any_of(out.begin(), out.end(), [](const json& e) { return e.is_object(); });
    json same = json::array();
    for (json& e : out)
      if (e.is_object() == generic) same.push_back(e);
    if (same.empty()) b.erase("fallbacks");
    else b["fallbacks"] = same;
  }

  if (doc.contains("faults")) {
    json& faults = doc["faults"];
    if (!faults.is_object()) {
      doc.erase("faults");
    } else {
      json out = json::object();
      for (auto it = faults.begin(); it != faults.end(); ++it)
        if (ids.count(it.key()) && it.value().is_array() && !it.value().empty()) out[it.key()] = it.value();
      faults = out;
    }
  }
  doc.erase("expected");  // a mutated scenario no longer means what its expectations say
}

}  // namespace routecheck::fuzz
