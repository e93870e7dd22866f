// The compact oracle input (scenario_codec.h). Layout, one byte per line, fields as bit ranges; a value
// outside a table reads as "absent" unless said otherwise:
//   header      0 profile (1 = litellm-latest) | 1-2 profile option tag-regex (1 absent, 2 present) | 3-5 path
//   count       deployments = 1 + byte % 6
//   per deployment, 4 bytes:
//     D0        0-1 group slot | 2-3 key (0 and 1 api_key, 2 credential openai, 3 credential azure) | 4-5 order 1..3
//               | 6 tag_regex | 7 mock_response
//     D1        tags (a mask over kTags; 0 and D3 bit 3 clear: no tags key)
//     D2        0-2 num_retries 0..3 (as 1..4) | 3-4 timeout 1..3 | 5-6 cooldown_time (0, 10, 1) | 7 mock text "hi"
//     D3        0-1 model_info.enable_tag_filtering (1 true, 2 false) | 2 allow_fail_open | 3 tags key even if empty
//   R0          tri-states (1 true, 2 false): 0-1 enable_tag_filtering | 2-3 tag_filtering_match_any
//               | 4-5 disable_cooldowns | 6-7 enable_pre_call_checks
//   R1          0-2 num_retries 0..3 (as 1..4) | 3-5 max_fallbacks 0..6 (as 1..7) | 6-7 allowed_fails 0..2 (as 1..3)
//   R2          0-1 retry_after (0, 1, 5) | 2-3 cooldown_time (0, 5, 10) | 4-7 default_fallbacks (group mask)
//   R3          retry_policy: 0-2 class (kRetryClasses) | 3-4 count
//   R4          model_group_retry_policy: 0-2 class | 3-4 count | 5-6 group slot
//   R5          entries of 0-1 fallbacks | 2-3 context_window_fallbacks | 4-5 content_policy_fallbacks
//     then one byte per entry: 0-2 key (group slot, 4 = "*") | 3-6 targets (group mask)
//   Q0          model: 0-2 (0-3 group slot, 4 a deployment id: 3-5 its index, 5 an unknown model)
//   Q1          tag sources: 0-1 metadata.tags (1 list, 2 a string, 3 list) | 2 body tags | 3 litellm_metadata.tags
//               | 4 header x-litellm-tags — then one tag mask byte per source present, in that order
//   Q2          0-2 body num_retries 0..3 (as 1..4) | 3-5 header x-litellm-num-retries | 6 User-Agent claude-code
//   Q3          switches 0-4 (kSwitches) | 5-6 body fallbacks (1 client list, 2 a {group: [...]} entry, 3 null)
//     then, for a list or an entry, one byte: a group mask; or 0-1 key group slot | 2-5 targets (group mask)
//   faults      per deployment: 0-1 queue length, then that many outcomes: 0-3 kOutcomes | 4-5 retry-after (0, 1, 30)
//   P0, P1      principal key and team tags (masks; both 0: no principal)
// Group slots name kGroups; a reference to a slot no deployment uses is dropped (a request's model
// keeps it: an unknown model is a case to fuzz).
#include "scenario_codec.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <string>

#include "routecheck/document.h"

