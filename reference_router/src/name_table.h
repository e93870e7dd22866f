#pragma once
// A map from names (deployment ids, group names, tags) to small values, built once per config and
// read on every request: open addressing over a short hash of the name, so a lookup hashes the name
// once and compares it with one stored name in the usual case. (libstdc++'s unordered_map compares
// the name with every stored one while it holds 20 or fewer: most configs.)
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace routecheck {

template <class V>
class NameTable {
 public:
  /// The value stored for `key`, or nullptr.
  const V* find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = hash(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry < 0) return nullptr;
      if (s.hash == h && same(keys_[static_cast<std::size_t>(s.entry)], key)) return &values_[static_cast<std::size_t>(s.entry)];
    }
  }
  /// The value stored for `key`, inserted as V{} first when absent; `added` tells which.
  V& insert(std::string_view key, bool& added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::uint64_t h = hash(key);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    for (;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry < 0) break;
      if (s.hash == h && keys_[static_cast<std::size_t>(s.entry)] == key) {
        added = false;
        return values_[static_cast<std::size_t>(s.entry)];
      }
    }
    slots_[i] = Slot{h, static_cast<int>(keys_.size())};
    keys_.emplace_back(key);
    values_.emplace_back();
    added = true;
    return values_.back();
  }
  V& operator[](std::string_view key) {
    bool added = false;
    return insert(key, added);
  }
  /// Room for `n` names without rehashing.
  void reserve(std::size_t n) {
    std::size_t want = 16;
    while (want < n * 2) want *= 2;
    if (want > slots_.size()) rehash(want);
    keys_.reserve(n);
    values_.reserve(n);
  }
  std::size_t size() const { return keys_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    int entry = -1;  // index into keys_ / values_; -1: empty
  };

  // Whether the stored name is `key`: names of up to 16 bytes are compared by two overlapping loads
  // each side, inline (a library memcmp call costs more than the comparison).
  static bool same(const std::string& stored, std::string_view key) {
    const std::size_t n = key.size();
    if (stored.size() != n) return false;
    const char* a = stored.data();
    const char* b = key.data();
    if (n > 16) return std::memcmp(a, b, n) == 0;
    if (n >= 8) {
      std::uint64_t a0, a1, b0, b1;
      std::memcpy(&a0, a, 8);
      std::memcpy(&a1, a + n - 8, 8);
      std::memcpy(&b0, b, 8);
      std::memcpy(&b1, b + n - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 4) {
      std::uint32_t a0, a1, b0, b1;
      std::memcpy(&a0, a, 4);
      std::memcpy(&a1, a + n - 4, 4);
      std::memcpy(&b0, b, 4);
      std::memcpy(&b1, b + n - 4, 4);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  // Eight bytes at a time, multiply-xorshift mixed; names are short.
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    // The last 0-7 bytes, by fixed-size loads (two overlapping ones from 4 bytes on); the length
    // is already in h.
    const std::size_t rest = s.size() - i;
    const char* p = s.data() + i;
    std::uint64_t w = 0;
    if (rest >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + rest - 4, 4);
      w = (std::uint64_t{a} << 32) | b;
    } else if (rest > 0) {
      w = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[rest / 2])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[rest - 1])} << 16;
    }
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    return h;
  }

  void rehash(std::size_t size) {
    std::vector<Slot> slots(size);
    const std::size_t mask = size - 1;
    for (const Slot& s : slots_) {
      if (s.entry < 0) continue;
      std::size_t i = s.hash & mask;
      while (slots[i].entry >= 0) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_ = std::move(slots);
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  std::vector<std::string> keys_;
  std::vector<V> values_;
};

}  // namespace routecheck
