// The CLI's argument syntaxes (CONTRACT.md §2, §5): `--fault ID=OUTCOME[,...]`, `--header Name: value`,
// one OUTCOME. The throwing parsers' messages are what users read (file, field, value); the
// non-throwing cores (read_*) must refuse the same texts for the same reason and accept the same values.
#include <gtest/gtest.h>

#include <string>

#include "routecheck/faults.h"
#include "routecheck/input_error.h"
#include "routecheck/request.h"

namespace routecheck {
namespace {

constexpr const char* kGrammar =
    " (grammar: ok | timeout | context_window | content_policy | refused | stream_cut | "
    "<400-599>[@retry-after=<seconds>])";

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CliArgs_Outcome, RefusedWithTheGrammar) {
  auto outcome = [](const std::string& text) { return error_of([&] { parse_outcome(text, "s.yaml", "/faults/p/1"); }); };
  EXPECT_EQ(outcome("5xx"), std::string("s.yaml: faults.p[1]: bad fault '5xx': unknown outcome") + kGrammar);
  EXPECT_EQ(outcome("700"), std::string("s.yaml: faults.p[1]: bad fault '700': status must be from 400 to 599") + kGrammar);
  EXPECT_EQ(outcome("429@later"),
            std::string("s.yaml: faults.p[1]: bad fault '429@later': expected '@retry-after=<seconds>'") + kGrammar);
  EXPECT_EQ(outcome("429@retry-after=3601"),
            std::string("s.yaml: faults.p[1]: bad fault '429@retry-after=3601': retry-after must be a number of "
                        "seconds from 0 to 3600") + kGrammar);
}

TEST(CliArgs_Outcome, CoreAgreesWithTheThrowingParser) {
  UpstreamOutcome o;
  auto failure = read_outcome("429@retry-after=soon", o);
  ASSERT_TRUE(failure);
  EXPECT_STREQ(failure->reason, "retry-after must be a number of seconds from 0 to 3600");
  EXPECT_EQ(failure->part, "429@retry-after=soon");
  // strtod's reading, as before: leading blanks and a '+' are accepted, an embedded NUL ends the number.
  for (std::string text : {std::string("429@retry-after= +0.5"), std::string("429@retry-after=0.5\0x", 21)}) {
    ASSERT_FALSE(read_outcome(text, o)) << text;
    EXPECT_EQ(o, (UpstreamOutcome{UpstreamOutcome::Kind::Status, 429, 0.5}));
    EXPECT_EQ(parse_outcome(text, "--fault", ""), o);
  }
  ASSERT_FALSE(read_outcome("stream_cut", o));
  EXPECT_EQ(o.kind, UpstreamOutcome::Kind::StreamCut);
}

TEST(CliArgs_Outcome, ShortestSpellingThatReadsBack) {
  auto spelled = [](double s) { return UpstreamOutcome{UpstreamOutcome::Kind::Status, 503, s}.to_string(); };
  EXPECT_EQ(spelled(1), "503@retry-after=1");
  EXPECT_EQ(spelled(0.1), "503@retry-after=0.1");
  EXPECT_EQ(spelled(1e-7), "503@retry-after=1e-07");
  EXPECT_EQ(spelled(1.0 / 3), "503@retry-after=0.3333333333333333");
  EXPECT_EQ(spelled(3600), "503@retry-after=3600");
}

TEST(CliArgs_Fault, MessagesNameTheFlagAndTheOutcome) {
  auto fault = [](const std::string& text) {
    return error_of([&] {
      FaultPlan plan;
      add_fault_arg(plan, text, "--fault");
    });
  };
  EXPECT_EQ(fault("noequals"), "--fault: expected ID=OUTCOME[,OUTCOME...], got 'noequals'");
  EXPECT_EQ(fault("=500"), "--fault: expected ID=OUTCOME[,OUTCOME...], got '=500'");
  EXPECT_EQ(fault("primary-1=500,"), std::string("--fault: primary-1[1]: bad fault '': unknown outcome") + kGrammar);
  EXPECT_EQ(fault("p=ok,700,5xx"),
            std::string("--fault: p[1]: bad fault '700': status must be from 400 to 599") + kGrammar);
}

TEST(CliArgs_Fault, CoreRefusesWithoutTouchingThePlan) {
  FaultPlan plan;
  ASSERT_FALSE(read_fault_arg(plan, "a=503,ok"));
  auto failure = read_fault_arg(plan, "b=ok,timeout,5xx,ok");
  ASSERT_TRUE(failure);
  EXPECT_STREQ(failure->reason, "unknown outcome");
  EXPECT_EQ(failure->part, "5xx");
  EXPECT_EQ(failure->item, 2u);
  ASSERT_EQ(plan.queues.size(), 1u);
  EXPECT_EQ(plan.queues.at("a"), (std::vector<UpstreamOutcome>{{UpstreamOutcome::Kind::Status, 503, std::nullopt}, {}}));
}

TEST(CliArgs_Header, MessagesNameTheArgument) {
  auto header = [](const std::string& text) { return error_of([&] { parse_header_arg(text, "--header"); }); };
  EXPECT_EQ(header("x-litellm-tags"), "--header: expected 'Name: value', got 'x-litellm-tags'");
  EXPECT_EQ(header(": v"), "--header: expected 'Name: value', got ': v'");
  EXPECT_EQ(header(" : v"), "--header: invalid header name in ' : v'");
  EXPECT_EQ(header("a b: v"), "--header: invalid header name in 'a b: v'");
  EXPECT_EQ(header("a: v\r"), "--header: header value contains a line break");
}

TEST(CliArgs_Header, CoreTrimsAsTheThrowingParser) {
  std::pair<std::string, std::string> h;
  ASSERT_FALSE(read_header_arg("  User-Agent \t:  claude-code/1.0 \t", h));
  EXPECT_EQ(h, (std::pair<std::string, std::string>{"User-Agent", "claude-code/1.0"}));
  EXPECT_EQ(parse_header_arg("  User-Agent \t:  claude-code/1.0 \t", "--header"), h);
  ASSERT_FALSE(read_header_arg("a:", h));
  EXPECT_EQ(h.second, "");
  auto failure = read_header_arg("a: b\nc", h);
  ASSERT_TRUE(failure);
  EXPECT_STREQ(failure->reason, "header value contains a line break");
}

}  // namespace
}  // namespace routecheck
