#include <algorithm>
#include <set>
#include <string_view>

#include "config_index.h"
#include "ingress.h"
#include "parsed_request.h"
#include "routecheck/input_error.h"
#include "routecheck/route.h"
#include "routecheck/route_into.h"
#include "simulation.h"

namespace routecheck {
namespace {

// Replays a recorded prefix of picks, then takes index 0 and remembers each new choice point.
class ScriptedChooser : public Chooser {
 public:
  explicit ScriptedChooser(std::vector<std::pair<int, int>>& script) : script_(script) {}
  int choose(int arity) override {
    if (position_ < script_.size()) return script_[position_++].first;
    script_.emplace_back(0, arity);
    ++position_;
    return 0;
  }

 private:
  std::vector<std::pair<int, int>>& script_;
  std::size_t position_ = 0;
};

// Advances the odometer of picks to the next unexplored branch; false when all are done.
bool next_branch(std::vector<std::pair<int, int>>& script) {
  while (!script.empty() && script.back().first + 1 >= script.back().second) script.pop_back();
  if (script.empty()) return false;
  ++script.back().first;
  return true;
}

// All branches of one exploration together may make at most this many attempts. It bounds the answer
// too: a traced attempt prints as ~1 KB of JSON, and fully connected fallback groups make each branch
// thousands of attempts long (at 200,000 a 6-group config answered 168 MB in 8 s; now at most ~20 MB).
// No corpus scenario comes near it: the only output it changed was an alternative already truncated.
constexpr std::size_t kMaxTotalAttempts = 20000;

// Explores every branch into `outcomes` (distinct, in exploration order), reusing the Outcomes it
// already holds as scratch; returns whether the exploration was truncated.
bool explore(const RouteInput& input, const ConfigIndex& index, const ParsedRequest& request,
             const RouteOptions& options, const Deviations& dev, std::vector<std::string>* unverified,
             std::vector<Outcome>& outcomes) {
  Ingress ingress(request, input.config, index, input.principal, options.profile, dev, options.profile_options);
  const FaultQueues faults(input.faults, input.config, index);
  if (unverified) unverified->swap(ingress.unverified);  // read nowhere else
  bool truncated = false;
  std::size_t kept = 0;  // outcomes[0, kept) are the distinct outcomes so far; outcomes[kept] is scratch
  std::vector<std::pair<int, int>> script;
  std::size_t branches = 0, total_attempts = 0;
  do {
    ScriptedChooser chooser(script);
    if (kept == outcomes.size()) outcomes.emplace_back();
    Outcome& outcome = outcomes[kept];
    Simulation simulation(input, index, ingress, faults, options, dev, chooser, outcome);
    simulation.run();
    // Every branch counts against the budgets, an exhausted one too: the work stays bounded.
    total_attempts += simulation.attempts();
    if (total_attempts > kMaxTotalAttempts) {
      truncated = true;
      break;
    }
    if (simulation.exhausted()) {
      truncated = true;
      if (++branches >= options.max_branches) break;
      continue;
    }
    // Outcomes are equal exactly when their JSON is (every field is serialised), so == dedupes. The
    // first is new (most calls end with it: one branch).
    auto end = outcomes.begin() + static_cast<std::ptrdiff_t>(kept);
    if (kept == 0 || std::find(outcomes.begin(), end, outcome) == end) {
      if (kept >= options.max_outcomes) {
        truncated = true;
        break;
      }
      ++kept;
    }
    if (++branches >= options.max_branches) {
      truncated = next_branch(script);
      break;
    }
  } while (next_branch(script));
  outcomes.erase(outcomes.begin() + static_cast<std::ptrdiff_t>(kept), outcomes.end());
  return truncated;
}

struct AlternativeRule {
  const char* rule;
  Deviation deviation;
  bool (*relevant)(const Config&, const std::vector<std::string>& touched);
};

bool touched(const std::vector<std::string>& t, const char* point) {
  return std::find(t.begin(), t.end(), point) != t.end();
}

// Points confirmed on the live proxy (docs/confirmed-semantics.md) have no alternative any more:
// 4 (an empty header is the tag ""), 17 (body fallbacks: null disables generic fallbacks) and
// 20 (1.82 re-walks a client-side list in nested hops) behave as the base model says; 5 (the 1.82
// router reads a litellm_metadata object on chat routes) is profile option litellm-metadata-tags.
const AlternativeRule kAlternatives182[] = {
    {"4.2.2-should", Deviation::CooldownDenialIs401,
     [](const Config& c, const auto&) { return c.router.enable_tag_filtering && !c.router.disable_cooldowns; }},
    {"unverified-7", Deviation::EmptyHealthyDenies,
     [](const Config& c, const auto&) { return c.router.enable_tag_filtering && !c.router.disable_cooldowns; }},
    {"5.1-should", Deviation::OrderBeforeTagFilter,
     [](const Config& c, const auto&) {
       return std::any_of(c.deployments.begin(), c.deployments.end(), [](const Deployment& d) { return d.order.has_value(); });
     }},
    {"unverified-6", Deviation::StringTagsAsChars, [](const Config&, const auto& t) { return touched(t, "unverified-6"); }},
    {"unverified-19", Deviation::DefaultFallbacksWinStar,
     [](const Config& c, const auto&) {
       return !c.router.default_fallbacks.empty() &&
              std::any_of(c.router.fallbacks.begin(), c.router.fallbacks.end(), [](const FallbackRule& r) { return r.key == "*"; });
     }},
};

const AlternativeRule kAlternativesLatest[] = {
    {"4.2.2-should", Deviation::CooldownDenialIs401,
     [](const Config& c, const auto&) { return !c.router.disable_cooldowns; }},
    {"unverified-22", Deviation::ComposeAtEveryHop,
     [](const Config& c, const auto&) { return !c.router.fallbacks.empty() || !c.router.default_fallbacks.empty(); }},
};

// The alternatives of the rules relevant to this request (route() without a mutant): each explored
// under its deviation, kept when it has outcomes the base exploration has not.
void explore_alternatives(const RouteInput& input, const RouteOptions& options, const ConfigIndex& index,
                          const ParsedRequest& request, const Deviations& base, RouteResult& result) {
  const std::vector<std::string> touched_points = result.unverified;  // the base exploration's
  auto known = [&](const Outcome& o) {
    return std::find(result.outcomes.begin(), result.outcomes.end(), o) != result.outcomes.end();
  };
  bool is_latest = options.profile == Profile::LitellmLatest;
  const AlternativeRule* begin = is_latest ? std::begin(kAlternativesLatest) : std::begin(kAlternatives182);
  const AlternativeRule* end = is_latest ? std::end(kAlternativesLatest) : std::end(kAlternatives182);
  std::vector<Outcome> other;
  for (const AlternativeRule* alt = begin; alt != end; ++alt) {
    if (!alt->relevant(input.config, touched_points)) continue;
    other.clear();
    bool other_truncated = explore(input, index, request, options, with(base, alt->deviation), nullptr, other);
    Alternative a{alt->rule, {}};
    for (Outcome& o : other)
      if (!known(o)) a.outcomes.push_back(std::move(o));
    if (!a.outcomes.empty()) {
      if (std::string_view(alt->rule).rfind("unverified-", 0) == 0) result.unverified.emplace_back(alt->rule);
      result.alternatives.push_back(std::move(a));
    }
    result.truncated = result.truncated || other_truncated;
  }
}

// route() once the config's index and the parsed request are at hand.
void route_parsed(const RouteInput& input, const RouteOptions& options, const ConfigIndex& index,
                  const ParsedRequest& request, RouteResult& result) {
  Deviations base;
  if (options.mutant) base = options.mutant->deviations;
  if (!result.ignored_config_keys.empty() || !input.config.ignored_keys.empty())
    result.ignored_config_keys = input.config.ignored_keys;
  result.alternatives.clear();
  result.truncated = explore(input, index, request, options, base, &result.unverified, result.outcomes);
  if (options.alternatives && !options.mutant) explore_alternatives(input, options, index, request, base, result);
  // The unverified points sorted and distinct.
  if (result.unverified.size() > 1) {
    std::sort(result.unverified.begin(), result.unverified.end());
    result.unverified.erase(std::unique(result.unverified.begin(), result.unverified.end()), result.unverified.end());
  }
}

// route() on inputs made without parse_config or make_request (no index, or no parsed request): both
// are made here. Apart from route(), so the common path does not pay for their set-up.
[[gnu::noinline]] void route_unparsed(const RouteInput& input, const RouteOptions& options, RouteResult& result) {
  std::optional<ConfigIndex> local_index;
  const ConfigIndex& index = index_of(input.config, local_index);
  std::optional<ParsedRequest> local_request;
  const ParsedRequest& request =
      input.request.parsed ? *input.request.parsed : local_request.emplace(parse_request(input.request));
  route_parsed(input, options, index, request, result);
}

}  // namespace

std::vector<int> RouteResult::statuses() const {
  std::set<int> s;
  for (const Outcome& o : outcomes) s.insert(o.status);
  return {s.begin(), s.end()};
}

std::vector<std::string> RouteResult::served_by() const {
  std::set<std::string> s;
  for (const Outcome& o : outcomes)
    if (o.served_by) s.insert(*o.served_by);
  return {s.begin(), s.end()};
}

void route(const RouteInput& input, const RouteOptions& options, RouteResult& result) {
  // Parsed at the edge (parse_config, make_request); parsed here only for inputs made some other way.
  const ConfigIndex* own = own_index(input.config);
  if (own && input.request.parsed) return route_parsed(input, options, *own, *input.request.parsed, result);
  route_unparsed(input, options, result);
}

RouteResult route(const RouteInput& input, const RouteOptions& options) {
  RouteResult result;
  route(input, options, result);
  return result;
}

void route(const Scenario& scenario, const RouteOptions& options, RouteResult& into) {
  RouteInput input{scenario.config, scenario.request, scenario.faults, scenario.principal};
  route(input, options, into);
}

RouteResult route(const Scenario& scenario, const RouteOptions& options) {
  RouteResult result;
  route(scenario, options, result);
  return result;
}

}  // namespace routecheck
