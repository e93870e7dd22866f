#include "trace_view.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "routecheck/input_error.h"
#include "routecheck/result_json.h"

namespace routecheck::properties {

using nlohmann::json;

std::vector<HopView> hops_of(const Outcome& o) {
  std::vector<HopView> hops;
  for (const AttemptRecord& r : o.trace) {
    if (hops.empty() || hops.back().hop != r.hop) hops.push_back(HopView{r.hop, r.depth, r.group, {}});
    hops.back().records.push_back(&r);
  }
  return hops;
}

namespace {

void add_tags(const json& v, std::set<std::string>& out) {
  if (v.is_array()) {
    for (const json& e : v)
      if (e.is_string()) out.insert(e.get<std::string>());
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    out.insert(s);
    for (char c : s) out.insert(std::string(1, c));
  }
}

}  // namespace

std::set<std::string> caller_tag_strings(const Scenario& s) {
  std::set<std::string> out;
  const json& body = s.request.body;
  if (body.contains("tags")) add_tags(body["tags"], out);
  for (const char* bucket : {"metadata", "litellm_metadata"})
    if (body.contains(bucket) && body[bucket].is_object() && body[bucket].contains("tags"))
      add_tags(body[bucket]["tags"], out);
  if (auto h = s.request.header("x-litellm-tags")) {
    std::size_t start = 0;
    while (true) {
      auto comma = h->find(',', start);
      std::string piece = h->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      piece.erase(0, piece.find_first_not_of(" \t"));
      piece.erase(piece.find_last_not_of(" \t") + 1);
      out.insert(piece);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  out.insert(s.principal.key_tags.begin(), s.principal.key_tags.end());
  out.insert(s.principal.team_tags.begin(), s.principal.team_tags.end());
  return out;
}

std::optional<std::vector<std::string>> first_tags_used(const Outcome& o) {
  for (const AttemptRecord& r : o.trace)
    if (r.tag_decision) return r.tags_used;
  return std::nullopt;
}

std::optional<int> status_of_attempt(const std::string& outcome) {
  std::string s = outcome;
  const std::string mock = "mock_testing:";
  if (s.rfind(mock, 0) == 0) s = s.substr(mock.size());
  if (s.rfind("upstream:", 0) == 0) s = s.substr(9);
  if (s == "timeout") return 408;
  if (s == "context_window" || s == "content_policy") return 400;
  if (s == "refused" || s == "connection") return 500;
  if (s.size() >= 3 && std::isdigit(static_cast<unsigned char>(s[0]))) return std::atoi(s.substr(0, 3).c_str());
  return std::nullopt;
}

bool retryable(const std::string& outcome, std::size_t group_size, const Config& config) {
  if (outcome == "ok") return false;
  if (outcome == "context_window" && !config.router.context_window_fallbacks.empty()) return false;  // 6.2a
  if (outcome == "content_policy" && !config.router.content_policy_fallbacks.empty()) return false;  // 6.2b
  std::optional<int> s = status_of_attempt(outcome);
  if (!s) return true;  // a tag denial or no-deployments error carries no status (6.2, consequences)
  bool transient = *s == 408 || *s == 409 || *s == 429 || *s >= 500;
  if (!transient && *s != 401 && *s != 403) return false;  // 6.2c
  if (*s == 404) return false;                             // 6.2d
  if (*s == 401 && group_size <= 1) return false;           // 6.2f
  return true;
}

json observable(const Outcome& o, bool with_keys) {
  json calls = json::array();
  for (const UpstreamCall& c : o.upstream_calls)
    calls.push_back(with_keys ? json{c.deployment, c.key} : json(c.deployment));
  json headers = json::object();
  for (const auto& [n, v] : o.headers) headers[n] = v;
  json denial = nullptr;
  if (o.denial) denial = {{"group", o.denial->group}, {"tags", o.denial->tags}};
  return {{"status", o.status}, {"class", o.error_class}, {"served_by", o.served_by ? json(*o.served_by) : json(nullptr)},
          {"denial", denial}, {"headers", headers}, {"calls", calls}};
}

std::set<std::string> observables(const RouteResult& r, bool with_keys) {
  std::set<std::string> out;
  for (const Outcome& o : r.outcomes) out.insert(observable(o, with_keys).dump());
  return out;
}

std::string describe_difference(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const std::string& x : a)
    if (!b.count(x)) out += "\n    only before: " + x;
  for (const std::string& x : b)
    if (!a.count(x)) out += "\n    only after:  " + x;
  return out;
}

std::optional<int> uniform_retry_budget(const Scenario& s) {
  const Config& c = s.config;
  if (c.router.retry_policy || !c.router.model_group_retry_policy.empty()) return std::nullopt;
  for (const Deployment& d : c.deployments)
    if (d.num_retries) return std::nullopt;
  if (s.request.header("x-litellm-num-retries") || s.request.body.contains("num_retries")) return std::nullopt;
  return c.router.num_retries.value_or(2);
}

Scenario reparse(const json& doc, const Scenario& like) {
  Scenario s = parse_scenario(doc, "<transformed " + like.id + ">", like.profile);
  s.profile_options = like.profile_options;
  return s;
}

std::string where(const AttemptRecord& r) {
  return "hop " + std::to_string(r.hop) + " · depth " + std::to_string(r.depth) + " · attempt " +
         std::to_string(r.attempt) + " · group " + r.group;
}

}  // namespace routecheck::properties
