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
  static RouterError mock(Kind kind);

  bool is_context_window() const;
  bool is_content_policy() const;
  /// "tag_denied", "no_deployments", "upstream:500", "timeout", "context_window", ...
  std::string class_name() const;
};

/// §7.7: the hop's own error extended with the text of the walk's last error.
RouterError compose(RouterError own, const RouterError& last);

/// §9.1: the status the proxy returns for a final error.
int final_status(const RouterError& error);

/// The error_class reported for a final error (CONTRACT.md §3).
std::string final_error_class(const RouterError& error);

}  // namespace routecheck
