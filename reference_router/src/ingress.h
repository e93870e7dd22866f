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

/// RT(R) for this caller, profile, options and deviations (§3.2–§3.5); `unverified` collects the points it touched.
RoutingTags routing_tags(const ParsedRequest& request, const Principal& principal, Profile profile,
                         const Deviations& dev, const ProfileOptions& options, std::vector<std::string>& unverified);

/// Whether the router's tag filter reads the body's `litellm_metadata` object instead of the bucket:
/// 1.82 on a `metadata` route, option litellm-metadata-tags=router-reads (point 5, confirmed on 1.82.3).
bool router_reads_litellm_metadata(const ParsedRequest& request, Profile profile, const ProfileOptions& options);

/// Everything routing needs from the request, for one exploration. Nothing here throws.
class Ingress {
 public:
  Ingress(const ParsedRequest& request, const Config& config, const ConfigIndex& index, const Principal& principal,
          Profile profile, const Deviations& dev, const ProfileOptions& options);
  Ingress(const Ingress&) = delete;
  Ingress& operator=(const Ingress&) = delete;

  const ParsedRequest& request;  // model, user agent, retry counts, body fallbacks, mock switches
  const Profile profile;
  /// The tag filter reads the body's litellm_metadata object (point 5): RT(R) comes from it, and the
  /// post-pick writes of §5.5, which go to `metadata`, never reach a tag decision.
  const bool tags_from_litellm_metadata;
  /// "User-Agent: <ua>" as the tag filter sees it (tag_regex, §4.2.3), or "".
  const std::string& user_agent_line() const {
    return tags_from_litellm_metadata ? request.litellm_metadata_user_agent_line : request.user_agent_line;
  }
  /// RT(R), computed once.
  const RoutingTags& tags() const { return *tags_; }
  std::optional<std::vector<std::string>> inherited_tags;  // latest: key/team tags (DB only)
  NameTarget model;   // what the request's model names in the config
  Bits tag_matches;   // the deployments whose tags match RT(R) under the router's match_any (§4.1)
  std::vector<NameTarget> client_fallbacks;                // body client-side list, resolved
  std::vector<std::vector<NameTarget>> generic_fallbacks;  // body generic list, resolved per rule
  std::vector<std::string> unverified;                     // unverified points this request touches

 private:
  std::optional<RoutingTags> own_tags_;  // RT(R) when the precomputed plain one does not apply (rare)
  const RoutingTags* tags_ = nullptr;
};

/// The deployments whose tags match `tags` (tag_match of §4.1, every deployment at once), into `out`.
void tag_matches(const ConfigIndex& index, const std::vector<std::string>& tags, bool match_any, Bits& out);
/// The router's match_any after the MatchAllAsAny deviation.
bool match_any(const Config& config, const Deviations& dev);

}  // namespace routecheck
