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

/// Makes `s` equal to `v`, keeping its buffer.
inline void overwrite(std::string& s, std::string_view v) {
  const std::size_t n = v.size();
  if (n != s.size() || n > 32) {
    s.assign(v.data(), n);
    return;
  }
  char* d = s.data();
  const char* p = v.data();
  // Every load before any store: `v` may overlap `s`.
  if (n >= 16) {
    std::uint64_t a, b, c, e;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    std::memcpy(&c, p + n - 16, 8);
    std::memcpy(&e, p + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + 8, &b, 8);
    std::memcpy(d + n - 16, &c, 8);
    std::memcpy(d + n - 8, &e, 8);
  } else if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    std::memcpy(d, &a, 4);
    std::memcpy(d + n - 4, &b, 4);
  } else if (n > 0) {
    const char a = p[0], b = p[n / 2], c = p[n - 1];
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}

}  // namespace routecheck
