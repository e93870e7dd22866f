// Profile litellm-latest (semantics §3.3, §4.3, §5.1, §7.2, §7.4, §7.5, §7.7, §7.8, Appendix A).
#include "routing_case.h"

namespace routecheck::testing {
namespace {

RoutingCase latest(const std::string& yaml) {
  RoutingCase c(yaml);
  c.profile(Profile::LitellmLatest);
  return c;
}

const char* kOps = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/eu, api_key: k, tags: [eu]}, model_info: {id: eu-1}}
  - {model_name: primary, litellm_params: {model: openai/gpu, api_key: k, tags: [eu, gpu]}, model_info: {id: gpu-1}}
  - {model_name: primary, litellm_params: {model: openai/us, api_key: k, tags: [us]}, model_info: {id: us-1}}
  - {model_name: primary, litellm_params: {model: openai/dflt, api_key: k, tags: [default]}, model_info: {id: default-1}}
  - {model_name: primary, litellm_params: {model: openai/plain, api_key: k}, model_info: {id: plain-1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)";

TEST(S4_3_1_Enabling, FirstNonNullGroupFlagWinsOverTheRouterFlag) {
  RoutingCase off = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [y]}, model_info: {id: b, enable_tag_filtering: false}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  off.header("x-litellm-tags", "x");
  EXPECT_EQ(off.route().served_by(), (Ids{"a", "b"}));
  RoutingCase on = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a, enable_tag_filtering: true}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [y]}, model_info: {id: b}}
router_settings: {num_retries: 0}
)");
  on.header("x-litellm-tags", "x");
  EXPECT_EQ(on.route().served_by(), Ids{"a"});
}

TEST(S4_3_2_Operators, ExclusionDropsCarriersButNeverUntaggedDeployments) {
  RoutingCase c = latest(kOps);
  c.header("x-litellm-tags", "!gpu");
  // Constraint-only: defaults_or_all(healthy) minus excluded = the default deployment.
  EXPECT_EQ(c.route().served_by(), Ids{"default-1"});
  RoutingCase with_positive = latest(kOps);
  with_positive.header("x-litellm-tags", "eu,!gpu");
  EXPECT_EQ(with_positive.route().served_by(), Ids{"eu-1"});
}

TEST(S4_3_2_Operators, RequirementKeepsOnlyCarriers) {
  RoutingCase c = latest(kOps);
  c.header("x-litellm-tags", "&gpu");
  EXPECT_EQ(c.route().served_by(), Ids{"gpu-1"});
}

TEST(S4_3_2_Operators, AreExactStringsNotPatterns) {
  RoutingCase c = latest(kOps);
  c.header("x-litellm-tags", "eu,!gp");
  EXPECT_EQ(c.route().served_by(), (Ids{"eu-1", "gpu-1"}));
}

TEST(S4_3_2_Prefix, UnprefixedTagsStillMatchByDefault) {
  std::string config = kOps;
  config.insert(config.find("num_retries"), "tag_routing_prefix: 'route:', ");
  RoutingCase c = latest(config);
  c.header("x-litellm-tags", "route:us,eu");
  EXPECT_EQ(c.route().served_by(), (Ids{"eu-1", "gpu-1", "us-1"}));
  RoutingCase inert = latest(config);
  inert.option("unprefixed-tags", "inert").header("x-litellm-tags", "route:us,eu");
  EXPECT_EQ(inert.route().served_by(), Ids{"us-1"});
}

TEST(S4_3_3_Pools, AKnownTagWithNoEligibleCarrierIsDeniedEvenWithDefaults) {
  // us-1 carries "us" but is cooled by its own 401: the tag is known to the group.
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/us, api_key: k, tags: [us]}, model_info: {id: us-1}}
  - {model_name: primary, litellm_params: {model: openai/eu, api_key: k, tags: [eu]}, model_info: {id: eu-1}}
  - {model_name: primary, litellm_params: {model: openai/dflt, api_key: k, tags: [default]}, model_info: {id: default-1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)");
  c.header("x-litellm-tags", "&eu,us");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
}

TEST(S4_3_3_Pools, AnUnknownTagFallsBackToDefaults) {
  RoutingCase c = latest(kOps);
  c.header("x-litellm-tags", "mars");
  EXPECT_EQ(c.route().served_by(), Ids{"default-1"});
}

