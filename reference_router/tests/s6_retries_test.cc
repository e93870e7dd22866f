// Semantics §6: retries inside one hop.
#include "routing_case.h"

namespace routecheck::testing {
namespace {

std::string single(const std::string& settings) {
  return R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {disable_cooldowns: true)" + (settings.empty() ? "" : ", " + settings) + "}\n";
}

std::string pair(const std::string& settings) {
  return R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
  - {model_name: primary, litellm_params: {model: openai/p2, api_key: k}, model_info: {id: p2}}
router_settings: {disable_cooldowns: true)" + (settings.empty() ? "" : ", " + settings) + "}\n";
}

TEST(S6_1_Budget, DefaultIsTwoRetries) {
  RoutingCase c(single(""));
  c.fault("p1=500");
  EXPECT_EQ(called(c.only()), (Ids{"p1", "p1", "p1"}));
}

TEST(S6_1_Budget, ZeroIsHonoured) {
  RoutingCase c(single("num_retries: 0"));
  c.fault("p1=500");
  EXPECT_EQ(called(c.only()), Ids{"p1"});
}

TEST(S6_1_Budget, LitellmSettingsApplyWhenRouterSettingsAreSilent) {
  RoutingCase c(single("") + "litellm_settings: {num_retries: 1}\n");
  c.fault("p1=500");
  EXPECT_EQ(called(c.only()).size(), 2u);
}

TEST(S6_1_Budget, HeaderBeatsBodyBeatsRouter) {
  RoutingCase header(single("num_retries: 0"));
  header.fault("p1=500").header("x-litellm-num-retries", "2").body(R"({"model": "primary", "num_retries": 1})");
  EXPECT_EQ(called(header.only()).size(), 3u);
  RoutingCase body(single("num_retries: 0"));
  body.fault("p1=500").body(R"({"model": "primary", "num_retries": 1})");
  EXPECT_EQ(called(body.only()).size(), 2u);
}

TEST(S6_1_Budget, RetryPolicyReplacesNumRetriesForItsClass) {
  RoutingCase c(single("num_retries: 3, retry_policy: {InternalServerErrorRetries: 1}"));
  c.fault("p1=500");
  EXPECT_EQ(called(c.only()).size(), 2u);
  RoutingCase group(single("num_retries: 3, retry_policy: {InternalServerErrorRetries: 1}, "
                           "model_group_retry_policy: {primary: {InternalServerErrorRetries: 0}}"));
  group.fault("p1=500");
  EXPECT_EQ(called(group.only()).size(), 1u);
}

TEST(S6_1_Budget, AGroupPolicyReplacesTheRouterPolicyWhole) {
  RoutingCase c(single("num_retries: 0, retry_policy: {BadRequestErrorRetries: 2}, "
                       "model_group_retry_policy: {primary: {InternalServerErrorRetries: 3}}"));
  c.fault("p1=400");
  EXPECT_EQ(called(c.only()).size(), 1u);  // the group's policy has no BadRequest count: num_retries 0
}

TEST(S6_1_Budget, RetryPolicySkipsTheRetryabilityRules) {
  RoutingCase c(single("num_retries: 0, retry_policy: {BadRequestErrorRetries: 2}"));
  c.fault("p1=400");
  EXPECT_EQ(called(c.only()).size(), 3u);
}

TEST(S6_2_Retryability, StatusesThatEndTheHopAtOnce) {
  for (const char* status : {"400", "404", "422", "418", "context_window", "content_policy"}) {
    RoutingCase c(pair("num_retries: 3"));
    c.fault(std::string("p1=") + status).fault(std::string("p2=") + status);
    for (const Outcome& o : c.route().outcomes) EXPECT_EQ(o.upstream_calls.size(), 1u) << status;
  }
}

TEST(S6_2_Retryability, RetryableStatuses) {
  for (const char* status : {"408", "409", "429", "500", "502", "503", "timeout", "refused"}) {
    RoutingCase c(single("num_retries: 2"));
    c.fault(std::string("p1=") + status + ",ok");
    Outcome o = c.only();
    EXPECT_EQ(o.status, 200) << status;
    EXPECT_EQ(o.upstream_calls.size(), 2u) << status;
  }
}

TEST(S6_2_Retryability, AuthenticationErrorRetriedOnlyWithTwoDeployments) {
  RoutingCase one(single("num_retries: 2"));
  one.fault("p1=401,ok");
  EXPECT_EQ(one.only().status, 401);
  RoutingCase two(pair("num_retries: 2"));
  two.fault("p1=401,ok").fault("p2=401,ok");
  for (const Outcome& o : two.route().outcomes) EXPECT_EQ(o.status, 200);
}

TEST(S6_2_Retryability, PermissionDeniedRetriedWhileHealthy) {
  RoutingCase c(single("num_retries: 1"));
  c.fault("p1=403,ok");
  EXPECT_EQ(c.only().status, 200);
}

TEST(S6_2_Retryability, TagDenialIsRetriedSilently) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, tags: [x]}, model_info: {id: p1}}
router_settings: {enable_tag_filtering: true, num_retries: 2, disable_cooldowns: true}
)");
  c.header("x-litellm-tags", "y");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
  EXPECT_TRUE(o.upstream_calls.empty());
  ASSERT_EQ(o.trace.size(), 3u);
  for (const AttemptRecord& r : o.trace) EXPECT_EQ(r.outcome, "TAG_DENIED");
}

TEST(S6_2_Retryability, ContextWindowWithContextWindowFallbacksIsNotRetried) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
  - {model_name: big, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 2, disable_cooldowns: true, context_window_fallbacks: [{primary: [big]}]}
)");
  c.fault("p1=context_window");
  Outcome o = c.only();
  EXPECT_EQ(called(o), (Ids{"p1", "b1"}));
  EXPECT_EQ(o.trace[0].retry->rule.substr(0, 4), "6.2a");
}

TEST(S6_3_Loop, TheLatestErrorLeavesTheHop) {
  RoutingCase c(single("num_retries: 1"));
  c.fault("p1=503,400");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 400);
  EXPECT_EQ(o.upstream_calls.size(), 2u);
}

TEST(S6_3_Loop, RetryabilityIsJudgedOnTheLatestError) {
  RoutingCase c(single("num_retries: 3"));
  c.fault("p1=500,404,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.upstream_calls.size(), 2u);
}

TEST(S6_5_CallBound, AHopMakesAtMostOnePlusRetriesCalls) {
  RoutingCase c(pair("num_retries: 3"));
  c.fault("p1=500").fault("p2=500");
  for (const Outcome& o : c.route().outcomes) EXPECT_EQ(o.upstream_calls.size(), 4u);
}

TEST(S6_4_Backoff, SingleDeploymentRetriesSleepAndUseRetryAfter) {
  RoutingCase c(single("num_retries: 1"));
  c.fault("p1=429@retry-after=1,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.trace[0].retry->sleep, "backoff");
  EXPECT_DOUBLE_EQ(o.max_duration_s, 1.75);  // Retry-After plus at most 0.75 s of jitter
  RoutingCase multi(pair("num_retries: 1"));
  multi.fault("p1=500").fault("p2=500");
  EXPECT_EQ(multi.route().outcomes[0].trace[0].retry->sleep, "0");
}

}  // namespace
}  // namespace routecheck::testing
