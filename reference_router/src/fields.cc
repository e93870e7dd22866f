#include "fields.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace routecheck::fields {

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::string: return "str";
    case json::value_t::boolean: return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "int";
    case json::value_t::number_float: return "float";
    case json::value_t::array: return "list";
    case json::value_t::object: return "dict";
    case json::value_t::null: return "null";
    default: return "value";
  }
}

std::string show(const json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return "'" + s + "'";
  }
  if (v.is_array()) return v.empty() ? "[]" : "[...]";
  if (v.is_object()) return v.empty() ? "{}" : "{...}";
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

At At::operator/(const std::string& key) const {
  std::string p;
  p.reserve(pointer.size() + 1 + key.size());
  p += pointer;
  p += '/';
  if (key.find_first_of("~/") == std::string::npos) {
    p += key;  // the usual key: nothing to escape
  } else {
    for (char c : key) {
      if (c == '~') p += "~0";
      else if (c == '/') p += "~1";
      else p += c;
    }
  }
  return At{file, std::move(p)};
}

At At::operator/(std::size_t index) const {
  std::string p;
  p.reserve(pointer.size() + 8);
  p += pointer;
  p += '/';
  p += std::to_string(index);
  return At{file, std::move(p)};
}

void At::fail(const std::string& message) const { throw InputError(file, pointer, message); }

void At::expected(const std::string& what, const json& got) const {
  fail("expected " + what + ", got " + show(got) + " (" + type_name(got) + ")");
}

const json& require_object(const json& v, const At& at) {
  if (!v.is_object()) at.expected("a mapping", v);
  return v;
}

const json& require_array(const json& v, const At& at) {
  if (!v.is_array()) at.expected("a list", v);
  return v;
}

std::string require_string(const json& v, const At& at, bool non_empty) {
  if (!v.is_string()) at.expected(non_empty ? "a non-empty string" : "a string", v);
  std::string s = v.get<std::string>();
  if (non_empty && s.empty()) at.expected("a non-empty string", v);
  return s;
}

bool require_bool(const json& v, const At& at) {
  if (!v.is_boolean()) at.expected("true or false", v);
  return v.get<bool>();
}

int require_int(const json& v, const At& at, int min, int max) {
  auto range = [&] { return "an integer from " + std::to_string(min) + " to " + std::to_string(max); };
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) at.expected(range(), v);
    return static_cast<int>(v.get<std::uint64_t>());
  }
  if (v.is_number_integer()) {
    std::int64_t x = v.get<std::int64_t>();
    if (x < min || x > max) at.expected(range(), v);
    return static_cast<int>(x);
  }
  if (v.is_number_float()) {
    double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && x >= min && x <= max) return static_cast<int>(x);
  }
  at.expected(range(), v);
}

double require_number(const json& v, const At& at, double min, double max) {
  if (!v.is_number()) at.expected("a number", v);
  double x = v.get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    std::ostringstream range;
    range << "a number from " << min << " to " << max;
    at.expected(range.str(), v);
  }
  return x;
}

std::vector<std::string> require_string_list(const json& v, const At& at) {
  if (!v.is_array()) at.expected("a list of strings", v);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) (at / i).expected("a string", v[i]);
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

const json* present(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// Each Field form accepts what is certainly valid and leaves everything else, errors included, to the
// At form, which then names the field.
std::string require_string(const json& v, const Field& f, bool non_empty) {
  if (v.is_string() && !(non_empty && v.get_ref<const std::string&>().empty())) return v.get<std::string>();
  return require_string(v, f.at(), non_empty);
}

bool require_bool(const json& v, const Field& f) {
  if (v.is_boolean()) return v.get<bool>();
  return require_bool(v, f.at());
}

int require_int(const json& v, const Field& f, int min, int max) {
  if (v.is_number_integer()) {
    std::int64_t x = v.get<std::int64_t>();
    if (x >= min && x <= max) return static_cast<int>(x);
  }
  return require_int(v, f.at(), min, max);
}

double require_number(const json& v, const Field& f, double min, double max) {
  if (v.is_number()) {
    double x = v.get<double>();
    if (std::isfinite(x) && x >= min && x <= max) return x;
  }
  return require_number(v, f.at(), min, max);
}

std::vector<std::string> require_string_list(const json& v, const Field& f) {
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); })) {
    std::vector<std::string> out;
    out.reserve(v.size());
    for (const json& e : v) out.push_back(e.get<std::string>());
    return out;
  }
  return require_string_list(v, f.at());
}

void note_unknown_keys(const json& object, const At& at, const std::set<std::string>& known,
                       std::vector<std::string>& ignored) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (!known.count(it.key())) ignored.push_back(dotted_path((at / it.key()).pointer));
}

}  // namespace routecheck::fields
