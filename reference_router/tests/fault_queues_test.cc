// FaultQueues (src/fault_queues.h), the fault plan resolved per deployment index: each deployment the
// plan names reads its own queue and every other one none — for configs at and around the sizes its
// inline storage is zeroed by (8 and 16 deployments) and beyond it, built over memory that held other
// bytes, and for an id shared by several deployments.
#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "../src/config_index.h"
#include "../src/fault_queues.h"
#include "routecheck/config.h"

namespace routecheck {
namespace {

// `n` deployments "d0".."d<n-1>" in one group (ids as given when `ids` is set), with their index.
Config config_of(int n, const std::vector<std::string>& ids = {}) {
  Config config;
  ModelGroup group{"g", {}};
  for (int i = 0; i < n; ++i) {
    Deployment d;
    d.id = ids.empty() ? "d" + std::to_string(i) : ids[static_cast<std::size_t>(i)];
    config.deployments.push_back(d);
    group.members.push_back(i);
  }
  config.groups.push_back(group);
  config.index = build_index(config);
  return config;
}

// Every deployment's queue, checked against `expected` (nullptr for none).
void expect_queues(const FaultQueues& queues, const std::vector<const std::vector<UpstreamOutcome>*>& expected) {
  for (std::size_t d = 0; d < expected.size(); ++d) EXPECT_EQ(queues[d], expected[d]) << "deployment " << d;
}

TEST(FaultQueues, EachNamedDeploymentReadsItsQueueAndNoOtherDoes) {
  for (int n : {1, 7, 8, 9, 15, 16, 17, 40}) {
    SCOPED_TRACE("deployments: " + std::to_string(n));
    Config config = config_of(n);
    FaultPlan plan;
    add_fault_arg(plan, "d0=500", "test");
    add_fault_arg(plan, "d" + std::to_string(n - 1) + "=503,ok", "test");
    add_fault_arg(plan, "unknown=429", "test");  // names no deployment: read by none
    plan.queues["empty"];                         // an empty queue answers ok, like none
    // Built over bytes that are not zero, so a slot it failed to clear reads as a queue.
    alignas(FaultQueues) unsigned char buffer[sizeof(FaultQueues)];
    std::memset(buffer, 0xAB, sizeof buffer);
    const FaultQueues* queues = new (buffer) FaultQueues(plan, config, *config.index);
    std::vector<const std::vector<UpstreamOutcome>*> expected(static_cast<std::size_t>(n), nullptr);
    expected.back() = &plan.queues.at("d" + std::to_string(n - 1));
    expected.front() = &plan.queues.at("d0");
    expect_queues(*queues, expected);
    queues->~FaultQueues();
  }
}

TEST(FaultQueues, AnIdSharedBySeveralDeploymentsGivesEachOfThemItsQueue) {
  Config config = config_of(3, {"a", "b", "a"});
  ASSERT_FALSE(config.index->unique_ids);
  FaultPlan plan;
  add_fault_arg(plan, "a=500", "test");
  FaultQueues queues(plan, config, *config.index);
  expect_queues(queues, {&plan.queues.at("a"), nullptr, &plan.queues.at("a")});
}

TEST(FaultQueues, AnEmptyPlanGivesNoDeploymentAQueue) {
  Config config = config_of(12);
  const FaultPlan plan;
  FaultQueues queues(plan, config, *config.index);
  expect_queues(queues, std::vector<const std::vector<UpstreamOutcome>*>(12, nullptr));
}

}  // namespace
}  // namespace routecheck
