#include "routecheck/faults.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "routecheck/input_error.h"

namespace routecheck {

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
    // The shortest spelling that reads back as the same number, so the grammar round-trips.
    std::string text;
    for (int precision = 6; precision <= 17; ++precision) {
      std::ostringstream out;
      out << std::setprecision(precision) << *retry_after;
      text = out.str();
      if (std::strtod(text.c_str(), nullptr) == *retry_after) break;
    }
    s += "@retry-after=" + text;
  }
  return s;
}

UpstreamOutcome parse_outcome(const std::string& text, const std::string& file, const std::string& pointer) {
  static const std::pair<const char*, UpstreamOutcome::Kind> words[] = {
      {"ok", UpstreamOutcome::Kind::Ok},
      {"timeout", UpstreamOutcome::Kind::Timeout},
      {"context_window", UpstreamOutcome::Kind::ContextWindow},
      {"content_policy", UpstreamOutcome::Kind::ContentPolicy},
      {"refused", UpstreamOutcome::Kind::Refused},
      {"stream_cut", UpstreamOutcome::Kind::StreamCut},
  };
  for (const auto& [word, kind] : words)
    if (text == word) return UpstreamOutcome{kind, 0, std::nullopt};
  auto bad = [&](const std::string& why) -> InputError {
    return InputError(file, pointer,
                      "bad fault '" + text + "': " + why +
                          " (grammar: ok | timeout | context_window | content_policy | refused | stream_cut | "
                          "<400-599>[@retry-after=<seconds>])");
  };
  std::string code = text.substr(0, text.find('@'));
  if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos) throw bad("unknown outcome");
  UpstreamOutcome out{UpstreamOutcome::Kind::Status, std::atoi(code.c_str()), std::nullopt};
  if (out.status < 400 || out.status > 599) throw bad("status must be from 400 to 599");
  if (code.size() < text.size()) {
    const std::string prefix = "@retry-after=";
    if (text.compare(3, prefix.size(), prefix) != 0) throw bad("expected '@retry-after=<seconds>'");
    std::string number = text.substr(3 + prefix.size());
    char* end = nullptr;
    double seconds = number.empty() ? -1 : std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !std::isfinite(seconds) || seconds < 0 || seconds > 3600)
      throw bad("retry-after must be a number of seconds from 0 to 3600");
    out.retry_after = seconds;
  }
  return out;
}

UpstreamOutcome FaultPlan::answer(const std::string& deployment, int call_index) const {
  auto it = queues.find(deployment);
  return answer_from(it == queues.end() ? nullptr : &it->second, static_cast<std::size_t>(call_index));
}


void add_fault_arg(FaultPlan& plan, const std::string& text, const std::string& where) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(where, "", "expected ID=OUTCOME[,OUTCOME...], got '" + text + "'");
  std::string id = text.substr(0, eq);
  std::vector<UpstreamOutcome> queue;
  std::string rest = text.substr(eq + 1);
  std::size_t start = 0;
  while (true) {
    auto comma = rest.find(',', start);
    std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    queue.push_back(parse_outcome(item, where, "/" + id + "/" + std::to_string(queue.size())));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  plan.queues[id] = std::move(queue);
}

}  // namespace routecheck