TEST(S4_3_4_FailOpen, WithoutADatabaseEveryCallerConstraintIsDiscarded) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a, allow_fail_open: true}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [default]}, model_info: {id: b}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  c.header("x-litellm-tags", "&zzz");
  EXPECT_EQ(c.route().served_by(), Ids{"b"});
  RoutingCase strict = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [default]}, model_info: {id: b}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  strict.header("x-litellm-tags", "&zzz");
  EXPECT_EQ(strict.only().status, 401);
}

TEST(S4_3_4_FailOpen, ConstraintsInheritedFromKeyPolicyAreKept) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a, allow_fail_open: true}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [y]}, model_info: {id: b}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  c.principal_tags({"!x"}, {}).header("x-litellm-tags", "zzz");
  // RT = [!x, zzz]; fail-open keeps the key's !x: only b is trusted.
  EXPECT_EQ(c.route().served_by(), Ids{"b"});
}

TEST(S3_3_Latest, CallerTagsAreUnionedWithMetadataTags) {
  RoutingCase c = latest(kOps);
  c.body(R"({"model": "primary", "metadata": {"tags": ["us"]}})").header("x-litellm-tags", "gpu");
  Outcome o = c.route().outcomes.front();
  EXPECT_EQ(o.trace.front().tags_used, (Tags{"us", "gpu"}));
}

TEST(S3_4_Latest, AStringTagsValueCarriesNoRoutingTags) {
  RoutingCase c = latest(kOps);
  c.body(R"({"model": "primary", "metadata": {"tags": "us"}})");
  EXPECT_EQ(c.route().served_by(), Ids{"default-1"});
  EXPECT_TRUE(c.route().alternatives.empty());
}

TEST(S5_1_Latest, OrderAppliesAfterTheTagFilter) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x], order: 1}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [y], order: 2}, model_info: {id: b}}
  - {model_name: primary, litellm_params: {model: openai/c, api_key: k, tags: [y], order: 3}, model_info: {id: c}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)");
  c.header("x-litellm-tags", "y");
  EXPECT_EQ(c.route().served_by(), Ids{"b"});
}

TEST(S7_8_OrderBasedFallback, WalksHigherTiersOfTheSameGroupFirst) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, order: 1}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, order: 2}, model_info: {id: b}}
  - {model_name: backup, litellm_params: {model: openai/z, api_key: k}, model_info: {id: z}}
router_settings: {num_retries: 0, disable_cooldowns: true, fallbacks: [{primary: [backup]}]}
)");
  c.fault("a=500").fault("b=500");
  Outcome o = c.only();
  EXPECT_EQ(called(o), (Ids{"a", "b", "z"}));
  EXPECT_EQ(o.served_by, "z");
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "2");
}

TEST(S7_8_OrderBasedFallback, DeploymentsWithoutAnOrderAreNoTier) {
  // One explicit order value is not "more than one distinct order": no order-based hop to the
  // unordered deployments (1.108.7, spec-coverage 8c3e9a58); the external chain follows directly.
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, order: 1}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k}, model_info: {id: b}}
  - {model_name: backup, litellm_params: {model: openai/z, api_key: k}, model_info: {id: z}}
router_settings: {num_retries: 0, disable_cooldowns: true, fallbacks: [{primary: [backup]}]}
)");
  c.fault("a=500");
  Outcome o = c.only();
  EXPECT_EQ(called(o), (Ids{"a", "z"}));
  EXPECT_EQ(o.served_by, "z");
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "1");
}

TEST(S7_5_Latest, AttemptedTargetsAreSkipped) {
  const char* config = R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
  - {model_name: c, litellm_params: {model: openai/c1, api_key: k}, model_info: {id: c1}}
router_settings: {num_retries: 0, disable_cooldowns: true, max_fallbacks: 5, fallbacks: [{a: [b]}, {b: [a]}]}
)";
  RoutingCase cycle = latest(config);
  cycle.body(R"({"model": "a"})").fault("a1=500").fault("b1=500");
  Outcome o = cycle.only();
  EXPECT_EQ(hop_groups(o), (Ids{"a", "b"}));
  ASSERT_TRUE(o.trace.back().fallback.has_value());
  EXPECT_EQ(o.trace.back().fallback->next, "none");  // the trace names only entries that will run
  RoutingCase client = latest(config);
  client.body(R"({"model": "a", "fallbacks": ["b", "c"]})").fault("a1=500").fault("b1=500").fault("c1=500");
  EXPECT_EQ(called(client.only()), (Ids{"a1", "b1", "c1"}));  // confirmed on 1.108.7
}

