#pragma once
/// The one shape of every routecheck fuzz target (STYLE.md 7): set up once; reject early with a logged
/// reason; catch only the documented rejection (InputError); anything else — an exception, a sanitizer
/// report, a violated property — aborts, naming what broke and printing the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routecheck/input_error.h"

extern "C" {
int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
int LLVMFuzzerInitialize(int* argc, char*** argv);
}

namespace routecheck::fuzz {

/// Why inputs were not used, counted per reason; printed at exit so a target that discards most of
/// what it is fed says so with numbers (STYLE.md 9).
class Rejections {
 public:
  explicit Rejections(const char* target) : target_(target) {}
  ~Rejections() { report(); }

  /// Counts one rejected input (and logs it when ROUTECHECK_FUZZ_VERBOSE=1). Returns 0 for libFuzzer.
  int reject(std::string_view reason) {
    count(reason);
    if (verbose()) std::fprintf(stderr, "%s: rejected: %.*s\n", target_, static_cast<int>(reason.size()), reason.data());
    return 0;
  }
  /// The same for a string literal, counted by its address: no string compare per call (a compare
  /// would also go through libFuzzer's memcmp hook and feed the reason's text to the mutator).
  template <std::size_t N>
  int reject(const char (&literal)[N]) {
    auto it = std::find_if(by_literal_.begin(), by_literal_.end(), [&](const auto& e) { return e.first == literal; });
    if (it == by_literal_.end()) it = by_literal_.insert(by_literal_.end(), {literal, 0});
    ++it->second;
    if (verbose()) std::fprintf(stderr, "%s: rejected: %s\n", target_, literal);
    return 0;
  }
  /// The usual rejection: an InputError, counted by the top two levels of the field it names.
  int reject(const InputError& e) {
    if (verbose()) std::fprintf(stderr, "%s: rejected: %s: %s: %s\n", target_, e.file().c_str(), e.pointer().c_str(), e.message().c_str());
    count(bucket(e));
    return 0;
  }
  void accept() { ++accepted_; }

  static bool verbose() {
    static const bool on = [] {
      const char* v = std::getenv("ROUTECHECK_FUZZ_VERBOSE");
      return v && *v && std::string_view(v) != "0";
    }();
    return on;
  }

 private:
  static constexpr std::size_t kMaxReasons = 64;  // reasons can carry fuzzed text; keep the table small

  void count(std::string_view reason) {  // looked up without a copy: allocates only for a new reason
    auto it = by_reason_.find(reason);
    if (it != by_reason_.end()) ++it->second;
    else if (by_reason_.size() < kMaxReasons) by_reason_.emplace(reason, 1);
    else ++by_reason_["(other reasons)"];
  }

  // The top two levels of the field, with indices folded: "/config/model_list", "/request/body".
  static std::string bucket(const InputError& e) {
    const std::string& p = e.pointer();
    std::size_t cut = p.find('/', 1);
    if (cut != std::string::npos) cut = p.find('/', cut + 1);
    std::string where = p.substr(0, std::min<std::size_t>(cut, 40));
    for (char& c : where)
      if (c >= '0' && c <= '9') c = '#';
    return (e.kind() == InputError::Kind::Unsupported ? "unsupported " : "input error ") + (where.empty() ? "/" : where);
  }

  void report() const {
    std::map<std::string, std::size_t, std::less<>> all = by_reason_;
    for (const auto& [literal, n] : by_literal_) all[literal] += n;
    std::size_t rejected = 0;
    for (const auto& [reason, n] : all) rejected += n;
    std::size_t total = rejected + accepted_;
    if (total < 100 || std::getenv("ROUTECHECK_FUZZ_QUIET")) return;
    std::fprintf(stderr, "%s: %zu inputs, %zu used, %zu rejected (%.0f%%)\n", target_, total, accepted_, rejected,
                 100.0 * static_cast<double>(rejected) / static_cast<double>(total));
    if (rejected * 2 > total)
      std::fprintf(stderr, "%s: WARNING: most inputs were rejected before reaching the code under test; "
                           "seed from corpus/ and use the dictionary (-dict=fuzz/<target>.dict)\n", target_);
    int shown = 0;
    std::multimap<std::size_t, std::string, std::greater<>> top;
    for (const auto& [reason, n] : all) top.emplace(n, reason);
    for (const auto& [n, reason] : top) {
      if (++shown > 5) break;
      std::fprintf(stderr, "%s:   %8zu  %s\n", target_, n, reason.c_str());
    }
  }

  const char* target_;
  std::map<std::string, std::size_t, std::less<>> by_reason_;
  std::vector<std::pair<const char*, std::size_t>> by_literal_;  // reject(literal): a handful, by address
  std::size_t accepted_ = 0;
};

/// Reports a broken property and aborts: the property's name, what is wrong, the input, and one line to
/// replay it.
[[noreturn]] inline void violation(const char* target, const std::string& property, const std::string& detail,
                                   const std::string& input) {
  std::fprintf(stderr,
               "\n==== routecheck %s: property violated: %s\n%s\n---- input:\n%s\n"
               "---- replay: build-clang/fuzz/%s_replay <crash-file>  (or ROUTECHECK_MUTANT as set)\n",
               target, property.c_str(), detail.c_str(), input.c_str(), target);
  std::fflush(stderr);
  std::abort();
}

}  // namespace routecheck::fuzz
