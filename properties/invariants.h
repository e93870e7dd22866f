#pragma once
/// The invariant of semantics §8.1 (I-1, I-2, I-4, I-6) and the status rule of §9.1, checked on the
/// decision trace of every allowed outcome.
#include "property.h"

namespace routecheck::properties {

/// I-1: every tag decision uses the tags of the first one, and none of them was written after a pick.
PropertyResult check_routing_tags_fixed(const Scenario&, const RouteResult&, const Oracle&);
/// I-2: every tag a decision used, and every tag a denial names, is a string the caller sent.
PropertyResult check_observability_inert(const Scenario&, const RouteResult&, const Oracle&);
/// I-4: a tag-denial 401 comes from a TAG_DENIED record that used RT(R), for the group it names.
PropertyResult check_status_honesty(const Scenario&, const RouteResult&, const Oracle&);
/// I-6: one upstream call per non-silent attempt (1.82: up to 1 + N calls to the picked deployment when
/// it has litellm_params.num_retries N, the OpenAI SDK's retries of point 12), at most 1 + num_retries
/// attempts per hop, and no more hops than the walk of §7.5 allows.
PropertyResult check_termination(const Scenario&, const RouteResult&, const Oracle&);
/// §9.1/§7.7: a failed request's status and class are those of the requested group's latest error,
/// unless the composed text carries the no-deployments or tag-denial phrase.
PropertyResult check_status_from_primary(const Scenario&, const RouteResult&, const Oracle&);

}  // namespace routecheck::properties
