#include "routecheck/config.h"

#include <algorithm>
#include <set>

#include "config_index.h"
#include "fields.h"
#include "routecheck/document.h"

namespace routecheck {
namespace {

using fields::At;
using nlohmann::json;

constexpr int kMaxCount = 100;  // retries, fallbacks: LiteLLM has no cap, but larger values are mistakes

ClassCounts parse_class_counts(const json& v, const At& at, const std::string& suffix,
                               std::vector<std::string>& ignored) {
  fields::require_object(v, at);
  ClassCounts counts;
  const std::pair<const char*, std::optional<int> ClassCounts::*> names[] = {
      {"BadRequestError", &ClassCounts::bad_request},
      {"AuthenticationError", &ClassCounts::authentication},
      {"TimeoutError", &ClassCounts::timeout},
      {"RateLimitError", &ClassCounts::rate_limit},
      {"ContentPolicyViolationError", &ClassCounts::content_policy},
      {"InternalServerError", &ClassCounts::internal_server},
  };
  std::set<std::string> known;
  for (const auto& [name, member] : names) {
    std::string key = std::string(name) + suffix;
    known.insert(key);
    if (v.contains(key) && !v[key].is_null()) counts.*member = fields::require_int(v[key], at / key, 0, kMaxCount);
  }
  fields::note_unknown_keys(v, at, known, ignored);
  return counts;
}

FallbackList parse_fallbacks(const json& v, const At& at) {
  FallbackList out;
  if (v.is_null()) return out;
  fields::require_array(v, at);
  for (std::size_t i = 0; i < v.size(); ++i) {
    At entry = at / i;
    const json& e = v[i];
    if (!e.is_object() || e.size() != 1)
      entry.expected("a one-key mapping such as {\"primary\": [\"backup\"]}", e);
    auto it = e.begin();
    out.push_back(FallbackRule{it.key(), fields::require_string_list(it.value(), entry / it.key())});
  }
  return out;
}

Deployment parse_deployment(const json& v, const At& at, Profile profile, std::vector<std::string>& ignored) {
  using fields::Field;
  using fields::present;
  fields::require_object(v, at);
  Deployment d;
  if (!v.contains("model_name")) at.fail("model_name is required");
  d.group = fields::require_string(v["model_name"], Field{at, "model_name"}, true);
  if (!v.contains("litellm_params")) at.fail("litellm_params is required");
  At params_at = at / "litellm_params";
  const json& p = fields::require_object(v["litellm_params"], params_at);
  if (!p.contains("model")) params_at.fail("model is required");
  d.model = fields::require_string(p["model"], Field{params_at, "model"}, true);
  auto opt_string = [&](const char* key, std::optional<std::string>& out) {
    if (const json* x = present(p, key)) out = fields::require_string(*x, Field{params_at, key});
  };
  opt_string("api_base", d.api_base);
  opt_string("api_key", d.api_key);
  opt_string("litellm_credential_name", d.credential_name);
  opt_string("mock_response", d.mock_response);
  if (const json* x = present(p, "tags")) d.tags = fields::require_string_list(*x, Field{params_at, "tags"});
  if (const json* x = present(p, "tag_regex")) d.tag_regex = fields::require_string_list(*x, Field{params_at, "tag_regex"});
  if (const json* x = present(p, "order")) d.order = fields::require_int(*x, Field{params_at, "order"}, -1000000, 1000000);
  if (const json* x = present(p, "num_retries"))
    d.num_retries = fields::require_int(*x, Field{params_at, "num_retries"}, 0, kMaxCount);
  if (const json* x = present(p, "timeout")) d.timeout = fields::require_number(*x, Field{params_at, "timeout"}, 0.001, 86400);
  for (const char* key : {"weight", "rpm", "tpm", "stream_timeout"})
    if (const json* x = present(p, key)) fields::require_number(*x, Field{params_at, key}, 0, 1e12);
  // Per-deployment cooldown_time: present in 1.82.3 too (docs/confirmed-semantics.md).
  if (const json* x = present(p, "cooldown_time"))
    d.cooldown_time = fields::require_number(*x, Field{params_at, "cooldown_time"}, 0, 86400);
  static const std::set<std::string> known = {"model", "api_base", "api_key", "litellm_credential_name",
                                             "mock_response", "tags", "tag_regex", "order", "num_retries", "timeout",
                                             "weight", "rpm", "tpm", "stream_timeout", "cooldown_time"};
  fields::note_unknown_keys(p, params_at, known, ignored);

  At info_at = at / "model_info";
  if (!v.contains("model_info") || !v["model_info"].is_object() || !v["model_info"].contains("id"))
    info_at.fail("model_info.id is required: routecheck needs an explicit id for every deployment");
  const json& info = v["model_info"];
  // LiteLLM stringifies ids; a YAML `id: 1` is the id "1".
  d.id = info["id"].is_number_integer() ? std::to_string(info["id"].get<long long>())
                                        : fields::require_string(info["id"], Field{info_at, "id"}, true);
  static const std::set<std::string> known_info_182 = {"id"};
  static const std::set<std::string> known_info_latest = {"id", "enable_tag_filtering", "allow_fail_open"};
  const auto& known_info = profile == Profile::LitellmLatest ? known_info_latest : known_info_182;
  if (profile == Profile::LitellmLatest) {
    if (info.contains("enable_tag_filtering") && !info["enable_tag_filtering"].is_null())
      d.enable_tag_filtering = fields::require_bool(info["enable_tag_filtering"], info_at / "enable_tag_filtering");
    if (info.contains("allow_fail_open") && !info["allow_fail_open"].is_null())
      d.allow_fail_open = fields::require_bool(info["allow_fail_open"], info_at / "allow_fail_open");
  }
  fields::note_unknown_keys(info, info_at, known_info, ignored);
  static const std::set<std::string> known_entry = {"model_name", "litellm_params", "model_info"};
  fields::note_unknown_keys(v, at, known_entry, ignored);
  return d;
}

Credential parse_credential(const json& v, const At& at, std::vector<std::string>& ignored) {
  fields::require_object(v, at);
  Credential c;
  if (!v.contains("credential_name")) at.fail("credential_name is required");
  c.name = fields::require_string(v["credential_name"], at / "credential_name", true);
  if (v.contains("credential_values") && !v["credential_values"].is_null()) {
    At values_at = at / "credential_values";
    const json& values = fields::require_object(v["credential_values"], values_at);
    if (values.contains("api_key") && !values["api_key"].is_null())
      c.api_key = fields::require_string(values["api_key"], values_at / "api_key");
    if (values.contains("api_base") && !values["api_base"].is_null())
      c.api_base = fields::require_string(values["api_base"], values_at / "api_base");
    static const std::set<std::string> known_values = {"api_key", "api_base"};
    fields::note_unknown_keys(values, values_at, known_values, ignored);
  }
  static const std::set<std::string> known = {"credential_name", "credential_values", "credential_info"};
  fields::note_unknown_keys(v, at, known, ignored);
  return c;
}

// Router keys that litellm_settings may also set (semantics §2.5).
const std::set<std::string> kSharedKeys = {"num_retries", "fallbacks", "context_window_fallbacks",
                                           "content_policy_fallbacks", "default_fallbacks", "max_fallbacks"};

// Where each fallback list was read from (router_settings or litellm_settings, §2.5), so that a bad
// target is reported at the field the user wrote.
struct FallbackSources {
  std::string fallbacks, context_window_fallbacks, content_policy_fallbacks, default_fallbacks;  // JSON pointers
};

RouterSettings parse_router(const json& rs, const At& rs_at, const json& ls, const At& ls_at, Profile profile,
                            std::vector<std::string>& ignored, FallbackSources& sources) {
  RouterSettings r;
  // Which section a shared key comes from: router_settings if set (an empty list counts as unset).
  auto pick = [&](const std::string& key, bool list_valued) -> std::pair<const json*, At> {
    if (rs.contains(key) && !rs[key].is_null() && !(list_valued && rs[key].is_array() && rs[key].empty()))
      return {&rs[key], rs_at / key};
    if (ls.contains(key) && !ls[key].is_null()) return {&ls[key], ls_at / key};
    return {nullptr, At{rs_at.file, ""}};  // not read: no path needed
  };
  if (auto [v, at] = pick("num_retries", false); v) r.num_retries = fields::require_int(*v, at, 0, kMaxCount);
  if (auto [v, at] = pick("max_fallbacks", false); v) r.max_fallbacks = fields::require_int(*v, at, 0, kMaxCount);
  sources.fallbacks = (rs_at / "fallbacks").pointer;
  sources.context_window_fallbacks = (rs_at / "context_window_fallbacks").pointer;
  sources.content_policy_fallbacks = (rs_at / "content_policy_fallbacks").pointer;
  sources.default_fallbacks = (rs_at / "default_fallbacks").pointer;
  if (auto [v, at] = pick("fallbacks", true); v) r.fallbacks = parse_fallbacks(*v, at), sources.fallbacks = at.pointer;
  if (auto [v, at] = pick("context_window_fallbacks", true); v)
    r.context_window_fallbacks = parse_fallbacks(*v, at), sources.context_window_fallbacks = at.pointer;
  if (auto [v, at] = pick("content_policy_fallbacks", true); v)
    r.content_policy_fallbacks = parse_fallbacks(*v, at), sources.content_policy_fallbacks = at.pointer;
  if (auto [v, at] = pick("default_fallbacks", true); v)
    r.default_fallbacks = fields::require_string_list(*v, at), sources.default_fallbacks = at.pointer;

  auto flag = [&](const char* key, bool& out) {
    if (rs.contains(key) && !rs[key].is_null()) out = fields::require_bool(rs[key], rs_at / key);
  };
  flag("enable_tag_filtering", r.enable_tag_filtering);
  flag("tag_filtering_match_any", r.tag_filtering_match_any);
  flag("disable_cooldowns", r.disable_cooldowns);
  flag("enable_pre_call_checks", r.enable_pre_call_checks);
  if (rs.contains("retry_after") && !rs["retry_after"].is_null())
    r.retry_after = fields::require_number(rs["retry_after"], rs_at / "retry_after", 0, 3600);
  if (rs.contains("cooldown_time") && !rs["cooldown_time"].is_null())
    r.cooldown_time = fields::require_number(rs["cooldown_time"], rs_at / "cooldown_time", 0, 86400);
  if (r.cooldown_time == 0) r.cooldown_time = 5;  // LiteLLM: `cooldown_time or DEFAULT_COOLDOWN_TIME_SECONDS`
  if (rs.contains("timeout") && !rs["timeout"].is_null())
    r.timeout = fields::require_number(rs["timeout"], rs_at / "timeout", 0.001, 86400);
  if (rs.contains("allowed_fails") && !rs["allowed_fails"].is_null())
    r.allowed_fails = fields::require_int(rs["allowed_fails"], rs_at / "allowed_fails", 0, 1000000);
  if (rs.contains("allowed_fails_policy") && !rs["allowed_fails_policy"].is_null())
    r.allowed_fails_policy =
        parse_class_counts(rs["allowed_fails_policy"], rs_at / "allowed_fails_policy", "AllowedFails", ignored);
  if (rs.contains("retry_policy") && !rs["retry_policy"].is_null())
    r.retry_policy = parse_class_counts(rs["retry_policy"], rs_at / "retry_policy", "Retries", ignored);
  if (rs.contains("model_group_retry_policy") && !rs["model_group_retry_policy"].is_null()) {
    At at = rs_at / "model_group_retry_policy";
    const json& groups = fields::require_object(rs["model_group_retry_policy"], at);
    for (auto it = groups.begin(); it != groups.end(); ++it)
      r.model_group_retry_policy[it.key()] = parse_class_counts(it.value(), at / it.key(), "Retries", ignored);
  }
  if (rs.contains("routing_strategy") && !rs["routing_strategy"].is_null())
    fields::require_string(rs["routing_strategy"], rs_at / "routing_strategy");
  // The keys each profile knows; built once (a config is parsed per scenario line in batch mode).
  static const std::set<std::string> known_182 = [] {
    std::set<std::string> k = {"enable_tag_filtering", "tag_filtering_match_any", "routing_strategy", "retry_policy",
                               "model_group_retry_policy", "retry_after", "allowed_fails", "allowed_fails_policy",
                               "cooldown_time", "disable_cooldowns", "enable_pre_call_checks", "timeout"};
    k.insert(kSharedKeys.begin(), kSharedKeys.end());
    return k;
  }();
  static const std::set<std::string> known_latest = [] {
    std::set<std::string> k = known_182;
    k.insert("tag_routing_prefix");
    return k;
  }();
  const auto& known = profile == Profile::LitellmLatest ? known_latest : known_182;
  if (profile == Profile::LitellmLatest) {
    if (rs.contains("tag_routing_prefix") && !rs["tag_routing_prefix"].is_null())
      r.tag_routing_prefix = fields::require_string(rs["tag_routing_prefix"], rs_at / "tag_routing_prefix");
  }
  fields::note_unknown_keys(rs, rs_at, known, ignored);
  fields::note_unknown_keys(ls, ls_at, kSharedKeys, ignored);
  return r;
}

void check_fallback_targets(const Config& c, const FallbackList& list, const At& at) {
  auto known_key = [&](const std::string& key) {
    if (key == "*") return true;
    for (const ModelGroup& g : c.groups) {
      if (g.name == key) return true;
      auto slash = g.name.find('/');
      if (slash != std::string::npos && g.name.substr(slash + 1) == key) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const FallbackRule& rule = list[i];
    if (!known_key(rule.key))
      (at / i / rule.key).fail("unknown fallback group '" + rule.key + "': no model_list entry has this model_name");
    for (std::size_t k = 0; k < rule.targets.size(); ++k)
      if (!c.find_group(rule.targets[k]))
        (at / i / rule.key / k).fail("unknown fallback group '" + rule.targets[k] +
                                     "': no model_list entry has this model_name");
  }
}

}  // namespace

bool Deployment::has_tag(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

const ModelGroup* Config::find_group(const std::string& name) const {
  if (const ConfigIndex* own = own_index(*this)) {
    int g = own->lookup(name).group;
    return g >= 0 ? &groups[g] : nullptr;
  }
  for (const ModelGroup& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

int Config::find_deployment(const std::string& id) const {
  if (const ConfigIndex* own = own_index(*this)) return own->lookup(id).deployment;
  for (std::size_t i = 0; i < deployments.size(); ++i)
    if (deployments[i].id == id) return static_cast<int>(i);
  return -1;
}

const Credential* Config::find_credential(const std::string& name) const {
  for (const Credential& c : credentials)
    if (c.name == name) return &c;
  return nullptr;
}

Config parse_config(const json& doc, Profile profile, const std::string& file, const std::string& pointer_prefix) {
  At root{file, pointer_prefix};
  fields::require_object(doc, root);
  Config c;
  c.source = doc;
  if (!doc.contains("model_list")) root.fail("model_list is required");
  At list_at = root / "model_list";
  const json& list = fields::require_array(doc["model_list"], list_at);
  c.deployments.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    Deployment d = parse_deployment(list[i], list_at / i, profile, c.ignored_keys);
    if (c.find_deployment(d.id) >= 0)
      (list_at / i / "model_info" / "id").fail("duplicate deployment id '" + d.id + "'");
    c.deployments.push_back(std::move(d));
  }
  for (std::size_t i = 0; i < c.deployments.size(); ++i) {
    const std::string& name = c.deployments[i].group;
    auto it = std::find_if(c.groups.begin(), c.groups.end(), [&](const ModelGroup& g) { return g.name == name; });
    if (it == c.groups.end()) c.groups.push_back(ModelGroup{name, {}}), it = c.groups.end() - 1;
    it->members.push_back(static_cast<int>(i));
  }

  if (doc.contains("credential_list") && !doc["credential_list"].is_null()) {
    At creds_at = root / "credential_list";
    const json& creds = fields::require_array(doc["credential_list"], creds_at);
    for (std::size_t i = 0; i < creds.size(); ++i) {
      Credential cred = parse_credential(creds[i], creds_at / i, c.ignored_keys);
      if (c.find_credential(cred.name))
        (creds_at / i / "credential_name").fail("duplicate credential name '" + cred.name + "'");
      c.credentials.push_back(std::move(cred));
    }
  }
  for (std::size_t i = 0; i < c.deployments.size(); ++i) {
    const Deployment& d = c.deployments[i];
    if (d.credential_name && !c.find_credential(*d.credential_name))
      (list_at / i / "litellm_params" / "litellm_credential_name")
          .fail("credential '" + *d.credential_name + "' is not defined in credential_list");
  }

  static const json empty = json::object();
  auto section = [&](const char* key) -> const json& {
    if (!doc.contains(key) || doc[key].is_null()) return empty;
    return fields::require_object(doc[key], root / key);
  };
  const json& rs = section("router_settings");
  const json& ls = section("litellm_settings");
  const json& gs = section("general_settings");
  FallbackSources sources;
  c.router = parse_router(rs, root / "router_settings", ls, root / "litellm_settings", profile, c.ignored_keys, sources);
  check_fallback_targets(c, c.router.fallbacks, At{file, sources.fallbacks});
  check_fallback_targets(c, c.router.context_window_fallbacks, At{file, sources.context_window_fallbacks});
  check_fallback_targets(c, c.router.content_policy_fallbacks, At{file, sources.content_policy_fallbacks});
  for (std::size_t i = 0; i < c.router.default_fallbacks.size(); ++i)
    if (!c.find_group(c.router.default_fallbacks[i]))
      (At{file, sources.default_fallbacks} / i)
          .fail("unknown fallback group '" + c.router.default_fallbacks[i] + "': no model_list entry has this model_name");
  if (gs.contains("master_key") && !gs["master_key"].is_null())
    c.master_key = fields::require_string(gs["master_key"], root / "general_settings" / "master_key");
  static const std::set<std::string> known_general_182 = {"master_key"};
  static const std::set<std::string> known_general_latest = {"master_key", "dangerously_allow_mock_testing_request_params"};
  const auto& known_general = profile == Profile::LitellmLatest ? known_general_latest : known_general_182;
  if (profile == Profile::LitellmLatest) {
    const char* key = "dangerously_allow_mock_testing_request_params";
    if (gs.contains(key) && !gs[key].is_null()) c.allow_mock_testing_params = fields::require_bool(gs[key], root / "general_settings" / key);
  }
  fields::note_unknown_keys(gs, root / "general_settings", known_general, c.ignored_keys);
  static const std::set<std::string> known_top = {"model_list", "credential_list", "router_settings",
                                                 "litellm_settings", "general_settings"};
  fields::note_unknown_keys(doc, root, known_top, c.ignored_keys);
  c.index = build_index(c);
  return c;
}

Config load_config(const std::string& path, Profile profile) {
  return parse_config(load_document(path), profile, path);
}

}  // namespace routecheck
