// Semantics §10.1: cooldowns caused by a request's own failures.
#include "routing_case.h"

namespace routecheck::testing {
namespace {

std::string pair(const std::string& settings) {
  return R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
  - {model_name: primary, litellm_params: {model: openai/p2, api_key: k}, model_info: {id: p2}}
router_settings: {)" + settings + "}\n";
}

// Whether any allowed outcome calls p1 twice: only possible while p1 is not cooled.
bool p1_called_twice(const RouteResult& r) {
  for (const Outcome& o : r.outcomes) {
    auto calls = called(o);
    if (std::count(calls.begin(), calls.end(), "p1") >= 2) return true;
  }
  return false;
}

TEST(S10_1_Cooldown, AuthenticationAndNotFoundCoolAtOnce) {
  for (const char* fault : {"401", "404"}) {
    RoutingCase c(pair("num_retries: 3"));
    c.fault(std::string("p1=") + fault).fault("p2=500");
    RouteResult r = c.route();
    EXPECT_FALSE(p1_called_twice(r)) << fault;
  }
}

TEST(S10_1_Cooldown, DisableCooldownsKeepsEveryDeployment) {
  RoutingCase c(pair("num_retries: 3, disable_cooldowns: true"));
  c.fault("p1=401").fault("p2=500");
  EXPECT_TRUE(p1_called_twice(c.route()));
}

TEST(S10_1_Cooldown, RateLimitCoolsOnlyInMultiDeploymentGroups) {
  RoutingCase multi(pair("num_retries: 3"));
  multi.fault("p1=429").fault("p2=500");
  EXPECT_FALSE(p1_called_twice(multi.route()));
  RoutingCase single(R"(
model_list:
  - {model_name: primary, litellm_params: {model: openai/p1, api_key: k}, model_info: {id: p1}}
router_settings: {num_retries: 1}
)");
  single.fault("p1=429,ok");
  EXPECT_EQ(single.only().status, 200);
}

TEST(S10_1_Cooldown, ServerErrorsCoolAfterFiveCallsAboveHalfFailing) {
  RoutingCase c(pair("num_retries: 6"));
  c.fault("p1=500").fault("p2=500");
  // After 5 failed calls to p1 it is cooled: no outcome calls p1 a sixth time.
  for (const Outcome& o : c.route().outcomes) {
    auto calls = called(o);
    EXPECT_LE(std::count(calls.begin(), calls.end(), "p1"), 5);
  }
}

TEST(S10_1_Cooldown, AllowedFailsPolicyCoolsPastTheThreshold) {
  RoutingCase c(pair("num_retries: 3, allowed_fails_policy: {InternalServerErrorAllowedFails: 0}"));
  c.fault("p1=500").fault("p2=ok");
  for (const Outcome& o : c.route().outcomes) {
    EXPECT_EQ(o.status, 200);
    auto calls = called(o);
    EXPECT_LE(std::count(calls.begin(), calls.end(), "p1"), 1);
  }
}

TEST(S10_1_Cooldown, ConnectionErrorsNeverCool) {
  RoutingCase c(pair("num_retries: 3, allowed_fails: 0"));
  c.fault("p1=refused").fault("p2=refused");
  EXPECT_TRUE(p1_called_twice(c.route()));
}

TEST(S10_1_Cooldown, ZeroRetryAfterMeansNoCooldown) {
  RoutingCase c(pair("num_retries: 3"));
  c.fault("p1=429@retry-after=0").fault("p2=500");
  EXPECT_TRUE(p1_called_twice(c.route()));
}

}  // namespace
}  // namespace routecheck::testing
