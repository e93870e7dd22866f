#pragma once
/// Metamorphic transforms (semantics §8.3) on scenario documents: each returns the twin document, or
/// nullopt when the relation does not apply to this scenario. Used by the properties and by
/// `routecheck gen --transform`.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace routecheck::properties {

/// A tag the generators never produce, for MP-2.
inline const char* kForeignTag = "mp2-foreign";

/// MP-1: every named credential written inline (api_key, api_base), or — when no deployment names a
/// credential — every inline api_key moved into its own credential `key-<id>`.
std::optional<nlohmann::json> credential_naming(const nlohmann::json& doc);
/// MP-2: kForeignTag added to every deployment's tags (not applicable with tag_regex or when the
/// request mentions the tag).
std::optional<nlohmann::json> foreign_tags(const nlohmann::json& doc);
/// MP-3: the same scenario without faults.
std::optional<nlohmann::json> fault_free(const nlohmann::json& doc);
/// MP-4: the same request sent directly to `group` (body fallbacks and mock switches removed).
std::optional<nlohmann::json> direct_request(const nlohmann::json& doc, const std::string& group);
/// MP-4 for `gen`: a direct request to the first target of the requested group's generic chain.
std::optional<nlohmann::json> direct_to_first_fallback(const nlohmann::json& doc);
/// MP-5: the request with every routing-tag source removed (its twin must never be a tag denial).
std::optional<nlohmann::json> untagged(const nlohmann::json& doc);
/// §3.3 (litellm-1.82): the tag sources that the winning source replaces are removed — header,
/// metadata.tags and litellm_metadata.tags under a root `tags` list; metadata.tags and
/// litellm_metadata.tags under the header — and body `metadata` on litellm_metadata routes (§3.1).
/// With a litellm_metadata object on a metadata route the router reads only that object (point 5,
/// option litellm-metadata-tags=router-reads): header, root `tags` and metadata.tags are removed.
std::optional<nlohmann::json> without_shadowed_tag_sources(const nlohmann::json& doc);

/// The twin for relation "MP-1".."MP-5" with `twin_of`, `relation` and id `<id>~MP-k`; nullopt when
/// the relation does not apply. Throws std::invalid_argument for an unknown relation.
std::optional<nlohmann::json> make_twin(const nlohmann::json& doc, const std::string& relation);

}  // namespace routecheck::properties
