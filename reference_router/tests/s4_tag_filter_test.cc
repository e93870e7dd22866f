// Semantics §4.1–§4.2: the litellm-1.82 tag filter.
#include "routing_case.h"

namespace routecheck::testing {
namespace {

const char* kMixed = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/eu, api_key: k, tags: [eu]}, model_info: {id: eu-1}}
  - {model_name: primary, litellm_params: {model: openai/eugpu, api_key: k, tags: [eu, gpu]}, model_info: {id: eugpu-1}}
  - {model_name: primary, litellm_params: {model: openai/dflt, api_key: k, tags: [default]}, model_info: {id: default-1}}
  - {model_name: primary, litellm_params: {model: openai/plain, api_key: k}, model_info: {id: plain-1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)";

std::string with_settings(const std::string& extra) {
  std::string config = kMixed;
  auto pos = config.find("disable_cooldowns: true");
  return config.insert(pos, extra + ", ");
}

TEST(S4_1_Untagged, UsesDefaultsWhenTheGroupHasThem) {
  RoutingCase c(kMixed);
  EXPECT_EQ(c.route().served_by(), Ids{"default-1"});
}

TEST(S4_1_Untagged, UsesTheWholeGroupWithoutDefaults) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k}, model_info: {id: b}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  EXPECT_EQ(c.route().served_by(), (Ids{"a", "b"}));
}

TEST(S4_1_DefaultRule, MatchesOnlyNeverDefaultsBeside) {
  RoutingCase c(kMixed);
  c.header("x-litellm-tags", "gpu");
  EXPECT_EQ(c.route().served_by(), Ids{"eugpu-1"});
}

TEST(S4_1_DefaultRule, DefaultsOnlyWhenNothingMatches) {
  RoutingCase c(kMixed);
  c.header("x-litellm-tags", "us");
  EXPECT_EQ(c.route().served_by(), Ids{"default-1"});
}

TEST(S4_1_Denial, NamesTheGroupAndTheTagsAsSent) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a}}
router_settings: {enable_tag_filtering: true, num_retries: 0}
)");
  c.header("x-litellm-tags", "z,y,z");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
  EXPECT_EQ(o.error_class, "tag_denied");
  ASSERT_TRUE(o.denial.has_value());
  EXPECT_EQ(o.denial->group, "primary");
  EXPECT_EQ(o.denial->tags, (Tags{"z", "y", "z"}));  // the list as computed: order and duplicates kept
  EXPECT_TRUE(o.upstream_calls.empty());
}

TEST(S4_2_2_FilteringOff, TagsOfEveryKindAreIgnored) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [x]}, model_info: {id: a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k}, model_info: {id: b}}
router_settings: {num_retries: 0}
)");
  c.header("x-litellm-tags", "nope");
  EXPECT_EQ(c.route().served_by(), (Ids{"a", "b"}));
}

TEST(S4_2_2_UntaggedDeployment, NeverMatchesByTags) {
  RoutingCase c(kMixed);
  c.header("x-litellm-tags", "eu");
  Ids served = c.route().served_by();
  EXPECT_EQ(served, (Ids{"eu-1", "eugpu-1"}));
}

TEST(S4_2_2_MatchAll, RequestTagsMustBeASubset) {
  RoutingCase c(with_settings("tag_filtering_match_any: false"));
  c.header("x-litellm-tags", "eu,gpu");
  EXPECT_EQ(c.route().served_by(), Ids{"eugpu-1"});
}

TEST(S4_2_2_MatchAny, AnySharedTagMatches) {
  RoutingCase c(kMixed);
  c.header("x-litellm-tags", "eu,gpu");
  EXPECT_EQ(c.route().served_by(), (Ids{"eu-1", "eugpu-1"}));
}

TEST(S4_2_2_EmptyHealthySet, IsNoDeploymentsNeverADenial) {
  // a1 answers 401 and is cooled at once; the walk comes back to A, whose healthy set is empty.
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: backup, litellm_params: {model: openai/b1, api_key: k, tags: [x]}, model_info: {id: b1}}
router_settings:
  enable_tag_filtering: true
  num_retries: 0
  max_fallbacks: 2
  fallbacks: [{primary: [backup]}, {backup: [primary]}]
)");
  c.header("x-litellm-tags", "x").fault("a1=401").fault("b1=500");
  RouteResult r = c.route();
  ASSERT_EQ(r.outcomes.size(), 1u);
  const Outcome& o = r.outcomes[0];
  EXPECT_EQ(hop_groups(o), (Ids{"primary", "backup", "primary"}));
  EXPECT_EQ(o.trace.back().outcome, "NO_DEPLOYMENTS");
  EXPECT_EQ(o.status, 429);  // the composed text carries the no-deployments phrase
  const Alternative* code = alternative(r, "unverified-7");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->outcomes.front().status, 401);
}

TEST(S4_2_2_CooldownCausedDenial, ShouldBeNoDeploymentsWith401AsTheCodeAlternative) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: primary, litellm_params: {model: openai/a2, api_key: k, tags: [y]}, model_info: {id: a2}}
router_settings: {enable_tag_filtering: true, num_retries: 1}
)");
  c.header("x-litellm-tags", "x").fault("a1=401");
  RouteResult r = c.route();
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].status, 429);
  const Alternative* code = alternative(r, "4.2.2-should");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->outcomes.front().status, 401);
}

TEST(S4_2_2_DefaultSpillOver, UnaffectedByCooldowns) {
  RoutingCase c(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a1, api_key: k, tags: [x]}, model_info: {id: a1}}
  - {model_name: primary, litellm_params: {model: openai/d1, api_key: k, tags: [default]}, model_info: {id: d1}}
router_settings: {enable_tag_filtering: true, num_retries: 1}
)");
  c.header("x-litellm-tags", "x").fault("a1=401");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.served_by, "d1");
  EXPECT_EQ(called(o), (Ids{"a1", "d1"}));
}

}  // namespace
}  // namespace routecheck::testing
