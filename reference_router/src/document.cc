#include "routecheck/document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

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

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// True when s (non-empty) is made only of characters accepted by `ok`.
template <class Pred>
bool all_of(std::string_view s, Pred ok) {
  return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}

// The numeric forms PyYAML (YAML 1.1) types, matched by hand (std::regex is slow on every scalar).
// After an optional sign: decimal 0|[1-9][0-9_]*, octal 0[0-7_]+, hex 0x[0-9a-fA-F_]+, binary 0b[01_]+,
// float ([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)? with at least one digit somewhere.
enum class Numeric { None, Decimal, Octal, Hex, Binary, Float };

Numeric numeric_form(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return Numeric::None;
  if (s == "0") return Numeric::Decimal;
  if (s[0] >= '1' && s[0] <= '9' && all_of(s.substr(1), [](char c) { return is_digit(c) || c == '_'; }))
    return Numeric::Decimal;
  if (s.size() == 1 && s[0] >= '1' && s[0] <= '9') return Numeric::Decimal;
  if (s[0] == '0' && s.size() > 1 && all_of(s.substr(1), [](char c) { return (c >= '0' && c <= '7') || c == '_'; }))
    return Numeric::Octal;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s.substr(2), [](char c) { return is_hex(c) || c == '_'; }))
    return Numeric::Hex;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'b' && all_of(s.substr(2), [](char c) { return c == '0' || c == '1' || c == '_'; }))
    return Numeric::Binary;
  // float: ([0-9][0-9_]*)? '.' [0-9_]* ([eE][-+][0-9]+)?
  if (text.find_first_of("0123456789") == std::string_view::npos) return Numeric::None;
  std::size_t i = 0;
  if (is_digit(s[0]))
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  if (i == s.size() || s[i] != '.') return Numeric::None;
  ++i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  if (i == s.size()) return Numeric::Float;
  if ((s[i] != 'e' && s[i] != 'E') || i + 2 >= s.size() || (s[i + 1] != '-' && s[i + 1] != '+')) return Numeric::None;
  return all_of(s.substr(i + 2), is_digit) ? Numeric::Float : Numeric::None;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

