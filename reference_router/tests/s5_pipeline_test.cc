// Semantics §5: the per-attempt pipeline (cooldown → tag filter → empty? → pick → post-pick writes).
#include "routing_case.h"

namespace routecheck::testing {
namespace {

const char* kTwoGroups = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, tags: [x]}, model_info: {id: p1}}
  - {model_name: primary, litellm_params: {model: openai/p2, api_key: k, tags: [x]}, model_info: {id: p2}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: kb, tags: [y]}, model_info: {id: b1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)";

TEST(S5_2_SpecificDeployment, BypassesTagFiltering) {
  RoutingCase c(kTwoGroups);
  c.body(R"({"model": "b1"})").header("x-litellm-tags", "x");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.served_by, "b1");
  ASSERT_EQ(o.trace.size(), 1u);
  EXPECT_TRUE(o.trace[0].specific_deployment);
  EXPECT_FALSE(o.trace[0].tag_decision);
  EXPECT_EQ(o.trace[0].tags_used, Tags{"x"});  // still RT(R): I-1 holds on every record
  EXPECT_FALSE(o.trace[0].eligible.has_value());  // no tag filter ran
}

TEST(S5_1_Order, The182CodeOrderBeforeTheTagFilterCanDenyAsAnAlternative) {
  // Intended: order applies to the tag-eligible set (g2 serves). The 1.82 code keeps the lowest order
  // first, with pre-call checks on, and then denies the tags: a 401, never a cooldown-style 429.
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/g1, api_key: k, tags: [a], order: 1}, model_info: {id: g1}}
  - {model_name: primary, litellm_params: {model: openai/g2, api_key: k, tags: [b], order: 2}, model_info: {id: g2}}
router_settings: {enable_tag_filtering: true, enable_pre_call_checks: true, num_retries: 0, disable_cooldowns: true}
)");
  c.header("x-litellm-tags", "b");
  RouteResult r = c.route();
  EXPECT_EQ(r.served_by(), Ids{"g2"});
  const Alternative* code = alternative(r, "5.1-should");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->outcomes.front().status, 401);
}

TEST(S5_2_SpecificDeployment, IsNotRetried) {
  // No group is named by the id, so the hop has no healthy deployments (6.2g); confirmed on 1.82.3.
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 2}
)");
  c.body(R"({"model": "p1"})").fault("p1=500,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 500);
  EXPECT_EQ(called(o), Ids{"p1"});
}

TEST(S5_2_SpecificDeployment, IsNotRetriedWhateverTheRequestAsks) {
  // Found by the harness on 1.82.3 (gen-1-36 minimized): body num_retries 1, 500 -> 1 call; 429 likewise.
  for (const char* fault : {"p1=500,ok", "p1=429,ok"}) {
    RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 0, disable_cooldowns: true}
)");
    c.body(R"({"model": "p1", "num_retries": 1})").fault(fault);
    Outcome o = c.only();
    EXPECT_EQ(called(o), Ids{"p1"}) << fault;
    EXPECT_EQ(o.trace.back().retry->rule, "6.2g: no healthy deployment left in the group");
  }
}

TEST(S5_2_SpecificDeployment, ItsOwnNumRetriesStillDrivesTheSdkIn182) {
  // The router does not retry (6.2g), but 1.82.3 hands the deployment's num_retries to the OpenAI SDK.
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k, num_retries: 1}, model_info: {id: p1}}
router_settings: {num_retries: 3, disable_cooldowns: true}
)");
  c.body(R"({"model": "p1"})").fault("p1=500");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 500);
  EXPECT_EQ(called(o), (Ids{"p1", "p1"}));
  EXPECT_EQ(o.trace.size(), 1u);
}

TEST(S5_5_PostPickWrites, NeverReachAFilterThatReadsLitellmMetadata) {
  // 1.82.3 writes deployment and credential tags into `metadata`; with a litellm_metadata object on a
  // chat route its tag filter reads that object (point 5), so even the #25276 mutant does not leak.
  const char* config = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, litellm_credential_name: cred}, model_info: {id: p1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: kb}, model_info: {id: b1}}
