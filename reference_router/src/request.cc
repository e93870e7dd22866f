#include "routecheck/request.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "fields.h"
#include "parsed_request.h"

namespace routecheck {

using fields::At;

// Body `fallbacks`: all one-key {"A": [...]} maps (a generic list), or all strings / dicts with a
// "model" (a client-side list). A mixture is rejected: LiteLLM's reading of it is unspecified.
static void check_body_fallbacks(const nlohmann::json& v, const At& at) {
  fields::require_array(v, at);
  int generic = 0, client = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const nlohmann::json& e = v[i];
    if (e.is_string()) {
      ++client;
    } else if (e.is_object() && e.contains("model")) {
      fields::require_string(e["model"], at / i / "model", true);
      ++client;
    } else if (e.is_object() && e.size() == 1) {
      fields::require_string_list(e.begin().value(), at / i / e.begin().key());
      ++generic;
    } else {
      (at / i).expected("a group name, a {\"model\": ...} mapping, or a one-key {\"A\": [\"B\"]} mapping", e);
    }
  }
  if (generic && client)
    throw InputError(at.file, at.pointer, "mixes client-side entries with {\"A\": [...]} entries; use one kind",
                     InputError::Kind::Unsupported);
}

static bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> Request::header(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (same_name(n, name)) return v;
  return std::nullopt;
}

Request make_request(std::string path, std::vector<std::pair<std::string, std::string>> headers, nlohmann::json body,
                     const std::string& file, const std::string& pointer_prefix) {
  At at{file, pointer_prefix};
  if (path.empty() || path[0] != '/') (at / "path").fail("expected a path starting with '/', got '" + path + "'");
  fields::require_object(body, at / "body");
  if (!body.contains("model")) (at / "body").fail("model is required");
  fields::require_string(body["model"], at / "body" / "model", true);
  if (body.contains("stream") && body["stream"].is_boolean() && body["stream"].get<bool>())
    throw InputError(file, (at / "body" / "stream").pointer, "streaming requests are unsupported in v1",
                     InputError::Kind::Unsupported);
  At b = at / "body";
  if (body.contains("num_retries") && !body["num_retries"].is_null())
    fields::require_int(body["num_retries"], b / "num_retries", 0, 100);
  for (const char* flag : {"disable_fallbacks", "mock_testing_fallbacks", "mock_testing_context_fallbacks",
                           "mock_testing_content_policy_fallbacks", "mock_testing_rate_limit_error"})
    if (body.contains(flag) && !body[flag].is_null()) fields::require_bool(body[flag], b / flag);
  if (body.contains("mock_response") && !body["mock_response"].is_null())
    fields::require_string(body["mock_response"], b / "mock_response");
  if (body.contains("fallbacks") && !body["fallbacks"].is_null()) check_body_fallbacks(body["fallbacks"], b / "fallbacks");
  for (const auto& [name, value] : headers) {
    if (same_name(name, "x-litellm-num-retries")) {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 0 || n > 100)
        (at / "headers" / name).fail("expected an integer from 0 to 100, got '" + value + "'");
    }
  }
  Request r;
  r.path = std::move(path);
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.parsed = std::make_shared<const ParsedRequest>(parse_request(r));
  return r;
}

namespace {
constexpr const char* kNotNameValue = "expected 'Name: value'";
constexpr const char* kBadHeaderName = "invalid header name";
}  // namespace

std::optional<ParseFailure> read_header_arg(std::string_view text, std::pair<std::string, std::string>& out) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return ParseFailure{kNotNameValue, text, 0};
  auto trim = [](std::string_view s) {
    s.remove_prefix(std::min(s.find_first_not_of(" \t"), s.size()));
    s.remove_suffix(s.size() - (s.find_last_not_of(" \t") + 1));
    return s;
  };
  std::string_view name = trim(text.substr(0, colon));
  std::string_view value = text.substr(colon + 1);
  if (name.empty() || name.find_first_of(" \t\r\n") != std::string_view::npos)
    return ParseFailure{kBadHeaderName, name, 0};
  if (value.find_first_of("\r\n") != std::string_view::npos)
    return ParseFailure{"header value contains a line break", value, 0};
  out.first.assign(name);
  out.second.assign(trim(value));
  return std::nullopt;
}

std::pair<std::string, std::string> parse_header_arg(const std::string& text, const std::string& where) {
  std::pair<std::string, std::string> header;
  auto failure = read_header_arg(text, header);
  if (!failure) return header;
  // The messages name the whole argument, except for a line break in the value.
  std::string message = failure->reason;
  if (failure->reason == kNotNameValue) message += ", got '" + text + "'";
  if (failure->reason == kBadHeaderName) message += " in '" + text + "'";
  throw InputError(where, "", message);
}

}  // namespace routecheck

