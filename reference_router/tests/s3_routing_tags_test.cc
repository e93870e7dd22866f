// Semantics §3: where a request's routing tags come from (profile litellm-1.82).
#include "routing_case.h"

namespace routecheck::testing {
namespace {

// One tagged group: which deployment serves tells which tags routing saw.
const char* kByTag = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/a, api_key: k, tags: [a]}, model_info: {id: dep-a}}
  - {model_name: primary, litellm_params: {model: openai/b, api_key: k, tags: [b]}, model_info: {id: dep-b}}
  - {model_name: primary, litellm_params: {model: openai/c, api_key: k, tags: [c]}, model_info: {id: dep-c}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)";

Tags tags_used(const RoutingCase& c) { return c.route().outcomes.front().trace.front().tags_used; }

TEST(S3_1_Bucket, ChatRoutesReadMetadataTags) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "metadata": {"tags": ["a"]}})");
  EXPECT_EQ(tags_used(c), Tags{"a"});
  EXPECT_EQ(c.route().served_by(), Ids{"dep-a"});
}

TEST(S3_1_Bucket, ResponsesRoutesIgnoreBodyMetadataAndReadLitellmMetadata) {
  RoutingCase c(kByTag);
  c.path("/v1/responses").body(R"({"model": "primary", "metadata": {"tags": ["a"]}, "litellm_metadata": {"tags": ["b"]}})");
  EXPECT_EQ(tags_used(c), Tags{"b"});
}

TEST(S3_2_Sources, HeaderIsSplitOnCommasAndTrimmed) {
  RoutingCase c(kByTag);
  c.header("x-litellm-tags", " a , c");
  EXPECT_EQ(tags_used(c), (Tags{"a", "c"}));
  EXPECT_EQ(c.route().served_by(), (Ids{"dep-a", "dep-c"}));
}

TEST(S3_2_Sources, HeaderNameIsCaseInsensitive) {
  RoutingCase c(kByTag);
  c.header("X-LiteLLM-Tags", "b");
  EXPECT_EQ(tags_used(c), Tags{"b"});
}

TEST(S3_2_Sources, BucketCopyOptionUsesLitellmMetadataTagsOnlyWhenMetadataHasNone) {
  // §3.3's pseudo-code, kept as litellm-metadata-tags=bucket-copy (CONTRACT.md amendment 10).
  RoutingCase with_metadata(kByTag);
  with_metadata.option("litellm-metadata-tags", "bucket-copy")
      .body(R"({"model": "primary", "metadata": {"tags": ["a"]}, "litellm_metadata": {"tags": ["b"]}})");
  EXPECT_EQ(tags_used(with_metadata), Tags{"a"});
  RoutingCase without(kByTag);
  without.option("litellm-metadata-tags", "bucket-copy")
      .body(R"({"model": "primary", "metadata": {"user": "x"}, "litellm_metadata": {"tags": ["b"]}})");
  EXPECT_EQ(tags_used(without), Tags{"b"});
  RoutingCase header(kByTag);
  header.option("litellm-metadata-tags", "bucket-copy")
      .body(R"({"model": "primary", "litellm_metadata": {"tags": ["b"]}})")
      .header("x-litellm-tags", "a");
  EXPECT_EQ(tags_used(header), Tags{"a"});  // caller tags replace the bucket's in 1.82
}

// Point 5, confirmed on 1.82.3 (docs/confirmed-semantics.md): on a `metadata` route a body
// litellm_metadata object is what the router's tag filter reads. Default litellm-metadata-tags=router-reads.
TEST(S3_3_LitellmMetadataOnChat, TheRouterReadsItsTagsAsSentAndNothingElse) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "tags": ["c"], "metadata": {"tags": ["a"]}, "litellm_metadata": {"tags": ["b"]}})")
      .header("x-litellm-tags", "a");
  RouteResult r = c.route();
  EXPECT_EQ(tags_used(c), Tags{"b"});
  EXPECT_EQ(r.outcomes.front().trace.front().tag_sources.at("b"), "litellm_metadata.tags");
  EXPECT_EQ(r.served_by(), Ids{"dep-b"});
  EXPECT_TRUE(r.alternatives.empty());  // settled: no other reading is allowed
  EXPECT_TRUE(r.unverified.empty());
}

TEST(S3_3_LitellmMetadataOnChat, TheLiveObservationDeniesWithItsTags) {
  // spec-coverage 2ea870b3 as reviewed: header `eu`, litellm_metadata {tags: ['', '!eu']} -> 401 tags=['', '!eu'].
  RoutingCase c(R"(
model_list:
  - {model_name: A, litellm_params: {model: openai/a1, api_key: k, tags: [eu]}, model_info: {id: a1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)");
  c.body(R"({"model": "A", "litellm_metadata": {"tags": ["", "!eu"]}})").header("x-litellm-tags", "eu");
  Outcome o = c.only();
  EXPECT_EQ(o.status, 401);
  ASSERT_TRUE(o.denial.has_value());
  EXPECT_EQ(o.denial->tags, (Tags{"", "!eu"}));
  EXPECT_TRUE(o.upstream_calls.empty());
}

TEST(S3_3_LitellmMetadataOnChat, AnObjectWithoutTagsMeansNoRoutingTags) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "litellm_metadata": {"foo": "x"}})").header("x-litellm-tags", "a");
  EXPECT_TRUE(tags_used(c).empty());
  EXPECT_EQ(c.route().served_by(), (Ids{"dep-a", "dep-b", "dep-c"}));  // the untagged rule
}