namespace routecheck::fuzz {
namespace {

using nlohmann::json;

const char* const kGroups[] = {"primary", "backup", "tertiary", "spare"};
const char* const kTags[] = {"eu", "us", "gpu", "default", "!eu", "&gpu", "route:eu", ""};
const char* const kCredentials[] = {"openai", "azure"};
const char* const kPaths[] = {"/v1/chat/completions", "/chat/completions", "/v1/responses",
                              "/v1/embeddings",       "/v1/messages",      "/v1/completions"};
const char* const kOutcomes[] = {"ok",  "timeout", "context_window", "content_policy", "refused", "504",
                                 "500", "429",     "503",            "400",            "401",     "404",
                                 "408", "422",     "502",            "403"};
const char* const kRetryClasses[] = {"BadRequestErrorRetries",  "AuthenticationErrorRetries",
                                     "TimeoutErrorRetries",     "RateLimitErrorRetries",
                                     "ContentPolicyViolationErrorRetries", "InternalServerErrorRetries"};
const char* const kSwitches[] = {"disable_fallbacks", "mock_testing_fallbacks", "mock_testing_context_fallbacks",
                                 "mock_testing_content_policy_fallbacks", "mock_testing_rate_limit_error"};
const char* const kFallbackLists[] = {"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"};
constexpr int kMaxDeployments = 6;
constexpr int kRetryAfter[] = {0, 1, 5};
constexpr int kRouterCooldown[] = {0, 5, 10};
constexpr int kDeploymentCooldown[] = {0, 10, 1};
constexpr int kOutcomeRetryAfter[] = {0, 1, 30};

int bits(uint8_t b, int from, int count) { return (b >> from) & ((1 << count) - 1); }

class Reader {
 public:
  Reader(const uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  uint8_t next() { return at_ < size_ ? data_[at_++] : 0; }

 private:
  const uint8_t* data_;
  std::size_t size_, at_ = 0;
};

json tag_list(uint8_t mask) {
  json out = json::array();
  for (int i = 0; i < 8; ++i)
    if (mask & (1 << i)) out.push_back(kTags[i]);
  return out;
}

// A tri-state setting: 1 true, 2 false, else absent.
void tri_state(json& object, const char* key, int value) {
  if (value == 1) object[key] = true;
  if (value == 2) object[key] = false;
}

}  // namespace

json decode_scenario(const uint8_t* data, std::size_t size) {
  Reader in(data, size);
  uint8_t header = in.next();
  json doc = {{"format", "routecheck-scenario/1"}, {"id", "fuzz"}};
  doc["profile"] = bits(header, 0, 1) ? "litellm-latest" : "litellm-1.82";
  if (int option = bits(header, 1, 2); option == 1 || option == 2)
    doc["profile_options"] = {{"tag-regex", option == 1 ? "absent" : "present"}};

  int count = 1 + in.next() % kMaxDeployments;
  json model_list = json::array();
  bool group_used[4] = {false, false, false, false};
  bool credential_used[2] = {false, false};
  int per_group[4] = {0, 0, 0, 0};
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    uint8_t d0 = in.next(), d1 = in.next(), d2 = in.next(), d3 = in.next();
    int group = bits(d0, 0, 2);
    group_used[group] = true;
    std::string id = std::string(kGroups[group]) + "-" + std::to_string(++per_group[group]);
    ids.push_back(id);
    json params = {{"model", "openai/" + id}};
    switch (bits(d0, 2, 2)) {
      case 0:  // every deployment gets a key: a keyless one is unsupported (request.h)
      case 1: params["api_key"] = "sk-fake-" + id; break;
      case 2: case 3:
        params["litellm_credential_name"] = kCredentials[bits(d0, 2, 2) - 2];
        credential_used[bits(d0, 2, 2) - 2] = true;
        break;
      default: break;
    }
    if (int order = bits(d0, 4, 2)) params["order"] = order;
    if (bits(d0, 6, 1)) params["tag_regex"] = json::array({"^User-Agent: claude-code/.*"});
    if (bits(d0, 7, 1)) params["mock_response"] = bits(d2, 7, 1) ? "hi" : "litellm.RateLimitError";
    if (d1 != 0 || bits(d3, 3, 1)) params["tags"] = tag_list(d1);
    if (int r = bits(d2, 0, 3); r >= 1 && r <= 4) params["num_retries"] = r - 1;
    if (int t = bits(d2, 3, 2)) params["timeout"] = t;
    if (int c = bits(d2, 5, 2)) params["cooldown_time"] = kDeploymentCooldown[c - 1];
    json info = {{"id", id}};
    tri_state(info, "enable_tag_filtering", bits(d3, 0, 2));
    if (bits(d3, 2, 1)) info["allow_fail_open"] = true;
    model_list.push_back({{"model_name", kGroups[group]}, {"litellm_params", std::move(params)}, {"model_info", std::move(info)}});
  }
  json config = {{"model_list", std::move(model_list)}};
  json credentials = json::array();
  for (int c = 0; c < 2; ++c)
    if (credential_used[c])
      credentials.push_back({{"credential_name", kCredentials[c]},
                             {"credential_values", {{"api_key", std::string("sk-fake-cred-") + kCredentials[c]}}}});
  if (!credentials.empty()) config["credential_list"] = std::move(credentials);