// The typing of a plain scalar; quoted scalars (tag "!") and !!str ones are always strings.
// Plain scalars are typed as PyYAML (YAML 1.1) types them, because LiteLLM reads its config with
// yaml.safe_load: yes/no/on/off are booleans, 010 is octal, 1e5 (no dot) stays a string.
json typed_scalar(const std::string& text, const std::string& tag) {
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return text;  // quoted, or !!str as PyYAML reads it
  if (one_of(text, {"~", "null", "Null", "NULL", ""})) return nullptr;
  if (one_of(text, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return true;
  if (one_of(text, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) return false;
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
      // Out of range: keep the magnitude for the field check, read in its own base (strtod would take
      // the hex digit 'e' of 0x10e11 for an exponent); beyond a double's range it stays text.
      double big = 0;
      for (char c : digits) big = big * base + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      if (!std::isfinite(big)) return text;
      return negative ? -big : big;
    }
    return negative ? -value : value;
  };
  switch (numeric_form(text)) {
    case Numeric::Decimal: return integer(10, 0);
    case Numeric::Octal: return integer(8, 1);
    case Numeric::Hex: return integer(16, 2);
    case Numeric::Binary: return integer(2, 2);
    case Numeric::Float: {
      std::string digits;
      for (char c : text)
        if (c != '_') digits += c;
      double value = std::strtod(digits.c_str(), nullptr);
      return std::isfinite(value) ? json(value) : json(text);
    }
    case Numeric::None: break;
  }
  return text;
}

// Builds the JSON value of one YAML document straight from yaml-cpp's parser events (no YAML::Node
// graph), applying the caps as it goes: depth and node count (aliases counted as expanded), UTF-8 of
// every scalar, plain-string keys without duplicates, YAML 1.1 merge keys (`<<`) as PyYAML reads them.
// The first problem is recorded, not thrown, so that a syntax error yaml-cpp finds later in the text
// still takes precedence (as it did when the whole stream was loaded first); error() returns it.
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(const std::string& file, const DocumentLimits& limits) : file_(file), limits_(limits) {}

  const json& root() const { return root_; }
  const std::optional<InputError>& error() const { return error_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override {
    if (!enter()) return;
    finish(Value{nullptr, 1, 0, false, "", ""}, anchor);
  }

  void OnScalar(const YAML::Mark&, const std::string& tag, YAML::anchor_t anchor, const std::string& text) override {
    if (error_) return;
    if (!frames_.empty() && frames_.back().is_map && !frames_.back().has_key) {  // a key: not counted, kept raw
      // (typed too when anchored: an alias may use it as a value later)
      finish(Value{anchor != 0 ? typed_scalar(text, tag) : json(), 1, 0, true, text, tag}, anchor);
      return;
    }
    if (!enter()) return;
    if (!valid_utf8(text)) return fail(pointer(), "text is not valid UTF-8");
    finish(Value{typed_scalar(text, tag), 1, 0, true, text, tag}, anchor);
  }

  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    if (error_) return;
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return fail(pointer(), "an alias refers to its own anchor (recursive alias)");
    const Value& target = it->second;
    if (!(frames_.empty() || !frames_.back().is_map || frames_.back().has_key)) {  // used as a key
      finish(target, 0);
      return;
    }
    nodes_ += target.nodes;
    if (nodes_ > limits_.max_nodes) return fail(pointer(), too_large());
    if (static_cast<int>(frames_.size()) + target.height > limits_.max_depth) return fail(pointer(), too_deep());
    finish(target, 0);
  }

  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(false, anchor);
  }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(true, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Value {
    json value;
    std::size_t nodes;  // as expanded: the value and everything below it, keys not counted
    int height;         // levels of nesting below it
    bool scalar;
    std::string text, tag;  // a scalar's raw text and tag (a key is read raw)
  };
  struct Frame {
    bool is_map = false;
    YAML::anchor_t anchor = 0;
    json value;
    json merged = json::object();  // YAML 1.1 merge keys (`<<: *anchor`), which PyYAML honours
    std::size_t nodes = 1;
    int height = 0;
    bool has_key = false;  // a map: the key of the next value has been read
    bool merge = false;    // ... and it is `<<`
    std::string key;       // a map: the current key; a sequence: unused
    std::size_t index = 0; // a sequence: the index of the next item
  };

  std::string too_large() const {
    return "document too large: more than " + std::to_string(limits_.max_nodes) +
           " nodes after alias expansion (alias bomb?)";
  }
  std::string too_deep() const { return "nested deeper than " + std::to_string(limits_.max_depth) + " levels"; }

  void fail(const std::string& pointer, const std::string& message) {
    if (!error_) error_.emplace(file_, pointer, message);
  }

  // The JSON pointer of the value about to be read.
  std::string pointer() const {
    std::string out;
    for (const Frame& f : frames_) out += "/" + (f.is_map ? (f.merge ? std::string("<<") : f.key) : std::to_string(f.index));
    return out;
  }
  std::string frame_pointer() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      out += "/" + (f.is_map ? (f.merge ? std::string("<<") : f.key) : std::to_string(f.index));
    }
    return out;
  }

  // A value (not a key) starts: count it and check its depth. False once a problem is recorded.
  bool enter() {
    if (error_) return false;
    if (!frames_.empty() && frames_.back().is_map && !frames_.back().has_key) {
      fail(frame_pointer(), "mapping keys must be plain strings");
      return false;
    }
    if (++nodes_ > limits_.max_nodes) {
      fail(pointer(), too_large());
      return false;
    }
    if (static_cast<int>(frames_.size()) > limits_.max_depth) {
      fail(pointer(), too_deep());
      return false;
    }
    return true;
  }

  void open(bool is_map, YAML::anchor_t anchor) {
    if (!enter()) return;
    Frame& f = frames_.emplace_back();
    f.is_map = is_map;
    f.anchor = anchor;
    f.value = is_map ? json::object() : json::array();
  }

  void close() {
    if (error_) return;
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    if (f.is_map)
      for (auto it = f.merged.begin(); it != f.merged.end(); ++it)
        if (!f.value.contains(it.key())) f.value[it.key()] = std::move(it.value());  // explicit keys win over merged ones
    finish(Value{std::move(f.value), f.nodes, f.height, false, "", ""}, f.anchor);
  }

  // A complete value (or key): remember its anchor, then hand it to the collection it belongs to.
  void finish(Value v, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = v;
    if (frames_.empty()) {
      root_ = std::move(v.value);
      return;
    }
    Frame& top = frames_.back();
    if (top.is_map && !top.has_key) {
      if (!v.scalar) return fail(frame_pointer_of_top(), "mapping keys must be plain strings");
      if (!valid_utf8(v.text)) return fail(frame_pointer_of_top(), "a key is not valid UTF-8");
      top.merge = v.text == "<<" && v.tag != "!";
      if (!top.merge && top.value.contains(v.text))
        return fail(frame_pointer_of_top() + "/" + v.text, "duplicate key '" + v.text + "'");
      top.key = std::move(v.text);
      top.has_key = true;
      return;
    }
    top.nodes += v.nodes;
    top.height = std::max(top.height, v.height + 1);
    if (!top.is_map) {
      top.value.push_back(std::move(v.value));
      ++top.index;
      return;
    }
    top.has_key = false;
    if (top.merge) {
      top.merge = false;
      json sources = v.value.is_array() ? std::move(v.value) : json::array({std::move(v.value)});
      for (json& source : sources) {
        if (!source.is_object()) return fail(frame_pointer_of_top() + "/<<", "a merge key (<<) needs a mapping or a list of mappings");
        for (auto it = source.begin(); it != source.end(); ++it)
          if (!top.merged.contains(it.key())) top.merged[it.key()] = std::move(it.value());  // earlier sources win
      }
      return;
    }
    top.value[top.key] = std::move(v.value);
  }

  std::string frame_pointer_of_top() const { return frame_pointer(); }

  const std::string& file_;
  const DocumentLimits& limits_;
  std::vector<Frame> frames_;
  std::map<YAML::anchor_t, Value> anchors_;
  std::size_t nodes_ = 0;
  json root_;
  std::optional<InputError> error_;
  YAML::Mark start_;
};

