#pragma once
// The named benchmark scenario "three-groups-eight-deployments": 3 groups, 8 deployments, tags on
// most, one credential, fallbacks, one failing deployment, every eligible set a singleton.
namespace routecheck::bench {

inline const char* kThreeGroupsEightDeployments = R"({
  "format": "routecheck-scenario/1",
  "id": "bench-three-groups-eight-deployments",
  "config": {
    "model_list": [
      {"model_name": "chat", "litellm_params": {"model": "openai/c1", "litellm_credential_name": "shared", "tags": ["eu", "fast"]}, "model_info": {"id": "c1"}},
      {"model_name": "chat", "litellm_params": {"model": "openai/c2", "api_key": "k2", "tags": ["us"]}, "model_info": {"id": "c2"}},
      {"model_name": "chat", "litellm_params": {"model": "openai/c3", "api_key": "k3", "tags": ["asia"]}, "model_info": {"id": "c3"}},
      {"model_name": "backup", "litellm_params": {"model": "openai/b1", "api_key": "k4", "tags": ["eu"]}, "model_info": {"id": "b1"}},
      {"model_name": "backup", "litellm_params": {"model": "openai/b2", "api_key": "k5", "tags": ["us", "slow"]}, "model_info": {"id": "b2"}},
      {"model_name": "backup", "litellm_params": {"model": "openai/b3", "api_key": "k6"}, "model_info": {"id": "b3"}},
      {"model_name": "last", "litellm_params": {"model": "openai/l1", "api_key": "k7", "tags": ["eu", "gpu"]}, "model_info": {"id": "l1"}},
      {"model_name": "last", "litellm_params": {"model": "openai/l2", "api_key": "k8", "tags": ["default"]}, "model_info": {"id": "l2"}}
    ],
    "credential_list": [{"credential_name": "shared", "credential_values": {"api_key": "sk-shared"}}],
    "router_settings": {"enable_tag_filtering": true, "num_retries": 0, "max_fallbacks": 3,
                        "disable_cooldowns": true, "fallbacks": [{"chat": ["backup"]}, {"backup": ["last"]}]}
  },
  "request": {"path": "/v1/chat/completions", "headers": {"x-litellm-tags": "eu"},
              "body": {"model": "chat", "messages": [{"role": "user", "content": "hi"}]}},
  "faults": {"c1": ["500"], "b1": ["503"]}
})";

}  // namespace routecheck::bench