  auto group_mask = [&](int mask) {
    json out = json::array();
    for (int g = 0; g < 4; ++g)
      if ((mask & (1 << g)) && group_used[g]) out.push_back(kGroups[g]);
    return out;
  };
  json router = json::object();
  uint8_t r0 = in.next(), r1 = in.next(), r2 = in.next(), r3 = in.next(), r4 = in.next(), r5 = in.next();
  tri_state(router, "enable_tag_filtering", bits(r0, 0, 2));
  tri_state(router, "tag_filtering_match_any", bits(r0, 2, 2));
  tri_state(router, "disable_cooldowns", bits(r0, 4, 2));
  tri_state(router, "enable_pre_call_checks", bits(r0, 6, 2));
  if (int r = bits(r1, 0, 3); r >= 1 && r <= 4) router["num_retries"] = r - 1;
  if (int m = bits(r1, 3, 3)) router["max_fallbacks"] = m - 1;
  if (int a = bits(r1, 6, 2)) router["allowed_fails"] = a - 1;
  if (int a = bits(r2, 0, 2)) router["retry_after"] = kRetryAfter[a - 1];
  if (int c = bits(r2, 2, 2)) router["cooldown_time"] = kRouterCooldown[c - 1];
  if (json d = group_mask(bits(r2, 4, 4)); !d.empty()) router["default_fallbacks"] = std::move(d);
  if (int k = bits(r3, 0, 3); k < 6) router["retry_policy"] = {{kRetryClasses[k], bits(r3, 3, 2)}};
  if (int k = bits(r4, 0, 3); k < 6 && group_used[bits(r4, 5, 2)])
    router["model_group_retry_policy"] = {{kGroups[bits(r4, 5, 2)], {{kRetryClasses[k], bits(r4, 3, 2)}}}};
  for (int list = 0; list < 3; ++list) {
    json entries = json::array();
    for (int n = bits(r5, 2 * list, 2); n > 0; --n) {
      uint8_t e = in.next();
      int key = bits(e, 0, 3);
      json targets = group_mask(bits(e, 3, 4));
      bool star = key == 4;
      if (!star) key &= 3;
      if (targets.empty() || (!star && !group_used[key])) continue;
      entries.push_back({{star ? "*" : kGroups[key], std::move(targets)}});
    }
    if (!entries.empty()) router[kFallbackLists[list]] = std::move(entries);
  }
  if (!router.empty()) config["router_settings"] = std::move(router);
  doc["config"] = std::move(config);

