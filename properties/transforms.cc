#include "transforms.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace routecheck::properties {

using nlohmann::json;

namespace {

json* model_list(json& doc) {
  if (!doc.contains("config") || !doc["config"].is_object() || !doc["config"].contains("model_list")) return nullptr;
  return &doc["config"]["model_list"];
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Removes every header named `name` (case-insensitive); true if one was there.
bool erase_header(json& doc, const std::string& name) {
  json& headers = doc["request"]["headers"];
  if (!headers.is_object()) return false;
  bool any = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (lower(it.key()) == name) {
      it = headers.erase(it);
      any = true;
    } else {
      ++it;
    }
  }
  return any;
}

bool has_header(const json& doc, const std::string& name) {
  const json& r = doc["request"];
  if (!r.contains("headers") || !r["headers"].is_object()) return false;
  for (auto it = r["headers"].begin(); it != r["headers"].end(); ++it)
    if (lower(it.key()) == name) return true;
  return false;
}

bool erase_bucket_tags(json& body, const char* bucket) {
  if (!body.contains(bucket) || !body[bucket].is_object() || !body[bucket].contains("tags")) return false;
  body[bucket].erase("tags");
  if (body[bucket].empty()) body.erase(bucket);
  return true;
}

// Semantics §3.1: the litellm_metadata bucket serves these paths.
bool litellm_metadata_route(const std::string& path) {
  for (const char* marker : {"batches", "/v1/messages", "responses", "files", "assistants", "threads"})
    if (path.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace

std::optional<json> credential_naming(const json& doc) {
  json out = doc;
  json* models = model_list(out);
  if (!models) return std::nullopt;
  json& config = out["config"];
  bool named = false;
  for (const json& d : *models) named = named || d["litellm_params"].contains("litellm_credential_name");
  if (named) {
    for (json& d : *models) {
      json& p = d["litellm_params"];
      if (!p.contains("litellm_credential_name")) continue;
      std::string name = p["litellm_credential_name"].get<std::string>();
      p.erase("litellm_credential_name");
      for (const json& c : config.value("credential_list", json::array())) {
        if (c.value("credential_name", "") != name || !c.contains("credential_values")) continue;
        for (const char* key : {"api_key", "api_base"})
          if (c["credential_values"].contains(key) && !p.contains(key)) p[key] = c["credential_values"][key];
      }
      if (!p.contains("api_key")) p["api_key"] = "sk-inline-" + name;
    }
    config.erase("credential_list");
    return out;
  }
  json creds = config.value("credential_list", json::array());
  bool moved = false;
  for (json& d : *models) {
    json& p = d["litellm_params"];
    if (!p.contains("api_key")) continue;
    std::string name = "key-" + d["model_info"]["id"].dump();
    name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
    creds.push_back({{"credential_name", name}, {"credential_values", {{"api_key", p["api_key"]}}}});
    p.erase("api_key");
    p["litellm_credential_name"] = name;
    moved = true;
  }
  if (!moved) return std::nullopt;
  config["credential_list"] = creds;
  return out;
}

std::optional<json> foreign_tags(const json& doc) {
  if (doc["request"].dump().find(kForeignTag) != std::string::npos ||
      (doc.contains("principal") && doc["principal"].dump().find(kForeignTag) != std::string::npos))
    return std::nullopt;
  json out = doc;
  json* models = model_list(out);
  if (!models || models->empty()) return std::nullopt;
  for (json& d : *models) {
    json& p = d["litellm_params"];
    if (p.contains("tag_regex") && !p["tag_regex"].is_null() && !p["tag_regex"].empty()) return std::nullopt;
    if (!p.contains("tags") || !p["tags"].is_array()) p["tags"] = json::array();
    p["tags"].push_back(kForeignTag);
  }
  return out;
}

std::optional<json> fault_free(const json& doc) {
  if (!doc.contains("faults") || !doc["faults"].is_object() || doc["faults"].empty()) return std::nullopt;
  json out = doc;
  out["faults"] = json::object();
  return out;
}

std::optional<json> direct_request(const json& doc, const std::string& group) {
  json out = doc;
  json& body = out["request"]["body"];
  body["model"] = group;
  for (const char* key : {"fallbacks", "mock_testing_fallbacks", "mock_testing_context_fallbacks",
                          "mock_testing_content_policy_fallbacks", "mock_testing_rate_limit_error"})
    body.erase(key);
  return out;
}

std::optional<json> direct_to_first_fallback(const json& doc) {
  const json& rs = doc["config"].value("router_settings", json::object());
  std::string model = doc["request"]["body"].value("model", "");
  std::optional<std::string> target;
  for (const char* key : {model.c_str(), "*"}) {
    for (const json& rule : rs.value("fallbacks", json::array()))
      if (rule.is_object() && rule.contains(key))
        for (const json& t : rule[key])
          if (!target && t.is_string() && t.get<std::string>() != model) target = t.get<std::string>();
    if (target) break;
  }
  if (!target)
    for (const json& t : rs.value("default_fallbacks", json::array()))
      if (!target && t.is_string() && t.get<std::string>() != model) target = t.get<std::string>();
  if (!target) return std::nullopt;
  return direct_request(doc, *target);
}

std::optional<json> untagged(const json& doc) {
  json out = doc;
  json& body = out["request"]["body"];
  bool any = erase_header(out, "x-litellm-tags");
  if (body.contains("tags")) body.erase("tags"), any = true;
  any = erase_bucket_tags(body, "metadata") || any;
  any = erase_bucket_tags(body, "litellm_metadata") || any;
  if (out.contains("principal")) out.erase("principal"), any = true;
  if (!any) return std::nullopt;
  return out;
}

std::optional<json> without_shadowed_tag_sources(const json& doc) {
  json out = doc;
  json& body = out["request"]["body"];
  bool changed = false;
  // Point 5 (1.82.3, profile option litellm-metadata-tags=router-reads, the default): on a metadata route
  // a litellm_metadata object is the only source; header, root and metadata tags are all shadowed.
  const json& options = out.contains("profile_options") ? out["profile_options"] : json::object();
  bool router_reads = !options.is_object() || options.value("litellm-metadata-tags", "router-reads") == "router-reads";
  if (router_reads && !litellm_metadata_route(out["request"].value("path", "")) && body.contains("litellm_metadata") &&
      body["litellm_metadata"].is_object()) {
    changed = erase_header(out, "x-litellm-tags");
    if (body.contains("tags")) body.erase("tags"), changed = true;
    changed = erase_bucket_tags(body, "metadata") || changed;
    if (!changed) return std::nullopt;
    return out;
  }
  bool root_list = body.contains("tags") && body["tags"].is_array();
  if (root_list) changed = erase_header(out, "x-litellm-tags");
  if (root_list || has_header(out, "x-litellm-tags")) {
    changed = erase_bucket_tags(body, "metadata") || changed;
    changed = erase_bucket_tags(body, "litellm_metadata") || changed;
  }
  if (litellm_metadata_route(out["request"].value("path", "")) && body.contains("metadata")) {
    body.erase("metadata");
    changed = true;
  }
  if (!changed) return std::nullopt;
  return out;
}

std::optional<json> make_twin(const json& doc, const std::string& relation) {
  std::optional<json> twin;
  if (relation == "MP-1") twin = credential_naming(doc);
  else if (relation == "MP-2") twin = foreign_tags(doc);
  else if (relation == "MP-3") twin = fault_free(doc);
  else if (relation == "MP-4") twin = direct_to_first_fallback(doc);
  else if (relation == "MP-5") twin = untagged(doc);
  else throw std::invalid_argument("unknown relation '" + relation + "' (known: MP-1, MP-2, MP-3, MP-4, MP-5)");
  if (!twin) return std::nullopt;
  std::string id = doc.value("id", "");
  (*twin)["id"] = id + "~" + relation;
  (*twin)["twin_of"] = id;
  (*twin)["relation"] = relation;
  twin->erase("expected");
  return twin;
}

}  // namespace routecheck::properties
