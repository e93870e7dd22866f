#include "gen_command.h"

#include <iostream>
#include <memory>
#include <set>
#include <rapidcheck.h>

#include "exit_codes.h"
#include "generators/scenario_gen.h"
#include "routecheck/document.h"
#include "routecheck/input_error.h"
#include "transforms.h"

namespace routecheck {
namespace {

struct GenArgs {
  std::uint64_t seed = 0;
  int count = 0;
  std::string config, profile, transform;
  bool live_safe = false;
};

int run(const GenArgs& args) {
  generators::GenOptions options;
  if (!args.profile.empty()) options.profile = parse_profile(args.profile);
  options.live_safe = args.live_safe;
  if (!args.config.empty()) {
    options.config = load_document(args.config);
    parse_config(*options.config, options.profile, args.config);  // names the file and field if invalid
  }
  static const std::set<std::string> relations = {"MP-1", "MP-2", "MP-3", "MP-4", "MP-5"};
  if (!args.transform.empty() && !relations.count(args.transform)) {
    throw InputError("--transform", "", "unknown relation '" + args.transform + "' (known: MP-1, MP-2, MP-3, MP-4, MP-5)");
  }
  std::ios::sync_with_stdio(false);
  rc::Gen<generators::ScenarioDoc> gen = generators::genScenarioDoc(options);
  rc::Random random(args.seed);
  int emitted = 0, drawn = 0, without_twin = 0;
  const int max_draws = std::max(100, args.count * 50);
  while (emitted < args.count && drawn < max_draws) {
    int size = 25 + (drawn * 37) % 76;  // sizes 25..100, as RapidCheck grows them
    rc::Random r = random.split();
    nlohmann::json doc = gen(r, size).value().doc;
    doc["id"] = "gen-" + std::to_string(args.seed) + "-" + std::to_string(drawn);
    ++drawn;
    std::optional<nlohmann::json> twin;
    if (!args.transform.empty()) {
      twin = properties::make_twin(doc, args.transform);
      if (!twin) {
        ++without_twin;
        continue;
      }
    }
    std::cout << doc.dump() << "\n";
    if (twin) std::cout << twin->dump() << "\n";
    ++emitted;
  }
  std::cout << std::flush;
  if (without_twin)
    std::cerr << "routecheck gen: " << without_twin << " of " << drawn << " drawn scenarios have no " << args.transform
              << " twin and were skipped\n";
  if (emitted < args.count) {
    std::cerr << "routecheck gen: only " << emitted << " of " << args.count << " scenarios have a " << args.transform
              << " twin after " << drawn << " draws\n";
    return exit_code::kCheckFailed;
  }
  return exit_code::kOk;
}

}  // namespace

std::function<int()> add_gen_command(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  CLI::App* cmd = app.add_subcommand("gen", "Generate scenarios (JSON lines) from the property generators");
  cmd->add_option("--seed", args->seed, "Random seed; the same seed gives the same scenarios")->required();
  cmd->add_option("--count", args->count, "Number of scenarios (pairs with --transform)")->required()->check(CLI::NonNegativeNumber);
  cmd->add_option("--config", args->config, "A fixed config (YAML or JSON): only requests and faults vary");
  cmd->add_option("--profile", args->profile, "litellm-1.82 (default) or litellm-latest");
  cmd->add_flag("--live-safe", args->live_safe, "Only scenarios a live proxy can run quickly (CONTRACT.md §9)");
  cmd->add_option("--transform", args->transform,
                  "MP-1..MP-5: follow each scenario by its metamorphic twin (twin_of, relation, id <id>~MP-k)");
  return [args] { return run(*args); };
}

}  // namespace routecheck
