#include "ingress.h"

#include <algorithm>

namespace routecheck {
namespace {

using nlohmann::json;

// merge(a, b) of §3.3: a in order, then the elements of b not already present.
void merge_into(RoutingTags& tags, const std::vector<std::string>& more, const std::string& source) {
  for (const std::string& t : more) {
    if (std::find(tags.list.begin(), tags.list.end(), t) != tags.list.end()) continue;
    tags.list.push_back(t);
    tags.sources.emplace_back(t, source);
  }
}

// §3.4: a tags value carries routing tags only as a list; non-string elements are dropped. A string is
// matched by its characters in 1.82 (unverified-6), which the StringTagsAsChars deviation models.
RoutingTags normalise(const json& value, const std::string& source, Profile profile, const Deviations& dev,
                      std::vector<std::string>& unverified) {
  RoutingTags out;
  if (value.is_array()) {
    for (const json& e : value) {
      if (!e.is_string()) continue;
      out.list.push_back(e.get<std::string>());
      out.sources.emplace_back(out.list.back(), source);
    }
  } else if (value.is_string() && profile == Profile::Litellm182) {
    unverified.push_back("unverified-6");
    if (has(dev, Deviation::StringTagsAsChars)) {
      std::vector<std::string> chars;
      for (char c : value.get<std::string>()) chars.emplace_back(1, c);
      merge_into(out, chars, source);
    }
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

BodyFallbacks read_fallbacks(const json& body, std::vector<std::string>& unverified) {
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

Ingress read_ingress(const Request& request, const Principal& principal, Profile profile, const Deviations& dev) {
  Ingress in;
  const json& body = request.body;
  in.model = body["model"].get<std::string>();
  in.bucket = bucket_for_path(request.path);

  // The bucket's starting tags: body[bucket].tags, else (only for keys the bucket lacks) litellm_metadata.tags.
  static const json no_tags;
  const json* start = &no_tags;
  std::string start_source;
  const json empty = json::object();
  const json& bucket = body.contains(in.bucket) && body[in.bucket].is_object() ? body[in.bucket] : empty;
  if (bucket.contains("tags")) start = &bucket["tags"], start_source = in.bucket + ".tags";
  if (in.bucket == "metadata" && body.contains("litellm_metadata") && body["litellm_metadata"].is_object() &&
      body["litellm_metadata"].contains("tags")) {
    in.unverified.push_back("unverified-5");
    if (start == &no_tags || has(dev, Deviation::LitellmMetadataOnChat))
      start = &body["litellm_metadata"]["tags"], start_source = "litellm_metadata.tags";
  }
  in.tags = normalise(*start, start_source, profile, dev, in.unverified);
  if (!principal.key_tags.empty() || !principal.team_tags.empty()) {
    in.inherited_tags = principal.key_tags;
    for (const std::string& t : principal.team_tags)
      if (std::find(in.inherited_tags->begin(), in.inherited_tags->end(), t) == in.inherited_tags->end())
        in.inherited_tags->push_back(t);
  }
  merge_into(in.tags, principal.key_tags, "key_metadata.tags");
  merge_into(in.tags, principal.team_tags, "team_metadata.tags");

  std::optional<std::vector<std::string>> header;
  if (auto h = request.header("x-litellm-tags")) {
    header = split_header(*h);  // an empty value is the one tag "" (confirmed, point 4)
  }
  std::optional<RoutingTags> caller;
  bool root_list = body.contains("tags") && body["tags"].is_array();
  bool header_first = has(dev, Deviation::HeaderBeatsRootTags) && header;
  if (root_list && !header_first) {
    caller = normalise(body["tags"], "tags", profile, dev, in.unverified);
  } else if (header) {
    caller = RoutingTags{};
    for (const std::string& t : *header) {
      caller->list.push_back(t);
      caller->sources.emplace_back(t, "x-litellm-tags");
    }
  }
  if (caller) {
    if (profile == Profile::Litellm182) {
      in.tags = std::move(*caller);  // 1.82: header or root tags replace everything above
    } else {
      for (const auto& [tag, source] : caller->sources) merge_into(in.tags, {tag}, source);  // latest: union
    }
  }

  if (auto ua = request.header("user-agent")) in.user_agent = *ua;
  if (auto n = request.header("x-litellm-num-retries")) in.header_num_retries = std::atoi(n->c_str());
  if (body.contains("num_retries") && body["num_retries"].is_number()) in.body_num_retries = body["num_retries"].get<int>();
  if (in.header_num_retries || in.body_num_retries) in.unverified.push_back("unverified-12");
  in.fallbacks = read_fallbacks(body, in.unverified);
  in.disable_fallbacks = flag(body, "disable_fallbacks");
  in.mock_fallbacks = flag(body, "mock_testing_fallbacks");
  in.mock_context_fallbacks = flag(body, "mock_testing_context_fallbacks");
  in.mock_content_policy_fallbacks = flag(body, "mock_testing_content_policy_fallbacks");
  in.mock_rate_limit = flag(body, "mock_testing_rate_limit_error");
  if (in.mock_rate_limit) in.unverified.push_back("unverified-18");
  if (body.contains("mock_response") && body["mock_response"].is_string())
    in.mock_response = body["mock_response"].get<std::string>();
  return in;
}

}  // namespace routecheck
