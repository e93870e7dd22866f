// cli_args_fuzz ↔ corpus/cli_args/: the CLI's argument syntaxes, one per line as a user types them:
//   --fault ID=OUTCOME[,OUTCOME...]     add_fault_arg (CONTRACT.md §2)
//   --header Name: value                parse_header_arg, then make_request's header checks
//   --outcome OUTCOME                   parse_outcome alone
// A line without a known prefix is tried as all three.
// Each line goes to the parsers' non-throwing cores (read_fault_arg, read_header_arg, read_outcome), so a
// refused line costs no exception; the throwing wrappers the CLI calls (add_fault_arg,
// parse_header_arg, parse_outcome) read back every accepted value (the round trips), and on a fixed
// sample of inputs (by a hash of the input) must read each line as the core did: the same value, or an
// InputError that agrees with the core's ParseFailure.
// Properties: an outcome survives to_string → parse_outcome unchanged (fault-round-trip); a fault
// argument rebuilt from its parsed queue parses to the same queue; a parsed header, written back as
// "Name: value", parses to itself (header-round-trip) and is found by Request::header.
#include <functional>
#include <iomanip>
#include <sstream>
#include <string_view>

#include "fuzz_target.h"
#include "routecheck/faults.h"
#include "routecheck/request.h"

namespace {

using namespace routecheck;

constexpr const char* kTarget = "cli_args_fuzz";
constexpr std::size_t kMaxInput = 16 * 1024;
// In one input in this many (by a hash of the input, so an input always does the same) each line also goes
// to the throwing wrapper, which must agree with the core: the same value, or an InputError that says
// the core's ParseFailure. An exception costs ≈ 3 µs under ASan and an unprefixed line is refused up to
// three times: checking every input would cost most of the run. (A hash of the line instead would pick
// the same common corpus lines input after input.)
constexpr std::size_t kWrapperSample = 64;

fuzz::Rejections rejections(kTarget);

[[noreturn]] void violation(const char* property, const std::string& detail, std::string_view input) {
  fuzz::violation(kTarget, property, detail, std::string(input));
}

std::string show(const UpstreamOutcome& o) {
  std::ostringstream out;
  out << std::setprecision(17) << "{kind " << static_cast<int>(o.kind) << ", status " << o.status << ", retry_after "
      << (o.retry_after ? std::to_string(*o.retry_after) + " (" : "none (");
  if (o.retry_after) out << std::hexfloat << *o.retry_after;
  out << ")}";
  return out.str();
}

// The throwing parsers the CLI calls, as check_wrapper_* call them (the argument named as the CLI names it).
UpstreamOutcome cli_outcome(const std::string& arg) { return parse_outcome(arg, "--outcome", ""); }
std::map<std::string, std::vector<UpstreamOutcome>> cli_fault(const std::string& arg) {
  FaultPlan plan;
  add_fault_arg(plan, arg, "--fault");
  return plan.queues;
}
std::pair<std::string, std::string> cli_header(const std::string& arg) { return parse_header_arg(arg, "--header"); }

// The throwing wrapper `parse` (the CLI's parser) agrees with the core: on an argument the core refused,
// an InputError naming `file`, the field `pointer` and the core's reason.
template <class Parse>
void check_wrapper_refuses(const char* file, Parse parse, std::string_view arg, const ParseFailure& failure,
                           const std::string& pointer, std::string_view input) {
  std::string text(arg);
  try {
    parse(text);
  } catch (const InputError& e) {
    std::string where = std::string(file) + " '" + text + "': ";
    if (e.file() != file) violation("wrapper-agrees", where + "the error names file '" + e.file() + "'", input);
    if (e.pointer() != pointer)
      violation("wrapper-agrees", where + "the error names field '" + e.pointer() + "', not '" + pointer + "'", input);
    if (e.message().find(failure.reason) == std::string::npos)
      violation("wrapper-agrees", where + "'" + e.message() + "' does not say '" + failure.reason + "'", input);
    return;
  }
  violation("wrapper-agrees", std::string(file) + " '" + text + "': the core refuses it (" + failure.reason +
                                  ") but the throwing parser accepts it", input);
}

// On an argument the core accepted, the throwing wrapper returns the same value (and does not throw).
template <class Parse, class Value>
void check_wrapper_accepts(const char* file, Parse parse, std::string_view arg, const Value& value, std::string_view input) {
  std::string text(arg);
  try {
    if (!(parse(text) == value)) violation("wrapper-agrees", std::string(file) + " '" + text + "': the throwing parser reads another value", input);
  } catch (const InputError& e) {
    violation("wrapper-agrees", std::string(file) + " '" + text + "': the core accepts it but the throwing parser says " + e.what(), input);
  }
}

void check_outcome(const UpstreamOutcome& o, std::string_view input) {
  std::string text = o.to_string();
  UpstreamOutcome back;
  try {
    back = parse_outcome(text, "--fault", "");
  } catch (const InputError& e) {
    violation("fault-round-trip", show(o) + " prints as '" + text + "', which parse_outcome rejects: " + e.message(), input);
  }
  if (!(back == o)) violation("fault-round-trip", show(o) + " prints as '" + text + "', which parses to " + show(back), input);
}

void try_outcome(std::string_view arg, bool check_wrapper, std::string_view input) {
  UpstreamOutcome o;
  if (auto failure = read_outcome(arg, o)) {
    rejections.reject("not an OUTCOME");
    if (check_wrapper)
      check_wrapper_refuses("--outcome", cli_outcome, arg, *failure, "", input);
    return;
  }
  rejections.accept();
  if (check_wrapper)
    check_wrapper_accepts("--outcome", cli_outcome, arg, o, input);
  check_outcome(o, input);
}

void try_fault(std::string_view arg, bool check_wrapper, std::string_view input) {
  FaultPlan plan;
  if (auto failure = read_fault_arg(plan, arg)) {
    rejections.reject("not a --fault argument");
    if (!plan.queues.empty()) violation("fault-arg", "a refused --fault changed the plan", input);
    if (check_wrapper) {
      std::string pointer;
      if (auto eq = arg.find('='); eq != std::string_view::npos && eq != 0)
        pointer = "/" + std::string(arg.substr(0, eq)) + "/" + std::to_string(failure->item);
      check_wrapper_refuses("--fault", cli_fault, arg, *failure, pointer, input);
    }
    return;
  }
  rejections.accept();
  if (check_wrapper)
    check_wrapper_accepts("--fault", cli_fault, arg, plan.queues, input);
  if (plan.queues.size() != 1) violation("fault-arg", "one --fault made " + std::to_string(plan.queues.size()) + " queues", input);
  const auto& [id, queue] = *plan.queues.begin();
  if (queue.empty()) violation("fault-arg", "an empty queue for '" + id + "'", input);
  std::string rebuilt = id + "=";
  for (std::size_t i = 0; i < queue.size(); ++i) {
    check_outcome(queue[i], input);
    if (i) rebuilt += ',';
    rebuilt += queue[i].to_string();
    // The queue is consumed one outcome per call and the last repeats (CONTRACT.md §2).
    if (!(plan.answer(id, static_cast<int>(i)) == queue[i])) violation("fault-arg", "answer(" + std::to_string(i) + ") is not queue[i]", input);
  }
  if (!(plan.answer(id, static_cast<int>(queue.size()) + 3) == queue.back()))
    violation("fault-arg", "the last outcome does not repeat", input);
  FaultPlan again;
  try {
    add_fault_arg(again, rebuilt, "--fault");
  } catch (const InputError& e) {
    violation("fault-round-trip", "rebuilt '" + rebuilt + "' is rejected: " + e.message(), input);
  }
  if (again.queues != plan.queues) violation("fault-round-trip", "rebuilt '" + rebuilt + "' parses differently", input);
}

void try_header(std::string_view arg, bool check_wrapper, std::string_view input) {
  std::pair<std::string, std::string> header;
  if (auto failure = read_header_arg(arg, header)) {
    rejections.reject("not a --header argument");
    if (check_wrapper)
      check_wrapper_refuses("--header", cli_header, arg, *failure, "", input);
    return;
  }
  rejections.accept();
  if (check_wrapper)
    check_wrapper_accepts("--header", cli_header, arg, header, input);
  const auto& [name, value] = header;
  std::string written = name + ": " + value;
  std::pair<std::string, std::string> back;
  try {
    back = parse_header_arg(written, "--header");
  } catch (const InputError& e) {
    violation("header-round-trip", "'" + written + "' is rejected: " + e.message(), input);
  }
  if (back != header) violation("header-round-trip", "'" + written + "' parses to '" + back.first + ": " + back.second + "'", input);
  // make_request's header checks (and what parse_request reads from headers), on the parsed-back copy.
  static const nlohmann::json kBody{{"model", "primary"}};
  std::vector<std::pair<std::string, std::string>> headers;
  headers.push_back(std::move(back));
  try {
    Request r = make_request("/v1/chat/completions", std::move(headers), kBody, "--header");
    if (r.header(name) != value) violation("header-round-trip", "Request::header('" + name + "') misses", input);
  } catch (const InputError&) {
    rejections.reject("header refused by make_request");  // e.g. x-litellm-num-retries out of range
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 16 KiB");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool check_wrapper = std::hash<std::string_view>{}(input) % kWrapperSample == 0;
  // Lines as std::getline splits them: at each '\n'; a last line without one counts, an empty rest does not.
  std::size_t start = 0;
  while (start < input.size()) {
    std::size_t newline = input.find('\n', start);
    std::string_view line = input.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    start = newline == std::string_view::npos ? input.size() : newline + 1;
    auto after = [&](std::string_view prefix, std::string_view& arg) {
      if (line.substr(0, prefix.size()) != prefix) return false;
      arg = line.substr(prefix.size());
      return true;
    };
    std::string_view arg;
    if (after("--fault ", arg)) {
      try_fault(arg, check_wrapper, input);
    } else if (after("--header ", arg)) {
      try_header(arg, check_wrapper, input);
    } else if (after("--outcome ", arg)) {
      try_outcome(arg, check_wrapper, input);
    } else {
      try_fault(line, check_wrapper, input);
      try_header(line, check_wrapper, input);
      try_outcome(line, check_wrapper, input);
    }
  }
  return 0;
}
