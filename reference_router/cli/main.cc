// routecheck: the reference router's command line. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "exit_codes.h"
#include "gen_command.h"
#include "lint_command.h"
#include "oracle_command.h"
#include "routecheck/input_error.h"

int main(int argc, char** argv) {
  using namespace routecheck;
  CLI::App app{"routecheck — a reference router and conformance oracle for LiteLLM proxy routing"};
  app.require_subcommand(1);
  // Each subcommand registers itself and returns the function that runs it.
  const std::vector<std::pair<std::string, std::function<int()>>> commands = {
      {"oracle", add_oracle_command(app)},
      {"lint", add_lint_command(app)},
      {"gen", add_gen_command(app)},
  };
  // CLI11 reports a mistyped command only as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto& entry : commands) known = known || entry.first == argv[1];
    if (!known) {
      std::cerr << "routecheck: unknown command '" << argv[1] << "' (commands:";
      for (const auto& entry : commands) std::cerr << ' ' << entry.first;
      std::cerr << ")\nRun 'routecheck --help' for usage.\n";
      return exit_code::kInputError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "routecheck: " << e.what() << "\nRun 'routecheck --help' for usage.\n";
    return exit_code::kInputError;
  }
  try {
    for (const auto& [name, run] : commands)
      if (app.got_subcommand(name)) return run();
  } catch (const InputError& e) {
    std::cerr << "routecheck: " << e.what() << "\n";
    return exit_code::kInputError;
  } catch (const std::exception& e) {
    std::cerr << "routecheck: internal error: " << e.what() << "\n";
    return 70;  // EX_SOFTWARE: a bug in routecheck, never a verdict
  }
  return exit_code::kInputError;
}
