#include "routecheck/document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

#include "routecheck/input_error.h"

namespace routecheck {
namespace {

using nlohmann::json;

bool valid_utf8(const std::string& s) {
  // Strict: no overlong forms, no surrogates, nothing above U+10FFFF (lead bytes C0, C1, F5-FF refused).
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int extra;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) extra = 0;
    else if (c >= 0xC2 && c <= 0xDF) extra = 1;
    else if (c >= 0xE0 && c <= 0xEF) extra = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) extra = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return false;
    if (i + extra >= s.size() + (extra == 0)) return false;
    for (int k = 1; k <= extra; ++k) {
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Parser messages may quote the offending bytes; keep them valid UTF-8 so they can travel in JSON (--jsonl).
std::string printable(const std::string& message) {
  if (valid_utf8(message)) return message;
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : message) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

// The deepest nesting of [ and { outside strings. A parser reads strings the same way up to its first
// error, so it never nests deeper than this before failing.
int bracket_depth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      depth = depth > 0 ? depth - 1 : 0;
    }
  }
  return deepest;
}

// YAML 1.2 core-schema typing of a plain scalar; quoted scalars are always strings.
// Plain scalars are typed as PyYAML (YAML 1.1) types them, because LiteLLM reads its config with
// yaml.safe_load: yes/no/on/off are booleans, 010 is octal, 1e5 (no dot) stays a string.
json typed_scalar(const YAML::Node& node) {
  static const std::regex kNull("~|null|Null|NULL|");
  static const std::regex kTrue("yes|Yes|YES|true|True|TRUE|on|On|ON");
  static const std::regex kFalse("no|No|NO|false|False|FALSE|off|Off|OFF");
  static const std::regex kDecimal("[-+]?(0|[1-9][0-9_]*)");
  static const std::regex kOctal("[-+]?0[0-7_]+");
  static const std::regex kHex("[-+]?0x[0-9a-fA-F_]+");
  static const std::regex kBinary("[-+]?0b[01_]+");
  static const std::regex kFloat("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?");
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (std::regex_match(text, kNull)) return nullptr;
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;
  auto integer = [&](int base, std::size_t skip) -> json {
    std::string digits;
    bool negative = text[0] == '-';
    std::size_t start = (text[0] == '-' || text[0] == '+') ? 1 : 0;
    for (std::size_t k = start + skip; k < text.size(); ++k)
      if (text[k] != '_') digits += text[k];
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(digits.c_str(), &end, base);
    if (errno == ERANGE || *end != '\0') {
      double big = std::strtod(digits.c_str(), nullptr);  // out of range: keep the magnitude for the field check
      return negative ? -big : big;
    }
    return negative ? -value : value;
  };
  if (std::regex_match(text, kDecimal)) return integer(10, 0);
  if (std::regex_match(text, kOctal)) return integer(8, 1);
  if (std::regex_match(text, kHex)) return integer(16, 2);
  if (std::regex_match(text, kBinary)) return integer(2, 2);
  if (text.find_first_of("0123456789") != std::string::npos && std::regex_match(text, kFloat)) {
    std::string digits;
    for (char c : text)
      if (c != '_') digits += c;
    double value = std::strtod(digits.c_str(), nullptr);
    return std::isfinite(value) ? json(value) : json(text);
  }
  return text;
}

struct YamlConverter {
  const std::string& file;
  const DocumentLimits& limits;
  std::size_t nodes = 0;

  json convert(const YAML::Node& node, int depth, const std::string& pointer) {
    if (++nodes > limits.max_nodes)
      throw InputError(file, pointer, "document too large: more than " + std::to_string(limits.max_nodes) +
                                          " nodes after alias expansion (alias bomb?)");
    if (depth > limits.max_depth)
      throw InputError(file, pointer, "nested deeper than " + std::to_string(limits.max_depth) + " levels");
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Scalar:
        if (!valid_utf8(node.Scalar())) throw InputError(file, pointer, "text is not valid UTF-8");
        return typed_scalar(node);
      case YAML::NodeType::Sequence: {
        json out = json::array();
        std::size_t i = 0;
        for (const auto& child : node) out.push_back(convert(child, depth + 1, pointer + "/" + std::to_string(i++)));
        return out;
      }
      case YAML::NodeType::Map: {
        json out = json::object();
        json merged = json::object();  // YAML 1.1 merge keys (`<<: *anchor`), which PyYAML honours
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) throw InputError(file, pointer, "mapping keys must be plain strings");
          const std::string& key = kv.first.Scalar();
          if (!valid_utf8(key)) throw InputError(file, pointer, "a key is not valid UTF-8");
          if (key == "<<" && kv.first.Tag() != "!") {
            json value = convert(kv.second, depth + 1, pointer + "/<<");
            json sources = value.is_array() ? value : json::array({value});
            for (const json& source : sources) {
              if (!source.is_object()) throw InputError(file, pointer + "/<<", "a merge key (<<) needs a mapping or a list of mappings");
              for (auto it = source.begin(); it != source.end(); ++it)
                if (!merged.contains(it.key())) merged[it.key()] = it.value();  // earlier sources win
            }
            continue;
          }
          if (out.contains(key)) throw InputError(file, pointer + "/" + key, "duplicate key '" + key + "'");
          out[key] = convert(kv.second, depth + 1, pointer + "/" + key);
        }
        for (auto it = merged.begin(); it != merged.end(); ++it)
          if (!out.contains(it.key())) out[it.key()] = it.value();  // explicit keys win over merged ones
        return out;
      }
    }
    return nullptr;
  }
};

}  // namespace

