#pragma once
// Exit codes of every routecheck command (CONTRACT.md §6), declared once.
namespace routecheck::exit_code {
constexpr int kOk = 0;            // ok / all PASS
constexpr int kCheckFailed = 1;   // oracle: the scenario's `expected` is not matched; lint: an error finding
constexpr int kInputError = 2;    // usage or input error; the message names the file and the field
constexpr int kUnusable = 3;      // live runs only
}  // namespace routecheck::exit_code