// Counts the documents after the first without building them; remembers where each starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::string where(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

// Parses the one YAML document of `text` (already checked for size, UTF-8 and flow depth).
json parse_yaml(const std::string& text, const std::string& file, const DocumentLimits& limits) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  JsonBuilder builder(file, limits);
  if (!parser.HandleNextDocument(builder)) throw InputError(file, "", "the file is empty");
  // yaml-cpp 0.7 cannot place some tokens at the top level — a ',' outside any flow collection, as in
  // `"a",` or `{x: 1},` — and then hands out empty documents forever without moving on (LoadAll never
  // returns: fuzz findings). Two documents starting at the same place mean it is stuck there.
  std::size_t documents = 1;
  YAML::Mark previous = builder.start();
  DocumentProbe probe;
  while (parser.HandleNextDocument(probe)) {
    if (probe.start.pos == previous.pos) {
      std::string what = "a token";
      if (probe.start.pos >= 0 && static_cast<std::size_t>(probe.start.pos) < text.size()) {
        char c = text[static_cast<std::size_t>(probe.start.pos)];
        if (c > ' ' && c < 0x7f) what = std::string("'") + c + "'";
      }
      throw InputError(file, "", "invalid YAML: unexpected " + what + " at " + where(probe.start) +
                                     " (outside any flow collection)");
    }
    previous = probe.start;
    ++documents;
  }
  if (documents > 1) throw InputError(file, "", "expected one YAML document, found " + std::to_string(documents));
  if (builder.error()) throw *builder.error();
  return builder.root();
}

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
  for (char c : text) {
    if (c == '[' || c == '{') {
      if (++flow > limits.max_depth)
        throw InputError(file, "", "nested deeper than " + std::to_string(limits.max_depth) + " levels");
    } else if (c == ']' || c == '}') {
      flow = flow > 0 ? flow - 1 : 0;
    }
  }
  try {
    return parse_yaml(text, file, limits);
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