json parse_document(const std::string& text, const std::string& file, bool yaml, const DocumentLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw InputError(file, "", "file too large: " + std::to_string(text.size()) + " bytes (limit " +
                                   std::to_string(limits.max_bytes) + ")");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError(file, "", "the file is empty");
  if (!yaml) {
    // Most documents are shallow: then the plain parser, without a per-event callback, gives the same
    // value and the same errors. A document whose brackets nest deep enough to matter takes the guarded
    // parser below, which reports depth or syntax, whichever it meets first.
    if (bracket_depth(text) < limits.max_depth) {
      try {
        return json::parse(text, nullptr, true, false);
      } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers such as 1e999
        std::string what = e.what();
        auto pos = what.find("] ");
        throw InputError(file, "", "invalid JSON: " + printable(pos == std::string::npos ? what : what.substr(pos + 2)));
      }
    }
    int depth = 0;
    bool too_deep = false;
    auto guard = [&](int d, json::parse_event_t event, json&) {
      if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
        depth = d;
        if (d >= limits.max_depth) too_deep = true;
      }
      return !too_deep;
    };
    try {
      json out = json::parse(text, guard, true, false);
      if (too_deep) throw InputError(file, "", "nested deeper than " + std::to_string(limits.max_depth) + " levels");
      return out;
    } catch (const json::exception& e) {
      if (too_deep) throw InputError(file, "", "nested deeper than " + std::to_string(limits.max_depth) + " levels");
      std::string what = e.what();
      auto pos = what.find("] ");
      throw InputError(file, "", "invalid JSON: " + printable(pos == std::string::npos ? what : what.substr(pos + 2)));
    }
  }
  if (!valid_utf8(text)) throw InputError(file, "", "text is not valid UTF-8");
  // yaml-cpp recurses per nesting level while parsing; bound flow nesting before handing it the text.
  int flow = 0;
  bool line_start = true;
  for (const char& c : text) {
    // yaml-cpp 0.7 also runs away on a line that starts with ',' outside any flow collection.
    if (flow == 0 && line_start && c == ',')
      throw InputError(file, "", "invalid YAML: a line starts with ',' outside a flow collection");
    if (c == '\n') line_start = true;
    else if (c != ' ' && c != '\t') line_start = false;
    if (c == '[' || c == '{') {
      if (++flow > limits.max_depth)
        throw InputError(file, "", "nested deeper than " + std::to_string(limits.max_depth) + " levels");
    } else if (c == ']' || c == '}') {
      flow = flow > 0 ? flow - 1 : 0;
      // yaml-cpp 0.7 runs away on a comma after a closed top-level flow collection ('{""},'): it is
      // invalid YAML, so refuse it before yaml-cpp sees it (fuzz regression).
      std::size_t next = text.find_first_not_of(" \t", static_cast<std::size_t>(&c - text.data()) + 1);
      if (flow == 0 && next != std::string::npos && text[next] == ',')
        throw InputError(file, "", "invalid YAML: ',' after a closed flow collection at the top level");
    }
  }
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (docs.empty()) throw InputError(file, "", "the file is empty");
    if (docs.size() > 1) throw InputError(file, "", "expected one YAML document, found " + std::to_string(docs.size()));
    YamlConverter converter{file, limits};
    return converter.convert(docs.front(), 0, "");
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own depth guard (block nesting); its message reads "bad file".
    throw InputError(file, "", "nested deeper than " + std::to_string(limits.max_depth) + " levels (line " +
                                   std::to_string(e.mark.line + 1) + ")");
  } catch (const YAML::Exception& e) {
    throw InputError(file, "", "invalid YAML: " + printable(e.what()));
  }
}

namespace {

// Reads at most `max_bytes` (then stops: /dev/zero or a 10 GB file must not exhaust memory or hang).
std::string read_capped(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "", "cannot read the file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot read the file");
  std::string out;
  char chunk[1 << 16];
  while (in) {
    in.read(chunk, sizeof chunk);
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes)
      throw InputError(path, "", "file too large: more than " + std::to_string(max_bytes) + " bytes");
  }
  if (in.bad()) throw InputError(path, "", "cannot read the file");
  return out;
}

}  // namespace

std::string read_file(const std::string& path) { return read_capped(path, DocumentLimits{}.max_bytes); }

json load_document(const std::string& path, const DocumentLimits& limits) {
  bool is_json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return parse_document(read_capped(path, limits.max_bytes), path, !is_json, limits);
}

}  // namespace routecheck
