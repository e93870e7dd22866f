#pragma once
// Errors inside the router, their composition across fallbacks (§7.7), and the final status (§9.1).
#include <optional>
#include <string>
#include <vector>

#include "routecheck/faults.h"
#include "routecheck/route.h"

namespace routecheck {

/// An error raised by an attempt or a hop, reduced to what decides statuses.
struct RouterError {
  enum class Kind { TagDenied, NoDeployments, UnknownModel, Upstream, MockInternalServer, MockContextWindow, MockContentPolicy, MockRateLimit };
  Kind kind = Kind::Upstream;
  UpstreamOutcome upstream;   // for Kind::Upstream
  std::optional<int> status;  // the HTTP status the exception carries; none for denials
  bool extensible = true;     // carries a message field, so §7.7 may extend it
  bool no_deployments_text = false;
  bool tag_denied_text = false;
  int denial = -1;       // the first tag denial whose text this error carries (an index the raiser keeps)
  int deployment = -1;   // the deployment that raised it, if any

  /// `denial` indexes the Denial (group, tags) the raiser recorded: errors stay plain values, copied
  /// hop to hop without allocating.
  static RouterError tag_denied(int denial);
  static RouterError no_deployments();
  static RouterError unknown_model();
  static RouterError from_upstream(const UpstreamOutcome& outcome, int deployment);
  /// Makes this error the one from_upstream(outcome, deployment) returns, written in place.
  void set_upstream(const UpstreamOutcome& outcome, int deployment);
  static RouterError mock(Kind kind);

  bool is_context_window() const;
  bool is_content_policy() const;
  /// "tag_denied", "no_deployments", "upstream:500", "timeout", "context_window", ...
  std::string class_name() const;
};

// Inline: an error is built in place where it is stored (no copy of a temporary after its stores).
inline RouterError RouterError::tag_denied(int denial) {
  RouterError e;
  e.kind = Kind::TagDenied;
  e.extensible = false;  // a plain error: raised unchanged through §7.7
  e.tag_denied_text = true;
  e.denial = denial;
  return e;
}

inline RouterError RouterError::no_deployments() {
  RouterError e;
  e.kind = Kind::NoDeployments;
  e.no_deployments_text = true;
  return e;
}

inline RouterError RouterError::unknown_model() {
  RouterError e;
  e.kind = Kind::UnknownModel;
  e.status = 400;
  return e;
}

inline void RouterError::set_upstream(const UpstreamOutcome& outcome, int deployment_index) {
  kind = Kind::Upstream;
  upstream = outcome;
  extensible = true;
  no_deployments_text = false;
  tag_denied_text = false;
  denial = -1;
  deployment = deployment_index;
  switch (outcome.kind) {
    case UpstreamOutcome::Kind::Timeout: status = 408; break;
    case UpstreamOutcome::Kind::ContextWindow:
    case UpstreamOutcome::Kind::ContentPolicy: status = 400; break;
    case UpstreamOutcome::Kind::Refused: status = 500; break;  // APIConnectionError
    default: status = outcome.status; break;
  }
}

inline RouterError RouterError::from_upstream(const UpstreamOutcome& outcome, int deployment) {
  RouterError e;
  e.set_upstream(outcome, deployment);
  return e;
}

inline RouterError RouterError::mock(Kind kind) {
  RouterError e;
  e.kind = kind;
  e.status = kind == Kind::MockRateLimit ? 429 : kind == Kind::MockInternalServer ? 500 : 400;
  return e;
}

inline bool RouterError::is_context_window() const {
  return kind == Kind::MockContextWindow ||
         (kind == Kind::Upstream && upstream.kind == UpstreamOutcome::Kind::ContextWindow);
}

inline bool RouterError::is_content_policy() const {
  return kind == Kind::MockContentPolicy ||
         (kind == Kind::Upstream && upstream.kind == UpstreamOutcome::Kind::ContentPolicy);
}

/// §7.7: the hop's own error extended with the text of the walk's last error.
RouterError compose(RouterError own, const RouterError& last);

/// §9.1: the status the proxy returns for a final error.
int final_status(const RouterError& error);

/// The error_class reported for a final error (CONTRACT.md §3).
std::string final_error_class(const RouterError& error);

}  // namespace routecheck
