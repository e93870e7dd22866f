// oracle_stage_times FILE|DIR... [--rounds N]: where an oracle_fuzz input's time goes. Replays the
// inputs (compact or scenario JSON, as the fuzz target reads them) through the target's four stages —
// decode to a scenario document, validate into a Scenario, route() as the properties see it, the checks —
// and prints the median time and the heap allocations per input of each stage, with the ceiling they
// put on exec/s. Built in every tree: the clang ASan+UBSan tree shows what the fuzzer pays, the g++ tree
// what the code itself costs. A benchmark that prints figures, not a test.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "input_files.h"
#include "oracle_checks.h"
#include "routecheck/document.h"
#include "routecheck/input_error.h"
#include "scenario_codec.h"
#include "scenario_inputs.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROUTECHECK_STAGE_ASAN 1
#endif
#endif

namespace {

std::size_t allocations = 0;

}  // namespace

#ifdef ROUTECHECK_STAGE_ASAN
#include <sanitizer/allocator_interface.h>
namespace {
void count_malloc(const volatile void*, size_t) { ++allocations; }
void ignore_free(const volatile void*) {}
void start_counting() { __sanitizer_install_malloc_and_free_hooks(count_malloc, ignore_free); }
constexpr const char* kBuild = "ASan+UBSan (allocations: every malloc)";
}  // namespace
#else
// Without ASan, count through the replaceable operator new (C++ allocations; malloc in C code is not seen).
void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
namespace {
void start_counting() {}
constexpr const char* kBuild = "no sanitizer (allocations: operator new)";
}  // namespace
#endif

namespace {

using namespace routecheck;
using Clock = std::chrono::steady_clock;

constexpr int kUsage = 2;

enum Stage { kDecode, kValidate, kRoute, kCheck, kStages };
const char* const kStageNames[kStages] = {"decode", "validate", "route", "checks"};
const char* const kStageWhat[kStages] = {
    "oracle_input_document: bytes to a scenario document",
    "routable_scenario_into: parse_scenario + check_request_against",
    "route() as the properties see it (trace on, alternatives off)",
    "the full-answer route() and the eight property predicates",
};

struct Round {
  double seconds[kStages] = {};
  std::size_t allocs[kStages] = {};
  std::size_t routed = 0;  // inputs that reached the checks
};

using Inputs = std::vector<std::string>;

Inputs read_inputs(const std::vector<std::string>& args) {
  Inputs in;
  for (const std::string& arg : args) {
    if (!std::filesystem::exists(arg)) {
      std::fprintf(stderr, "oracle_stage_times: no such file or directory: %s\n", arg.c_str());
      std::exit(kUsage);
    }
    for (const auto& f : fuzz::input_files(arg)) {
      try {
        in.push_back(read_file(f.string()));
      } catch (const InputError& e) {  // unreadable, or past the documents' size cap
        std::fprintf(stderr, "oracle_stage_times: %s\n", e.what());
        std::exit(kUsage);
      }
    }
  }
  return in;
}

// One pass over every input, as LLVMFuzzerTestOneInput runs it, timing and counting each stage.
Round run_round(const Inputs& in, const fuzz::OracleChecks& checks) {
  Round r;
  Scenario scenario;
  auto timed = [&r](Stage s, auto&& step) {
    std::size_t before = allocations;
    auto t0 = Clock::now();
    step();
    r.seconds[s] += std::chrono::duration<double>(Clock::now() - t0).count();
    r.allocs[s] += allocations - before;
  };
  for (const std::string& bytes : in) {
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    nlohmann::json doc;
    bool ok = true;
    timed(kDecode, [&] {
      try {
        doc = fuzz::oracle_input_document(data, bytes.size());
      } catch (const InputError&) {
        ok = false;
      }
    });
    if (!ok) continue;
    timed(kValidate, [&] {
      try {
        fuzz::routable_scenario_into(scenario, std::move(doc), "oracle-input");
      } catch (const InputError&) {
        ok = false;
        scenario = Scenario{};
      }
    });
    if (!ok) continue;
    RouteResult result;
    timed(kRoute, [&] { result = checks.route(scenario); });
    if (result.truncated) continue;
    ++r.routed;
    timed(kCheck, [&] { checks.check(scenario, result); });
  }
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> paths;
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      if (rounds < 1 || rounds > 1000) {
        std::fprintf(stderr, "oracle_stage_times: --rounds: expected 1 to 1000, got '%s'\n", argv[i]);
        return kUsage;
      }
    } else if (a == "-h" || a == "--help" || a[0] == '-') {
      std::fprintf(stderr, "usage: %s FILE|DIR... [--rounds N]  (times each stage of oracle_fuzz over the inputs)\n", argv[0]);
      return a[0] == '-' && a != "-h" && a != "--help" ? kUsage : 0;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s FILE|DIR... [--rounds N]\n", argv[0]);
    return kUsage;
  }
  Inputs in = read_inputs(paths);
  if (in.empty()) {
    std::fprintf(stderr, "oracle_stage_times: no inputs in %s\n", paths.front().c_str());
    return kUsage;
  }
  const fuzz::OracleChecks& checks = fuzz::OracleChecks::from_environment("oracle_stage_times");
  start_counting();
  run_round(in, checks);  // warm-up: caches, the properties' statics, the allocator's free lists
  std::vector<Round> results;
  for (int i = 0; i < rounds; ++i) results.push_back(run_round(in, checks));

  const double n = static_cast<double>(in.size());
  std::printf("oracle_stage_times: %zu inputs (%zu routed and checked), %d rounds, %s\n", in.size(), results.front().routed,
              rounds, kBuild);
  std::printf("%-9s %12s %7s %18s  %s\n", "stage", "us/input", "share", "allocations/input", "what");
  double per_stage[kStages], total = 0;
  for (int s = 0; s < kStages; ++s) {
    std::vector<double> v;
    for (const Round& r : results) v.push_back(r.seconds[s]);
    per_stage[s] = median(v) / n * 1e6;
    total += per_stage[s];
  }
  std::size_t allocs_total = 0;
  for (int s = 0; s < kStages; ++s) {
    std::size_t a = results.front().allocs[s];
    allocs_total += a;
    std::printf("%-9s %12.1f %6.0f%% %18.0f  %s\n", kStageNames[s], per_stage[s], 100 * per_stage[s] / total,
                static_cast<double>(a) / n, kStageWhat[s]);
  }
  std::printf("%-9s %12.1f %6s %18.0f\n", "total", total, "100%", static_cast<double>(allocs_total) / n);
  std::printf("ceiling: %.0f inputs/s from these stages alone; %.0f/s if decode and validate cost nothing "
              "(libFuzzer's own work not included)\n",
              1e6 / total, 1e6 / (per_stage[kRoute] + per_stage[kCheck]));
  return 0;
}
