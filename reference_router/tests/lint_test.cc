// routecheck lint: each finding family, and the #25276 hazard with a replayable witness.
#include "routecheck/lint.h"
#include "routecheck/result_json.h"
#include "routing_case.h"

namespace routecheck::testing {
namespace {

std::vector<Finding> lint(const std::string& yaml, Profile profile = Profile::Litellm182) {
  return lint_config(parse_config(parse_document(yaml, "lint.yaml", true), profile, "lint.yaml"), profile);
}

const Finding* find_rule(const std::vector<Finding>& fs, const std::string& rule) {
  for (const Finding& f : fs)
    if (f.rule == rule) return &f;
  return nullptr;
}

TEST(Lint_KnownBug, Issue25276IsFoundWithAWitnessThatReplays) {
  Scenario s = load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/issue-25276-credential-tag-leak.json");
  std::vector<Finding> fs = lint_config(s.config, Profile::Litellm182);
  const Finding* f = find_rule(fs, "known-bug-25276");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Finding::Severity::Error);
  EXPECT_NE(f->message.find("#25276"), std::string::npos);
  EXPECT_NE(f->message.find("Credential: openai"), std::string::npos);
  ASSERT_TRUE(f->witness.has_value());
  Scenario witness = parse_scenario(*f->witness, "witness");
  const Mutant& leak = find_mutant("credential-tag-leak");
  RouteOptions correct, buggy;
  buggy.mutant = &leak;
  EXPECT_EQ(meets_expectation(witness, route(witness, correct), Profile::Litellm182, nullptr), std::optional<bool>(true));
  EXPECT_EQ(meets_expectation(witness, route(witness, buggy), Profile::Litellm182, &leak), std::optional<bool>(true));
  EXPECT_NE(route(witness, correct).statuses(), route(witness, buggy).statuses());
  EXPECT_NE(f->workaround.find("verified"), std::string::npos);
}

TEST(Lint_KnownBug, TheVerifiedWorkaroundRemovesTheHazard) {
  Scenario s = load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/masked-leak-default-tag.json");
  std::vector<Finding> fs = lint_config(s.config, Profile::Litellm182);
  EXPECT_EQ(find_rule(fs, "known-bug-25276"), nullptr);
}

TEST(Lint_KnownBug, NotReportedUnderLatest) {
  Scenario s = load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/issue-25276-credential-tag-leak.json",
                             Profile::LitellmLatest);
  std::vector<Finding> fs = lint_config(s.config, Profile::LitellmLatest);
  EXPECT_EQ(find_rule(fs, "known-bug-25276"), nullptr);
}

TEST(Lint_KnownBug, RetryOnlyLeakIsFoundToo) {
  Scenario s = load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/issue-25276-retry-only-leak.json");
  std::vector<Finding> fs = lint_config(s.config, Profile::Litellm182);
  const Finding* f = find_rule(fs, "known-bug-25276");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("group 'primary'"), std::string::npos);
}

TEST(Lint_KnownBug, AWitnessFailsTheWholeFirstAttemptWhenTheSdkRetries) {
  // 1.82.3 hands p1's num_retries to the OpenAI SDK (point 12): a witness failing p1 "once" must fail
  // every SDK call of the first attempt, or the SDK absorbs the failure and no router retry (where the
  // leak shows) happens.
  auto fs = lint(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k1, tags: [x], num_retries: 1}, model_info: {id: p1}}
  - {model_name: primary, litellm_params: {model: openai/p2, api_key: k2, tags: [y]}, model_info: {id: p2}}
router_settings: {enable_tag_filtering: true, num_retries: 1, disable_cooldowns: true}
)");
  const Finding* f = find_rule(fs, "known-bug-25276");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->witness.has_value());
  EXPECT_EQ((*f->witness)["faults"]["p1"], nlohmann::json({"500", "500", "ok"}));
}

TEST(Lint_Fallbacks, CyclesAreReportedOnce) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {fallbacks: [{a: [b]}, {b: [a]}]}
)");
  EXPECT_EQ(std::count_if(fs.begin(), fs.end(), [](const Finding& f) { return f.rule == "fallback-cycle"; }), 1);
}

TEST(Lint_Fallbacks, MaxFallbacksCuttingAChain) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
  - {model_name: c, litellm_params: {model: openai/c1, api_key: k}, model_info: {id: c1}}
router_settings: {max_fallbacks: 1, fallbacks: [{a: [b]}, {b: [c]}]}
)");
  ASSERT_NE(find_rule(fs, "max-fallbacks-cuts-chain"), nullptr);
  EXPECT_EQ(find_rule(fs, "max-fallbacks-cuts-chain")->path, "router_settings.max_fallbacks");
}

TEST(Lint_Fallbacks, ContextWindowKeysThatNeverMatch) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {context_window_fallbacks: [{'*': [b]}]}
)");
  const Finding* f = find_rule(fs, "dead-fallback-key");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->path, "router_settings.context_window_fallbacks[0]");
}

TEST(Lint_Fallbacks, ATargetThatDeniesWhatItsSourceAdmits) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [eu]}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [us]}, model_info: {id: b1}}
router_settings: {enable_tag_filtering: true, num_retries: 0, disable_cooldowns: true, fallbacks: [{a: [b]}]}
)");
  const Finding* f = find_rule(fs, "fallback-tag-denial");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->witness.has_value());
  EXPECT_EQ(f->severity, Finding::Severity::Warning);
}

TEST(Lint_Tags, NoDefaultAndUnreachableDeployments) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k, tags: [eu]}, model_info: {id: a1}}
  - {model_name: a, litellm_params: {model: openai/a2, api_key: k}, model_info: {id: a2}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k, tags: [default]}, model_info: {id: b1}}
  - {model_name: b, litellm_params: {model: openai/b2, api_key: k}, model_info: {id: b2}}
router_settings: {enable_tag_filtering: true}
)");
  ASSERT_NE(find_rule(fs, "no-default-deployment"), nullptr);
  const Finding* unreachable = find_rule(fs, "unreachable-deployment");
  ASSERT_NE(unreachable, nullptr);
  EXPECT_NE(unreachable->message.find("b2"), std::string::npos);
}

TEST(Lint_Settings, IgnoredKeysAreInfo) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
litellm_settings: {success_callback: [langfuse]}
)");
  const Finding* f = find_rule(fs, "ignored-setting");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->path, "litellm_settings.success_callback");
  EXPECT_EQ(f->severity, Finding::Severity::Info);
}

TEST(Lint_Clean, AQuietConfigHasNoErrors) {
  auto fs = lint(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_key: k}, model_info: {id: a1}}
  - {model_name: b, litellm_params: {model: openai/b1, api_key: k}, model_info: {id: b1}}
router_settings: {fallbacks: [{a: [b]}]}
)");
  EXPECT_TRUE(fs.empty());
}

}  // namespace
}  // namespace routecheck::testing
