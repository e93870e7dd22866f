#include <algorithm>

#include "invariants.h"
#include "metamorphic.h"
#include "pipeline.h"
#include "property.h"

namespace routecheck::properties {

Oracle make_oracle(const Mutant* mutant, OracleSettings settings) {
  return [mutant, settings](const Scenario& s) {
    RouteOptions o;
    o.profile = s.profile;
    o.profile_options = s.profile_options;
    o.mutant = mutant;
    o.trace = settings.trace;
    o.alternatives = settings.alternatives;
    o.max_outcomes = settings.max_outcomes;
    o.max_branches = settings.max_branches;
    return route(s, o);
  };
}

bool Property::applies_to(Profile p) const { return std::find(profiles.begin(), profiles.end(), p) != profiles.end(); }

const std::vector<Property>& all_properties() {
  const std::vector<Profile> both = {Profile::Litellm182, Profile::LitellmLatest};
  const std::vector<Profile> v182 = {Profile::Litellm182};
  static const std::vector<Property> properties = {
      {"I-1-routing-tags-fixed", "every tag decision uses the same tags, none written after a pick", "semantics §8.1 I-1, §5.6",
       both, check_routing_tags_fixed},
      {"I-2-observability-inert", "tag decisions and denials use only tags the caller sent", "semantics §8.1 I-2, §5.5", both,
       check_observability_inert},
      {"I-3-hop-independence", "a later tag decision gives what a direct request to its group gives",
       "semantics §8.1 I-3, §8.3 MP-4", both, check_hop_independence},
      {"I-4-status-honesty", "a tag-denial 401 comes from a decision that denied RT(R)", "semantics §8.1 I-4, §9.1", both,
       check_status_honesty},
      {"I-6-termination", "upstream calls = non-silent attempts (1.82: times the SDK retries of a deployment's "
                          "num_retries); attempts and hops within the budgets",
       "semantics §8.1 I-6, §6.5, §7.5", both, check_termination},
      {"eligibility", "each tag result is what §4.1 gives for the survivors and the tags used; picks are eligible",
       "semantics §4.1–4.2, §5.4", v182, check_eligibility},
      {"retry-discipline", "400/404/422-class never retried; every hop gets its full retry budget",
       "semantics §6.1–6.3", both, check_retry_discipline},
      {"fallback-walk", "walks start below max_fallbacks, skip the failing group, follow the chain",
       "semantics §7.3–7.5", both, check_fallback_walk},
      {"status-from-primary", "a failed request carries the requested group's latest error status",
       "semantics §9.1, §7.7", both, check_status_from_primary},
      {"MP-1-credential-naming", "moving keys into or out of credential_list changes no observable",
       "semantics §8.3 MP-1, §2.3", both, check_credential_naming},
      {"MP-2-foreign-tags", "a tag no request mentions, added to every deployment, changes nothing",
       "semantics §8.3 MP-2", both, check_foreign_tags},
      {"MP-3-retry-transparency", "a success after retries looks like the fault-free run", "semantics §8.3 MP-3", both,
       check_retry_transparency},
      {"MP-5-no-spurious-denial", "no tags, no tag_regex: never a tag denial", "semantics §8.3 MP-5", both,
       check_no_spurious_denial},
      {"shadowed-tag-sources", "tag sources the winning source replaces do not matter", "semantics §3.3", v182,
       check_shadowed_tag_sources},
      {"determinism", "the same scenario twice gives the same result", "semantics §5.4, §10.2", both, check_determinism},
      {"round-trip", "scenario_to_json then parse_scenario gives the same scenario and result", "CONTRACT.md §1", both,
       check_round_trip},
  };
  return properties;
}

const Property* find_property(const std::string& name) {
  for (const Property& p : all_properties())
    if (p.name == name) return &p;
  return nullptr;
}

PropertyResult evaluate(const Property& property, const Scenario& scenario, const Oracle& oracle) {
  if (!property.applies_to(scenario.profile))
    return PropertyResult::not_applicable("not stated for " + to_string(scenario.profile));
  RouteResult result = oracle(scenario);
  if (result.truncated) return PropertyResult::not_applicable("outcome enumeration truncated");
  return property.check(scenario, result, oracle);
}

}  // namespace routecheck::properties
