// ConfigIndex (src/config_index.h) fits only the Config it was built from: a Config edited after
// parse_config (a deployment added, a fallback rule removed) no longer fits, and route() then builds an
// index for it instead of reading positions the edit moved.
#include <gtest/gtest.h>

#include "../src/config_index.h"
#include "routecheck/document.h"
#include "routecheck/route.h"

namespace routecheck {
namespace {

Config parsed_config() {
  return parse_config(parse_document(R"(
model_list:
  - model_name: chat
    litellm_params: {model: openai/a, api_key: k1}
    model_info: {id: a}
  - model_name: backup
    litellm_params: {model: openai/b, api_key: k2}
    model_info: {id: b}
router_settings:
  fallbacks: [{chat: [backup]}]
)",
                                     "test-config.yaml", true),
                      Profile::Litellm182, "test-config.yaml");
}

RouteResult route_to(const Config& config, const std::string& model, const FaultPlan& faults = {}) {
  Request request = make_request("/v1/chat/completions", {}, nlohmann::json{{"model", model}, {"messages", nlohmann::json::array()}},
                                 "test-body.json");
  RouteOptions options;
  options.alternatives = false;
  return route(RouteInput{config, request, faults, Principal{}}, options);
}

TEST(ConfigIndex, FitsTheConfigItWasBuiltFrom) {
  Config config = parsed_config();
  ASSERT_NE(config.index, nullptr);
  EXPECT_TRUE(config.index->fits(config));
  Config copy = config;  // copies share the index, and it fits them too
  EXPECT_TRUE(copy.index->fits(copy));
}

TEST(ConfigIndex, AConfigGivenAnotherDeploymentNoLongerFitsAndRoutesToIt) {
  Config config = parsed_config();
  Deployment added = config.deployments[0];
  added.id = "c";
  added.group = "chat";
  config.deployments.push_back(added);
  config.groups[0].members.push_back(2);
  EXPECT_FALSE(config.index->fits(config));
  const RouteResult result = route_to(config, "c");  // a deployment id: served by it, not "unknown model"
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].status, 200);
  EXPECT_EQ(result.outcomes[0].served_by, "c");
}

TEST(ConfigIndex, AConfigWithoutItsFallbackRuleNoLongerFitsAndDoesNotFallBack) {
  Config config = parsed_config();
  config.router.fallbacks.clear();
  EXPECT_FALSE(config.index->fits(config));
  FaultPlan faults;
  add_fault_arg(faults, "a=500", "test");
  const RouteResult result = route_to(config, "chat", faults);
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].status, 500);  // the fallback to backup is gone with the rule
  EXPECT_EQ(result.outcomes[0].served_by, std::nullopt);
}

}  // namespace
}  // namespace routecheck
