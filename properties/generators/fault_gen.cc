#include "generators/fault_gen.h"

#include "generators/choice.h"

namespace routecheck::generators {

using nlohmann::json;
namespace gen = rc::gen;

rc::Gen<std::string> genUpstreamOutcome(bool with_timeout) {
  // Retry-After stays <= 1 s so that every plan is live-safe (CONTRACT.md §9).
  return weighted<std::string>({{20, "500"}, {15, "ok"}, {8, "429"}, {6, "503"}, {6, "400"}, {4, "404"},
                                {3, "422"}, {4, "401"}, {3, "403"}, {3, "408"}, {with_timeout ? 4 : 0, "timeout"},
                                {5, "context_window"}, {5, "content_policy"}, {4, "refused"},
                                {2, "429@retry-after=1"}, {1, "503@retry-after=0"}});
}

rc::Gen<FaultPlanSpec> genFaultPlan(bool with_timeout) {
  auto queue = gen::map(sometimes(55, between(1, 3, genUpstreamOutcome(with_timeout))),
                        [](const std::optional<std::vector<std::string>>& q) {
                          return q.value_or(std::vector<std::string>{});
                        });
  return gen::build<FaultPlanSpec>(gen::set(
      &FaultPlanSpec::queues, gen::container<std::vector<std::vector<std::string>>>(kMaxGroups * kMaxDeployments, queue)));
}

json render_faults(const FaultPlanSpec& spec, const ConfigShape& shape) {
  json faults = json::object();
  for (std::size_t g = 0; g < shape.groups.size() && g < static_cast<std::size_t>(kMaxGroups); ++g) {
    const auto& ids = shape.groups[g].second;
    for (std::size_t k = 0; k < ids.size() && k < static_cast<std::size_t>(kMaxDeployments); ++k) {
      const auto& q = spec.queues[g * kMaxDeployments + k];
      if (!q.empty()) faults[ids[k]] = q;
    }
  }
  return faults;
}

}  // namespace routecheck::generators