  // Each endpoint's own input field: without it LiteLLM refuses the request before routing (request.h).
  const std::string path = kPaths[bits(header, 3, 3) % 6];
  json body = json::object();
  if (path == "/v1/responses" || path == "/v1/embeddings") body["input"] = "ping";
  else if (path == "/v1/completions") body["prompt"] = "ping";
  else body["messages"] = json::array({{{"role", "user"}, {"content", "ping"}}});
  if (path == "/v1/messages") body["max_tokens"] = 16;
  json headers = json::object();
  uint8_t q0 = in.next();
  switch (int m = bits(q0, 0, 3)) {
    case 4: body["model"] = ids[static_cast<std::size_t>(bits(q0, 3, 3)) % ids.size()]; break;
    case 5: body["model"] = "unknown-model"; break;
    default: body["model"] = kGroups[m & 3]; break;
  }
  uint8_t q1 = in.next();
  if (int source = bits(q1, 0, 2)) {
    json tags = tag_list(in.next());
    if (source == 2) body["metadata"] = {{"tags", tags.empty() ? json("") : tags[0]}};
    else body["metadata"] = {{"tags", std::move(tags)}};
  }
  if (bits(q1, 2, 1)) body["tags"] = tag_list(in.next());
  if (bits(q1, 3, 1)) body["litellm_metadata"] = {{"tags", tag_list(in.next())}};
  if (bits(q1, 4, 1)) {
    std::string line;
    for (const json& t : tag_list(in.next())) line += (line.empty() ? "" : ",") + t.get<std::string>();
    headers["x-litellm-tags"] = line;
  }
  uint8_t q2 = in.next();
  if (int r = bits(q2, 0, 3); r >= 1 && r <= 4) body["num_retries"] = r - 1;
  if (int r = bits(q2, 3, 3); r >= 1 && r <= 4) headers["x-litellm-num-retries"] = std::to_string(r - 1);
  if (bits(q2, 6, 1)) headers["User-Agent"] = "claude-code/1.0";
  uint8_t q3 = in.next();
  for (int s = 0; s < 5; ++s)
    if (bits(q3, s, 1)) body[kSwitches[s]] = true;
  switch (bits(q3, 5, 2)) {
    case 1:
      if (json list = group_mask(in.next()); !list.empty()) body["fallbacks"] = std::move(list);
      break;
    case 2: {
      uint8_t e = in.next();
      json targets = group_mask(bits(e, 2, 4));
      if (group_used[bits(e, 0, 2)] && !targets.empty())
        body["fallbacks"] = json::array({{{kGroups[bits(e, 0, 2)], std::move(targets)}}});
      break;
    }
    case 3: body["fallbacks"] = nullptr; break;
    default: break;
  }
  doc["request"] = {{"path", path}, {"headers", std::move(headers)}, {"body", std::move(body)}};

  json faults = json::object();
  for (const std::string& id : ids) {
    int n = bits(in.next(), 0, 2);
    if (n == 0) continue;
    json queue = json::array();
    for (; n > 0; --n) {
      uint8_t o = in.next();
      std::string spelled = kOutcomes[bits(o, 0, 4)];
      if (int ra = bits(o, 4, 2); ra && spelled[0] >= '4' && spelled[0] <= '5')
        spelled += "@retry-after=" + std::to_string(kOutcomeRetryAfter[ra - 1]);
      queue.push_back(spelled);
    }
    faults[id] = std::move(queue);
  }
  if (!faults.empty()) doc["faults"] = std::move(faults);
  uint8_t p0 = in.next(), p1 = in.next();
  if (p0 || p1) doc["principal"] = {{"key_metadata", {{"tags", tag_list(p0)}}}, {"team_metadata", {{"tags", tag_list(p1)}}}};
  return doc;
}

namespace {

// Reads a document leniently: the encoder projects whatever a valid scenario holds.
const json& at(const json& object, const char* key) {
  static const json absent;
  return object.is_object() && object.contains(key) ? object[key] : absent;
}

int clamp(const json& v, int lo, int hi) {
  if (!v.is_number()) return lo;
  double x = v.get<double>();
  return x < lo ? lo : x > hi ? hi : static_cast<int>(x);
}

// The index of the table entry nearest to a number.
template <std::size_t N>
int nearest(const int (&table)[N], const json& v) {
  double x = v.is_number() ? v.get<double>() : 0;
  int best = 0;
  for (std::size_t i = 1; i < N; ++i)
    if (std::abs(table[i] - x) < std::abs(table[best] - x)) best = static_cast<int>(i);
  return best;
}

int tri(const json& v) { return v.is_boolean() ? (v.get<bool>() ? 1 : 2) : 0; }

uint8_t tag_slot(const std::string& tag) {
  for (int i = 0; i < 8; ++i)
    if (tag == kTags[i]) return static_cast<uint8_t>(i);
  uint32_t h = 2166136261u;
  for (unsigned char c : tag) h = (h ^ c) * 16777619u;
  return static_cast<uint8_t>(h % 8);
}

uint8_t tag_mask(const json& tags) {
  uint8_t mask = 0;
  if (tags.is_array())
    for (const json& t : tags)
      if (t.is_string()) mask |= static_cast<uint8_t>(1 << tag_slot(t.get<std::string>()));
  return mask;
}

class Encoder {
 public:
  explicit Encoder(const json& doc) : doc_(doc) {}

