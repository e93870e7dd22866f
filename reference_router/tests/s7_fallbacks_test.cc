// Semantics §7: fallback chains, the walk, max_fallbacks, error composition.
#include "routing_case.h"

namespace routecheck::testing {
namespace {

// Groups a..e, one deployment each (id a1, b1, ...), no tags, cooldowns off.
std::string groups(const std::string& settings, int retries = 0) {
  std::string out = "model_list:\n";
  for (const char* g : {"a", "b", "c", "d", "e"})
    out += std::string("  - {model_name: ") + g + ", litellm_params: {model: openai/" + g + "1, api_key: k}, model_info: {id: " + g + "1}}\n";
  return out + "router_settings: {num_retries: " + std::to_string(retries) + ", disable_cooldowns: true, " + settings + "}\n";
}

RoutingCase failing_all(const std::string& settings) {
  RoutingCase c(groups(settings));
  c.body(R"({"model": "a"})");
  for (const char* d : {"a1", "b1", "c1", "d1", "e1"}) c.fault(std::string(d) + "=500");
  return c;
}

TEST(S7_1_Entry, DisableFallbacksRaisesTheErrorUnchanged) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a", "disable_fallbacks": true})").fault("a1=503");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 503);
  EXPECT_EQ(called(o), Ids{"a1"});
}

TEST(S7_1_Entry, BodyGenericListReplacesTheRouterList) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a", "fallbacks": [{"a": ["c"]}]})").fault("a1=500");
  EXPECT_EQ(c.only().served_by, "c1");
}

TEST(S7_1_Entry, BodyFallbacksNullDisablesGenericFallbacks) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a", "fallbacks": null})").fault("a1=500");
  RouteResult r = c.route();
  EXPECT_EQ(r.statuses(), std::vector<int>{500});
  EXPECT_TRUE(r.alternatives.empty());
}

TEST(S7_2_MockSwitches, MockTestingFallbacksRunsOnlyTheChain) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a", "mock_testing_fallbacks": true})");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(called(o), Ids{"b1"});  // no pick, no call in hop 0
  EXPECT_FALSE(o.trace[0].tag_decision);
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "1");
}

TEST(S7_3_Chain, ClientSideListIsWalkedAsIs) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a", "fallbacks": [{"model": "d"}]})").fault("a1=500");
  EXPECT_EQ(c.only().served_by, "d1");
}

TEST(S7_3_Chain, ContextWindowUsesOnlyTheExactKeyAndNeverGeneric) {
  RoutingCase hit(groups("context_window_fallbacks: [{a: [c]}], fallbacks: [{a: [b]}]"));
  hit.body(R"({"model": "a"})").fault("a1=context_window");
  EXPECT_EQ(hit.only().served_by, "c1");
  RoutingCase miss(groups("context_window_fallbacks: [{b: [c]}], fallbacks: [{a: [b]}]"));
  miss.body(R"({"model": "a"})").fault("a1=context_window");
  Outcome o = miss.only();
  EXPECT_EQ(o.status, 400);
  EXPECT_EQ(o.error_class, "context_window");
  EXPECT_EQ(called(o), Ids{"a1"});
}

TEST(S7_3_Chain, ContentPolicyWithoutContentPolicyFallbacksUsesGeneric) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a"})").fault("a1=content_policy");
  EXPECT_EQ(c.only().served_by, "b1");
}

TEST(S7_3_Chain, AnyErrorClassReachesTheGenericBranch) {
  for (const char* fault : {"400", "401", "404", "422", "429"}) {
    RoutingCase c(groups("fallbacks: [{a: [b]}]"));
    c.body(R"({"model": "a"})").fault(std::string("a1=") + fault);
    EXPECT_EQ(c.only().served_by, "b1") << fault;
  }
}

