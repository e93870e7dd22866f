// cli_args_fuzz ↔ corpus/cli_args/: the CLI's argument syntaxes, one per line as a user types them:
//   --fault ID=OUTCOME[,OUTCOME...]     add_fault_arg (CONTRACT.md §2)
//   --header Name: value                parse_header_arg, then make_request's header checks
//   --outcome OUTCOME                   parse_outcome alone
// A line without a known prefix is tried as all three.
// Properties: an outcome survives to_string → parse_outcome unchanged (fault-round-trip); a fault
// argument rebuilt from its parsed queue parses to the same queue; a parsed header, written back as
// "Name: value", parses to itself (header-round-trip) and is found by Request::header.
#include <iomanip>
#include <sstream>

#include "fuzz_target.h"
#include "routecheck/faults.h"
#include "routecheck/request.h"

namespace {

using namespace routecheck;

constexpr const char* kTarget = "cli_args_fuzz";
constexpr std::size_t kMaxInput = 16 * 1024;

fuzz::Rejections rejections(kTarget);

std::string show(const UpstreamOutcome& o) {
  std::ostringstream out;
  out << std::setprecision(17) << "{kind " << static_cast<int>(o.kind) << ", status " << o.status << ", retry_after "
      << (o.retry_after ? std::to_string(*o.retry_after) + " (" : "none (");
  if (o.retry_after) out << std::hexfloat << *o.retry_after;
  out << ")}";
  return out.str();
}

void check_outcome(const UpstreamOutcome& o, const std::string& input) {
  std::string text = o.to_string();
  UpstreamOutcome back;
  try {
    back = parse_outcome(text, "--fault", "");
  } catch (const InputError& e) {
    fuzz::violation(kTarget, "fault-round-trip", show(o) + " prints as '" + text + "', which parse_outcome rejects: " + e.message(),
                    input);
  }
  if (!(back == o))
    fuzz::violation(kTarget, "fault-round-trip", show(o) + " prints as '" + text + "', which parses to " + show(back), input);
}

void try_outcome(const std::string& arg, const std::string& input) {
  UpstreamOutcome o;
  try {
    o = parse_outcome(arg, "--fault", "");
  } catch (const InputError&) {
    rejections.reject("not an OUTCOME");
    return;
  }
  rejections.accept();
  check_outcome(o, input);
}

void try_fault(const std::string& arg, const std::string& input) {
  FaultPlan plan;
  try {
    add_fault_arg(plan, arg, "--fault");
  } catch (const InputError&) {
    rejections.reject("not a --fault argument");
    return;
  }
  rejections.accept();
  if (plan.queues.size() != 1) fuzz::violation(kTarget, "fault-arg", "one --fault made " + std::to_string(plan.queues.size()) + " queues", input);
  const auto& [id, queue] = *plan.queues.begin();
  if (queue.empty()) fuzz::violation(kTarget, "fault-arg", "an empty queue for '" + id + "'", input);
  std::string rebuilt = id + "=";
  for (std::size_t i = 0; i < queue.size(); ++i) {
    check_outcome(queue[i], input);
    rebuilt += (i ? "," : "") + queue[i].to_string();
    // The queue is consumed one outcome per call and the last repeats (CONTRACT.md §2).
    if (!(plan.answer(id, static_cast<int>(i)) == queue[i])) fuzz::violation(kTarget, "fault-arg", "answer(" + std::to_string(i) + ") is not queue[i]", input);
  }
  if (!(plan.answer(id, static_cast<int>(queue.size()) + 3) == queue.back()))
    fuzz::violation(kTarget, "fault-arg", "the last outcome does not repeat", input);
  FaultPlan again;
  try {
    add_fault_arg(again, rebuilt, "--fault");
  } catch (const InputError& e) {
    fuzz::violation(kTarget, "fault-round-trip", "rebuilt '" + rebuilt + "' is rejected: " + e.message(), input);
  }
  if (again.queues != plan.queues) fuzz::violation(kTarget, "fault-round-trip", "rebuilt '" + rebuilt + "' parses differently", input);
}

void try_header(const std::string& arg, const std::string& input) {
  std::pair<std::string, std::string> header;
  try {
    header = parse_header_arg(arg, "--header");
  } catch (const InputError&) {
    rejections.reject("not a --header argument");
    return;
  }
  rejections.accept();
  const auto& [name, value] = header;
  std::string written = name + ": " + value;
  std::pair<std::string, std::string> back;
  try {
    back = parse_header_arg(written, "--header");
  } catch (const InputError& e) {
    fuzz::violation(kTarget, "header-round-trip", "'" + written + "' is rejected: " + e.message(), input);
  }
  if (back != header) fuzz::violation(kTarget, "header-round-trip", "'" + written + "' parses to '" + back.first + ": " + back.second + "'", input);
  try {
    Request r = make_request("/v1/chat/completions", {header}, nlohmann::json{{"model", "primary"}}, "--header");
    if (r.header(name) != value) fuzz::violation(kTarget, "header-round-trip", "Request::header('" + name + "') misses", input);
  } catch (const InputError&) {
    rejections.reject("header refused by make_request");  // e.g. x-litellm-num-retries out of range
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 16 KiB");
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::istringstream lines(input);
  std::string line;
  while (std::getline(lines, line)) {
    auto after = [&](const char* prefix) -> std::optional<std::string> {
      std::string p(prefix);
      if (line.compare(0, p.size(), p) == 0) return line.substr(p.size());
      return std::nullopt;
    };
    if (auto arg = after("--fault ")) {
      try_fault(*arg, input);
    } else if (auto arg = after("--header ")) {
      try_header(*arg, input);
    } else if (auto arg = after("--outcome ")) {
      try_outcome(*arg, input);
    } else {
      try_fault(line, input);
      try_header(line, input);
      try_outcome(line, input);
    }
  }
  return 0;
}
