#pragma once
/// Per-attempt and per-hop rules, checked by comparing the trace with the config: the tag filter's
/// result (§4.1–4.2), retries (§6.2–6.3) and the fallback walk (§7.3–7.5).
#include "property.h"

namespace routecheck::properties {

/// §4.1–4.2 (litellm-1.82): each tag result is what the filter's rules give for the deployments that
/// survived cooldown and the tags the decision used; every pick and every server is eligible.
PropertyResult check_eligibility(const Scenario&, const RouteResult&, const Oracle&);
/// §6.2–6.3: attempts are numbered 0..k; 400/404/422-class errors are never retried; a hop stops
/// early only on a non-retryable error (cooldowns off); at most 1 + num_retries attempts.
PropertyResult check_retry_discipline(const Scenario&, const RouteResult&, const Oracle&);
/// §7.3–7.5: hop 0 is the requested model at depth 0; a hop at depth >= max_fallbacks starts no walk;
/// a walk never takes the failing group; the next hop is the chain's entry at depth + 1; error-class
/// chains are used for their class.
PropertyResult check_fallback_walk(const Scenario&, const RouteResult&, const Oracle&);

}  // namespace routecheck::properties