TEST(S7_4_Lookup, ProviderPrefixIsStrippedFromTheGroup) {
  RoutingCase c(R"(
model_list:
  - {model_name: openai/gpt, litellm_params: {model: openai/g1, api_key: k}, model_info: {id: g1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {num_retries: 0, fallbacks: [{gpt: [backup]}]}
)");
  c.body(R"({"model": "openai/gpt"})").fault("g1=500");
  EXPECT_EQ(c.only().served_by, "b1");
}

TEST(S7_4_Lookup, ExactKeyBeatsStar) {
  RoutingCase c(groups("fallbacks: [{'*': [c]}, {a: [b]}]"));
  c.body(R"({"model": "a"})").fault("a1=500");
  EXPECT_EQ(c.only().served_by, "b1");
}

TEST(S7_4_Lookup, DefaultFallbacksServeGroupsWithoutAnEntry) {
  RoutingCase c(groups("default_fallbacks: [e]"));
  c.body(R"({"model": "a"})").fault("a1=500");
  EXPECT_EQ(c.only().served_by, "e1");
}

TEST(S7_5_Walk, MaxFallbacksZeroDisablesFallbacks) {
  RoutingCase c = failing_all("max_fallbacks: 0, fallbacks: [{a: [b]}]");
  EXPECT_EQ(hop_groups(c.only()), Ids{"a"});
}

TEST(S7_5_Walk, EveryEntryOfAStartedWalkIsTried) {
  RoutingCase nested = failing_all("max_fallbacks: 2, fallbacks: [{a: [b, c]}, {b: [d]}]");
  EXPECT_EQ(hop_groups(nested.only()), (Ids{"a", "b", "d", "c"}));
  RoutingCase flat = failing_all("max_fallbacks: 1, fallbacks: [{a: [b, c, d]}, {b: [e]}]");
  EXPECT_EQ(hop_groups(flat.only()), (Ids{"a", "b", "c", "d"}));
}

TEST(S7_5_Walk, DepthCountsSiblings) {
  RoutingCase c = failing_all("max_fallbacks: 5, fallbacks: [{a: [b, c]}]");
  Outcome o = c.only();
  ASSERT_EQ(o.trace.size(), 3u);
  EXPECT_EQ(o.trace[1].depth, 1);
  EXPECT_EQ(o.trace[2].depth, 2);
}

TEST(S7_5_Walk, TheFailingGroupItselfIsSkipped) {
  RoutingCase c = failing_all("fallbacks: [{a: [a, b]}]");
  EXPECT_EQ(hop_groups(c.only()), (Ids{"a", "b"}));
}

TEST(S7_5_Walk, GroupsMayBeRevisitedBoundedByTheCap) {
  RoutingCase c = failing_all("max_fallbacks: 3, fallbacks: [{a: [b]}, {b: [a]}]");
  EXPECT_EQ(hop_groups(c.only()), (Ids{"a", "b", "a", "b"}));
}

TEST(S7_5_Walk, AttemptedFallbacksIsTheOutermostWalksCounter) {
  RoutingCase at_d(groups("max_fallbacks: 5, fallbacks: [{a: [b, c]}, {b: [d]}]"));
  at_d.body(R"({"model": "a"})").fault("a1=500").fault("b1=500");
  EXPECT_EQ(header(at_d.only(), "x-litellm-attempted-fallbacks"), "1");
  RoutingCase at_c(groups("max_fallbacks: 5, fallbacks: [{a: [b, c]}, {b: [d]}]"));
  at_c.body(R"({"model": "a"})").fault("a1=500").fault("b1=500").fault("d1=500");
  EXPECT_EQ(header(at_c.only(), "x-litellm-attempted-fallbacks"), "2");
}

TEST(S7_6_Inheritance, AFallbackHopGetsAFreshRetryBudget) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]", 1));
  c.body(R"({"model": "a"})").fault("a1=500").fault("b1=500,ok");
  Outcome o = c.only();
  EXPECT_EQ(called(o), (Ids{"a1", "a1", "b1", "b1"}));
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "1");
  EXPECT_EQ(header(o, "x-litellm-max-retries"), "1");
}

TEST(S7_7_Composition, TheFinalStatusIsThePrimarysOwn) {
  RoutingCase c(groups("fallbacks: [{a: [b]}]"));
  c.body(R"({"model": "a"})").fault("a1=503").fault("b1=400");
  EXPECT_EQ(c.only().status, 503);
}

TEST(S7_7_Composition, ATagDenialInTheWalkTurnsThePrimarysErrorInto401) {
  RoutingCase c(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [y]}, model_info: {id: b1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true, fallbacks: [{a: [b]}]}
)");
  c.body(R"({"model": "a"})").header("x-litellm-tags", "x").fault("a1=503");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
  ASSERT_TRUE(o.denial.has_value());
  EXPECT_EQ(o.denial->group, "b");
  EXPECT_EQ(o.denial->tags, Tags{"x"});
}

TEST(S7_7_Composition, APrimaryTagDenialIsRaisedUnchanged) {
  RoutingCase c(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true, fallbacks: [{a: [b]}]}
)");
  c.body(R"({"model": "a"})").header("x-litellm-tags", "y").fault("b1=500");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
  EXPECT_EQ(o.denial->group, "a");
}

}  // namespace
}  // namespace routecheck::testing
