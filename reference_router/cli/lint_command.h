#pragma once
// `routecheck lint`: static findings about a config, each error backed by a witness scenario.
#include <CLI/CLI.hpp>

namespace routecheck {

std::function<int()> add_lint_command(CLI::App& app);

}  // namespace routecheck
