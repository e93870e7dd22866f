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

// Point 12, confirmed on 1.82.3: a deployment's litellm_params.num_retries N is the router's count for an
// error that deployment raised, over header and body, and the OpenAI SDK's max_retries: each router
// attempt is up to N + 1 calls, each taking the deployment's next fault.
std::string with_deployment_retries(int n, const std::string& settings) {
  return R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, num_retries: )" + std::to_string(n) +
         R"(}, model_info: {id: p1}}
router_settings: {disable_cooldowns: true)" + (settings.empty() ? "" : ", " + settings) + "}\n";
}

TEST(S6_1_Budget, DeploymentNumRetriesWinsAndTurnsOnSdkRetriesIn182) {
  for (const char* body : {R"({"model": "primary"})", R"({"model": "primary", "num_retries": 1})"}) {
    RoutingCase c(with_deployment_retries(2, "num_retries: 0"));
    c.body(body).fault("p1=500");
    Outcome o = c.only();
    EXPECT_EQ(o.status, 500);
    EXPECT_EQ(called(o).size(), 9u) << body;  // 3 router attempts x 3 SDK calls (p12-deployment-2, -body-1)
    EXPECT_EQ(o.trace.size(), 3u);
    EXPECT_EQ(o.trace[0].retry->rule, "6.1: p1 litellm_params.num_retries=2");
  }
  RoutingCase header(with_deployment_retries(1, "num_retries: 0"));
  header.header("x-litellm-num-retries", "3").fault("p1=500");
  EXPECT_EQ(called(header.only()).size(), 4u);  // the exception's count wins over the header's too
}

TEST(S6_1_Budget, LatestTakesTheBodyFirstAndMakesNoSdkRetries) {
  RoutingCase plain(with_deployment_retries(2, "num_retries: 0"));
  plain.profile(Profile::LitellmLatest).fault("p1=500");
  EXPECT_EQ(called(plain.only()).size(), 3u);
  RoutingCase body(with_deployment_retries(2, "num_retries: 0"));
  body.profile(Profile::LitellmLatest).body(R"({"model": "primary", "num_retries": 1})").fault("p1=500");
  EXPECT_EQ(called(body.only()).size(), 2u);  // 1.108.7: the body wins (confirmed)
}

TEST(S6_5_SdkRetries, ASuccessfulSdkCallEndsTheAttempt) {
  RoutingCase c(with_deployment_retries(2, "num_retries: 0"));
  c.fault("p1=500,503,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(called(o).size(), 3u);
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "0");  // one router attempt
  ASSERT_EQ(o.trace.size(), 1u);
  EXPECT_EQ(o.trace[0].outcome, "ok");
}

TEST(S6_5_SdkRetries, EachSdkCallTakesTheNextFault) {
  RoutingCase c(with_deployment_retries(1, ""));
  c.fault("p1=500,500,429,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(called(o).size(), 4u);  // attempt 0: 500, 500; the router's retry: 429, ok
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "1");
  EXPECT_EQ(o.trace[0].outcome, "500");
}

TEST(S6_5_SdkRetries, TheSdkRetriesOnlyTransientAnswers) {
  for (const char* fault : {"400", "401", "403", "404", "422", "context_window", "content_policy"}) {
    RoutingCase c(with_deployment_retries(2, "num_retries: 0"));
    c.fault(std::string("p1=") + fault + ",ok");
    Outcome o = c.only();
    EXPECT_EQ(called(o).size(), fault == std::string("403") ? 2u : 1u) << fault;  // 403: the router retries it
  }
  for (const char* fault : {"408", "409", "429", "502", "timeout", "refused"}) {
    RoutingCase c(with_deployment_retries(1, "num_retries: 0, timeout: 1"));
    c.fault(std::string("p1=") + fault + ",ok");
    Outcome o = c.only();
    EXPECT_EQ(o.status, 200) << fault;
    EXPECT_EQ(called(o).size(), 2u) << fault;
    EXPECT_EQ(o.trace.size(), 1u) << fault;  // both calls inside the router's first attempt
  }
  RoutingCase long_wait(with_deployment_retries(2, "num_retries: 0"));
  long_wait.fault("p1=429@retry-after=300,ok");
  Outcome o = long_wait.only();
  EXPECT_EQ(called(o).size(), 2u);  // a Retry-After beyond 120 s stops the SDK; the router's retry gets ok
  EXPECT_EQ(o.trace.size(), 2u);
}

TEST(S6_5_SdkRetries, SdkBackoffCountsTowardsTheDurationBound) {
  RoutingCase c(with_deployment_retries(2, "num_retries: 0"));
  c.fault("p1=500,500,ok");
  EXPECT_DOUBLE_EQ(c.only().max_duration_s, 1.5);  // 0.5 s + 1 s, the SDK's jitter only shortens them
  RoutingCase ra(with_deployment_retries(1, "num_retries: 0"));
  ra.fault("p1=429@retry-after=2,ok");
  EXPECT_DOUBLE_EQ(ra.only().max_duration_s, 2.0);
}

TEST(S6_5_SdkRetries, AMockResponseMakesNoSdkCallsButKeepsTheDeploymentCount) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, mock_response: litellm.InternalServerError, num_retries: 2}, model_info: {id: p1}}
router_settings: {disable_cooldowns: true, num_retries: 0}
)");
  Outcome o = c.only();
  EXPECT_TRUE(o.upstream_calls.empty());
  EXPECT_EQ(o.trace.size(), 3u);
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
