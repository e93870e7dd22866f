#pragma once
// Writing a short string into one a reused Outcome already holds (routecheck/route_into.h). Most of
// the time the old text has the new one's length (a header name, a deployment id, a key identity
// written again by the next call), and then the bytes are copied in place with a few loads and
// stores; std::string::assign goes through _M_replace and a library memmove for every one.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace routecheck {

namespace overwrite_detail {
// Copies n bytes (sizeof(Word) <= n <= 2 * sizeof(Word)) as two Word-sized moves, one from each end
// (they overlap when n < 2 * sizeof(Word)); both loads come before any store, so `p` may overlap `d`.
template <class Word>
inline void copy_ends(char* d, const char* p, std::size_t n) {
  Word front, back;
  std::memcpy(&front, p, sizeof(Word));
  std::memcpy(&back, p + n - sizeof(Word), sizeof(Word));
  std::memcpy(d, &front, sizeof(Word));
  std::memcpy(d + n - sizeof(Word), &back, sizeof(Word));
}
struct Bytes16 {
  std::uint64_t half[2];
};
// The other lengths: out of line and cold, so the callers' common path needs no call.
[[gnu::noinline, gnu::cold]] inline void assign(std::string& s, std::string_view v) { s.assign(v.data(), v.size()); }
}  // namespace overwrite_detail

/// Makes `s` equal to `v`, keeping its buffer.
inline void overwrite(std::string& s, std::string_view v) {
  using overwrite_detail::copy_ends;
  const std::size_t n = v.size();
  if (n != s.size() || n > 32) [[unlikely]] {
    overwrite_detail::assign(s, v);
    return;
  }
  char* d = s.data();
  const char* p = v.data();
  if (n >= 16) {
    copy_ends<overwrite_detail::Bytes16>(d, p, n);
  } else if (n >= 8) {
    copy_ends<std::uint64_t>(d, p, n);
  } else if (n >= 4) {
    copy_ends<std::uint32_t>(d, p, n);
  } else if (n > 0) {
    const char a = p[0], b = p[n / 2], c = p[n - 1];  // 1 to 3 bytes: first, middle, last
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}

}  // namespace routecheck
