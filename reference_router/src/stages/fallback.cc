#include "fallback.h"

namespace routecheck {
namespace {

// Every chain is returned as a prvalue, built in the caller's object (no ChainChoice is copied).

// A rule of the router's generic list (ChainRules' encoding) that selects a list, as a chain.
ChainChoice router_chain(const Config& config, const ConfigIndex& index, int rule) {
  static const std::string kStar = "*";
  const RouterSettings& r = config.router;
  if (rule == ChainRules::kDefaultFallbacks)
    return {ChainChoice::Kind::Walk, ChainChoice::List::Generic, &kStar, &r.default_fallbacks, &index.default_fallbacks};
  const auto k = static_cast<std::size_t>(rule);
  return {ChainChoice::Kind::Walk, ChainChoice::List::Generic, &r.fallbacks[k].key, &r.fallbacks[k].targets,
          &index.fallbacks[k]};
}

// A rule (>= 0) of one of the exact-key lists (context window, content policy, a body's generic list).
ChainChoice exact_chain(const FallbackList& list, const std::vector<std::vector<NameTarget>>& resolved, int rule,
                        ChainChoice::List from) {
  const auto k = static_cast<std::size_t>(rule);
  return {ChainChoice::Kind::Walk, from, &list[k].key, &list[k].targets, &resolved[k]};
}

// §7.4: exact key, then the key without its provider/ prefix, then "*", in the generic list in force
// (§7.1): the body's list, else the router's with default_fallbacks as a "*" entry (last; first under
// DefaultFallbacksWinStar). `rules`: the router's rules for `group`, found once per config.
ChainChoice find_generic(const Config& config, const ConfigIndex& index, const Ingress& in, const Deviations& dev,
                         const std::string& group, const ChainRules* rules) {
  auto none = [] { return ChainChoice{ChainChoice::Kind::NoChain, ChainChoice::List::Generic}; };
  const BodyFallbacks& body = in.request.fallbacks;
  if (body.kind == BodyFallbacks::Kind::Null) return none();  // confirmed on 1.82.3 (point 17)
  if (body.kind != BodyFallbacks::Kind::Generic) {
    bool wins = has(dev, Deviation::DefaultFallbacksWinStar);
    int rule = rules ? rules->generic[wins] : router_generic_rule(config.router, group, wins);
    if (rule < 0 && rule != ChainRules::kDefaultFallbacks) return none();
    return router_chain(config, index, rule);
  }
  int rule = first_by_fallback_key(group, [&](std::string_view key) { return first_rule(body.generic, key); });
  if (rule < 0) return none();
  return exact_chain(body.generic, in.generic_fallbacks, rule, ChainChoice::List::Generic);
}

}  // namespace

std::string ChainChoice::name() const {
  if (kind != Kind::Walk) return "none";
  switch (list) {
    case List::Client: return "client";
    case List::Generic: return "generic:" + *key;
    case List::ContextWindow: return "context_window:" + *key;
    case List::ContentPolicy: return "content_policy:" + *key;
    case List::None: break;
  }
  return "none";
}

std::string ChainChoice::reason(const std::string& group) const {
  if (kind == Kind::Walk) return "";
  if (kind == Kind::NoChain) return "7.4: no generic fallback entry for " + group;
  if (list == List::ContextWindow) return "7.3: no context_window_fallbacks entry for " + group;
  if (list == List::ContentPolicy) return "7.3: no content_policy_fallbacks entry for " + group;
  return "disable_fallbacks: true";
}

ChainChoice select_chain(const Config& config, const ConfigIndex& index, const Ingress& in, const std::string& group,
                         NameTarget target, const RouterError& error, int depth, const Deviations& dev) {
  const ChainRules* rules = index.chains(target);
  const RouterSettings& r = config.router;
  const ParsedRequest& req = in.request;
  if (req.disable_fallbacks) return {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::None};
  // In 1.82 a client-side list stays in the request: every nested hop selects it again (confirmed).
  if (req.fallbacks.kind == BodyFallbacks::Kind::ClientList)
    return {ChainChoice::Kind::Walk, ChainChoice::List::Client, nullptr, &req.fallbacks.client, &in.client_fallbacks};
  if (error.is_context_window() && !r.context_window_fallbacks.empty()) {
    int rule = rules ? rules->context_window : first_rule(r.context_window_fallbacks, group);
    if (rule < 0) return {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::ContextWindow};
    return exact_chain(r.context_window_fallbacks, index.context_window_fallbacks, rule, ChainChoice::List::ContextWindow);
  }
  if (error.is_content_policy() && !r.content_policy_fallbacks.empty()) {
    int rule = rules ? rules->content_policy : first_rule(r.content_policy_fallbacks, group);
    if (rule < 0) return {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::ContentPolicy};
    return exact_chain(r.content_policy_fallbacks, index.content_policy_fallbacks, rule, ChainChoice::List::ContentPolicy);
  }
  return find_generic(config, index, in, dev, group, rules);
}

bool has_generic_fallbacks(const Config& config, const Ingress& in) {
  const BodyFallbacks& body = in.request.fallbacks;
  if (body.kind == BodyFallbacks::Kind::Generic) return !body.generic.empty();
  if (body.kind == BodyFallbacks::Kind::Null) return false;
  return !config.router.fallbacks.empty() || !config.router.default_fallbacks.empty();
}

}  // namespace routecheck
