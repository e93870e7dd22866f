// parse_scenario_into, as batch runs (oracle --jsonl, the oracle fuzz target) use it: one Scenario
// reused line after line, configs validated once and kept while they repeat (scenario.cc).
#include <gtest/gtest.h>

#include <string>

#include "routecheck/input_error.h"
#include "routecheck/scenario.h"

namespace routecheck::testing {
namespace {

using nlohmann::json;

// A scenario whose one group and deployment are named after `group`: tests use names no other test
// uses, so the per-thread config cache has not seen them.
json scenario_for(const std::string& group, int retries = 0) {
  return json{{"format", "routecheck-scenario/1"},
              {"id", "batch-" + group},
              {"config",
               {{"model_list",
                 json::array({{{"model_name", group},
                               {"litellm_params", {{"model", "openai/" + group}, {"api_key", "k"}}},
                               {"model_info", {{"id", group + "-1"}}}}})},
                {"router_settings", {{"num_retries", retries}}}}},
              {"request", {{"body", {{"model", group}, {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}}}}}};
}

Scenario parsed(const json& doc) {
  Scenario s;
  parse_scenario_into(s, json(doc), "batch.jsonl");
  return s;
}

TEST(ScenarioBatch, EachLineGetsItsOwnConfigWhenConfigsAlternate) {
  Scenario s;
  for (int round = 0; round < 3; ++round)
    for (const char* group : {"alternate-a", "alternate-b"}) {
      parse_scenario_into(s, scenario_for(group), "batch.jsonl");
      ASSERT_NE(s.config.find_group(group), nullptr) << "round " << round << ", line for " << group;
      EXPECT_EQ(s.config.source, scenario_for(group)["config"]);
    }
}

TEST(ScenarioBatch, AConfigIsKeptFromItsSecondSightOn) {
  json doc = scenario_for("second-sight");
  Scenario first = parsed(doc), second = parsed(doc), third = parsed(doc), fourth = parsed(doc);
  EXPECT_NE(first.config.index, second.config.index) << "a config seen once is not kept";
  EXPECT_EQ(second.config.index, third.config.index) << "the second sight keeps it for the third";
  EXPECT_EQ(third.config.index, fourth.config.index);
  EXPECT_EQ(fourth.config.source, doc["config"]);
}

TEST(ScenarioBatch, SameDocumentWithOtherNumbersIsNotReused) {
  json one = scenario_for("numbers", 1), two = scenario_for("numbers", 2);
  parsed(one), parsed(one);  // kept
  Scenario s = parsed(two);
  EXPECT_EQ(s.config.source["router_settings"]["num_retries"], 2);
  EXPECT_NE(s.config.index, parsed(one).config.index);
}

TEST(ScenarioBatch, ABadConfigIsReportedEveryTimeItComes) {
  json bad = scenario_for("bad-every-time");
  bad["config"]["model_list"][0]["litellm_params"].erase("model");
  for (int i = 0; i < 3; ++i) {
    Scenario s;
    try {
      parse_scenario_into(s, json(bad), "batch.jsonl");
      ADD_FAILURE() << "line " << i << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "batch.jsonl");
      EXPECT_NE(e.pointer().find("/config/model_list/0/litellm_params"), std::string::npos) << e.pointer();
    }
  }
}

}  // namespace
}  // namespace routecheck::testing
