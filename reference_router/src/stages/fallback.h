#pragma once
// Fallback chain selection for a failed hop (semantics §7.3–§7.4).
#include <optional>
#include <string>
#include <vector>

#include "ingress.h"
#include "routecheck/config.h"
#include "stages/router_error.h"

namespace routecheck {

/// The chain a failed hop walks, or why there is none.
struct ChainChoice {
  enum class Kind { Walk, RaiseUnchanged, NoChain } kind = Kind::NoChain;
  std::string name;                  // "client", "generic:<key>", "context_window:<key>", "content_policy:<key>"
  std::vector<std::string> targets;  // for Kind::Walk
  std::string reason;                // for the others
};

/// Selects the chain for `group` failing with `error` at `depth` (§7.3).
ChainChoice select_chain(const Config& config, const Ingress& in, const std::string& group, const RouterError& error,
                         int depth, const Deviations& dev);

}  // namespace routecheck
