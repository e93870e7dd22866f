#include "routecheck/faults.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "routecheck/input_error.h"

namespace routecheck {

namespace {

constexpr const char* kGrammar =
    " (grammar: ok | timeout | context_window | content_policy | refused | stream_cut | "
    "<400-599>[@retry-after=<seconds>])";
constexpr const char* kNotIdOutcome = "expected ID=OUTCOME[,OUTCOME...]";

// strtod on a view: copied to a NUL-terminated buffer (on the stack when short), so the number reads
// exactly as strtod reads a std::string's c_str() (leading blanks, '+', hex, and an embedded NUL
// ending it). `complete` tells whether strtod stopped at that end.
double read_seconds(std::string_view number, bool& complete) {
  char small[64];
  std::string large;
  char* buffer = small;
  if (number.size() < sizeof small) {
    number.copy(small, number.size());
    small[number.size()] = '\0';
  } else {
    large.assign(number);
    buffer = large.data();
  }
  char* end = nullptr;
  double seconds = std::strtod(buffer, &end);
  complete = *end == '\0';
  return seconds;
}

// The message of a refused OUTCOME.
std::string bad_outcome(std::string_view text, const char* why) {
  std::string message = "bad fault '";
  message.append(text);
  return message.append("': ").append(why).append(kGrammar);
}

}  // namespace

std::string UpstreamOutcome::to_string() const {
  switch (kind) {
    case Kind::Ok: return "ok";
    case Kind::Timeout: return "timeout";
    case Kind::ContextWindow: return "context_window";
    case Kind::ContentPolicy: return "content_policy";
    case Kind::Refused: return "refused";
    case Kind::StreamCut: return "stream_cut";
    case Kind::Status: break;
  }
  std::string s = std::to_string(status);
  if (retry_after) {
    // The shortest spelling that reads back as the same number, so the grammar round-trips: printf's
    // %.<precision>g (what an ostream with setprecision prints), from 6 digits up.
    char text[64];
    for (int precision = 6; precision <= 17; ++precision) {
      auto end = std::to_chars(text, text + sizeof text - 1, *retry_after, std::chars_format::general, precision).ptr;
      *end = '\0';
      if (std::strtod(text, nullptr) == *retry_after) break;
    }
    s += "@retry-after=";
    s += text;
  }
  return s;
}

std::optional<ParseFailure> read_outcome(std::string_view text, UpstreamOutcome& out) {
  static const std::pair<std::string_view, UpstreamOutcome::Kind> words[] = {
      {"ok", UpstreamOutcome::Kind::Ok},
      {"timeout", UpstreamOutcome::Kind::Timeout},
      {"context_window", UpstreamOutcome::Kind::ContextWindow},
      {"content_policy", UpstreamOutcome::Kind::ContentPolicy},
      {"refused", UpstreamOutcome::Kind::Refused},
      {"stream_cut", UpstreamOutcome::Kind::StreamCut},
  };
  for (const auto& [word, kind] : words)
    if (text == word) {
      out = UpstreamOutcome{kind, 0, std::nullopt};
      return std::nullopt;
    }
  auto bad = [&](const char* why) { return ParseFailure{why, text, 0}; };
  std::string_view code = text.substr(0, text.find('@'));
  if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string_view::npos) return bad("unknown outcome");
  int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  if (status < 400 || status > 599) return bad("status must be from 400 to 599");
  std::optional<double> retry_after;
  if (code.size() < text.size()) {
    constexpr std::string_view prefix = "@retry-after=";
    if (text.substr(3, prefix.size()) != prefix) return bad("expected '@retry-after=<seconds>'");
    std::string_view number = text.substr(3 + prefix.size());
    bool complete = false;
    double seconds = number.empty() ? -1 : read_seconds(number, complete);
    if (number.empty() || !complete || !std::isfinite(seconds) || seconds < 0 || seconds > 3600)
      return bad("retry-after must be a number of seconds from 0 to 3600");
    retry_after = seconds;
  }
  out = UpstreamOutcome{UpstreamOutcome::Kind::Status, status, retry_after};
  return std::nullopt;
}

UpstreamOutcome parse_outcome(const std::string& text, const std::string& file, const std::string& pointer) {
  UpstreamOutcome out;
  if (auto failure = read_outcome(text, out)) throw InputError(file, pointer, bad_outcome(text, failure->reason));
  return out;
}

UpstreamOutcome FaultPlan::answer(const std::string& deployment, int call_index) const {
  auto it = queues.find(deployment);
  return answer_from(it == queues.end() ? nullptr : &it->second, static_cast<std::size_t>(call_index));
}

std::optional<ParseFailure> read_fault_arg(FaultPlan& plan, std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return ParseFailure{kNotIdOutcome, text, 0};
  std::vector<UpstreamOutcome> queue;
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    auto comma = rest.find(',');
    UpstreamOutcome outcome;
    if (auto failure = read_outcome(rest.substr(0, comma), outcome)) {
      failure->item = queue.size();
      return failure;
    }
    queue.push_back(outcome);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  plan.queues[std::string(text.substr(0, eq))] = std::move(queue);
  return std::nullopt;
}

void add_fault_arg(FaultPlan& plan, const std::string& text, const std::string& where) {
  auto failure = read_fault_arg(plan, text);
  if (!failure) return;
  if (failure->reason == kNotIdOutcome) throw InputError(where, "", std::string(kNotIdOutcome) + ", got '" + text + "'");
  std::string id = text.substr(0, text.find('='));
  throw InputError(where, "/" + id + "/" + std::to_string(failure->item), bad_outcome(failure->part, failure->reason));
}

}  // namespace routecheck