credential_list:
  - {credential_name: cred, credential_values: {api_key: sk}}
router_settings: {enable_tag_filtering: true, num_retries: 0, fallbacks: [{primary: [backup]}], disable_cooldowns: true}
)";
  RoutingCase leak(config);
  leak.mutant("credential-tag-leak").fault("p1=500");
  EXPECT_EQ(leak.only().status, 401);
  RoutingCase no_leak(config);
  no_leak.mutant("credential-tag-leak").fault("p1=500").body(R"({"model": "primary", "litellm_metadata": {}})");
  Outcome o = no_leak.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.served_by, "b1");
}

TEST(S5_2_SpecificDeployment, BypassesCooldown) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 1}
)");
  c.body(R"({"model": "p1"})").fault("p1=401,ok");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);  // 6.2f: a single-deployment 401 is not retried
  EXPECT_EQ(called(o), Ids{"p1"});
}

TEST(S5_3_NoEligible, UnknownModelIsA400BeforeTheRouter) {
  RoutingCase c(kTwoGroups);
  c.body(R"({"model": "nope"})");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 400);
  EXPECT_EQ(o.error_class, "unknown_model");
  EXPECT_TRUE(o.trace.empty());
}

TEST(S5_4_Pick, EveryEligibleMemberIsAnAllowedOutcome) {
  RoutingCase c(kTwoGroups);
  c.header("x-litellm-tags", "x");
  RouteResult r = c.route();
  EXPECT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(r.served_by(), (Ids{"p1", "p2"}));
  for (const Outcome& o : r.outcomes) EXPECT_EQ(*o.trace[0].eligible, (Ids{"p1", "p2"}));
}

TEST(S5_4_Pick, BranchesOnEveryPickAlongTheWay) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
  - {model_name: primary, litellm_params: {model: openai/p2, api_key: k}, model_info: {id: p2}}
router_settings: {num_retries: 1, disable_cooldowns: true}
)");
  c.fault("p1=500").fault("p2=ok");
  RouteResult r = c.route();
  // p2 first; p1 then p2; p1 then p1 (fails twice).
  EXPECT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.statuses(), (std::vector<int>{200, 500}));
}

TEST(S5_5_PostPickWrites, AreRecordedButNeverRouteAnything) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, litellm_credential_name: cred, tags: [t1]}, model_info: {id: p1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: kb}, model_info: {id: b1}}
credential_list:
  - {credential_name: cred, credential_values: {api_key: sk}}
router_settings: {enable_tag_filtering: true, num_retries: 0, fallbacks: [{primary: [backup]}], disable_cooldowns: true}
)");
  c.fault("p1=500");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.observability_tags, (Tags{"t1", "Credential: cred"}));
  for (const AttemptRecord& r : o.trace) EXPECT_TRUE(r.tags_used.empty()) << "hop " << r.hop;
}

TEST(S5_6_Trace, RecordsEveryStageOfEveryAttempt) {
  RoutingCase c(kTwoGroups);
  c.header("x-litellm-tags", "y").body(R"({"model": "primary", "fallbacks": ["backup"]})");
  Outcome o = c.only();
  ASSERT_EQ(o.trace.size(), 2u);
  const AttemptRecord& first = o.trace[0];
  EXPECT_EQ(first.group, "primary");
  EXPECT_EQ(first.after_cooldown, (Ids{"p1", "p2"}));
  EXPECT_FALSE(first.tag_result.has_value());
  EXPECT_EQ(first.outcome, "TAG_DENIED");
  ASSERT_TRUE(first.fallback.has_value());
  EXPECT_EQ(first.fallback->chain, "client");
  EXPECT_EQ(first.fallback->next, "backup");
  const AttemptRecord& second = o.trace[1];
  EXPECT_EQ(second.hop, 1);
  EXPECT_EQ(second.depth, 1);
  EXPECT_EQ(*second.eligible, Ids{"b1"});
  EXPECT_EQ(second.picked, "b1");
  EXPECT_EQ(second.tag_sources.at("y"), "x-litellm-tags");
}

}  // namespace
}  // namespace routecheck::testing
