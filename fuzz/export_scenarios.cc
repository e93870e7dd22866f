// oracle_corpus_export OUT_DIR FILE|DIR...: writes each oracle-fuzz corpus input (compact or JSON,
// scenario_codec.h) that is a valid scenario as a `routecheck-scenario/1` file in OUT_DIR, pretty-printed, in the closed form
// scenario_to_json gives, named (and id'd) after the trace features it exercises plus a short hash:
//   fallback-retry-tag-denied-3f2a9c1e.json
// scripts/fuzz export runs it over `oracle_fuzz -merge=1` output to make corpus/spec-coverage/.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "property.h"
#include "routecheck/scenario.h"
#include "scenario_inputs.h"

namespace {

using namespace routecheck;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kOk = 0;
constexpr int kUsage = 2;

// What a scenario's allowed outcomes exercise, in a fixed order (the file name lists them so).
std::vector<std::string> features(const Scenario& s, const RouteResult& r) {
  std::set<std::string> f;
  if (s.profile == Profile::LitellmLatest) f.insert("latest");
  if (s.config.router.enable_tag_filtering) f.insert("tag-filter");
  for (const Outcome& o : r.outcomes) {
    if (o.status == 200) f.insert("served");
    else f.insert(o.error_class == "tag_denied" ? "tag-denied" : o.error_class == "no_deployments" ? "no-deployments"
                  : o.error_class == "unknown_model" ? "unknown-model" : "error");
    for (const UpstreamCall& c : o.upstream_calls)
      if (c.key != c.deployment && c.key != "none") f.insert("credential");
    for (const AttemptRecord& rec : o.trace) {
      if (rec.attempt > 0) f.insert("retry");
      if (rec.depth > 0) f.insert(rec.depth > 1 ? "nested-fallback" : "fallback");
      if (rec.specific_deployment) f.insert("specific-deployment");
      bool mock = rec.outcome.rfind("mock_testing", 0) == 0;  // raised before any candidate set was computed
      if (mock) f.insert("mock-switch");
      if (!rec.tags_used.empty()) f.insert("tags");
      if (rec.fallback && rec.fallback->chain.rfind("context_window", 0) == 0) f.insert("context-window-chain");
      if (rec.fallback && rec.fallback->chain.rfind("content_policy", 0) == 0) f.insert("content-policy-chain");
      if (rec.fallback && rec.fallback->chain == "client") f.insert("client-fallbacks");
      if (rec.fallback && rec.fallback->chain.rfind("order", 0) == 0) f.insert("order-fallback");
      if (rec.fallback && rec.fallback->next == "none" && rec.fallback->reason.find("max_fallbacks") != std::string::npos)
        f.insert("depth-cap");
      const ModelGroup* g = s.config.find_group(rec.group);
      if (g && !mock && rec.after_cooldown.size() < g->members.size()) f.insert("cooldown");
    }
  }
  if (r.outcomes.size() > 1) f.insert("several-outcomes");
  static const std::vector<std::string> order = {
      "latest", "served", "error", "tag-denied", "no-deployments", "unknown-model", "tag-filter", "tags", "credential",
      "retry", "cooldown", "fallback", "nested-fallback", "depth-cap", "client-fallbacks", "context-window-chain",
      "content-policy-chain", "order-fallback", "specific-deployment", "mock-switch", "several-outcomes"};
  std::vector<std::string> out;
  for (const std::string& name : order)
    if (f.count(name)) out.push_back(name);
  return out;
}

std::string short_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(h ^ (h >> 32)));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR FILE|DIR...\n", argv[0]);
    return kUsage;
  }
  fs::path out_dir = argv[1];
  fs::create_directories(out_dir);
  properties::Oracle oracle = properties::make_oracle(nullptr);
  std::size_t written = 0, skipped = 0;
  std::set<std::string> names;
  skipped += fuzz::for_each_routable_scenario(
      std::vector<std::string>(argv + 2, argv + argc), /*json_files_only=*/false,
      [&](const fs::path&, const json&, const Scenario& s) {
        RouteResult r = oracle(s);
        if (r.truncated) {
          ++skipped;
          return;
        }
        json doc = scenario_to_json(s);
        doc.erase("expected");
        doc.erase("twin_of");  // a spec-coverage scenario stands alone (its id is its own, not "<id>~MP-k")
        doc.erase("relation");
        doc["id"] = "";
        std::string name;
        for (const std::string& f : features(s, r)) name += (name.empty() ? "" : "-") + f;
        name += (name.empty() ? "" : "-") + short_hash(doc.dump());
        if (!names.insert(name).second) {
          ++skipped;  // the same scenario in another spelling
          return;
        }
        doc["id"] = name;
        std::ofstream(out_dir / (name + ".json")) << doc.dump(2) << "\n";
        ++written;
      });
  std::fprintf(stderr, "exported %zu scenario(s) to %s; skipped %zu (invalid, truncated or duplicate)\n", written,
               out_dir.c_str(), skipped);
  return kOk;
}
