// overwrite (src/overwrite.h), how the walk writes short strings into a reused Outcome: whatever the
// lengths, the string ends equal to the text, and a same-length write keeps the string's buffer.
#include <gtest/gtest.h>

#include <string>

#include "../src/overwrite.h"

namespace routecheck {
namespace {

std::string text_of(std::size_t n, char first) {
  std::string t(n, ' ');
  for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<char>(first + static_cast<char>(i % 26));
  return t;
}

TEST(Overwrite, EveryLengthEndsEqualAndSameLengthKeepsTheBuffer) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string s = text_of(n, 'a');
    const char* buffer = s.data();
    const std::string t = text_of(n, 'A');
    overwrite(s, t);
    EXPECT_EQ(s, t) << "length " << n;
    EXPECT_EQ(s.data(), buffer) << "length " << n << ": the buffer was replaced";
  }
}

TEST(Overwrite, OtherLengthsAreAssigned) {
  for (std::size_t from : {0u, 3u, 15u, 33u})
    for (std::size_t to : {0u, 1u, 7u, 16u, 40u}) {
      std::string s = text_of(from, 'a');
      const std::string t = text_of(to, 'A');
      overwrite(s, t);
      EXPECT_EQ(s, t) << from << " -> " << to;
    }
}

TEST(Overwrite, ATextInsideTheStringItselfIsReadBeforeItIsWritten) {
  for (std::size_t n = 1; n <= 32; ++n) {
    std::string s = text_of(n, 'a');
    const std::string expected = s;
    overwrite(s, std::string_view(s));  // the same bytes, fully overlapping
    EXPECT_EQ(s, expected) << "length " << n;
  }
}

}  // namespace
}  // namespace routecheck
