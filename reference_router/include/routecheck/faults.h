#pragma once
/// Fault plans: what each upstream deployment answers, call by call (CONTRACT.md §2).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routecheck/parse_failure.h"

namespace routecheck {

/// One upstream answer.
struct UpstreamOutcome {
  enum class Kind { Ok, Timeout, ContextWindow, ContentPolicy, Refused, StreamCut, Status };
  Kind kind = Kind::Ok;
  int status = 0;                      // for Kind::Status: 400..599
  std::optional<double> retry_after;   // seconds, for Kind::Status

  /// The grammar's spelling, e.g. "ok", "429@retry-after=1", "timeout".
  std::string to_string() const;
  bool operator==(const UpstreamOutcome&) const = default;
};

/// Parses one OUTCOME of the grammar; throws InputError naming `file` and `pointer`.
UpstreamOutcome parse_outcome(const std::string& text, const std::string& file, const std::string& pointer);
/// The same without an exception: sets `out`, or returns why `text` is not an OUTCOME.
std::optional<ParseFailure> read_outcome(std::string_view text, UpstreamOutcome& out);

/// Per deployment id, a queue consumed one outcome per call; the last repeats; unnamed answers ok.
struct FaultPlan {
  std::map<std::string, std::vector<UpstreamOutcome>> queues;

  /// What the `call_index`-th call (0-based) to `deployment` gets.
  UpstreamOutcome answer(const std::string& deployment, int call_index) const;
  /// The same for a queue already looked up (nullptr: the deployment has none), read in place; inline,
  /// as route() asks it on every upstream call.
  static const UpstreamOutcome& answer_from(const std::vector<UpstreamOutcome>* queue, std::size_t call_index) {
    static const UpstreamOutcome kOk{};
    if (!queue || queue->empty()) return kOk;
    return (*queue)[std::min(call_index, queue->size() - 1)];
  }
};

/// Parses `--fault ID=OUTCOME[,OUTCOME...]` into `plan`; throws InputError naming `where`.
void add_fault_arg(FaultPlan& plan, const std::string& text, const std::string& where);
/// The same without an exception: adds the queue to `plan`, or leaves `plan` alone and returns why not.
std::optional<ParseFailure> read_fault_arg(FaultPlan& plan, std::string_view text);

}  // namespace routecheck
