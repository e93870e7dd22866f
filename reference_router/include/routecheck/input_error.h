#pragma once
/// Errors in what a user fed us: a config, a scenario, a request, a CLI argument.
#include <stdexcept>
#include <string>

namespace routecheck {

/// A bad input: names the file, the field (a JSON pointer) and what is wrong. Exit code 2.
class InputError : public std::runtime_error {
 public:
  enum class Kind { Input, Unsupported };
  InputError(std::string file, std::string pointer, std::string message, Kind kind = Kind::Input);

  const std::string& file() const { return file_; }
  /// JSON pointer of the offending field, e.g. "/model_list/2/litellm_params/tags"; "" for the whole file.
  const std::string& pointer() const { return pointer_; }
  const std::string& message() const { return message_; }
  Kind kind() const { return kind_; }
  /// A copy of this error attributed to another file and with `prefix` put before the pointer.
  InputError relocated(const std::string& file, const std::string& prefix) const;

 private:
  std::string file_, pointer_, message_;
  Kind kind_;
};

/// "/model_list/2/litellm_params/tags" -> "model_list[2].litellm_params.tags".
std::string dotted_path(const std::string& json_pointer);

}  // namespace routecheck
