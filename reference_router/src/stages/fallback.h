#pragma once
// Fallback chain selection for a failed hop (semantics §7.3–§7.4).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config_index.h"
#include "ingress.h"
#include "routecheck/config.h"
#include "stages/router_error.h"

namespace routecheck {

/// The chain a failed hop walks, or why there is none. Points into the config and the ingress.
struct ChainChoice {
  enum class Kind { Walk, RaiseUnchanged, NoChain } kind = Kind::NoChain;
  enum class List { None, Client, Generic, ContextWindow, ContentPolicy } list = List::None;  // where it comes from
  const std::string* key = nullptr;                  // the rule's key, for the config's lists
  const std::vector<std::string>* names = nullptr;   // Kind::Walk: the targets in order
  const std::vector<NameTarget>* targets = nullptr;  // Kind::Walk: the same, resolved

  /// For the trace: "client", "generic:<key>", "context_window:<key>", "content_policy:<key>", or "none".
  std::string name() const;
  /// For the trace: why a hop of `group` has no chain to walk; "" for Kind::Walk.
  std::string reason(const std::string& group) const;
};

/// Selects the chain for `group` failing with `error` at `depth` (§7.3). `target` is what `group`
/// names in the config (its chain rules were found once, ConfigIndex::chains).
ChainChoice select_chain(const Config& config, const ConfigIndex& index, const Ingress& in, const std::string& group,
                         NameTarget target, const RouterError& error, int depth, const Deviations& dev);

/// Whether the generic fallback list in force for this request (§7.1, §7.4) has any entry.
bool has_generic_fallbacks(const Config& config, const Ingress& in);

}  // namespace routecheck
