#pragma once
/// Generators of LiteLLM proxy configs: model groups, deployments, credentials, router settings and
/// fallback lists. Each generator yields a small spec; `render_config` turns a spec into the config
/// document that `parse_config` reads, so generated configs go through the one config parser.
#include <rapidcheck.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "routecheck/config.h"

namespace routecheck::generators {

inline constexpr int kMaxGroups = 4;
inline constexpr int kMaxDeployments = 4;  // per group

/// Group names by index; deployment ids are "<group>-<k>" (k from 1), as in corpus/scenarios.
const std::vector<std::string>& group_names();
/// Tags deployments carry; includes "default" (§4.1).
const std::vector<std::string>& deployment_tag_alphabet();
/// Credential names of `credential_list`.
const std::vector<std::string>& credential_names();

/// One `model_list` entry: its routing tags and where its key comes from.
struct DeploymentSpec {
  std::vector<std::string> tags;  // subset of deployment_tag_alphabet()
  int credential = -1;            // -1: its own api_key; else an index into credential_names()
};

/// The deployments of one `model_name`; only the first `size` are used (so the count shrinks on its own).
struct ModelGroupSpec {
  int size = 1;
  std::vector<DeploymentSpec> deployments;
};

/// One `{"<key>": [targets]}` entry; indices into group_names(), key kStarKey for "*".
struct FallbackRuleSpec {
  static constexpr int kStarKey = kMaxGroups;
  int key = 0;
  std::vector<int> targets;
};

/// `router_settings`; `preset` >= 0 when drawn from the live-safe presets (CONTRACT.md §9).
struct RouterSpec {
  bool tag_filtering = false;
  int match_any = 0;  // 0: unset (LiteLLM's default, true), 1: true, 2: false
  int num_retries = 0;
  int max_fallbacks = 5;
  bool cooldowns = false;  // false renders disable_cooldowns: true (semantics §10.2)
  std::vector<FallbackRuleSpec> fallbacks, context_window_fallbacks, content_policy_fallbacks;
  std::vector<int> default_fallbacks;
  int preset = -1;
};

/// A whole config: the first `group_count` groups are used.
struct ConfigSpec {
  int group_count = 1;
  std::vector<ModelGroupSpec> groups;
  RouterSpec router;
};

/// The group and deployment names of a config, in config order: what requests and faults refer to.
struct ConfigShape {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // name -> deployment ids
  static ConfigShape of(const Config& config);
};

/// A deployment: tags (shrink toward none), key (shrinks toward its own api_key).
rc::Gen<DeploymentSpec> genDeployment();
/// A model group of 1–4 deployments (shrinks toward 1).
rc::Gen<ModelGroupSpec> genModelGroup();
/// A fallback entry: a group or "*" key, 1–3 targets (shrink toward fewer, toward group 0); cycles allowed.
rc::Gen<FallbackRuleSpec> genFallbackRule(bool allow_star);
/// Router settings; `live_safe` draws tag/retry/walk settings from 4 presets and never enables cooldowns.
rc::Gen<RouterSpec> genRouterSettings(bool live_safe);
/// A config of 1–4 groups (shrinks toward 1 group, fewer deployments, fewer tags and fallbacks).
rc::Gen<ConfigSpec> genConfig(bool live_safe);

/// The config document for `spec` (references to groups beyond group_count are dropped).
nlohmann::json render_config(const ConfigSpec& spec);
/// The names `render_config(spec)` uses.
ConfigShape shape_of(const ConfigSpec& spec);

}  // namespace routecheck::generators
