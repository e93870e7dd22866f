// A main() that feeds files to a fuzz target's LLVMFuzzerTestOneInput, so every build — g++ without
// libFuzzer included — replays the corpora as plain tests. Usage: <target>_replay FILE|DIR...
// A crashing input aborts as it does under libFuzzer; exit 0 means every input was replayed cleanly.
// With --time N it replays every input N times more after one warm-up pass and prints the median time
// per input (scripts/fuzz figures: a target beside its dependency floor, fuzz/floors/, on one corpus).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "input_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

#if defined(__SANITIZE_ADDRESS__)
#define ROUTECHECK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROUTECHECK_ASAN 1
#endif
#endif

namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr unsigned kSecondsPerInput = 25;          // longer is a hang, as libFuzzer's -timeout would say

const char* current = "";

extern "C" void on_alarm(int) {
  static const char msg[] = "\n==== replay: input runs longer than the per-input limit (a hang): ";
  (void)!write(2, msg, sizeof msg - 1);
  (void)!write(2, current, std::char_traits<char>::length(current));
  (void)!write(2, "\n", 1);
  std::abort();
}

// Hangs and runaway allocations fail the replay quickly instead of stalling CI or exhausting the host.
void limit_resources() {
  std::signal(SIGALRM, on_alarm);
#ifndef ROUTECHECK_ASAN
  constexpr rlim_t kMemoryCap = rlim_t{4} << 30;  // bytes of address space; ASan reserves its own and has hard_rss_limit_mb
  rlimit cap{kMemoryCap, kMemoryCap};
  setrlimit(RLIMIT_AS, &cap);
#endif
}

// --time N: the median over N passes of the time per input, on inputs already in memory.
int time_inputs(const char* self, const std::vector<std::vector<char>>& inputs, int rounds) {
  using Clock = std::chrono::steady_clock;
  auto pass = [&] {
    auto t0 = Clock::now();
    for (const auto& bytes : inputs) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  pass();  // warm-up: statics, caches, the allocator's free lists
  std::vector<double> seconds;
  for (int i = 0; i < rounds; ++i) seconds.push_back(pass());
  std::sort(seconds.begin(), seconds.end());
  double us = seconds[seconds.size() / 2] / static_cast<double>(inputs.size()) * 1e6;
  std::printf("%s: %zu inputs, median of %d passes: %.1f us/input (at most %.0f inputs/s, the fuzzing engine's own work not included)\n",
              self, inputs.size(), rounds, us, 1e6 / us);
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s [--time N] FILE|DIR...  (replays inputs through the fuzz target; no fuzzing)\n", argv[0]);
    return kUsage;
  }
  int time_rounds = 0;
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--time") {
      time_rounds = i + 1 < argc ? std::atoi(argv[++i]) : 0;
      if (time_rounds < 1 || time_rounds > 1000) {
        std::fprintf(stderr, "%s: --time: expected a number of passes from 1 to 1000\n", argv[0]);
        return kUsage;
      }
      continue;
    }
    if (arg[0] == '-') continue;  // libFuzzer-style flags are accepted and ignored
    if (!std::filesystem::exists(arg)) {
      std::fprintf(stderr, "%s: no such file or directory: %s\n", argv[0], argv[i]);
      return kUsage;
    }
    for (auto& path : routecheck::fuzz::input_files(arg)) paths.push_back(std::move(path));
  }
  limit_resources();
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  if (time_rounds > 0) {
    std::vector<std::vector<char>> inputs;
    for (const auto& path : paths) inputs.push_back(read(path));
    if (inputs.empty()) {
      std::fprintf(stderr, "%s: --time: no inputs\n", argv[0]);
      return kUsage;
    }
    return time_inputs(argv[0], inputs, time_rounds);
  }
  std::size_t replayed = 0;
  for (const auto& path : paths) {
    std::vector<char> bytes = read(path);
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
    std::string name = path.string();
    current = name.c_str();
    alarm(kSecondsPerInput);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    alarm(0);
    ++replayed;
  }
  std::fprintf(stderr, "NOTE: replayed %zu input(s) cleanly; no fuzzing was performed\n", replayed);
  return kOk;
}
