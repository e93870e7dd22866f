// scenario_fuzz ↔ corpus/scenario/: a `routecheck-scenario/1` document (JSON, or YAML as
// load_scenario accepts) through parse_document and parse_scenario.
// Property (scenario-round-trip): scenario_to_json of a valid scenario is itself valid, and
// parse_scenario ∘ scenario_to_json is stable — the second trip changes nothing, and the first keeps
// every field routing reads (id, profile, options, mutant, request, principal, faults, expectations).
#include <iomanip>
#include <sstream>

#include "fuzz_target.h"
#include "routecheck/document.h"
#include "routecheck/scenario.h"

namespace {

using namespace routecheck;
using nlohmann::json;

constexpr const char* kTarget = "scenario_fuzz";
constexpr std::size_t kMaxInput = 64 * 1024;

fuzz::Rejections rejections(kTarget);

[[noreturn]] void broken(const std::string& detail, const std::string& input) {
  fuzz::violation(kTarget, "scenario-round-trip", detail, input);
}

// The fields of a scenario that routing and reporting read, printed so that two can be compared.
std::string fingerprint(const Scenario& s) {
  std::ostringstream out;
  out << std::setprecision(17) << "id=" << s.id << " profile=" << to_string(s.profile) << " mutant=" << s.mutant.value_or("-") << "\noptions:";
  for (const auto& [k, v] : s.profile_options.values) out << " " << k << "=" << v;
  out << "\nrequest: " << s.request.path << " " << s.request.body.dump() << "\nheaders:";
  for (const auto& [n, v] : s.request.headers) out << " [" << n << ": " << v << "]";
  out << "\nkey tags:";
  for (const std::string& t : s.principal.key_tags) out << " " << t;
  out << "\nteam tags:";
  for (const std::string& t : s.principal.team_tags) out << " " << t;
  out << "\nfaults:";
  for (const auto& [id, queue] : s.faults.queues) {
    out << " " << id << "=";
    for (const UpstreamOutcome& o : queue)
      out << static_cast<int>(o.kind) << "/" << o.status << "/" << (o.retry_after ? *o.retry_after : -1.0) << ",";
  }
  out << "\nexpected:";
  for (const auto& [key, x] : s.expected) {
    out << " " << key << "{";
    for (int st : x.statuses) out << st << ",";
    for (const std::string& d : x.served_by) out << d << ",";
    out << "}";
  }
  out << "\ntwin_of=" << s.twin_of.value_or("-") << " relation=" << s.relation.value_or("-");
  out << "\nconfig: " << s.config.deployments.size() << " deployments, " << s.config.groups.size() << " groups";
  return out.str();
}

Scenario parse_text(const std::string& text, const std::string& file, bool yaml) {
  return parse_scenario(parse_document(text, file, yaml), file);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return rejections.reject("input larger than 64 KiB");
  const std::string input(reinterpret_cast<const char*>(data), size);
  Scenario first;
  try {
    std::size_t start = input.find_first_not_of(" \t\r\n");
    bool yaml = start != std::string::npos && input[start] != '{';  // JSON scenarios start with '{'
    first = parse_text(input, yaml ? "scenario.yaml" : "scenario.json", yaml);
  } catch (const InputError& e) {
    return rejections.reject(e);
  }
  rejections.accept();

  const json doc = scenario_to_json(first);
  const std::string text = doc.dump();
  Scenario second;
  try {
    second = parse_text(text, "scenario.json", false);
  } catch (const InputError& e) {
    broken("scenario_to_json wrote a scenario parse_scenario rejects: " + e.pointer() + ": " + e.message() + "\n" + text,
           input);
  }
  if (fingerprint(second) != fingerprint(first))
    broken("parse_scenario(scenario_to_json(s)) differs from s:\n" + fingerprint(first) + "\n---- after:\n" + fingerprint(second),
           input);
  if (scenario_to_json(second) != doc)
    broken("the second round trip changed the document:\n" + text + "\n---- after:\n" + scenario_to_json(second).dump(), input);
  return 0;
}
