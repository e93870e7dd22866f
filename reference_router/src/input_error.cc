#include "routecheck/input_error.h"

namespace routecheck {

static std::string render(const std::string& file, const std::string& pointer, const std::string& message) {
  std::string out = file;
  if (!pointer.empty()) out += ": " + dotted_path(pointer);
  return out + ": " + message;
}

InputError::InputError(std::string file, std::string pointer, std::string message, Kind kind)
    : std::runtime_error(render(file, pointer, message)),
      file_(std::move(file)),
      pointer_(std::move(pointer)),
      message_(std::move(message)),
      kind_(kind) {}

InputError InputError::relocated(const std::string& file, const std::string& prefix) const {
  return InputError(file, prefix + pointer_, message_, kind_);
}

std::string dotted_path(const std::string& json_pointer) {
  std::string out;
  std::size_t i = 0;
  while (i < json_pointer.size()) {
    std::size_t next = json_pointer.find('/', i + 1);
    std::string token = json_pointer.substr(i + 1, next == std::string::npos ? std::string::npos : next - i - 1);
    // Undo the pointer escapes (~1 is '/', ~0 is '~').
    std::string unescaped;
    for (std::size_t k = 0; k < token.size(); ++k) {
      if (token[k] == '~' && k + 1 < token.size()) {
        unescaped += token[k + 1] == '1' ? '/' : '~';
        ++k;
      } else {
        unescaped += token[k];
      }
    }
    bool index = !unescaped.empty() && unescaped.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      out += "[" + unescaped + "]";
    } else {
      if (!out.empty()) out += ".";
      out += unescaped;
    }
    if (next == std::string::npos) break;
    i = next;
  }
  return out;
}

}  // namespace routecheck
