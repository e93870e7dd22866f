#include "fallback.h"

#include "stages/retry.h"

namespace routecheck {
namespace {

const FallbackRule* find_exact(const FallbackList& list, const std::string& key) {
  for (const FallbackRule& rule : list)
    if (rule.key == key) return &rule;
  return nullptr;
}

// §7.4: exact key, then the key without its provider/ prefix, then "*".
const FallbackRule* find_generic(const FallbackList& list, const std::string& group) {
  if (const FallbackRule* r = find_exact(list, group)) return r;
  auto slash = group.find('/');
  if (slash != std::string::npos)
    if (const FallbackRule* r = find_exact(list, group.substr(slash + 1))) return r;
  return find_exact(list, "*");
}

ChainChoice walk(std::string name, const FallbackRule& rule) {
  return ChainChoice{ChainChoice::Kind::Walk, std::move(name), rule.targets, ""};
}

}  // namespace

ChainChoice select_chain(const Config& config, const Ingress& in, const std::string& group, const RouterError& error,
                         int depth, const Deviations& dev) {
  const RouterSettings& r = config.router;
  if (in.disable_fallbacks) return {ChainChoice::Kind::RaiseUnchanged, "none", {}, "disable_fallbacks: true"};
  // In 1.82 a client-side list stays in the request: every nested hop selects it again (confirmed).
  if (in.fallbacks.kind == BodyFallbacks::Kind::ClientList) return {ChainChoice::Kind::Walk, "client", in.fallbacks.client, ""};
  if (error.is_context_window() && !r.context_window_fallbacks.empty()) {
    if (const FallbackRule* rule = find_exact(r.context_window_fallbacks, group)) return walk("context_window:" + rule->key, *rule);
    return {ChainChoice::Kind::RaiseUnchanged, "none", {}, "7.3: no context_window_fallbacks entry for " + group};
  }
  if (error.is_content_policy() && !r.content_policy_fallbacks.empty()) {
    if (const FallbackRule* rule = find_exact(r.content_policy_fallbacks, group)) return walk("content_policy:" + rule->key, *rule);
    return {ChainChoice::Kind::RaiseUnchanged, "none", {}, "7.3: no content_policy_fallbacks entry for " + group};
  }
  FallbackList generic = generic_fallbacks(config, in, dev);
  if (const FallbackRule* rule = find_generic(generic, group)) return walk("generic:" + rule->key, *rule);
  return {ChainChoice::Kind::NoChain, "none", {}, "7.4: no generic fallback entry for " + group};
}

}  // namespace routecheck
