#pragma once
// The fault plan resolved against one config: each deployment's queue by deployment index.
#include <cstddef>
#include <vector>

#include "config_index.h"
#include "zeroed_array.h"
#include "routecheck/config.h"
#include "routecheck/faults.h"

namespace routecheck {

/// The fault plan's queue per deployment index (nullptr: every call answers ok), resolved once per
/// exploration so a call reads its answer without looking the deployment id up. A config of up to 16
/// deployments keeps them inline: resolving allocates nothing, and reading one is a single load.
class FaultQueues {
 public:
  using Queue = const std::vector<UpstreamOutcome>*;

  FaultQueues(const FaultPlan& plan, const Config& config, const ConfigIndex& index);

  /// The queue of deployment `d` (an index into config.deployments), or nullptr.
  Queue operator[](std::size_t d) const { return queues_[d]; }

 private:
  ZeroedArray<Queue, 16> queues_;
};

}  // namespace routecheck
