#pragma once
/// A LiteLLM proxy config, reduced to what routing needs, validated once at load.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "routecheck/profile.h"

namespace routecheck {

struct ConfigIndex;  // what routing looks up, derived by parse_config (src/config_index.h)

/// One `credential_list` entry.
struct Credential {
  std::string name;
  std::optional<std::string> api_key;
  std::optional<std::string> api_base;
};

/// One `model_list` entry; `id` is its `model_info.id`.
struct Deployment {
  std::string id;
  std::string group;  // model_name
  std::string model;  // litellm_params.model
  std::optional<std::string> api_base, api_key, credential_name;
  std::vector<std::string> tags;
  std::vector<std::string> tag_regex;
  std::optional<int> order;
  std::optional<int> num_retries;
  std::optional<double> timeout;
  std::optional<std::string> mock_response;
  std::optional<double> cooldown_time;          // litellm-latest only
  std::optional<bool> enable_tag_filtering;     // litellm-latest only (model_info)
  bool allow_fail_open = false;                 // litellm-latest only (model_info)

  bool has_tag(const std::string& tag) const;
};

/// The deployments sharing one `model_name`, in config order.
struct ModelGroup {
  std::string name;
  std::vector<int> members;  // indices into Config::deployments
};

/// One `{"A": ["B", "C"]}` entry of a fallback list.
struct FallbackRule {
  std::string key;
  std::vector<std::string> targets;
};
using FallbackList = std::vector<FallbackRule>;

/// Per-exception-class counts, as in LiteLLM's RetryPolicy / AllowedFailsPolicy.
struct ClassCounts {
  std::optional<int> bad_request, authentication, timeout, rate_limit, content_policy, internal_server;
};

/// `router_settings` after the precedence of semantics §2.5 (router_settings, litellm_settings, default).
struct RouterSettings {
  bool enable_tag_filtering = false;
  bool tag_filtering_match_any = true;
  std::string tag_routing_prefix;
  std::optional<int> num_retries;  // unset: the default of semantics §6.1 applies
  std::optional<ClassCounts> retry_policy;
  std::map<std::string, ClassCounts> model_group_retry_policy;
  double retry_after = 0;
  std::optional<int> allowed_fails;
  std::optional<ClassCounts> allowed_fails_policy;
  double cooldown_time = 5;
  bool disable_cooldowns = false;
  FallbackList fallbacks;
  FallbackList context_window_fallbacks;
  FallbackList content_policy_fallbacks;
  std::vector<std::string> default_fallbacks;
  int max_fallbacks = 5;
  bool enable_pre_call_checks = false;
  std::optional<double> timeout;
};

/// A validated config. `source` keeps the document as given, for serialising scenarios back.
struct Config {
  std::vector<Deployment> deployments;
  std::vector<ModelGroup> groups;
  std::vector<Credential> credentials;
  RouterSettings router;
  std::string master_key;
  bool allow_mock_testing_params = false;  // latest: general_settings.dangerously_allow_mock_testing_request_params
  std::vector<std::string> ignored_keys;  // dotted paths of keys the profile does not know
  nlohmann::json source;
  /// Lookups derived once by parse_config (names, tags as bit sets, resolved fallbacks); shared by
  /// copies. It does not follow edits of the fields above: edit the document and parse it again.
  std::shared_ptr<const ConfigIndex> index;

  const ModelGroup* find_group(const std::string& name) const;
  int find_deployment(const std::string& id) const;  // -1 when absent
  const Credential* find_credential(const std::string& name) const;
};

/// Validates a config document. Errors name `file` and the field under `pointer_prefix`.
Config parse_config(const nlohmann::json& doc, Profile profile, const std::string& file,
                    const std::string& pointer_prefix = "");

/// Loads a config file (YAML or JSON) and validates it.
Config load_config(const std::string& path, Profile profile);

}  // namespace routecheck
