#pragma once
// Parse at the edge: what routing reads from a request (semantics §3), taken out of the JSON body and
// the headers once, by make_request, so that route() never looks a key up in the body.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/request.h"

namespace routecheck {

/// A `tags` value as the body has it: a list (its string elements, in order), a string, or other.
struct TagsField {
  enum class Kind { List, String, Other } kind = Kind::Other;
  std::vector<std::string> strings;  // Kind::List
  std::string text;                  // Kind::String
};

/// RT(R): the routing tags computed once at ingress, with where each came from.
struct RoutingTags {
  std::vector<std::string> list;                             // order and duplicates kept (denial text)
  std::vector<std::pair<std::string, std::string>> sources;  // tag -> source, first source wins
  bool truthy() const { return !list.empty(); }
};

/// The body's `fallbacks` field, classified as LiteLLM does (§7.3 branch 2, §7.1).
struct BodyFallbacks {
  enum class Kind { Absent, Null, Generic, ClientList } kind = Kind::Absent;
  FallbackList generic;             // Kind::Generic: replaces the router's generic list
  std::vector<std::string> client;  // Kind::ClientList: target groups in order
};

struct ParsedRequest {
  std::string model;
  std::string bucket;                              // "metadata" or "litellm_metadata" (§3.1)
  std::optional<TagsField> bucket_tags;            // body[bucket].tags, when body[bucket] is an object
  std::optional<TagsField> litellm_metadata_tags;  // body.litellm_metadata.tags on a "metadata" path
  bool litellm_metadata_object = false;            // a "metadata" path whose body has a litellm_metadata object
  std::string litellm_metadata_user_agent_line;    // "User-Agent: <litellm_metadata.user_agent>", or ""
  std::optional<TagsField> root_tags;              // body.tags, when it is a list
  std::optional<std::vector<std::string>> header_tags;  // x-litellm-tags split at commas
  std::string user_agent;
  std::string user_agent_line;  // "User-Agent: <agent>", what tag_regex patterns search; "" without one
  std::optional<int> header_num_retries, body_num_retries;
  BodyFallbacks fallbacks;
  bool disable_fallbacks = false;
  bool mock_fallbacks = false, mock_context_fallbacks = false, mock_content_policy_fallbacks = false,
       mock_rate_limit = false;
  std::optional<std::string> mock_response;

  /// RT(R) and the unverified points it touched for a caller without key/team tags, a router without
  /// deviations and default profile options — almost every request — per profile (indexed by Profile).
  RoutingTags plain_tags[2];
  std::vector<std::string> plain_unverified[2];
};

/// Reads a request validated by make_request; nothing here throws on such a request.
ParsedRequest parse_request(const Request& request);

/// The bucket name for a path (§3.1).
std::string bucket_for_path(const std::string& path);

}  // namespace routecheck