namespace routecheck {

// The endpoints v1 models, with the body field each needs. LiteLLM refuses a body without it before
// any routing (1.82.3: 500 "missing 1 required positional argument"), so the oracle, which would route
// it, has nothing to say about it: unsupported, like streaming.
struct Endpoint {
  const char* path;
  const char* input;
};
constexpr Endpoint kEndpoints[] = {
    {"/v1/chat/completions", "messages"}, {"/chat/completions", "messages"}, {"/v1/messages", "messages"},
    {"/v1/responses", "input"},           {"/responses", "input"},           {"/v1/embeddings", "input"},
    {"/embeddings", "input"},             {"/v1/completions", "prompt"},     {"/completions", "prompt"},
};

// RFC 9110 token characters: a header name outside them never reaches LiteLLM (the proxy's HTTP
// server answers 400 itself), so there is no routing to predict.
static bool is_http_token(const std::string& name) {
  static const std::string kExtra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string::npos;
  });
}

static void check_endpoint(const Request& request, const At& at) {
  for (const auto& [name, value] : request.headers)
    if (!is_http_token(name))
      throw InputError(at.file, (at / "headers" / name).pointer,
                       "header name '" + name + "' is not an HTTP token: unsupported in v1 (the proxy's HTTP "
                       "server refuses the request before LiteLLM sees it)",
                       InputError::Kind::Unsupported);
  for (const Endpoint& e : kEndpoints) {
    if (request.path != e.path) continue;
    const auto input = request.body.find(e.input);
    if (input == request.body.end() || input->is_null() || (input->is_array() && input->empty()) ||
        (input->is_string() && input->get_ref<const std::string&>().empty()))
      throw InputError(at.file, (at / "body").pointer,
                       "a " + std::string(e.path) + " body without a non-empty '" + e.input +
                           "' is unsupported in v1: LiteLLM refuses it before routing",
                       InputError::Kind::Unsupported);
    // The Anthropic-format endpoint also needs max_tokens, or LiteLLM refuses it the same way.
    if (request.path == "/v1/messages" && !request.body.contains("max_tokens"))
      throw InputError(at.file, (at / "body").pointer,
                       "a /v1/messages body without 'max_tokens' is unsupported in v1: LiteLLM refuses it "
                       "before routing",
                       InputError::Kind::Unsupported);
    return;
  }
  std::string known;
  for (const Endpoint& e : kEndpoints) known += std::string(known.empty() ? "" : ", ") + e.path;
  throw InputError(at.file, (at / "path").pointer, "path '" + request.path + "' is unsupported in v1 (endpoints: " + known + ")",
                   InputError::Kind::Unsupported);
}

static void check_fallback_targets(const Config& config, const Request& request, const At& at) {
  if (!request.body.contains("fallbacks") || !request.body["fallbacks"].is_array()) return;
  const nlohmann::json& list = request.body["fallbacks"];
  auto known = [&](const std::string& g) { return config.find_group(g) != nullptr; };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& e = list[i];
    if (e.is_string() && !known(e.get<std::string>()))
      (at / i).fail("unknown fallback group '" + e.get<std::string>() + "': no model_list entry has this model_name");
    if (e.is_object() && e.contains("model") && !known(e["model"].get<std::string>()))
      (at / i / "model").fail("unknown fallback group '" + e["model"].get<std::string>() + "'");
    if (e.is_object() && !e.contains("model"))
      for (const auto& target : e.begin().value())
        if (!known(target.get<std::string>()))
          (at / i / e.begin().key()).fail("unknown fallback group '" + target.get<std::string>() + "'");
  }
}

void check_deployment_keys(const Config& config, const std::string& file, const std::string& pointer_prefix) {
  for (std::size_t i = 0; i < config.deployments.size(); ++i) {
    const Deployment& d = config.deployments[i];
    if (d.api_key || d.credential_name || d.mock_response) continue;
    throw InputError(file, pointer_prefix + "/model_list/" + std::to_string(i) + "/litellm_params",
                     "deployment '" + d.id +
                         "' has neither api_key nor litellm_credential_name: unsupported in v1 (LiteLLM 1.82.3 "
                         "fails it locally with 'Missing credentials' on chat routes, and calls the upstream "
                         "with 'Bearer None' on /v1/responses)",
                     InputError::Kind::Unsupported);
  }
}

void check_request_against(const Config& config, const Request& request, const std::string& file,
                           const std::string& pointer_prefix) {
  check_fallback_targets(config, request, At{file, pointer_prefix} / "body" / "fallbacks");
  check_endpoint(request, At{file, pointer_prefix});  // after: a wrong input outranks an unsupported one
}

}  // namespace routecheck
