#include "parsed_request.h"

#include <algorithm>

#include "ingress.h"

namespace routecheck {
namespace {

using nlohmann::json;

TagsField read_tags(const json& value) {
  TagsField out;
  if (value.is_array()) {
    out.kind = TagsField::Kind::List;
    for (const json& e : value)
      if (e.is_string()) out.strings.push_back(e.get<std::string>());  // §3.4: other elements are dropped
  } else if (value.is_string()) {
    out.kind = TagsField::Kind::String;
    out.text = value.get<std::string>();
  }
  return out;
}

std::vector<std::string> split_header(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto comma = value.find(',', start);
    std::string piece = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    piece.erase(0, piece.find_first_not_of(" \t"));
    piece.erase(piece.find_last_not_of(" \t") + 1);
    out.push_back(piece);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

BodyFallbacks read_fallbacks(const json& body) {
  BodyFallbacks out;
  if (!body.contains("fallbacks")) return out;
  const json& v = body["fallbacks"];
  if (v.is_null()) {
    out.kind = BodyFallbacks::Kind::Null;
    return out;
  }
  bool client = !v.empty() && std::all_of(v.begin(), v.end(), [](const json& e) {
    return e.is_string() || (e.is_object() && e.contains("model"));
  });
  if (client) {
    out.kind = BodyFallbacks::Kind::ClientList;
    for (const json& e : v) out.client.push_back(e.is_string() ? e.get<std::string>() : e["model"].get<std::string>());
    return out;
  }
  out.kind = BodyFallbacks::Kind::Generic;
  for (const json& e : v) {
    FallbackRule rule{e.begin().key(), {}};
    for (const json& t : e.begin().value()) rule.targets.push_back(t.get<std::string>());
    out.generic.push_back(std::move(rule));
  }
  return out;
}

bool flag(const json& body, const char* key) { return body.contains(key) && body[key].is_boolean() && body[key].get<bool>(); }

}  // namespace

std::string bucket_for_path(const std::string& path) {
  for (const char* marker : {"batches", "/v1/messages", "responses", "files", "assistants", "threads"})
    if (path.find(marker) != std::string::npos) return "litellm_metadata";
  return "metadata";
}

ParsedRequest parse_request(const Request& request) {
  ParsedRequest p;
  const json& body = request.body;
  p.model = body["model"].get<std::string>();
  p.bucket = bucket_for_path(request.path);
  if (body.contains(p.bucket) && body[p.bucket].is_object() && body[p.bucket].contains("tags"))
    p.bucket_tags = read_tags(body[p.bucket]["tags"]);
  if (p.bucket == "metadata" && body.contains("litellm_metadata") && body["litellm_metadata"].is_object()) {
    const json& lm = body["litellm_metadata"];
    p.litellm_metadata_object = true;
    if (lm.contains("tags")) p.litellm_metadata_tags = read_tags(lm["tags"]);
    // 1.82.3's tag filter builds its User-Agent line from the metadata it reads (point 5).
    if (lm.contains("user_agent") && lm["user_agent"].is_string() && !lm["user_agent"].get<std::string>().empty())
      p.litellm_metadata_user_agent_line = "User-Agent: " + lm["user_agent"].get<std::string>();
  }
  if (body.contains("tags") && body["tags"].is_array()) p.root_tags = read_tags(body["tags"]);
  if (auto h = request.header("x-litellm-tags")) p.header_tags = split_header(*h);  // "" is the tag "" (point 4)

  if (auto ua = request.header("user-agent")) p.user_agent = *ua;
  if (!p.user_agent.empty()) p.user_agent_line = "User-Agent: " + p.user_agent;
  if (auto n = request.header("x-litellm-num-retries")) p.header_num_retries = std::atoi(n->c_str());
  if (body.contains("num_retries") && body["num_retries"].is_number()) p.body_num_retries = body["num_retries"].get<int>();
  p.fallbacks = read_fallbacks(body);
  p.disable_fallbacks = flag(body, "disable_fallbacks");
  p.mock_fallbacks = flag(body, "mock_testing_fallbacks");
  p.mock_context_fallbacks = flag(body, "mock_testing_context_fallbacks");
  p.mock_content_policy_fallbacks = flag(body, "mock_testing_content_policy_fallbacks");
  p.mock_rate_limit = flag(body, "mock_testing_rate_limit_error");
  if (body.contains("mock_response") && body["mock_response"].is_string())
    p.mock_response = body["mock_response"].get<std::string>();

  for (Profile profile : {Profile::Litellm182, Profile::LitellmLatest}) {
    auto k = static_cast<std::size_t>(profile);
    p.plain_tags[k] = routing_tags(p, Principal{}, profile, Deviations{}, ProfileOptions{}, p.plain_unverified[k]);
  }
  return p;
}

}  // namespace routecheck
