#pragma once
// Ingress (semantics §3): what the proxy reads from a request once, before any routing decision.
#include <optional>
#include <string>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/profile.h"
#include "routecheck/request.h"

namespace routecheck {

/// RT(R): the routing tags computed once at ingress, with where each came from.
struct RoutingTags {
  std::vector<std::string> list;                                  // order and duplicates kept (denial text)
  std::vector<std::pair<std::string, std::string>> sources;       // tag -> source, first source wins
  bool truthy() const { return !list.empty(); }
};

/// The body's `fallbacks` field, classified as LiteLLM does (§7.3 branch 2, §7.1).
struct BodyFallbacks {
  enum class Kind { Absent, Null, Generic, ClientList } kind = Kind::Absent;
  FallbackList generic;             // Kind::Generic: replaces the router's generic list
  std::vector<std::string> client;  // Kind::ClientList: target groups in order
};

/// Everything routing needs from the request, read once.
struct Ingress {
  std::string model;
  std::string bucket;  // "metadata" or "litellm_metadata"
  RoutingTags tags;
  std::optional<std::vector<std::string>> inherited_tags;  // latest: key/team tags (DB only)
  std::string user_agent;
  std::optional<int> header_num_retries, body_num_retries;
  BodyFallbacks fallbacks;
  bool disable_fallbacks = false;
  bool mock_fallbacks = false, mock_context_fallbacks = false, mock_content_policy_fallbacks = false,
       mock_rate_limit = false;
  std::optional<std::string> mock_response;
  std::vector<std::string> unverified;  // unverified points this request touches
};

/// The bucket name for a path (§3.1).
std::string bucket_for_path(const std::string& path);

/// Computes the ingress view. The request was validated by make_request; nothing here throws.
Ingress read_ingress(const Request& request, const Principal& principal, Profile profile, const Deviations& dev);

}  // namespace routecheck
