#include "fault_queues.h"

namespace routecheck {

FaultQueues::FaultQueues(const FaultPlan& plan, const Config& config, const ConfigIndex& index)
    : queues_(config.deployments.size()) {
  if (plan.queues.empty()) return;
  if (index.unique_ids) {  // each named id is one deployment: look the plan's ids up
    for (const auto& [id, queue] : plan.queues) {
      const int d = index.lookup(id).deployment;
      if (d >= 0 && !queue.empty()) queues_[d] = &queue;
    }
  } else {  // an id shared by several deployments: each of them reads its queue
    for (std::size_t d = 0; d < config.deployments.size(); ++d) {
      auto it = plan.queues.find(config.deployments[d].id);
      if (it != plan.queues.end() && !it->second.empty()) queues_[d] = &it->second;
    }
  }
}

}  // namespace routecheck
