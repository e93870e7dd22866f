// Semantics §9: the final status and the response headers.
#include "routing_case.h"

namespace routecheck::testing {
namespace {

const char* kSingle = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, api_base: "http://127.0.0.1:9/d/p1/v1?x=1"}, model_info: {id: p1}}
router_settings: {num_retries: 0, disable_cooldowns: true}
)";

TEST(S9_2_StatusTable, UpstreamFaultsMapToStatuses) {
  const std::pair<const char*, int> table[] = {
      {"400", 400}, {"401", 401}, {"403", 403}, {"404", 404}, {"408", 408}, {"422", 422}, {"429", 429},
      {"500", 500}, {"503", 503}, {"refused", 500}, {"timeout", 408}, {"context_window", 400}, {"content_policy", 400}};
  for (const auto& [fault, status] : table) {
    RoutingCase c(kSingle);
    c.fault(std::string("p1=") + fault);
    Outcome o = c.only();
    EXPECT_EQ(o.status, status) << fault;
    EXPECT_FALSE(o.served_by.has_value()) << fault;
    EXPECT_FALSE(o.denial.has_value()) << fault;
  }
}

TEST(S9_2_StatusTable, ErrorClassesNameTheFault) {
  const std::pair<const char*, const char*> table[] = {
      {"500", "upstream:500"}, {"timeout", "timeout"}, {"refused", "connection"},
      {"context_window", "context_window"}, {"content_policy", "content_policy"}};
  for (const auto& [fault, cls] : table) {
    RoutingCase c(kSingle);
    c.fault(std::string("p1=") + fault);
    EXPECT_EQ(c.only().error_class, cls) << fault;
  }
}

TEST(S9_1_Rewrite, NoDeploymentsTextWinsOverTagText) {
  // Hop 0 fails upstream; the walk meets a tag denial (b) and then an empty group (c, cooled by a 401).
  RoutingCase c(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [y]}, model_info: {id: b1}}
router_settings:
  enable_tag_filtering: true
  num_retries: 0
  fallbacks: [{a: [b, a]}]
)");
  c.body(R"({"model": "a"})").header("x-litellm-tags", "x").fault("a1=401");
  Outcome o = c.only();
  // a1 cooled at once (401); the walk tries b (denied), skips a: the last error is b's denial.
  EXPECT_EQ(o.status, 401);
  RoutingCase nd(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [y]}, model_info: {id: b1}}
router_settings:
  enable_tag_filtering: true
  num_retries: 0
  fallbacks: [{a: [b]}, {b: [a]}]
)");
  nd.body(R"({"model": "a"})").header("x-litellm-tags", "x").fault("a1=401");
  Outcome both = nd.only();
  // b is denied, b's walk reaches a with an empty healthy set: b's composed error carries neither
  // (a denial is raised unchanged), so the last error is b's denial → 401.
  EXPECT_EQ(both.status, 401);
  EXPECT_EQ(both.denial->group, "b");
}

TEST(S9_1_Rewrite, StatusIsNeverFromObservabilityTags) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, litellm_credential_name: cred}, model_info: {id: p1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
credential_list: [{credential_name: cred, credential_values: {api_key: s}}]
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true, fallbacks: [{primary: [backup]}]}
)");
  c.fault("p1=500").fault("b1=500");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 500);
  EXPECT_FALSE(o.denial.has_value());
}

TEST(S9_4_Headers, SuccessHeadersNameTheServingDeploymentAndHop) {
  RoutingCase c(kSingle);
  Outcome o = c.only();
  EXPECT_EQ(header(o, "x-litellm-model-id"), "p1");
  EXPECT_EQ(header(o, "x-litellm-model-group"), "primary");
  EXPECT_EQ(header(o, "x-litellm-model-api-base"), "http://127.0.0.1:9/d/p1/v1");  // query removed
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "0");
  EXPECT_EQ(header(o, "x-litellm-max-retries"), "<absent>");
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "0");
}

TEST(S9_4_Headers, MaxRetriesOnlyWhenTheServingHopRetried) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 2, disable_cooldowns: true}
)");
  c.fault("p1=500,ok");
  Outcome o = c.only();
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "1");
  EXPECT_EQ(header(o, "x-litellm-max-retries"), "2");
}

TEST(S9_4_Headers, ErrorResponsesCarryOnlyTheLastPickedModelId) {
  RoutingCase c(kSingle);
  c.fault("p1=500");
  Outcome o = c.only();
  ASSERT_EQ(o.headers.size(), 1u);
  EXPECT_EQ(header(o, "x-litellm-model-id"), "p1");
}

TEST(S9_4_Headers, ADenialBeforeAnyPickCarriesNoModelId) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, tags: [x]}, model_info: {id: p1}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  c.header("x-litellm-tags", "y");
  EXPECT_TRUE(c.only().headers.empty());
}

TEST(S9_4_Headers, ApiBaseComesFromTheCredentialWhenTheDeploymentHasNone) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, litellm_credential_name: cred}, model_info: {id: p1}}
credential_list: [{credential_name: cred, credential_values: {api_key: s, api_base: "http://cred/v1"}}]
router_settings: {num_retries: 0}
)");
  Outcome o = c.only();
  EXPECT_EQ(header(o, "x-litellm-model-api-base"), "http://cred/v1");
  ASSERT_EQ(o.upstream_calls.size(), 1u);
  EXPECT_EQ(o.upstream_calls[0].key, "cred");
}

}  // namespace
}  // namespace routecheck::testing