TEST(S7_8_Latest, APayloadRefusalIsNotResent) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, fallbacks: [{a: [b]}]}
)");
  c.body(R"({"model": "a"})").fault("a1=400");
  EXPECT_EQ(called(c.only()), Ids{"a1"});
}

TEST(S7_7_Latest, ComposesOnlyAtTheTopLevelHop) {
  // a (503) falls back to b (500), whose own walk reaches c, which denies the tags. In 1.82 b's error
  // carries c's denial text up to a (401); latest composes only at the top-level hop, so a's 503 stays.
  const char* config = R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [default]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [default]}, model_info: {id: b1}}
  - {model_name: c, litellm_params: {model: openai/c1, api_key: k, tags: [x]}, model_info: {id: c1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true, fallbacks: [{a: [b]}, {b: [c]}]}
)";
  RoutingCase now = latest(config);
  now.body(R"({"model": "a"})").header("x-litellm-tags", "y").fault("a1=503").fault("b1=500");
  RouteResult r = now.route();
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(hop_groups(r.outcomes[0]), (Ids{"a", "b", "c"}));
  EXPECT_EQ(r.outcomes[0].status, 503);
  const Alternative* every_hop = alternative(r, "unverified-22");
  ASSERT_NE(every_hop, nullptr);
  EXPECT_EQ(every_hop->outcomes.front().status, 401);
  RoutingCase old(config);
  old.body(R"({"model": "a"})").header("x-litellm-tags", "y").fault("a1=503").fault("b1=500");
  EXPECT_EQ(old.only().status, 401);
}

TEST(S7_2_Latest, MockTestingSwitchesAreRefusedUnlessAllowed) {
  const char* config = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, fallbacks: [{primary: [backup]}]}
)";
  RoutingCase refused = latest(config);
  refused.body(R"({"model": "primary", "mock_testing_fallbacks": true})");
  EXPECT_EQ(refused.only().status, 400);
  RoutingCase allowed = latest(std::string(config) + "general_settings: {dangerously_allow_mock_testing_request_params: true}\n");
  allowed.body(R"({"model": "primary", "mock_testing_fallbacks": true})");
  EXPECT_EQ(allowed.only().served_by, "b1");
}

TEST(S7_4_Latest, TheProxyRefusesAnUnknownModelBeforeDefaultFallbacks) {
  // Confirmed on 1.108.7: "Invalid model name passed in model=spare" (400), no upstream call.
  RoutingCase c = latest(R"(
model_list:
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, default_fallbacks: [backup]}
)");
  c.body(R"({"model": "nosuch"})");
  EXPECT_EQ(c.only().status, 400);
  EXPECT_EQ(c.only().error_class, "unknown_model");
  EXPECT_TRUE(c.only().upstream_calls.empty());
}

TEST(S7_4_Latest, DefaultFallbacksServeAnUnknownModel) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, default_fallbacks: [backup]}
)");
  c.option("unknown-model", "default-fallbacks");
  c.body(R"({"model": "nosuch"})");
  EXPECT_EQ(c.only().served_by, "b1");
  RoutingCase old(R"(
model_list:
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, default_fallbacks: [backup]}
)");
  old.body(R"({"model": "nosuch"})");
  EXPECT_EQ(old.only().status, 400);
}

TEST(S9_4_Latest, ErrorResponsesCarryNoModelId) {
  RoutingCase c = latest(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 0}
)");
  c.fault("p1=500");
  EXPECT_TRUE(c.only().headers.empty());
}

TEST(S4_4_UnknownKeys, AKeyTheProfileDoesNotKnowIsIgnoredAndListed) {
  const char* config = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1, allow_fail_open: true}}
router_settings: {num_retries: 0, tag_routing_prefix: 'r:'}
)";
  RoutingCase old(config);
  RouteResult r182 = old.route();
  EXPECT_NE(std::find(r182.ignored_config_keys.begin(), r182.ignored_config_keys.end(), "router_settings.tag_routing_prefix"),
            r182.ignored_config_keys.end());
  EXPECT_NE(std::find(r182.ignored_config_keys.begin(), r182.ignored_config_keys.end(), "model_list[0].model_info.allow_fail_open"),
            r182.ignored_config_keys.end());
  RoutingCase now = latest(config);
  EXPECT_TRUE(now.route().ignored_config_keys.empty());
}

}  // namespace
}  // namespace routecheck::testing
