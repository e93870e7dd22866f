#include "fallback.h"

namespace routecheck {
namespace {

// The first rule of `list` keyed `key`, as a chain (targets resolved by the parallel `resolved`).
ChainChoice find_exact(const FallbackList& list, const std::vector<std::vector<NameTarget>>& resolved,
                       std::string_view key, ChainChoice::List from) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].key == key) return {ChainChoice::Kind::Walk, from, &list[i].key, &list[i].targets, &resolved[i]};
  return {};
}

// One entry of the generic list in force (§7.1, §7.4), read in place: the body's list, else the
// router's with default_fallbacks as a "*" entry (last; first under DefaultFallbacksWinStar).
ChainChoice find_generic_entry(const Config& config, const ConfigIndex& index, const Ingress& in,
                               const Deviations& dev, std::string_view key) {
  const BodyFallbacks& body = in.request.fallbacks;
  if (body.kind == BodyFallbacks::Kind::Generic)
    return find_exact(body.generic, in.generic_fallbacks, key, ChainChoice::List::Generic);
  if (body.kind == BodyFallbacks::Kind::Null) return {};  // confirmed on 1.82.3 (point 17)
  static const std::string kStar = "*";
  const RouterSettings& r = config.router;
  ChainChoice defaults{ChainChoice::Kind::Walk, ChainChoice::List::Generic, &kStar, &r.default_fallbacks,
                       &index.default_fallbacks};
  bool star = !r.default_fallbacks.empty() && key == kStar;
  if (star && has(dev, Deviation::DefaultFallbacksWinStar)) return defaults;
  ChainChoice rule = find_exact(r.fallbacks, index.fallbacks, key, ChainChoice::List::Generic);
  if (rule.kind == ChainChoice::Kind::Walk || !star) return rule;
  return defaults;
}

// §7.4: exact key, then the key without its provider/ prefix, then "*".
ChainChoice find_generic(const Config& config, const ConfigIndex& index, const Ingress& in, const Deviations& dev,
                         const std::string& group) {
  ChainChoice c = find_generic_entry(config, index, in, dev, group);
  auto slash = group.find('/');
  if (c.kind != ChainChoice::Kind::Walk && slash != std::string::npos)
    c = find_generic_entry(config, index, in, dev, std::string_view(group).substr(slash + 1));
  if (c.kind != ChainChoice::Kind::Walk) c = find_generic_entry(config, index, in, dev, "*");
  return c;
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
                         const RouterError& error, int depth, const Deviations& dev) {
  const RouterSettings& r = config.router;
  const ParsedRequest& req = in.request;
  if (req.disable_fallbacks) return {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::None};
  // In 1.82 a client-side list stays in the request: every nested hop selects it again (confirmed).
  if (req.fallbacks.kind == BodyFallbacks::Kind::ClientList)
    return {ChainChoice::Kind::Walk, ChainChoice::List::Client, nullptr, &req.fallbacks.client, &in.client_fallbacks};
  if (error.is_context_window() && !r.context_window_fallbacks.empty()) {
    ChainChoice c = find_exact(r.context_window_fallbacks, index.context_window_fallbacks, group,
                               ChainChoice::List::ContextWindow);
    if (c.kind != ChainChoice::Kind::Walk) c = {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::ContextWindow};
    return c;
  }
  if (error.is_content_policy() && !r.content_policy_fallbacks.empty()) {
    ChainChoice c = find_exact(r.content_policy_fallbacks, index.content_policy_fallbacks, group,
                               ChainChoice::List::ContentPolicy);
    if (c.kind != ChainChoice::Kind::Walk) c = {ChainChoice::Kind::RaiseUnchanged, ChainChoice::List::ContentPolicy};
    return c;
  }
  ChainChoice c = find_generic(config, index, in, dev, group);
  if (c.kind != ChainChoice::Kind::Walk) c = {ChainChoice::Kind::NoChain, ChainChoice::List::Generic};
  return c;
}

bool has_generic_fallbacks(const Config& config, const Ingress& in) {
  const BodyFallbacks& body = in.request.fallbacks;
  if (body.kind == BodyFallbacks::Kind::Generic) return !body.generic.empty();
  if (body.kind == BodyFallbacks::Kind::Null) return false;
  return !config.router.fallbacks.empty() || !config.router.default_fallbacks.empty();
}

}  // namespace routecheck
