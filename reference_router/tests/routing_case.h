#pragma once
// A compact way to ask the oracle one question in a test: a YAML config, a JSON body, faults.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "routecheck/document.h"
#include "routecheck/route.h"
#include "routecheck/scenario.h"

namespace routecheck::testing {

class RoutingCase {
 public:
  explicit RoutingCase(const std::string& yaml_config)
      : config_doc_(parse_document(yaml_config, "test-config.yaml", true)) {}

  RoutingCase& profile(Profile p) {
    profile_ = p;
    return *this;
  }
  RoutingCase& option(const std::string& key, const std::string& value) {
    options_.values[key] = value;
    return *this;
  }
  RoutingCase& body(const std::string& json) {
    body_ = parse_document(json, "test-body.json", false);
    return *this;
  }
  RoutingCase& path(const std::string& p) {
    path_ = p;
    return *this;
  }
  RoutingCase& header(const std::string& name, const std::string& value) {
    headers_.emplace_back(name, value);
    return *this;
  }
  /// "id=500,ok" as on the command line.
  RoutingCase& fault(const std::string& arg) {
    add_fault_arg(faults_, arg, "test");
    return *this;
  }
  RoutingCase& principal_tags(std::vector<std::string> key, std::vector<std::string> team) {
    principal_ = Principal{std::move(key), std::move(team)};
    return *this;
  }
  RoutingCase& mutant(const std::string& id) {
    mutant_ = &find_mutant(id);
    return *this;
  }

  RouteResult route() const {
    Config config = parse_config(config_doc_, profile_, "test-config.yaml");
    Request request = make_request(path_, headers_, body_, "test-body.json");
    RouteOptions options;
    options.profile = profile_;
    options.profile_options = options_;
    options.mutant = mutant_;
    return routecheck::route(RouteInput{config, request, faults_, principal_}, options);
  }

  /// The single outcome; fails the test when the oracle allows more than one.
  Outcome only() const {
    RouteResult r = route();
    EXPECT_EQ(r.outcomes.size(), 1u) << "expected exactly one allowed outcome";
    return r.outcomes.empty() ? Outcome{} : r.outcomes.front();
  }

 private:
  nlohmann::json config_doc_;
  Profile profile_ = Profile::Litellm182;
  ProfileOptions options_;
  nlohmann::json body_ = nlohmann::json{{"model", "primary"}};
  std::string path_ = "/v1/chat/completions";
  std::vector<std::pair<std::string, std::string>> headers_;
  FaultPlan faults_;
  Principal principal_;
  const Mutant* mutant_ = nullptr;
};

inline std::vector<std::string> called(const Outcome& o) {
  std::vector<std::string> out;
  for (const UpstreamCall& c : o.upstream_calls) out.push_back(c.deployment);
  return out;
}

inline std::vector<std::string> hop_groups(const Outcome& o) {
  std::vector<std::string> out;
  int last = -1;
  for (const AttemptRecord& r : o.trace)
    if (r.hop != last) out.push_back(r.group), last = r.hop;
  return out;
}

inline std::string header(const Outcome& o, const std::string& name) {
  for (const auto& [n, v] : o.headers)
    if (n == name) return v;
  return "<absent>";
}

inline const Alternative* alternative(const RouteResult& r, const std::string& rule) {
  for (const Alternative& a : r.alternatives)
    if (a.rule == rule) return &a;
  return nullptr;
}

using Tags = std::vector<std::string>;
using Ids = std::vector<std::string>;

}  // namespace routecheck::testing