  std::vector<uint8_t> run() {
    const json& config = at(doc_, "config");
    const json& list = at(config, "model_list");
    for (const json& d : list) {
      if (deployments_.size() == kMaxDeployments) break;
      deployments_.push_back(&d);
    }
    assign_slots();
    if (deployments_.empty()) deployments_.push_back(&at(doc_, "none"));

    const json& options = at(doc_, "profile_options");
    int tag_regex = at(options, "tag-regex") == "absent" ? 1 : at(options, "tag-regex") == "present" ? 2 : 0;
    int path = 0;
    for (int i = 0; i < 6; ++i)
      if (at(at(doc_, "request"), "path") == kPaths[i]) path = i;
    put((at(doc_, "profile") == "litellm-latest" ? 1 : 0) | tag_regex << 1 | path << 3);
    put(static_cast<int>(deployments_.size()) - 1);
    for (const json* d : deployments_) deployment(*d);
    router(at(config, "router_settings"));
    request(at(doc_, "request"));
    for (const json* d : deployments_) faults(at(at(doc_, "faults"), id_of(*d).c_str()));
    const json& principal = at(doc_, "principal");
    put(tag_mask(at(at(principal, "key_metadata"), "tags")));
    put(tag_mask(at(at(principal, "team_metadata"), "tags")));
    return out_;
  }

 private:
  void put(int b) { out_.push_back(static_cast<uint8_t>(b)); }

  static std::string id_of(const json& d) {
    const json& id = at(at(d, "model_info"), "id");
    return id.is_string() ? id.get<std::string>() : "";
  }

  // Group slots: a vocabulary name keeps its own; any other name takes the first free slot, in config
  // order (a fifth distinct group shares a slot).
  void assign_slots() {
    std::vector<std::string> names;
    for (const json* d : deployments_) {
      const json& n = at(*d, "model_name");
      if (n.is_string() && std::find(names.begin(), names.end(), n.get<std::string>()) == names.end())
        names.push_back(n.get<std::string>());
    }
    bool taken[4] = {false, false, false, false};
    for (const std::string& n : names)
      for (int k = 0; k < 4; ++k)
        if (n == kGroups[k]) slots_.emplace_back(n, k), taken[k] = true;
    int shared = 0;
    for (const std::string& n : names) {
      if (std::find(std::begin(kGroups), std::end(kGroups), n) != std::end(kGroups)) continue;
      int k = 0;
      while (k < 4 && taken[k]) ++k;
      if (k == 4) k = shared++ % 4;
      else taken[k] = true;
      slots_.emplace_back(n, k);
    }
  }
  // A group's slot (a vocabulary name not in the config keeps its own), or -1.
  int known_slot(const json& name) const {
    if (!name.is_string()) return -1;
    for (const auto& [n, k] : slots_)
      if (n == name.get<std::string>()) return k;
    for (int k = 0; k < 4; ++k)
      if (name == kGroups[k]) return k;
    return -1;
  }
  int group_mask(const json& names) const {
    int mask = 0;
    if (names.is_array())
      for (const json& n : names)
        if (int s = known_slot(n); s >= 0) mask |= 1 << s;
    return mask;
  }

  void deployment(const json& d) {
    const json& p = at(d, "litellm_params");
    const json& info = at(d, "model_info");
    int key = 0;
    if (at(p, "litellm_credential_name").is_string()) key = at(p, "litellm_credential_name") == "azure" ? 3 : 2;
    else if (at(p, "api_key").is_string()) key = 1;
    int order = at(p, "order").is_number() ? clamp(at(p, "order"), 1, 3) : 0;
    const json& mock = at(p, "mock_response");
    bool mock_text = mock.is_string() && mock.get<std::string>().rfind("litellm.", 0) != 0;
    put(known_slot(at(d, "model_name")) | key << 2 | order << 4 | (at(p, "tag_regex").is_null() ? 0 : 1) << 6 |
        (mock.is_null() ? 0 : 1) << 7);
    put(tag_mask(at(p, "tags")));
    int retries = at(p, "num_retries").is_number() ? clamp(at(p, "num_retries"), 0, 3) + 1 : 0;
    int timeout = at(p, "timeout").is_number() ? clamp(at(p, "timeout"), 1, 3) : 0;
    int cooldown = at(p, "cooldown_time").is_number() ? nearest(kDeploymentCooldown, at(p, "cooldown_time")) + 1 : 0;
    put(retries | timeout << 3 | cooldown << 5 | (mock_text ? 1 : 0) << 7);
    put(tri(at(info, "enable_tag_filtering")) | (at(info, "allow_fail_open") == true ? 1 : 0) << 2 |
        (at(p, "tags").is_array() ? 1 : 0) << 3);
  }

