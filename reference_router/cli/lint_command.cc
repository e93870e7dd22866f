#include "lint_command.h"

#include <iostream>
#include <memory>

#include "exit_codes.h"
#include "routecheck/input_error.h"
#include "routecheck/lint.h"
#include "routecheck/scenario.h"

namespace routecheck {
namespace {

struct LintArgs {
  std::string config, scenario, profile;
  bool json = false;
};

int run(const LintArgs& args) {
  if (args.config.empty() == args.scenario.empty())
    throw InputError("<args>", "", "give exactly one of --config CONFIG or --scenario FILE");
  std::optional<Profile> flag;
  if (!args.profile.empty()) flag = parse_profile(args.profile);
  Config config;
  Profile profile = flag.value_or(Profile::Litellm182);
  if (!args.scenario.empty()) {
    Scenario s = load_scenario(args.scenario, flag);
    profile = s.profile;
    config = std::move(s.config);
  } else {
    config = load_config(args.config, profile);
  }
  std::vector<Finding> findings = lint_config(config, profile);
  bool error = std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Finding::Severity::Error; });
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Finding& f : findings) out.push_back(finding_to_json(f));
    std::cout << out.dump(2) << "\n";
  } else {
    std::string source = args.scenario.empty() ? args.config : args.scenario;
    for (const Finding& f : findings) {
      std::cout << source << ": " << f.path << ": " << to_string(f.severity) << " [" << f.rule << "] " << f.message << "\n";
      if (!f.workaround.empty()) std::cout << "    workaround: " << f.workaround << "\n";
      if (f.witness)
        std::cout << "    witness: save with --json and replay: routecheck oracle --scenario witness.json "
                  << "(id " << (*f.witness)["id"].get<std::string>() << ")\n";
    }
    std::size_t errors = 0, warnings = 0;
    for (const Finding& f : findings) {
      errors += f.severity == Finding::Severity::Error;
      warnings += f.severity == Finding::Severity::Warning;
    }
    std::cout << findings.size() << " finding(s): " << errors << " error(s), " << warnings << " warning(s) under "
              << to_string(profile) << "\n";
  }
  return error ? exit_code::kCheckFailed : exit_code::kOk;
}

}  // namespace

std::function<int()> add_lint_command(CLI::App& app) {
  auto args = std::make_shared<LintArgs>();
  CLI::App* cmd = app.add_subcommand("lint", "Hazards in a LiteLLM config, each error with a witness request and a verified workaround");
  cmd->add_option("--config", args->config, "A LiteLLM proxy config (YAML or JSON)");
  cmd->add_option("--scenario", args->scenario, "Lint the config of this scenario file");
  cmd->add_option("--profile", args->profile, "litellm-1.82 (default) or litellm-latest");
  cmd->add_flag("--json", args->json, "Print findings as JSON: [{severity, rule, path, message, witness, workaround}]");
  return [args] { return run(*args); };
}

}  // namespace routecheck
