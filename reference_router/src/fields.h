#pragma once
// Typed reads of JSON fields with errors that name the file, the field, the value and its type.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "routecheck/input_error.h"

namespace routecheck::fields {

using nlohmann::json;

/// Python's name for a JSON value's type, as users of LiteLLM know them: str, int, float, bool, list, dict, null.
std::string type_name(const json& v);
/// A short rendering of a value for messages: 'prod', 3, [...], {...}.
std::string show(const json& v);

/// Where a field lives: the file and its JSON pointer.
struct At {
  const std::string& file;
  std::string pointer;
  At operator/(const std::string& key) const;
  At operator/(std::size_t index) const;
  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void expected(const std::string& what, const json& got) const;
};

const json& require_object(const json& v, const At& at);
const json& require_array(const json& v, const At& at);
std::string require_string(const json& v, const At& at, bool non_empty = false);
bool require_bool(const json& v, const At& at);
int require_int(const json& v, const At& at, int min, int max);
double require_number(const json& v, const At& at, double min, double max);
std::vector<std::string> require_string_list(const json& v, const At& at);

/// Field `key` of the object at `parent`. Read through it, a field's path is spelled out only when an
/// error names it: a config is read once per scenario line in batch mode, and nearly every field is
/// fine. Use it within one expression (it refers to `parent`).
struct Field {
  const At& parent;
  const char* key;
  At at() const { return parent / key; }
};

/// The value of `key` in `object`, or null when it is absent or null.
const json* present(const json& object, const char* key);

// The same checks and messages as the At forms above.
std::string require_string(const json& v, const Field& f, bool non_empty = false);
bool require_bool(const json& v, const Field& f);
int require_int(const json& v, const Field& f, int min, int max);
double require_number(const json& v, const Field& f, double min, double max);
std::vector<std::string> require_string_list(const json& v, const Field& f);

/// Lists keys of `object` that are not in `known` into `ignored` as dotted paths.
void note_unknown_keys(const json& object, const At& at, const std::set<std::string>& known,
                       std::vector<std::string>& ignored);

}  // namespace routecheck::fields
