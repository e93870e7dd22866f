#pragma once
/// A client request as the proxy receives it, and the principal (key/team) it is made with.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routecheck/config.h"
#include "routecheck/parse_failure.h"

namespace routecheck {

struct ParsedRequest;  // what routing reads from a request, parsed by make_request (src/parsed_request.h)

/// Path, headers and JSON body of one client request.
struct Request {
  std::string path = "/v1/chat/completions";
  std::vector<std::pair<std::string, std::string>> headers;  // as sent; names compared case-insensitively
  nlohmann::json body = nlohmann::json::object();
  /// What routing reads from the three above, parsed once by make_request; shared by copies. It does
  /// not follow edits of them: make the request again instead.
  std::shared_ptr<const ParsedRequest> parsed;

  /// The first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(const std::string& name) const;
};

/// Tags attached to the caller's virtual key and team (DB-backed setups only).
struct Principal {
  std::vector<std::string> key_tags;
  std::vector<std::string> team_tags;
};

/// Validates a request body (an object with a string `model`). Throws InputError naming `file`.
Request make_request(std::string path, std::vector<std::pair<std::string, std::string>> headers,
                     nlohmann::json body, const std::string& file, const std::string& pointer_prefix = "");

/// Checks the request as a proxy would meet it: an endpoint v1 models with the body field it needs
/// (else InputError of kind Unsupported), and what it names in the config (body `fallbacks` targets).
/// Throws InputError naming `file`.
void check_request_against(const Config& config, const Request& request, const std::string& file,
                           const std::string& pointer_prefix = "");

/// Checks that every deployment can be called as a proxy would: it has an `api_key`, a
/// `litellm_credential_name` or a `mock_response` (else InputError of kind Unsupported naming
/// `model_list[i].litellm_params` under `pointer_prefix` in `file`).
void check_deployment_keys(const Config& config, const std::string& file, const std::string& pointer_prefix = "");

/// Parses "Name: value" as given to `--header`; throws InputError naming `where`.
std::pair<std::string, std::string> parse_header_arg(const std::string& text, const std::string& where);
/// The same without an exception: sets `out`, or returns why `text` is not "Name: value".
std::optional<ParseFailure> read_header_arg(std::string_view text, std::pair<std::string, std::string>& out);

}  // namespace routecheck
