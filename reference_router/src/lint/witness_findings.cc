// Findings that need the oracle: each is backed by a witness scenario route() was asked about.
#include <algorithm>
#include <set>

#include "lint/findings.h"
#include "lint/witness.h"

namespace routecheck::lint {
namespace {

using nlohmann::json;

std::string show_tags(const std::vector<std::string>& tags) {
  std::string s = "[";
  for (std::size_t i = 0; i < tags.size(); ++i) s += (i ? ", '" : "'") + tags[i] + "'";
  return s + "]";
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

// Which known bugs apply to a profile: the 1.82 releases carry #25276; latest has the snapshot.
bool applies(const Mutant& m, Profile profile) { return !m.label.empty() && profile == Profile::Litellm182; }

struct Disagreement {
  WitnessRequest request;
  Answer correct, buggy;
};

std::optional<Disagreement> find_disagreement(const json& doc, const Config& c, Profile profile, const Mutant& m,
                                              const ModelGroup& g) {
  for (const auto& tags : candidate_tag_sets(c))
    for (bool once : {false, true}) {
      WitnessRequest w{g.name, tags, failing_group(c, g, once, profile)};
      json scenario = witness_scenario(doc, profile, w, "lint-witness");
      Answer correct = ask(scenario, profile, nullptr);
      Answer buggy = ask(scenario, profile, &m);
      if (!(correct == buggy)) return Disagreement{w, std::move(correct), std::move(buggy)};
    }
  return std::nullopt;
}

bool disagrees_anywhere(const json& doc, const Config& c, Profile profile, const Mutant& m, const ModelGroup& g) {
  return find_disagreement(doc, c, profile, m, g).has_value();
}

// Candidate workarounds, each a rewrite of the config document with a sentence saying what it does.
std::vector<std::pair<json, std::string>> workarounds(const json& doc, const Config& c, const Disagreement& d) {
  std::vector<std::pair<json, std::string>> out;
  const Outcome& bad = d.buggy.result.outcomes.front();
  if (bad.denial) {
    json fixed = doc;
    std::string ids;
    const ModelGroup* denied = c.find_group(bad.denial->group);
    if (denied) {
      for (int i : denied->members) {
        json& params = fixed["model_list"][i]["litellm_params"];
        if (!params.contains("tags") || !params["tags"].is_array()) params["tags"] = json::array();
        bool has = false;
        for (const json& t : params["tags"]) has = has || t == "default";
        if (!has) params["tags"].push_back("default"), ids += (ids.empty() ? "" : ", ") + c.deployments[i].id;
      }
      if (!ids.empty())
        out.emplace_back(fixed, "add the tag 'default' to " + ids + " (group '" + denied->name +
                                    "'), so a denied tagged decision falls back to the defaults");
    }
  }
  // Inline the credential's key where a named credential produces the 'Credential: <name>' tag.
  json inlined = doc;
  std::string ids;
  for (std::size_t i = 0; i < c.deployments.size(); ++i) {
    const Deployment& dep = c.deployments[i];
    if (!dep.credential_name) continue;
    const Credential* cred = c.find_credential(*dep.credential_name);
    json& params = inlined["model_list"][i]["litellm_params"];
    params.erase("litellm_credential_name");
    params["api_key"] = cred && cred->api_key ? *cred->api_key : "os.environ/" + slug(*dep.credential_name);
    if (cred && cred->api_base && !params.contains("api_base")) params["api_base"] = *cred->api_base;
    ids += (ids.empty() ? "" : ", ") + dep.id;
  }
  if (!ids.empty())
    out.emplace_back(inlined, "write the credential's values inline on " + ids +
                                  " instead of litellm_credential_name (no 'Credential: <name>' tag is written)");
  return out;
}

}  // namespace

void known_bug_findings(const Config& c, Profile profile, std::vector<Finding>& out) {
  for (const Mutant& m : all_mutants()) {
    if (!applies(m, profile)) continue;
    for (const ModelGroup& g : c.groups) {
      auto d = find_disagreement(c.source, c, profile, m, g);
      if (!d) continue;
      const Outcome& bad = d->buggy.result.outcomes.front();
      const Outcome& good = d->correct.result.outcomes.front();
      std::string first = bad.upstream_calls.empty() ? g.name : bad.upstream_calls.front().deployment;
      std::string what = "a request to '" + g.name + "'" +
                         (d->request.tags.empty() ? "" : " with tags " + show_tags(d->request.tags)) + " failing on '" +
                         first + "'";
      if (bad.denial)
        what += " is routed on tags " + show_tags(bad.denial->tags) + " in group '" + bad.denial->group + "' and gets " +
                std::to_string(bad.status);
      else
        what += " gets " + std::to_string(bad.status) + (bad.served_by ? " from " + *bad.served_by : "");
      what += " (a correct proxy: " + std::to_string(good.status) + (good.served_by ? " from " + *good.served_by : "") + ")";
      int leaker = c.find_deployment(first);
      Finding f{Finding::Severity::Error, "known-bug-" + m.label.substr(m.label.find('#') + 1),
                leaker >= 0 ? "model_list[" + std::to_string(leaker) + "].litellm_params" : "model_list",
                "this config triggers " + m.label.substr(m.label.find('#')) + " on LiteLLM 1.82.x: " + what,
                witness_scenario(c.source, profile, d->request, "lint-" + m.id + "-" + slug(g.name)), ""};
      json expected = {{to_string(profile), {{"statuses", d->correct.statuses}, {"served_by", d->correct.served_by}}},
                       {to_string(profile) + "+" + m.id,
                        {{"statuses", d->buggy.statuses}, {"served_by", d->buggy.served_by}}}};
      (*f.witness)["expected"] = expected;
      for (auto& [doc, sentence] : workarounds(c.source, c, *d)) {
        Config fixed = parse_config(doc, profile, "<workaround>");
        if (!disagrees_anywhere(doc, fixed, profile, m, *fixed.find_group(g.name))) {
          f.workaround = sentence + " (verified: the oracle and " + m.id + " agree on every witness for '" + g.name + "')";
          break;
        }
      }
      if (f.workaround.empty()) f.workaround = "upgrade to a LiteLLM release that routes on a snapshot of the original tags";
      out.push_back(std::move(f));
    }
  }
}

void fallback_denial_findings(const Config& c, Profile profile, std::vector<Finding>& out) {
  if (!c.router.enable_tag_filtering && profile == Profile::Litellm182) return;
  std::set<std::pair<std::string, std::string>> reported;
  for (const ModelGroup& g : c.groups)
    for (const auto& tags : candidate_tag_sets(c)) {
      WitnessRequest w{g.name, tags, failing_group(c, g, false, profile)};
      json scenario = witness_scenario(c.source, profile, w, "lint-witness");
      Answer a = ask(scenario, profile, nullptr);
      for (const Outcome& o : a.result.outcomes) {
        if (o.trace.empty() || o.trace.front().outcome == "TAG_DENIED") continue;  // the source must admit it
        for (const AttemptRecord& r : o.trace) {
          if (r.hop == 0 || r.outcome != "TAG_DENIED" || r.group == g.name) continue;
          if (!reported.insert({g.name, r.group}).second) continue;
          Finding f{Finding::Severity::Warning, "fallback-tag-denial", "router_settings.fallbacks",
                    "fallback '" + g.name + "' → '" + r.group + "' denies by tags a request '" + g.name +
                        "' admits: tags " + show_tags(r.tags_used) + " match no deployment of '" + r.group +
                        "' and it has no 'default' deployment",
                    witness_scenario(c.source, profile, w, "lint-fallback-denial-" + slug(g.name) + "-" + slug(r.group)),
                    "give '" + r.group + "' a deployment tagged 'default' or carrying these tags"};
          out.push_back(std::move(f));
        }
      }
    }
}

}  // namespace routecheck::lint
