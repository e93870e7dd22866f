#pragma once
/// Reading YAML or JSON documents into JSON values, with caps on size, depth and alias expansion.
#include <nlohmann/json.hpp>
#include <string>

namespace routecheck {

/// Limits that keep hostile documents (alias bombs, deep nesting) from exhausting the process.
struct DocumentLimits {
  std::size_t max_bytes = 16u << 20;
  std::size_t max_nodes = 200000;  // counted after alias expansion
  int max_depth = 64;
};

/// Parses `text` (JSON, or YAML when `yaml` is true) into a JSON value. Throws InputError naming `file`.
nlohmann::json parse_document(const std::string& text, const std::string& file, bool yaml,
                              const DocumentLimits& limits = {});

/// Reads and parses a file; YAML unless the name ends in ".json". Throws InputError.
nlohmann::json load_document(const std::string& path, const DocumentLimits& limits = {});

/// Reads a whole file; throws InputError naming it when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace routecheck
