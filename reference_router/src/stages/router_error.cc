#include "router_error.h"

namespace routecheck {

std::string RouterError::class_name() const {
  switch (kind) {
    case Kind::TagDenied: return "tag_denied";
    case Kind::NoDeployments: return "no_deployments";
    case Kind::UnknownModel: return "unknown_model";
    case Kind::MockInternalServer: return "upstream:500";
    case Kind::MockContextWindow: return "context_window";
    case Kind::MockContentPolicy: return "content_policy";
    case Kind::MockRateLimit: return "upstream:429";
    case Kind::Upstream: break;
  }
  switch (upstream.kind) {
    case UpstreamOutcome::Kind::Timeout: return "timeout";
    case UpstreamOutcome::Kind::ContextWindow: return "context_window";
    case UpstreamOutcome::Kind::ContentPolicy: return "content_policy";
    case UpstreamOutcome::Kind::Refused: return "connection";
    default: return "upstream:" + std::to_string(upstream.status);
  }
}

RouterError compose(RouterError own, const RouterError& last) {
  if (!own.extensible) return own;
  if (last.tag_denied_text && !own.tag_denied_text) own.denial = last.denial;
  own.no_deployments_text = own.no_deployments_text || last.no_deployments_text;
  own.tag_denied_text = own.tag_denied_text || last.tag_denied_text;
  return own;
}

int final_status(const RouterError& e) {
  if (e.no_deployments_text) return 429;
  if (e.tag_denied_text) return 401;
  return e.status.value_or(500);
}

std::string final_error_class(const RouterError& e) {
  if (e.no_deployments_text) return "no_deployments";
  if (e.tag_denied_text) return "tag_denied";
  return e.class_name();
}

}  // namespace routecheck
