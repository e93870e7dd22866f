// parse_document: the YAML/JSON loader every config and scenario goes through (document.cc).
#include <gtest/gtest.h>

#include <string>

#include "routecheck/document.h"
#include "routecheck/input_error.h"

namespace routecheck::testing {
namespace {

// The InputError a YAML text is refused with, as "pointer | message"; "accepted" if it loads.
std::string refusal(const std::string& yaml, const DocumentLimits& limits = {}) {
  try {
    parse_document(yaml, "d.yaml", true, limits);
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "d.yaml");
    return e.pointer() + " | " + e.message();
  }
  return "accepted";
}

// yaml-cpp 0.7 cannot place a ',' outside a flow collection at the top level and used to hand out
// empty documents forever (fuzz findings in corpus/regressions/{config,scenario}/yaml_cpp_*).
TEST(Document_Yaml, ACommaOutsideAFlowCollectionIsRefusedWithItsPosition) {
  EXPECT_EQ(refusal(","), " | invalid YAML: unexpected ',' at line 1, column 1 (outside any flow collection)");
  EXPECT_EQ(refusal("\"a\",\n"), " | invalid YAML: unexpected ',' at line 1, column 4 (outside any flow collection)");
  EXPECT_EQ(refusal("{\"\"},"), " | invalid YAML: unexpected ',' at line 1, column 5 (outside any flow collection)");
  EXPECT_EQ(refusal("- a\n,\n"), " | invalid YAML: unexpected ',' at line 2, column 1 (outside any flow collection)");
  // A bracket inside a quoted key is text, not the end of a flow collection.
  EXPECT_EQ(refusal("{\"a}\": 1, \"b\": 2}\n"), "accepted");
}

TEST(Document_Yaml, DocumentsAreCounted) {
  EXPECT_EQ(refusal("---\na: 1\n---\nb: 2\n---\nc: 3\n"), " | expected one YAML document, found 3");
  EXPECT_EQ(refusal("# only a comment\n"), " | the file is empty");
  EXPECT_EQ(refusal("a: 1\n...\n"), "accepted");
}

TEST(Document_Yaml, AliasesAreExpandedAndCountedAsExpanded) {
  nlohmann::json doc = parse_document("x: &k a\n*k : 2\ny: *k\nl: &l [1, {b: 2}]\nm: *l\n", "d.yaml", true);
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"x": "a", "a": 2, "y": "a", "l": [1, {"b": 2}], "m": [1, {"b": 2}]})"));
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  EXPECT_NE(refusal(bomb).find("document too large: more than 200000 nodes after alias expansion"), std::string::npos);
  EXPECT_EQ(refusal("a: &a [*a]\n"), "/a/0 | an alias refers to its own anchor (recursive alias)");
  DocumentLimits shallow;
  shallow.max_depth = 3;
  EXPECT_EQ(refusal("a: &a [[1]]\nb: [[*a]]\n", shallow), "/b/0/0 | nested deeper than 3 levels");
  EXPECT_EQ(refusal("a: &a [[1]]\nb: [*a]\n", shallow), "/b/0 | nested deeper than 3 levels");
  EXPECT_EQ(refusal("a: &a [[1]]\nb: *a\n", shallow), "accepted");
}

TEST(Document_Yaml, KeysArePlainUniqueStrings) {
  EXPECT_EQ(refusal("a:\n  b: 1\n  b: 2\n"), "/a/b | duplicate key 'b'");
  EXPECT_EQ(refusal("a:\n  [x]: 1\n"), "/a | mapping keys must be plain strings");
  EXPECT_EQ(refusal("a:\n  ~: 1\n"), "/a | mapping keys must be plain strings");
  // A quoted "<<" is an ordinary key; a plain one merges (explicit keys win, earlier sources win).
  nlohmann::json doc = parse_document("b: &b {m: 1, n: 1}\nc: &c {n: 2, o: 2}\nd: {'<<': x, <<: [*b, *c], m: 0}\n",
                                      "d.yaml", true);
  EXPECT_EQ(doc["d"], nlohmann::json::parse(R"({"<<": "x", "m": 0, "n": 1, "o": 2})"));
  EXPECT_EQ(refusal("d: {<<: 1}\n"), "/d/<< | a merge key (<<) needs a mapping or a list of mappings");
}

TEST(Document_Yaml, NumbersAreTypedAsPyYamlTypesThem) {
  nlohmann::json doc = parse_document(
      "a: +1\nb: -0x1F\nc: 0b101\nd: .5\ne: 1.\nf: 1.5e+3\ng: 1.5e3\nh: 08\ni: 1_0.5\nj: ._\nk: 0\nl: -7\n"
      "m: 9\nn: \"12\"\no: !!str 12\np: 99999999999999999999\nq: 0o7\n",
      "d.yaml", true);
  EXPECT_EQ(doc["a"], 1);
  EXPECT_EQ(doc["b"], -31);
  EXPECT_EQ(doc["c"], 5);
  EXPECT_EQ(doc["d"], 0.5);
  EXPECT_EQ(doc["e"], 1.0);
  EXPECT_EQ(doc["f"], 1500.0);
  EXPECT_EQ(doc["g"], "1.5e3");
  EXPECT_EQ(doc["h"], "08");
  EXPECT_EQ(doc["i"], 10.5);
  EXPECT_EQ(doc["j"], "._");
  EXPECT_EQ(doc["k"], 0);
  EXPECT_EQ(doc["l"], -7);
  EXPECT_EQ(doc["m"], 9);
  EXPECT_EQ(doc["n"], "12");
  EXPECT_EQ(doc["o"], "12");
  EXPECT_DOUBLE_EQ(doc["p"].get<double>(), 1e20);
  EXPECT_EQ(doc["q"], "0o7");
  // Integers beyond 64 bits keep their magnitude (read in their base); beyond a double they stay text.
  doc = parse_document("a: 0x10e111222defa222d\nb: -99999999999999999999\nc: " + std::string(400, '9') + "\n", "d.yaml", true);
  EXPECT_DOUBLE_EQ(doc["a"].get<double>(), 19460355405823746605.0);
  EXPECT_DOUBLE_EQ(doc["b"].get<double>(), -1e20);
  EXPECT_EQ(doc["c"], std::string(400, '9'));
}

}  // namespace
}  // namespace routecheck::testing
