#pragma once
/// Relations between two runs of the same oracle (semantics §8.3 MP-1..MP-5, I-3, §3.3), plus
/// determinism and the scenario round trip. The twin runs through the Oracle callback, so a mutant
/// under test is switched on for both runs.
#include "property.h"

namespace routecheck::properties {

/// I-3/MP-4: each tag decision's result equals that of a direct request to the same group (same tags,
/// fresh cooldown state) — nothing recorded after earlier picks reaches it.
PropertyResult check_hop_independence(const Scenario&, const RouteResult&, const Oracle&);
/// MP-1: writing credentials inline (or naming inline keys) changes no observable but key identities.
PropertyResult check_credential_naming(const Scenario&, const RouteResult&, const Oracle&);
/// MP-2: a tag no request mentions, added to every deployment, changes no observable.
PropertyResult check_foreign_tags(const Scenario&, const RouteResult&, const Oracle&);
/// MP-3: a hop-0 success after retries has the fault-free run's status and group, and a server from
/// the fault-free run's eligible set.
PropertyResult check_retry_transparency(const Scenario&, const RouteResult&, const Oracle&);
/// MP-5: with RT(R) empty and no tag_regex, no outcome is a tag denial and no decision denies.
PropertyResult check_no_spurious_denial(const Scenario&, const RouteResult&, const Oracle&);
/// §3.3 (litellm-1.82): removing tag sources that the winning source replaces changes no observable.
PropertyResult check_shadowed_tag_sources(const Scenario&, const RouteResult&, const Oracle&);
/// The same scenario twice gives the same result.
PropertyResult check_determinism(const Scenario&, const RouteResult&, const Oracle&);
/// scenario_to_json -> parse_scenario gives the same document and the same result.
PropertyResult check_round_trip(const Scenario&, const RouteResult&, const Oracle&);

}  // namespace routecheck::properties