  void router(const json& r) {
    put(tri(at(r, "enable_tag_filtering")) | tri(at(r, "tag_filtering_match_any")) << 2 |
        tri(at(r, "disable_cooldowns")) << 4 | tri(at(r, "enable_pre_call_checks")) << 6);
    int retries = at(r, "num_retries").is_number() ? clamp(at(r, "num_retries"), 0, 3) + 1 : 0;
    int max_fallbacks = at(r, "max_fallbacks").is_number() ? clamp(at(r, "max_fallbacks"), 0, 6) + 1 : 0;
    int allowed = at(r, "allowed_fails").is_number() ? clamp(at(r, "allowed_fails"), 0, 2) + 1 : 0;
    put(retries | max_fallbacks << 3 | allowed << 6);
    int retry_after = at(r, "retry_after").is_number() ? nearest(kRetryAfter, at(r, "retry_after")) + 1 : 0;
    int cooldown = at(r, "cooldown_time").is_number() ? nearest(kRouterCooldown, at(r, "cooldown_time")) + 1 : 0;
    put(retry_after | cooldown << 2 | group_mask(at(r, "default_fallbacks")) << 4);
    put(policy_byte(at(r, "retry_policy")));
    int group_policy = 7;  // none
    const json& by_group = at(r, "model_group_retry_policy");
    if (by_group.is_object())
      for (auto it = by_group.begin(); it != by_group.end(); ++it)
        if (int s = known_slot(it.key()); s >= 0) {
          group_policy = policy_byte(it.value()) | s << 5;
          break;
        }
    put(group_policy);
    std::vector<uint8_t> entries;
    int sizes = 0;
    for (int l = 0; l < 3; ++l) {
      int n = 0;
      const json& rules = at(r, kFallbackLists[l]);
      if (rules.is_array())
        for (const json& rule : rules) {
          if (n == 3 || !rule.is_object() || rule.size() != 1) continue;
          int key = rule.begin().key() == "*" ? 4 : known_slot(rule.begin().key());
          int targets = group_mask(rule.begin().value());
          if (key < 0 || targets == 0) continue;
          entries.push_back(static_cast<uint8_t>(key | targets << 3));
          ++n;
        }
      sizes |= n << (2 * l);
    }
    put(sizes);
    out_.insert(out_.end(), entries.begin(), entries.end());
  }

  // One retry-policy class: its index and count (the first class the policy names; 7: none).
  static int policy_byte(const json& policy) {
    if (policy.is_object())
      for (int k = 0; k < 6; ++k)
        if (policy.contains(kRetryClasses[k])) return k | clamp(policy[kRetryClasses[k]], 0, 3) << 3;
    return 7;
  }

