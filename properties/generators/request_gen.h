#pragma once
/// Generators of client requests: the group (or, rarely, a deployment id) named in `model`, the endpoint,
/// and routing tags from every source of semantics §3.2 — body `tags`, `metadata.tags`,
/// `litellm_metadata.tags` and the `x-litellm-tags` header.
#include <rapidcheck.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "generators/config_gen.h"

namespace routecheck::generators {

/// Tags callers send: the deployment alphabet plus one tag no deployment carries.
const std::vector<std::string>& request_tag_alphabet();

/// One request. Indices are reduced modulo the config's sizes when rendered.
struct RequestSpec {
  int group = 0;
  bool specific_deployment = false;  // `model` names the group's first deployment id (§5.2)
  bool responses_endpoint = false;   // /v1/responses (litellm_metadata bucket) instead of chat
  std::optional<std::vector<std::string>> body_tags, metadata_tags, litellm_metadata_tags, header_tags;
};

/// A tag list from request_tag_alphabet() (shrinks toward fewer tags; may be empty).
rc::Gen<std::vector<std::string>> genRoutingTags();
/// A request; `live_safe` keeps to the chat endpoint and off litellm_metadata on chat (§3.3 note).
rc::Gen<RequestSpec> genRequest(bool live_safe);

/// The scenario's `request` object ({path, headers, body}) for `spec` against `shape`.
nlohmann::json render_request(const RequestSpec& spec, const ConfigShape& shape);

}  // namespace routecheck::generators
