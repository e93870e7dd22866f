#pragma once
/// Reading a route() result the way properties need it: hops, the tags a caller sent, the status an
/// attempt's outcome carries, and the observable part of an outcome (what a live proxy shows).
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck::properties {

/// The records of one hop (one model group visited), in attempt order.
struct HopView {
  int hop = 0, depth = 0;
  std::string group;
  std::vector<const AttemptRecord*> records;
  const AttemptRecord& last() const { return *records.back(); }
};

/// The trace of `o` split into hops, in the order they ran.
std::vector<HopView> hops_of(const Outcome& o);

/// Every string the caller sent as a tag, from any source (§3.2), including key/team tags.
std::set<std::string> caller_tag_strings(const Scenario& s);

/// The tags the first tag decision of `o` used: RT(R) unless an earlier pick already leaked into it
/// (possible only after a specific-deployment hop 0). nullopt when no tag decision ran.
std::optional<std::vector<std::string>> first_tags_used(const Outcome& o);

/// The HTTP status an attempt outcome ("500", "429@retry-after=1", "timeout", ...) carries; nullopt
/// for "ok", "TAG_DENIED", "NO_DEPLOYMENTS".
std::optional<int> status_of_attempt(const std::string& outcome);

/// Whether an attempt that ended with `outcome` may be retried by §6.2 (with a healthy group of
/// `group_size` deployments and the config's fallback lists). "ok" is not retryable.
bool retryable(const std::string& outcome, std::size_t group_size, const Config& config);

/// The observable part of an outcome: status, error class, served_by, denial, headers, and the
/// deployments called in order (keys dropped when `with_keys` is false).
nlohmann::json observable(const Outcome& o, bool with_keys = true);
/// The set of observables of a result, as sorted compact JSON strings.
std::set<std::string> observables(const RouteResult& r, bool with_keys = true);
/// A short diff of two observable sets for messages.
std::string describe_difference(const std::set<std::string>& a, const std::set<std::string>& b);

/// The retries every hop gets when only router num_retries decides (§6.1); nullopt when a retry
/// policy, per-deployment, header or body num_retries is present.
std::optional<int> uniform_retry_budget(const Scenario& s);

/// A scenario built from `doc` (a transformed scenario document); throws InputError if invalid.
Scenario reparse(const nlohmann::json& doc, const Scenario& like);

/// "hop 1 · attempt 0 · group backup" for messages.
std::string where(const AttemptRecord& r);

}  // namespace routecheck::properties