  void request(const json& request) {
    const json& body = at(request, "body");
    const json& headers = at(request, "headers");
    const json& model = at(body, "model");
    int q0 = 5;  // unknown model
    if (int s = known_slot(model); s >= 0) q0 = s;
    for (std::size_t i = 0; i < deployments_.size(); ++i)
      if (model.is_string() && model.get<std::string>() == id_of(*deployments_[i])) q0 = 4 | static_cast<int>(i) << 3;
    put(q0);
    const json& metadata_tags = at(at(body, "metadata"), "tags");
    int q1 = metadata_tags.is_array() ? 1 : metadata_tags.is_string() ? 2 : 0;
    std::vector<uint8_t> masks;
    if (metadata_tags.is_array()) masks.push_back(tag_mask(metadata_tags));
    if (metadata_tags.is_string()) masks.push_back(static_cast<uint8_t>(1 << tag_slot(metadata_tags.get<std::string>())));
    if (at(body, "tags").is_array()) q1 |= 1 << 2, masks.push_back(tag_mask(at(body, "tags")));
    const json& lm_tags = at(at(body, "litellm_metadata"), "tags");
    if (lm_tags.is_array()) q1 |= 1 << 3, masks.push_back(tag_mask(lm_tags));
    const json& header_tags = at(headers, "x-litellm-tags");
    if (header_tags.is_string()) {
      json split = json::array();
      std::string line = header_tags.get<std::string>(), part;
      for (std::size_t start = 0, comma; start <= line.size(); start = comma + 1) {
        comma = line.find(',', start);
        if (comma == std::string::npos) comma = line.size();
        split.push_back(line.substr(start, comma - start));
      }
      q1 |= 1 << 4, masks.push_back(tag_mask(split));
    }
    put(q1);
    out_.insert(out_.end(), masks.begin(), masks.end());
    int body_retries = at(body, "num_retries").is_number() ? clamp(at(body, "num_retries"), 0, 3) + 1 : 0;
    const json& h = at(headers, "x-litellm-num-retries");
    int header_retries = h.is_string() && !h.get<std::string>().empty() && std::isdigit(static_cast<unsigned char>(h.get<std::string>()[0]))
                             ? std::min(3, std::stoi(h.get<std::string>().substr(0, 1))) + 1 : 0;
    put(body_retries | header_retries << 3 | (at(headers, "User-Agent").is_string() ? 1 : 0) << 6);
    int q3 = 0;
    for (int s = 0; s < 5; ++s)
      if (at(body, kSwitches[s]) == true) q3 |= 1 << s;
    const json& fallbacks = at(body, "fallbacks");
    int extra = -1;
    if (fallbacks.is_null() && body.is_object() && body.contains("fallbacks")) {
      q3 |= 3 << 5;
    } else if (fallbacks.is_array() && !fallbacks.empty() && fallbacks[0].is_string()) {
      q3 |= 1 << 5, extra = group_mask(fallbacks);
    } else if (fallbacks.is_array() && !fallbacks.empty() && fallbacks[0].is_object() && fallbacks[0].size() == 1) {
      int key = known_slot(fallbacks[0].begin().key());
      q3 |= 2 << 5, extra = (key < 0 ? 0 : key) | group_mask(fallbacks[0].begin().value()) << 2;
    }
    put(q3);
    if (extra >= 0) put(extra);
  }

  void faults(const json& queue) {
    if (!queue.is_array() || queue.empty()) {
      put(0);
      return;
    }
    int n = std::min<int>(3, static_cast<int>(queue.size()));
    put(n);
    for (int i = 0; i < n; ++i) {
      std::string o = queue[static_cast<std::size_t>(i)].is_string() ? queue[static_cast<std::size_t>(i)].get<std::string>() : "ok";
      std::string base = o.substr(0, o.find('@'));
      int index = -1;
      for (int k = 0; k < 16; ++k)
        if (base == kOutcomes[k]) index = k;
      if (index < 0) index = base[0] == '4' ? 9 : base[0] == '5' ? 6 : 0;  // another 4xx/5xx: 400/500
      int retry_after = 0;
      if (auto at_sign = o.find("@retry-after="); at_sign != std::string::npos)
        retry_after = nearest(kOutcomeRetryAfter, json(std::atof(o.c_str() + at_sign + 13))) + 1;
      put(index | retry_after << 4);
    }
  }

  const json& doc_;
  std::vector<const json*> deployments_;
  std::vector<std::pair<std::string, int>> slots_;
  std::vector<uint8_t> out_;
};

}  // namespace

std::vector<uint8_t> encode_scenario(const json& doc) { return Encoder(doc).run(); }

json oracle_input_document(const uint8_t* data, std::size_t size) {
  if (size > 0 && data[0] == '{')
    return parse_document(std::string(reinterpret_cast<const char*>(data), size), "oracle-input.json", false);
  return decode_scenario(data, size);
}

}  // namespace routecheck::fuzz
