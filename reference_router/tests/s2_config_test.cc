// Semantics §2: the config surface, its types, and the precedence of router_settings over litellm_settings.
#include "routecheck/input_error.h"
#include "routing_case.h"

namespace routecheck::testing {
namespace {

Config load(const std::string& yaml) {
  return parse_config(parse_document(yaml, "config.yaml", true), Profile::Litellm182, "config.yaml");
}

std::string rejection(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<accepted>";
}

const char* kHead = R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
)";

TEST(S2_Types, WrongTypesAreRejectedNamingTheField) {
  EXPECT_EQ(rejection(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: a, litellm_params: {model: openai/a2, api_key: k, tags: prod}, model_info: {id: a2}}
)"),
            "config.yaml: model_list[1].litellm_params.tags: expected a list of strings, got 'prod' (str)");
  EXPECT_EQ(rejection(std::string(kHead) + "router_settings: {enable_tag_filtering: 'yes'}\n"),
            "config.yaml: router_settings.enable_tag_filtering: expected true or false, got 'yes' (str)");
  EXPECT_EQ(rejection(std::string(kHead) + "router_settings: {num_retries: -1}\n"),
            "config.yaml: router_settings.num_retries: expected an integer from 0 to 100, got -1 (int)");
  EXPECT_EQ(rejection(std::string(kHead) + "router_settings: {fallbacks: [{a: b}]}\n"),
            "config.yaml: router_settings.fallbacks[0].a: expected a list of strings, got 'b' (str)");
}

TEST(S2_Types, ReferencesMustResolve) {
  EXPECT_EQ(rejection(std::string(kHead) + "router_settings: {fallbacks: [{a: [zz]}]}\n"),
            "config.yaml: router_settings.fallbacks[0].a[0]: unknown fallback group 'zz': no model_list entry has "
            "this model_name");
  EXPECT_EQ(rejection(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, litellm_credential_name: nope}, model_info: {id: a1}}
)"),
            "config.yaml: model_list[0].litellm_params.litellm_credential_name: credential 'nope' is not defined in "
            "credential_list");
  EXPECT_EQ(rejection(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: x}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: x}}
)"),
            "config.yaml: model_list[1].model_info.id: duplicate deployment id 'x'");
}

TEST(S2_5_Precedence, AnEmptyRouterListCountsAsUnset) {
  RoutingCase c(std::string(kHead) + "router_settings: {num_retries: 0, fallbacks: []}\nlitellm_settings: {fallbacks: [{a: [b]}]}\n");
  c.body(R"({"model": "a"})").fault("a1=500");
  EXPECT_EQ(c.only().served_by, "b1");
}

TEST(S2_5_Precedence, ZeroRetriesInRouterSettingsIsSet) {
  RoutingCase c(std::string(kHead) + "router_settings: {num_retries: 0}\nlitellm_settings: {num_retries: 3}\n");
  c.body(R"({"model": "a"})").fault("a1=500");
  EXPECT_EQ(c.only().upstream_calls.size(), 1u);
}

TEST(S2_5_Precedence, RouterSettingsWinOverLitellmSettings) {
  RoutingCase c(std::string(kHead) + "router_settings: {num_retries: 0, max_fallbacks: 0, fallbacks: [{a: [b]}]}\n"
                                     "litellm_settings: {max_fallbacks: 5}\n");
  c.body(R"({"model": "a"})").fault("a1=500");
  EXPECT_EQ(c.only().status, 500);
}

TEST(S2_3_Credentials, ACredentialBehavesLikeItsValuesInline) {
  // MP-1 on one example: same status, same deployments called; only the key identity differs.
  RoutingCase named(std::string(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, litellm_credential_name: c}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
credential_list: [{credential_name: c, credential_values: {api_key: s}}]
router_settings: {enable_tag_filtering: true, num_retries: 1, disable_cooldowns: true, fallbacks: [{a: [b]}]}
)"));
  RoutingCase inline_key(std::string(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: s}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {enable_tag_filtering: true, num_retries: 1, disable_cooldowns: true, fallbacks: [{a: [b]}]}
)"));
  for (RoutingCase* c : {&named, &inline_key}) c->body(R"({"model": "a"})").fault("a1=500");
  Outcome x = named.only(), y = inline_key.only();
  EXPECT_EQ(x.status, y.status);
  EXPECT_EQ(called(x), called(y));
  EXPECT_EQ(x.upstream_calls.front().key, "c");
  EXPECT_EQ(y.upstream_calls.front().key, "a1");
}

}  // namespace
}  // namespace routecheck::testing

namespace routecheck::testing {
namespace {

// LiteLLM reads its config with PyYAML's safe_load (YAML 1.1): the oracle types plain scalars the same way.
TEST(S2_Yaml, PlainScalarsAreTypedAsPyYamlTypesThem) {
  nlohmann::json doc = parse_document("a: yes\nb: off\nc: 010\nd: 0x1f\ne: 1e5\nf: 1.5\ng: ~\nh: 'yes'\ni: 1_000\n", "y.yaml", true);
  EXPECT_EQ(doc["a"], true);
  EXPECT_EQ(doc["b"], false);
  EXPECT_EQ(doc["c"], 8);
  EXPECT_EQ(doc["d"], 31);
  EXPECT_EQ(doc["e"], "1e5");
  EXPECT_EQ(doc["f"], 1.5);
  EXPECT_TRUE(doc["g"].is_null());
  EXPECT_EQ(doc["h"], "yes");
  EXPECT_EQ(doc["i"], 1000);
}

TEST(S2_Yaml, MergeKeysAreHonoured) {
  nlohmann::json doc = parse_document("base: &b {api_key: k, model: m}\nd: {<<: *b, model: own}\n", "y.yaml", true);
  EXPECT_EQ(doc["d"]["api_key"], "k");
  EXPECT_EQ(doc["d"]["model"], "own");
  EXPECT_FALSE(doc["d"].contains("<<"));
}

}  // namespace
}  // namespace routecheck::testing
