#include "fault_queues.h"

#include <cstring>

namespace routecheck {

FaultQueues::FaultQueues(const FaultPlan& plan, const Config& config, const ConfigIndex& index) {
  const std::size_t n = config.deployments.size();
  if (n > kInline) {
    heap_.assign(n, nullptr);
    queues_ = heap_.data();
  } else {
    // By whole blocks of constant size: a few vector stores each, where zeroing all 16 slots at once
    // compiles to a `rep stos` (slow to start) and a variable count to a memset call.
    static_assert(kInline == 2 * kBlock, "two blocks cover the inline slots");
    std::memset(inline_, 0, sizeof(Queue) * kBlock);
    if (n > kBlock) std::memset(inline_ + kBlock, 0, sizeof(Queue) * kBlock);
  }
  if (plan.queues.empty()) return;
  if (index.unique_ids) {  // each named id is one deployment: look the plan's ids up
    for (const auto& [id, queue] : plan.queues) {
      const int d = index.lookup(id).deployment;
      if (d >= 0 && !queue.empty()) queues_[d] = &queue;
    }
  } else {  // an id shared by several deployments: each of them reads its queue
    for (std::size_t d = 0; d < n; ++d) {
      auto it = plan.queues.find(config.deployments[d].id);
      if (it != plan.queues.end() && !it->second.empty()) queues_[d] = &it->second;
    }
  }
}

}  // namespace routecheck
