#pragma once
/// Profiles (which LiteLLM feature set is modelled), their options, and mutants.
#include <bitset>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace routecheck {

/// The feature set being modelled (CONTRACT.md §8).
enum class Profile { Litellm182, LitellmLatest };

std::string to_string(Profile);
/// Throws InputError (file "<args>") for an unknown name.
Profile parse_profile(const std::string& name, const std::string& where = "--profile");

/// A behaviour switch consulted by the pipeline stages. Mutants and alternatives are sets of these.
enum class Deviation : unsigned {
  LeakObservabilityTags,     // tag decisions read the bucket that post-pick writes extended (#25276)
  LeakCredentialTagOnly,     // only "Credential: <name>" leaks, not deployment tags
  DefaultsBesideMatches,     // "default" deployments added next to tag matches
  ReenterFailingGroup,       // the walk does not skip the group that started it
  StatusFromLastFallback,    // final status from the last fallback's error, not the primary's
  RetryNonRetryable,         // rule 6.2c ignored: 400/404/422 retried
  MatchAllAsAny,             // tag_filtering_match_any: false evaluated as match-any
  HeaderBeatsRootTags,       // x-litellm-tags wins over the body's root `tags` list
  DepthCapOffByOne,          // the walk cap is checked as d > max_fallbacks
  RetriesFromFirstHopOnly,   // fallback hops get no retries
  // Plausible release behaviours (alternatives of CONTRACT.md §3), not bugs:
  CooldownDenialIs401,       // 4.2.2-should: cooldown-caused denial stays a tag denial
  EmptyHealthyDenies,        // unverified-7: empty healthy set + tags -> tag denial
  OrderBeforeTagFilter,      // 5.1-should: order only with pre-call checks, before the tag filter
  StringTagsAsChars,         // unverified-6: a string metadata.tags matches by its characters
  DefaultFallbacksWinStar,   // unverified-19: default_fallbacks beats an explicit "*" entry
  ComposeAtEveryHop,         // unverified-22: latest composes fallback errors at nested hops too
  Count
};
using Deviations = std::bitset<static_cast<unsigned>(Deviation::Count)>;

inline bool has(const Deviations& d, Deviation x) { return d.test(static_cast<unsigned>(x)); }
inline Deviations with(Deviations d, Deviation x) { return d.set(static_cast<unsigned>(x)); }

/// A planted routing bug: a kebab-case id, the behaviour it models, and its deviations.
struct Mutant {
  std::string id;
  std::string summary;
  std::string label;  // e.g. "known: #25276" for released behaviour; "" for synthetic bugs
  Deviations deviations;
};

/// Every mutant the oracle knows, in a stable order.
const std::vector<Mutant>& all_mutants();
/// Throws InputError (file "<args>") for an unknown id.
const Mutant& find_mutant(const std::string& id, const std::string& where = "--mutant");

/// A named choice the semantics leaves open, as given by `--profile-option K=V`.
struct ProfileOptions {
  std::map<std::string, std::string, std::less<>> values;  // transparent: a lookup by literal allocates nothing
  /// Whether 1.82.3's tag filter has `tag_regex` (semantics §4.2.3). Default: "present".
  bool tag_regex_present() const;
  /// latest, `unknown-model`: whether `default_fallbacks` serve a model no group or deployment has (the
  /// Router's §7.4 rule, "default-fallbacks") or the proxy refuses it first (400, "refused", the default:
  /// 1.108.7's proxy checks the name before the Router sees it; CONTRACT.md amendment 9).
  bool default_fallbacks_serve_unknown() const;
  /// 1.82, `litellm-metadata-tags`: where the routing tags of a request on a `metadata` route (chat
  /// completions, completions, embeddings) come from when its body carries a `litellm_metadata` object.
  /// "router-reads" (the default; point 5, confirmed on 1.82.3): the router's tag filter reads that
  /// object, not the bucket: its `tags` as sent and its `user_agent`; `x-litellm-tags`, root `tags` and
  /// `metadata.tags` are ignored. "bucket-copy": semantics §3.3's pseudo-code (its tags are copied into
  /// the bucket only when `metadata` has none; header and root tags replace them). CONTRACT.md amendment 10.
  bool router_reads_litellm_metadata() const;
};

/// Validates `--profile-option` keys and values for `profile`; throws InputError naming `where`.
void validate_profile_options(const ProfileOptions&, Profile profile, const std::string& where);

}  // namespace routecheck
