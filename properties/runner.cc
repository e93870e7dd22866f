#include "runner.h"

#include <chrono>
#include <cstdlib>
#include <rapidcheck.h>

namespace routecheck::properties {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string check_id(const std::string& property, const std::string& mutant) {
  return property + "/" + (mutant.empty() ? "unmutated" : mutant);
}

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Counts test cases and notes when the first failure was generated.
class FirstFailure : public rc::detail::TestListener {
 public:
  explicit FirstFailure(Clock::time_point start) : start_(start) {}
  void onTestCaseFinished(const rc::detail::CaseDescription& d) override {
    if (found_) return;
    ++cases_;
    if (d.result.type == rc::detail::CaseResult::Type::Failure) {
      found_ = true;
      seconds_ = since(start_);
    }
  }
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
  int cases() const { return cases_; }
  double seconds() const { return seconds_; }

 private:
  Clock::time_point start_;
  int cases_ = 0;
  bool found_ = false;
  double seconds_ = 0;
};

bool rc_params_set(const char* key) {
  const char* env = std::getenv("RC_PARAMS");
  return env && std::string(env).find(key) != std::string::npos;
}

}  // namespace

CheckReport run_property(const Property& property, const Mutant* mutant, const generators::GenOptions& options,
                         const CheckSettings& settings) {
  CheckReport report;
  report.property = property.name;
  report.mutant = mutant ? mutant->id : "";
  Oracle oracle = make_oracle(mutant);
  std::size_t evaluated = 0, applicable = 0;
  auto testable = [&] {
    generators::ScenarioDoc doc = *generators::genScenarioDoc(options);
    Scenario scenario = generators::to_scenario(doc.doc);
    PropertyResult result = evaluate(property, scenario, oracle);
    ++evaluated;
    if (result.verdict != PropertyResult::Verdict::NotApplicable) ++applicable;
    if (result.verdict == PropertyResult::Verdict::Violated) RC_FAIL(result.message);
  };

  const rc::detail::Configuration& config = rc::detail::configuration();
  rc::detail::TestParams params = config.testParams;
  if (!rc_params_set("seed=")) params.seed = settings.seed;
  if (!rc_params_set("max_success=")) params.maxSuccess = settings.max_success;
  rc::detail::TestMetadata metadata;
  metadata.id = check_id(property.name, report.mutant);
  metadata.description = property.statement;

  Clock::time_point start = Clock::now();
  FirstFailure listener(start);
  rc::detail::TestResult result =
      rc::detail::checkProperty(rc::detail::toProperty(testable), metadata, params, listener, config.reproduce);
  report.seconds = since(start);
  report.evaluated = evaluated;
  report.applicable = applicable;
  report.cases = listener.cases();
  if (result.is<rc::detail::FailureResult>()) {
    const auto& failure = result.get<rc::detail::FailureResult>();
    report.failed = true;
    // RC_FAIL prefixes "<file>:<line>:\nRC_FAIL(...)\n\n"; keep the property's own words.
    report.message = failure.description;
    const std::string marker = "RC_FAIL(result.message)";
    if (auto at = report.message.find(marker); at != std::string::npos)
      report.message = report.message.substr(report.message.find_first_not_of("\n", at + marker.size()));
    report.seconds_to_failure = listener.seconds();
    rc::detail::Configuration repro;
    repro.reproduce[metadata.id] = failure.reproduce;
    std::string params_text = rc::detail::configToMinimalString(repro);
    if (auto at = params_text.find(" seed=0"); at != std::string::npos) params_text.erase(at, 7);
    report.reproduce = "RC_PARAMS=\"" + params_text + "\"";
    for (const auto& [type, value] : failure.counterExample) {
      json doc = json::parse(value, nullptr, false);
      if (doc.is_object() && doc.contains("format")) report.counterexample = doc;
    }
  } else if (result.is<rc::detail::GaveUpResult>()) {
    report.gave_up = true;
    report.message = result.get<rc::detail::GaveUpResult>().description;
  } else if (result.is<rc::detail::Error>()) {
    report.failed = true;
    report.message = "RapidCheck error: " + result.get<rc::detail::Error>().description;
  }
  return report;
}

json to_json(const CheckReport& r) {
  return {{"property", r.property},
          {"mutant", r.mutant},
          {"failed", r.failed},
          {"gave_up", r.gave_up},
          {"cases", r.cases},
          {"seconds", r.seconds},
          {"seconds_to_failure", r.seconds_to_failure},
          {"message", r.message},
          {"reproduce", r.reproduce},
          {"counterexample", r.counterexample ? *r.counterexample : json(nullptr)},
          {"evaluated", r.evaluated},
          {"applicable", r.applicable}};
}

CheckReport report_from_json(const json& j) {
  CheckReport r;
  r.property = j.at("property");
  r.mutant = j.at("mutant");
  r.failed = j.at("failed");
  r.gave_up = j.at("gave_up");
  r.cases = j.at("cases");
  r.seconds = j.at("seconds");
  r.seconds_to_failure = j.at("seconds_to_failure");
  r.message = j.at("message");
  r.reproduce = j.at("reproduce");
  if (!j.at("counterexample").is_null()) r.counterexample = j.at("counterexample");
  r.evaluated = j.at("evaluated");
  r.applicable = j.at("applicable");
  return r;
}

}  // namespace routecheck::properties
