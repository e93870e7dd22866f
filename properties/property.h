#pragma once
/// Properties of the oracle, each defined once as a plain predicate over a scenario and what route()
/// said about it. RapidCheck (properties/tests), libFuzzer targets (fuzz/) and `routecheck gen` share
/// these definitions; none of them holds a second copy of the routing semantics.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "routecheck/profile.h"
#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck::properties {

/// What a property says about one scenario.
struct PropertyResult {
  enum class Verdict { Holds, Violated, NotApplicable };
  Verdict verdict = Verdict::Holds;
  std::string message;  // why it is violated, or why it does not apply

  static PropertyResult holds() { return {}; }
  static PropertyResult violated(std::string why) { return {Verdict::Violated, std::move(why)}; }
  static PropertyResult not_applicable(std::string why) { return {Verdict::NotApplicable, std::move(why)}; }
  bool ok() const { return verdict != Verdict::Violated; }
};

/// Runs the oracle under test — the same profile options and the same (possibly mutated) router — on
/// another scenario. Metamorphic properties use it for their twins, never an unmutated oracle.
using Oracle = std::function<RouteResult(const Scenario&)>;

/// How make_oracle runs route(); the defaults are the oracle as properties see it.
struct OracleSettings {
  bool trace = true;
  bool alternatives = false;
  std::size_t max_outcomes = 64;
  std::size_t max_branches = 1024;
};

/// The oracle as properties see it: trace on, alternatives off, `mutant` (may be null) switched on,
/// each scenario's own profile and profile options. The fuzz target passes a smaller branch budget,
/// and its CONTRACT §3 run trace off and alternatives on.
Oracle make_oracle(const Mutant* mutant, OracleSettings settings = {});

/// A property: its name, the one-line statement it checks, where the semantics states it, and the check.
struct Property {
  std::string name;
  std::string statement;
  std::string section;  // e.g. "semantics §8.1 I-1"
  std::vector<Profile> profiles;  // the profiles it is stated for
  PropertyResult (*check)(const Scenario&, const RouteResult&, const Oracle&);

  bool applies_to(Profile p) const;
};

/// Every property, in a stable order.
const std::vector<Property>& all_properties();
/// nullptr when no property has this name.
const Property* find_property(const std::string& name);

/// Runs `property` on `scenario` with `oracle`: route() once, then the check. A truncated enumeration
/// or a profile the property is not stated for gives NotApplicable.
PropertyResult evaluate(const Property& property, const Scenario& scenario, const Oracle& oracle);

}  // namespace routecheck::properties
