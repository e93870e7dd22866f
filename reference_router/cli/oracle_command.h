#pragma once
// `routecheck oracle`: the reference router's answer for a scenario, a flag-built request, or a JSONL stream.
#include <CLI/CLI.hpp>

namespace routecheck {

/// Registers the subcommand on `app`; the returned function runs it and gives the exit code.
std::function<int()> add_oracle_command(CLI::App& app);

}  // namespace routecheck
