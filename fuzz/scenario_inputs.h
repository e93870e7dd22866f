#pragma once
/// Oracle inputs read as the CLI reads a scenario. One rule for the fuzz target, the corpus export
/// (export_scenarios.cc) and the codec check (codec_check.cc): a scenario counts when parse_scenario
/// accepts it and check_request_against does too, as `routecheck oracle --scenario` checks it (a body
/// fallback naming an unknown group, ...).
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "routecheck/scenario.h"

namespace routecheck::fuzz {

/// parse_scenario, then check_request_against; InputError (naming `file`) when either refuses.
Scenario routable_scenario(const nlohmann::json& doc, const std::string& file);
/// The same into a scenario the caller keeps from input to input (the fuzz target's loop): the
/// document is moved in, not copied (parse_scenario_into). On InputError `s` is unspecified.
void routable_scenario_into(Scenario& s, nlohmann::json&& doc, const std::string& file);

/// Each FILE, and each regular file of each DIR (sorted by name), read as an oracle input
/// (oracle_input_document: JSON if it starts with '{', else compact); with `json_files_only`, only
/// files named *.json. Calls `use(file, document, scenario)` for every routable scenario and returns
/// how many files were skipped: not one, or `use` threw InputError.
std::size_t for_each_routable_scenario(
    const std::vector<std::string>& paths, bool json_files_only,
    const std::function<void(const std::filesystem::path&, const nlohmann::json&, const Scenario&)>& use);

}  // namespace routecheck::fuzz
