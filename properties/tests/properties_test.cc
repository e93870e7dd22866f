// Fast tests of the generators, transforms and properties. The mutation score (mutation_score.cc) is
// the heavy test; these run in every tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "counterexample.h"
#include "generators/scenario_gen.h"
#include "property.h"
#include "routecheck/document.h"
#include "transforms.h"

namespace routecheck::properties {
namespace {

using nlohmann::json;

std::vector<json> draw(const generators::GenOptions& options, int n, std::uint64_t seed) {
  rc::Gen<generators::ScenarioDoc> gen = generators::genScenarioDoc(options);
  rc::Random random(seed);
  std::vector<json> out;
  for (int i = 0; i < n; ++i) {
    rc::Random r = random.split();
    out.push_back(gen(r, i % 101).value().doc);
  }
  return out;
}

Scenario corpus(const std::string& name) {
  return load_scenario(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios/" + name + ".json");
}

TEST(Generators, EveryDrawnScenarioParses) {
  for (Profile p : {Profile::Litellm182, Profile::LitellmLatest})
    for (bool live : {false, true}) {
      generators::GenOptions o;
      o.profile = p;
      o.live_safe = live;
      for (const json& doc : draw(o, 150, 11)) EXPECT_NO_THROW(generators::to_scenario(doc)) << doc.dump();
    }
}

TEST(Generators, CoverTheFeaturesTheMutantsNeed) {
  std::map<std::string, int> seen;
  for (const json& doc : draw({}, 400, 12)) {
    const json& c = doc["config"];
    const json& rs = c["router_settings"];
    seen["credential"] += c.contains("credential_list");
    seen["two groups"] += c["model_list"].size() > 1 && c["model_list"][0]["model_name"] != c["model_list"].back()["model_name"];
    seen["match all"] += rs.contains("tag_filtering_match_any") && rs["tag_filtering_match_any"] == false;
    seen["star key"] += rs.contains("fallbacks") && rs["fallbacks"].dump().find("\"*\"") != std::string::npos;
    seen["default_fallbacks"] += rs.contains("default_fallbacks");
    seen["context_window_fallbacks"] += rs.contains("context_window_fallbacks");
    seen["header and root tags"] += doc["request"]["headers"].contains("x-litellm-tags") && doc["request"]["body"].contains("tags");
    seen["responses endpoint"] += doc["request"]["path"] == "/v1/responses";
    seen["default tag"] += c.dump().find("\"default\"") != std::string::npos;
    seen["cooldowns on"] += rs["disable_cooldowns"] == false;
  }
  for (const auto& [feature, n] : seen) EXPECT_GE(n, 10) << feature;
}

TEST(Generators, FixedConfigVariesOnlyRequestsAndFaults) {
  generators::GenOptions o;
  o.config = load_document(std::string(ROUTECHECK_SOURCE_DIR) + "/properties/tests/data/two-groups.yaml");
  std::set<std::string> requests;
  for (const json& doc : draw(o, 50, 13)) {
    EXPECT_EQ(doc["config"], *o.config);
    requests.insert(doc["request"].dump() + doc["faults"].dump());
  }
  EXPECT_GT(requests.size(), 20u);
}

TEST(Registry, NamesAreUniqueAndDocumented) {
  std::set<std::string> names;
  for (const Property& p : all_properties()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_FALSE(p.statement.empty());
    EXPECT_FALSE(p.section.empty());
  }
  EXPECT_EQ(find_property("I-1-routing-tags-fixed")->name, "I-1-routing-tags-fixed");
  EXPECT_EQ(find_property("no-such-property"), nullptr);
}

TEST(CuratedCorpus, EveryPropertyHoldsOnTheUnmutatedOracle) {
  Oracle oracle = make_oracle(nullptr);
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ROUTECHECK_SOURCE_DIR) + "/corpus/scenarios")) {
    Scenario s = load_scenario(entry.path().string());
    for (Profile p : {Profile::Litellm182, Profile::LitellmLatest}) {
      s.profile = p;
      for (const Property& prop : all_properties()) {
        PropertyResult r = evaluate(prop, s, oracle);
        EXPECT_TRUE(r.ok()) << entry.path().filename() << " " << to_string(p) << " " << prop.name << ": " << r.message;
      }
    }
  }
}

