// Semantics §12: the #25276 worked example, its variants (§12.4), and the curated corpus; §8.1 I-1.
#include <filesystem>

#include "routecheck/result_json.h"
#include "routing_case.h"

namespace routecheck::testing {
namespace {

namespace fs = std::filesystem;

Scenario curated(const std::string& id) {
  return load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/" + id + ".json");
}

RouteResult run(const Scenario& s, const char* mutant = nullptr) {
  RouteOptions options;
  if (mutant) options.mutant = &find_mutant(mutant);
  return route(s, options);
}

TEST(S12_2_CorrectProxy, ServesTheFallbackWithTheOriginalTags) {
  RouteResult r = run(curated("issue-25276-credential-tag-leak"));
  ASSERT_EQ(r.outcomes.size(), 1u);
  const Outcome& o = r.outcomes[0];
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.served_by, "backup-1");
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "1");
  EXPECT_EQ(header(o, "x-litellm-attempted-retries"), "0");
  ASSERT_EQ(o.upstream_calls.size(), 2u);
  EXPECT_EQ(o.upstream_calls[0], (UpstreamCall{"primary-1", "openai"}));
  EXPECT_EQ(o.upstream_calls[1], (UpstreamCall{"backup-1", "backup-1"}));
  for (const AttemptRecord& rec : o.trace) EXPECT_TRUE(rec.tags_used.empty());  // I-1
}

TEST(S12_3_CredentialTagLeakMutant, Gives401NamingBackupAndTheCredentialTag) {
  RouteResult r = run(curated("issue-25276-credential-tag-leak"), "credential-tag-leak");
  ASSERT_EQ(r.outcomes.size(), 1u);
  const Outcome& o = r.outcomes[0];
  EXPECT_EQ(o.status, 401);
  ASSERT_TRUE(o.denial.has_value());
  EXPECT_EQ(o.denial->group, "backup");
  EXPECT_EQ(o.denial->tags, Tags{"Credential: openai"});
  EXPECT_EQ(called(o), Ids{"primary-1"});
  EXPECT_EQ(header(o, "x-litellm-model-id"), "primary-1");  // the last pick, as 1.82.3 sends it
  EXPECT_EQ(header(o, "x-litellm-attempted-fallbacks"), "<absent>");
}

TEST(S12_4_RetryOnlyLeak, MutantDeniesTheRetryNamingPrimary) {
  RouteResult correct = run(curated("issue-25276-retry-only-leak"));
  EXPECT_EQ(header(correct.outcomes.at(0), "x-litellm-max-retries"), "1");
  EXPECT_EQ(correct.outcomes.at(0).upstream_calls.size(), 2u);
  RouteResult leak = run(curated("issue-25276-retry-only-leak"), "credential-tag-leak");
  EXPECT_EQ(leak.outcomes.at(0).denial->group, "primary");
  EXPECT_EQ(leak.outcomes.at(0).upstream_calls.size(), 1u);
}

TEST(S12_4_DeploymentTagLeakInGroup, MutantConfinesRetriesToTheFailingDeployment) {
  auto reaches_g2_after_g1 = [](const RouteResult& r) {
    for (const Outcome& o : r.outcomes) {
      auto calls = called(o);
      if (calls.size() >= 2 && calls[0] == "g1" && calls.back() == "g2") return true;
    }
    return false;
  };
  EXPECT_TRUE(reaches_g2_after_g1(run(curated("deployment-tag-leak-in-group"))));
  EXPECT_FALSE(reaches_g2_after_g1(run(curated("deployment-tag-leak-in-group"), "credential-tag-leak")));
}

// Every curated scenario states, per profile and mutant, what the semantics file says it must give.
TEST(S12_CuratedCorpus, EveryExpectationIsMet) {
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    Scenario s = load_scenario(entry.path().string());
    for (const auto& [key, expectation] : s.expected) {
      auto plus = key.find('+');
      const Mutant* mutant = plus == std::string::npos ? nullptr : &find_mutant(key.substr(plus + 1));
      Profile profile = parse_profile(key.substr(0, plus));
      RouteOptions options;
      options.profile = profile;
      options.mutant = mutant;
      Scenario under_profile = profile == s.profile ? s : load_scenario(entry.path().string(), profile);
      RouteResult r = route(under_profile, options);
      EXPECT_EQ(meets_expectation(s, r, profile, mutant), std::optional<bool>(true))
          << entry.path().filename() << " under " << key;
      ++checked;
    }
  }
  EXPECT_GE(checked, 21u);
}

TEST(S8_1_I1, NoCuratedScenarioUsesAnythingButIngressTagsUnmutated) {
  for (const auto& entry : fs::directory_iterator(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    Scenario s = load_scenario(entry.path().string());
    RouteResult r = run(s);
    for (const Outcome& o : r.outcomes)
      for (const AttemptRecord& rec : o.trace)
        if (rec.tag_decision) {
          EXPECT_EQ(rec.tags_used, o.trace.front().tags_used) << s.id;
        }
  }
}

}  // namespace
}  // namespace routecheck::testing
