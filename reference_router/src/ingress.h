#pragma once
// Ingress (semantics §3): what the proxy reads from a request once, before any routing decision.
// The request was parsed at the edge (parsed_request.h); this adds the caller (key/team tags), the
// profile and deviations, and what the request's names mean in the config.
#include <optional>
#include <string>
#include <vector>

#include "config_index.h"
#include "parsed_request.h"
#include "routecheck/config.h"
#include "routecheck/profile.h"
#include "routecheck/request.h"

namespace routecheck {

/// RT(R) for this caller, profile and deviations (§3.2–§3.5); `unverified` collects the points it touched.
RoutingTags routing_tags(const ParsedRequest& request, const Principal& principal, Profile profile,
                         const Deviations& dev, std::vector<std::string>& unverified);

/// Everything routing needs from the request, for one exploration. Nothing here throws.
class Ingress {
 public:
  Ingress(const ParsedRequest& request, const Config& config, const ConfigIndex& index, const Principal& principal,
          Profile profile, const Deviations& dev);
  Ingress(const Ingress&) = delete;
  Ingress& operator=(const Ingress&) = delete;

  const ParsedRequest& request;  // model, user agent, retry counts, body fallbacks, mock switches
  /// RT(R), computed once.
  const RoutingTags& tags() const { return *tags_; }
  std::optional<std::vector<std::string>> inherited_tags;  // latest: key/team tags (DB only)
  NameTarget model;   // what the request's model names in the config
  Bits tag_matches;   // the deployments whose tags match RT(R) under the router's match_any (§4.1)
  std::vector<NameTarget> client_fallbacks;                // body client-side list, resolved
  std::vector<std::vector<NameTarget>> generic_fallbacks;  // body generic list, resolved per rule
  std::vector<std::string> unverified;                     // unverified points this request touches

 private:
  RoutingTags own_tags_;  // RT(R) when the precomputed plain one does not apply
  const RoutingTags* tags_ = nullptr;
};

/// The deployments whose tags match `tags` (tag_match of §4.1, every deployment at once).
Bits tag_matches(const ConfigIndex& index, const std::vector<std::string>& tags, bool match_any);
/// The router's match_any after the MatchAllAsAny deviation.
bool match_any(const Config& config, const Deviations& dev);

}  // namespace routecheck
