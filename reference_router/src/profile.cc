#include "routecheck/profile.h"

#include "routecheck/input_error.h"

namespace routecheck {

std::string to_string(Profile p) { return p == Profile::Litellm182 ? "litellm-1.82" : "litellm-latest"; }

Profile parse_profile(const std::string& name, const std::string& where) {
  if (name == "litellm-1.82") return Profile::Litellm182;
  if (name == "litellm-latest") return Profile::LitellmLatest;
  throw InputError(where, "", "unknown profile '" + name + "' (known: litellm-1.82, litellm-latest)");
}

static Mutant make(std::string id, std::string summary, std::string label, std::initializer_list<Deviation> ds) {
  Deviations d;
  for (Deviation x : ds) d = with(d, x);
  return Mutant{std::move(id), std::move(summary), std::move(label), d};
}

const std::vector<Mutant>& all_mutants() {
  static const std::vector<Mutant> mutants = {
      make("credential-tag-leak",
           "v1.82.3: deployment tags and 'Credential: <name>' written after a pick feed later tag decisions",
           "known: #25276", {Deviation::LeakObservabilityTags}),
      make("credential-tag-only-leak", "only 'Credential: <name>' leaks into later tag decisions", "",
           {Deviation::LeakCredentialTagOnly}),
      make("defaults-beside-matches", "'default' deployments are added next to tag matches", "",
           {Deviation::DefaultsBesideMatches}),
      make("reenter-failing-group", "a walk does not skip the group whose failure started it", "",
           {Deviation::ReenterFailingGroup}),
      make("status-from-last-fallback", "the final status comes from the last fallback's error", "",
           {Deviation::StatusFromLastFallback}),
      make("retry-non-retryable", "400/404/422 and other non-retryable statuses are retried", "",
           {Deviation::RetryNonRetryable}),
      make("match-all-as-any", "tag_filtering_match_any: false is evaluated as match-any", "",
           {Deviation::MatchAllAsAny}),
      make("header-beats-root-tags", "x-litellm-tags wins over the body's root tags list", "",
           {Deviation::HeaderBeatsRootTags}),
      make("depth-cap-off-by-one", "a nested walk starts when its depth equals max_fallbacks", "",
           {Deviation::DepthCapOffByOne}),
      make("no-retries-on-fallback-hops", "fallback hops get no retry budget", "",
           {Deviation::RetriesFromFirstHopOnly}),
  };
  return mutants;
}

const Mutant& find_mutant(const std::string& id, const std::string& where) {
  for (const Mutant& m : all_mutants())
    if (m.id == id) return m;
  std::string known;
  for (const Mutant& m : all_mutants()) known += (known.empty() ? "" : ", ") + m.id;
  throw InputError(where, "", "unknown mutant '" + id + "' (known: " + known + ")");
}

bool ProfileOptions::tag_regex_present() const {
  auto it = values.find("tag-regex");
  return it == values.end() || it->second == "present";
}

bool ProfileOptions::default_fallbacks_serve_unknown() const {
  auto it = values.find("unknown-model");
  return it != values.end() && it->second == "default-fallbacks";
}

bool ProfileOptions::router_reads_litellm_metadata() const {
  auto it = values.find("litellm-metadata-tags");
  return it == values.end() || it->second == "router-reads";
}

void validate_profile_options(const ProfileOptions& options, Profile profile, const std::string& where) {
  for (const auto& [key, value] : options.values) {
    if (key == "tag-regex") {
      if (value != "present" && value != "absent")
        throw InputError(where, "/" + key, "expected 'present' or 'absent', got '" + value + "'");
    } else if (key == "litellm-metadata-tags" && profile == Profile::Litellm182) {
      if (value != "router-reads" && value != "bucket-copy")
        throw InputError(where, "/" + key, "expected 'router-reads' or 'bucket-copy', got '" + value + "'");
    } else if (key == "unprefixed-tags" && profile == Profile::LitellmLatest) {
      if (value != "match" && value != "inert")
        throw InputError(where, "/" + key, "expected 'match' or 'inert', got '" + value + "'");
    } else if (key == "unknown-model" && profile == Profile::LitellmLatest) {
      if (value != "refused" && value != "default-fallbacks")
        throw InputError(where, "/" + key, "expected 'refused' or 'default-fallbacks', got '" + value + "'");
    } else {
      throw InputError(where, "/" + key,
                       "unknown profile option for " + to_string(profile) + " (known: tag-regex" +
                           std::string(profile == Profile::LitellmLatest ? ", unprefixed-tags, unknown-model"
                                                                         : ", litellm-metadata-tags") +
                           ")");
    }
  }
}

}  // namespace routecheck