TEST(CuratedCorpus, Issue25276IsCaughtUnderTheMutant) {
  Scenario s = corpus("issue-25276-credential-tag-leak");
  Oracle leak = make_oracle(&find_mutant("credential-tag-leak"));
  for (const char* name : {"I-1-routing-tags-fixed", "I-2-observability-inert", "I-3-hop-independence",
                           "I-4-status-honesty", "MP-1-credential-naming", "MP-5-no-spurious-denial"}) {
    PropertyResult r = evaluate(*find_property(name), s, leak);
    EXPECT_EQ(r.verdict, PropertyResult::Verdict::Violated) << name;
  }
}

TEST(CuratedCorpus, RetryOnlyLeakIsCaughtWithinOneGroup) {
  Scenario s = corpus("issue-25276-retry-only-leak");
  Oracle leak = make_oracle(&find_mutant("credential-tag-leak"));
  EXPECT_FALSE(evaluate(*find_property("I-1-routing-tags-fixed"), s, leak).ok());
  EXPECT_FALSE(evaluate(*find_property("MP-5-no-spurious-denial"), s, leak).ok());
}

TEST(Transforms, CredentialNamingGoesBothWays) {
  json doc = scenario_to_json(corpus("issue-25276-credential-tag-leak"));
  json inlined = *credential_naming(doc);
  EXPECT_FALSE(inlined["config"].contains("credential_list"));
  EXPECT_EQ(inlined["config"]["model_list"][0]["litellm_params"]["api_key"], "sk-fake-cred-openai");
  json named = *credential_naming(inlined);
  EXPECT_EQ(named["config"]["model_list"][1]["litellm_params"]["litellm_credential_name"], "key-backup-1");
  EXPECT_NO_THROW(parse_scenario(named, "<test>"));
}

TEST(Transforms, TwinsCarryTheirRelation) {
  json doc = scenario_to_json(corpus("issue-25276-credential-tag-leak"));
  json twin = *make_twin(doc, "MP-4");
  EXPECT_EQ(twin["id"], "issue-25276-credential-tag-leak~MP-4");
  EXPECT_EQ(twin["twin_of"], "issue-25276-credential-tag-leak");
  EXPECT_EQ(twin["relation"], "MP-4");
  EXPECT_EQ(twin["request"]["body"]["model"], "backup");
  EXPECT_FALSE(make_twin(doc, "MP-5").has_value());  // no tag source to remove
  EXPECT_THROW(make_twin(doc, "MP-9"), std::invalid_argument);
}

TEST(Transforms, ShadowedSourcesFollowSection33) {
  json doc = scenario_to_json(corpus("issue-25276-credential-tag-leak"));
  doc["request"]["body"]["tags"] = {"eu"};
  doc["request"]["headers"]["X-LiteLLM-Tags"] = "us";
  doc["request"]["body"]["metadata"] = {{"tags", {"gpu"}}, {"user", "x"}};
  json twin = *without_shadowed_tag_sources(doc);
  EXPECT_TRUE(twin["request"]["headers"].empty());
  EXPECT_EQ(twin["request"]["body"]["metadata"], (json{{"user", "x"}}));
  EXPECT_EQ(twin["request"]["body"]["tags"], json({"eu"}));
}

TEST(Counterexamples, FileReplaysWithTheMutant) {
  std::string dir = std::string(ROUTECHECK_BUILD_DIR) + "/counterexamples-test";
  json doc = scenario_to_json(corpus("issue-25276-credential-tag-leak"));
  std::optional<std::string> path = write_counterexample(doc, "I-1-routing-tags-fixed", "credential-tag-leak", dir);
  ASSERT_TRUE(path.has_value());
  Scenario back = load_scenario(*path);
  EXPECT_EQ(back.mutant, "credential-tag-leak");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace routecheck::properties
