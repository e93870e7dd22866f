// NameTable (src/name_table.h), the route walk's lookup of deployment ids, group names and tags:
// every inserted name is found with its own value through growth and probe collisions, and a name
// never inserted is not found, including names that differ only past the hashed prefix.
#include <gtest/gtest.h>

#include <string>

#include "../src/name_table.h"

namespace routecheck {
namespace {

// Long names (hashed) and, for odd i, short ones (at most 7 bytes: their own slot tag).
std::string name(int i) {
  if (i % 2) return std::to_string(i);
  return "deployment-" + std::to_string(i) + (i % 3 ? "" : "-with-a-longer-suffix");
}

TEST(NameTable, FindsEveryNameThroughGrowth) {
  NameTable<int> table;
  for (int i = 0; i < 1000; ++i) {
    bool added = false;
    table.insert(name(i), added) = i;
    ASSERT_TRUE(added) << name(i);
  }
  EXPECT_EQ(table.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    const int* v = table.find(name(i));
    ASSERT_NE(v, nullptr) << name(i);
    EXPECT_EQ(*v, i);
  }
  EXPECT_EQ(table.find("deployment-1000"), nullptr);
  EXPECT_EQ(table.find("1000"), nullptr);
  EXPECT_EQ(table.find(""), nullptr);
}

TEST(NameTable, InsertingAgainKeepsTheValue) {
  NameTable<int> table;
  table["eu"] = 7;
  bool added = true;
  EXPECT_EQ(table.insert("eu", added), 7);
  EXPECT_FALSE(added);
  EXPECT_EQ(table.size(), 1u);
}

TEST(NameTable, EmptyAndNearMissesAreNotFound) {
  NameTable<int> empty;  // e.g. the tag table of a config whose deployments carry no tags
  EXPECT_EQ(empty.find("anything"), nullptr);
  EXPECT_EQ(empty.find("eu"), nullptr);
  EXPECT_EQ(empty.find(""), nullptr);
  NameTable<int> table;
  table.reserve(4);
  table["Credential: openai"] = 1;
  table["a"] = 2;
  table[""] = 3;  // the empty tag is a name like any other (an empty x-litellm-tags header)
  EXPECT_EQ(table.find("Credential: opena"), nullptr);
  EXPECT_EQ(table.find("Credential: openai "), nullptr);
  EXPECT_EQ(table.find("Credential: openaj"), nullptr);  // differs in the last byte only
  EXPECT_EQ(table.find("b"), nullptr);
  ASSERT_NE(table.find(""), nullptr);
  EXPECT_EQ(*table.find(""), 3);
  EXPECT_EQ(*table.find("a"), 2);
}

// Names of up to 7 bytes are their own slot tag (bytes zero-padded, length in the top byte): names of
// every short length, names that differ in one middle byte, names with trailing NUL bytes on either
// side of the 7-byte limit, and a name of 8 bytes (hashed) stay apart.
TEST(NameTable, ShortNamesHeldInTheSlotStayDistinct) {
  NameTable<int> table;
  const std::string names[] = {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi",
                               "aXc", "abXdefgh", std::string("a\0", 2), "ba", std::string("abcdef\0", 7),
                               std::string("abcdefg\0", 8), std::string("\0", 1)};
  int i = 0;
  for (const std::string& n : names) table[n] = i++;
  i = 0;
  for (const std::string& n : names) {
    const int* v = table.find(n);
    ASSERT_NE(v, nullptr) << n;
    EXPECT_EQ(*v, i++) << n;
  }
  EXPECT_EQ(table.find("abcdefgX"), nullptr);
  // 8-byte names are hashed, not tags: as a tag, an 8-byte name's last byte would share the top byte with
  // its length, and "abcdefg`" would be found as "abcdefgh".
  EXPECT_EQ(table.find(std::string("abcdefg\x07", 8)), nullptr);
  EXPECT_EQ(table.find("abcdefg`"), nullptr);
  EXPECT_EQ(table.find("b"), nullptr);
  EXPECT_EQ(table.find(std::string("ab\0", 3)), nullptr);
  EXPECT_EQ(table.find(""), nullptr);
  EXPECT_EQ(table.find(std::string("abcdefg\0\0", 9)), nullptr);
}

}  // namespace
}  // namespace routecheck
