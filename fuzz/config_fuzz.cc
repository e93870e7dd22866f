// config_fuzz ↔ corpus/config/: a proxy config as a user writes it (YAML or JSON), through
// parse_document (caps on size, depth, aliases) and parse_config under both profiles.
// Properties: a parsed document survives dump → parse unchanged; a config that loads keeps its source,
// loads again to the same result, and its groups, ids and references are consistent.
#include <set>
#include <sstream>

#include "fuzz_target.h"
#include "routecheck/config.h"
#include "routecheck/document.h"

namespace {

using namespace routecheck;
using nlohmann::json;

constexpr const char* kTarget = "config_fuzz";
constexpr std::size_t kMaxInput = 64 * 1024;  // larger inputs only slow the search down

fuzz::Rejections rejections(kTarget);

[[noreturn]] void broken(const std::string& property, const std::string& detail, const std::string& input) {
  fuzz::violation(kTarget, property, detail, input);
}

// What parse_config made of a document, in a form that compares and prints.
std::string summary(const Config& c) {
  std::ostringstream out;
  for (const Deployment& d : c.deployments) {
    out << d.id << "@" << d.group << " model=" << d.model << " cred=" << d.credential_name.value_or("-") << " tags=";
    for (const std::string& t : d.tags) out << t << ",";
    out << " order=" << (d.order ? std::to_string(*d.order) : "-") << "\n";
  }
  for (const ModelGroup& g : c.groups) {
    out << "group " << g.name << ":";
    for (int m : g.members) out << " " << m;
    out << "\n";
  }
  const RouterSettings& r = c.router;
  out << "tags=" << r.enable_tag_filtering << r.tag_filtering_match_any << " retries=" << r.num_retries.value_or(-1)
      << " max_fallbacks=" << r.max_fallbacks << " fallbacks=" << r.fallbacks.size() << "/"
      << r.context_window_fallbacks.size() << "/" << r.content_policy_fallbacks.size() << "/"
      << r.default_fallbacks.size() << " cooldown=" << r.cooldown_time << r.disable_cooldowns << "\nignored:";
  for (const std::string& k : c.ignored_keys) out << " " << k;
  return out.str();
}

void check_consistent(const Config& c, const std::string& input) {
  std::set<std::string> ids;
  for (const Deployment& d : c.deployments)
    if (!ids.insert(d.id).second) broken("config-ids-unique", "duplicate id '" + d.id + "' accepted", input);
  std::size_t members = 0;
  for (const ModelGroup& g : c.groups) {
    if (g.members.empty()) broken("config-groups", "group '" + g.name + "' has no members", input);
    for (int m : g.members) {
      if (m < 0 || static_cast<std::size_t>(m) >= c.deployments.size() || c.deployments[m].group != g.name)
        broken("config-groups", "group '" + g.name + "' lists member " + std::to_string(m) + " of another group", input);
      ++members;
    }
    if (c.find_group(g.name) != &g) broken("config-groups", "find_group('" + g.name + "') misses", input);
  }
  if (members != c.deployments.size()) broken("config-groups", "not every deployment is in exactly one group", input);
  for (std::size_t i = 0; i < c.deployments.size(); ++i) {
    const Deployment& d = c.deployments[i];
    if (c.find_deployment(d.id) != static_cast<int>(i)) broken("config-ids-unique", "find_deployment('" + d.id + "') misses", input);
    if (d.credential_name && !c.find_credential(*d.credential_name))
      broken("config-references", "credential '" + *d.credential_name + "' accepted without a credential_list entry", input);
  }
  for (const FallbackList* list : {&c.router.fallbacks, &c.router.context_window_fallbacks, &c.router.content_policy_fallbacks})
    for (const FallbackRule& rule : *list)
      for (const std::string& t : rule.targets)
        if (!c.find_group(t)) broken("config-references", "fallback target '" + t + "' accepted without a group", input);
  for (const std::string& t : c.router.default_fallbacks)
    if (!c.find_group(t)) broken("config-references", "default fallback '" + t + "' accepted without a group", input);
}

void check_document(const json& doc, bool yaml, const std::string& input) {
  // A document the caps accepted must serialise, and read back as JSON to the same value.
  std::string text = doc.dump();
  json again;
  try {
    again = parse_document(text, "config.json", false);
  } catch (const InputError& e) {
    broken("document-round-trip", std::string(yaml ? "YAML" : "JSON") + " document re-read as JSON is rejected: " +
                                      e.message() + "\n" + text, input);
  }
  if (again != doc) broken("document-round-trip", "dump → parse changed the document:\n" + text + "\n" + again.dump(), input);
}

void check_config(const json& doc, Profile profile, const std::string& input) {
  Config config;
  try {
    config = parse_config(doc, profile, "config");
  } catch (const InputError& e) {
    rejections.reject(e);
    return;
  }
  rejections.accept();
  if (config.source != doc) broken("config-source", "Config::source differs from the document", input);
  check_consistent(config, input);
  Config again = parse_config(config.source, profile, "config");  // must not throw: it loaded once
  if (summary(again) != summary(config))
    broken("config-deterministic", "loading the same document twice differs:\n" + summary(config) + "\n---\n" + summary(again), input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 64 KiB");
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (bool yaml : {false, true}) {
    json doc;
    try {
      doc = parse_document(input, yaml ? "config.yaml" : "config.json", yaml);
    } catch (const InputError& e) {
      rejections.reject(e.message().substr(0, e.message().find(':')) + (yaml ? " (yaml)" : " (json)"));
      continue;
    }
    check_document(doc, yaml, input);
    for (Profile profile : {Profile::Litellm182, Profile::LitellmLatest}) check_config(doc, profile, input);
  }
  return 0;
}