TEST(S3_3_LitellmMetadataOnChat, TagRegexSeesTheUserAgentOfTheObjectNotTheHeader) {
  const char* regex = R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/r, api_key: k, tag_regex: ["^User-Agent: rc/"]}, model_info: {id: r}}
  - {model_name: primary, litellm_params: {model: openai/u, api_key: k}, model_info: {id: u}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true}
)";
  RoutingCase plain(regex);
  plain.header("user-agent", "rc/1");
  EXPECT_EQ(plain.route().served_by(), Ids{"r"});
  RoutingCase without(regex);
  without.header("user-agent", "rc/1").body(R"({"model": "primary", "litellm_metadata": {}})");
  EXPECT_EQ(without.route().served_by(), (Ids{"r", "u"}));  // no User-Agent in the object: untagged
  RoutingCase with(regex);
  with.body(R"({"model": "primary", "litellm_metadata": {"user_agent": "rc/2"}})");
  EXPECT_EQ(with.route().served_by(), Ids{"r"});
}

TEST(S3_3_LitellmMetadataOnChat, OnlyThe182ProfileOnMetadataRoutes) {
  RoutingCase responses(kByTag);
  responses.path("/v1/responses").body(R"({"model": "primary", "litellm_metadata": {"tags": ["b"]}})").header("x-litellm-tags", "a");
  EXPECT_EQ(tags_used(responses), Tags{"a"});  // the bucket itself: the header replaces it (§3.3)
  RoutingCase latest(kByTag);
  latest.profile(Profile::LitellmLatest).body(R"({"model": "primary", "litellm_metadata": {"tags": ["b"]}})").header("x-litellm-tags", "a");
  EXPECT_EQ(tags_used(latest), (Tags{"b", "a"}));  // latest: copied into the bucket, caller tags unioned
}

TEST(S3_2_Sources, KeyAndTeamTagsMergeAfterTheStartingValue) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "metadata": {"tags": ["a"]}})").principal_tags({"b", "a"}, {"c"});
  EXPECT_EQ(tags_used(c), (Tags{"a", "b", "c"}));
}

TEST(S3_3_Compute, RootTagsListWinsOverHeader) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "tags": ["c"]})").header("x-litellm-tags", "a");
  EXPECT_EQ(tags_used(c), Tags{"c"});
}

TEST(S3_3_Compute, CallerTagsReplaceMetadataTagsIn182) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "metadata": {"tags": ["a"]}})").header("x-litellm-tags", "b");
  EXPECT_EQ(tags_used(c), Tags{"b"});
}

TEST(S3_3_Compute, RootTagsThatAreNotAListFallBackToHeader) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "tags": "c"})").header("x-litellm-tags", "a");
  EXPECT_EQ(tags_used(c), Tags{"a"});
}

TEST(S3_3_Compute, EmptyHeaderGivesOneEmptyTag) {
  RoutingCase c(kByTag);
  c.header("x-litellm-tags", "");
  RouteResult r = c.route();
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].trace[0].tags_used, Tags{""});
  EXPECT_EQ(r.outcomes[0].status, 401);  // a non-empty tag list that nothing matches
  EXPECT_TRUE(r.alternatives.empty());  // confirmed on 1.82.3: no other reading is allowed
}

TEST(S3_4_Types, NonStringElementsAreDropped) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "metadata": {"tags": ["a", 7, null, {"x": 1}]}})");
  EXPECT_EQ(tags_used(c), Tags{"a"});
}

TEST(S3_4_Types, StringTagsCarryNoRoutingTagsWithTheCharacterReadingAsAlternative) {
  RoutingCase c(kByTag);
  c.body(R"({"model": "primary", "metadata": {"tags": "ab"}})");
  RouteResult r = c.route();
  EXPECT_EQ(r.served_by(), (Ids{"dep-a", "dep-b", "dep-c"}));  // untagged: all of the group
  const Alternative* chars = alternative(r, "unverified-6");
  ASSERT_NE(chars, nullptr);
  for (const Outcome& o : chars->outcomes) EXPECT_NE(o.served_by, std::optional<std::string>("dep-c"));
}

TEST(S3_4_Types, RoutingTagsAreTheSameOnEveryEndpoint) {
  for (const char* path : {"/v1/chat/completions", "/chat/completions", "/v1/responses", "/v1/messages"}) {
    RoutingCase c(kByTag);
    c.path(path).header("x-litellm-tags", "b");
    EXPECT_EQ(tags_used(c), Tags{"b"}) << path;
  }
}

}  // namespace
}  // namespace routecheck::testing
