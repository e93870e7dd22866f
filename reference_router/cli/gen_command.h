#pragma once
// `routecheck gen`: scenarios from the property generators, as JSON lines (CONTRACT.md §5).
#include <CLI/CLI.hpp>

namespace routecheck {

/// Registers the subcommand on `app`; the returned function runs it and gives the exit code.
std::function<int()> add_gen_command(CLI::App& app);

}  // namespace routecheck
