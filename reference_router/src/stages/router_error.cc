#include "router_error.h"

namespace routecheck {

RouterError RouterError::tag_denied(int denial) {
  RouterError e;
  e.kind = Kind::TagDenied;
  e.extensible = false;  // a plain error: raised unchanged through §7.7
  e.tag_denied_text = true;
  e.denial = denial;
  return e;
}

RouterError RouterError::no_deployments() {
  RouterError e;
  e.kind = Kind::NoDeployments;
  e.no_deployments_text = true;
  return e;
}

RouterError RouterError::unknown_model() {
  RouterError e;
  e.kind = Kind::UnknownModel;
  e.status = 400;
  return e;
}

RouterError RouterError::from_upstream(const UpstreamOutcome& outcome, int deployment) {
  RouterError e;
  e.kind = Kind::Upstream;
  e.upstream = outcome;
  e.deployment = deployment;
  switch (outcome.kind) {
    case UpstreamOutcome::Kind::Timeout: e.status = 408; break;
    case UpstreamOutcome::Kind::ContextWindow:
    case UpstreamOutcome::Kind::ContentPolicy: e.status = 400; break;
    case UpstreamOutcome::Kind::Refused: e.status = 500; break;  // APIConnectionError
    default: e.status = outcome.status; break;
  }
  return e;
}

RouterError RouterError::mock(Kind kind) {
  RouterError e;
  e.kind = kind;
  e.status = kind == Kind::MockRateLimit ? 429 : kind == Kind::MockInternalServer ? 500 : 400;
  return e;
}

bool RouterError::is_context_window() const {
  return kind == Kind::MockContextWindow ||
         (kind == Kind::Upstream && upstream.kind == UpstreamOutcome::Kind::ContextWindow);
}

bool RouterError::is_content_policy() const {
  return kind == Kind::MockContentPolicy ||
         (kind == Kind::Upstream && upstream.kind == UpstreamOutcome::Kind::ContentPolicy);
}

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
