#pragma once
/// A refused argument as a value, for callers that meet many of them (the fuzz targets): what the
/// non-throwing parsers (read_outcome, read_fault_arg, read_header_arg) return where the throwing ones
/// (parse_outcome, add_fault_arg, parse_header_arg) throw; those build their InputError, with the full
/// message, from it.
#include <cstddef>
#include <string_view>

namespace routecheck {

struct ParseFailure {
  const char* reason = "";  // static text, part of the error message: "unknown outcome"
  std::string_view part;    // the piece of the parsed text it is about (a view into that text)
  std::size_t item = 0;     // in a list (`--fault ID=A,B`), the 0-based element it is about
};

}  // namespace routecheck
