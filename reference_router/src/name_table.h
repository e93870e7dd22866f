#pragma once
// A map from names (deployment ids, group names, tags) to small values, built once per config and
// read on every request: open addressing over a short hash of the name, so a lookup hashes the name
// once and compares it with one stored name in the usual case. (libstdc++'s unordered_map compares
// the name with every stored one while it holds 20 or fewer: most configs.) A name of up to 8 bytes
// and its value live in the slot itself, so finding one reads the slot and nothing else.
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
    const std::uint64_t word = short_word(key);
    const std::uint64_t h = hash(key, word);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry < 0) return nullptr;
      if (s.hash == h && matches(s, key, word)) return &s.value;
    }
  }
  /// The value stored for `key`, inserted as V{} first when absent; `added` tells which. The reference
  /// holds until the next insert.
  V& insert(std::string_view key, bool& added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::uint64_t word = short_word(key);
    const std::uint64_t h = hash(key, word);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    for (;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.entry < 0) break;
      if (s.hash == h && matches(s, key, word)) {
        added = false;
        return s.value;
      }
    }
    slots_[i] = Slot{h, word, static_cast<int>(keys_.size()), key.size(), V{}};
    keys_.emplace_back(key);
    added = true;
    return slots_[i].value;
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
  }
  std::size_t size() const { return keys_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t word = 0;  // the name's bytes, zero-padded, when it has at most 8; else 0
    int entry = -1;          // index into keys_; -1: empty
    std::size_t size = 0;    // the name's length
    V value{};
  };

  bool matches(const Slot& s, std::string_view key, std::uint64_t word) const {
    if (s.size != key.size()) return false;
    if (key.size() <= 8) return s.word == word;
    return std::memcmp(keys_[static_cast<std::size_t>(s.entry)].data(), key.data(), key.size()) == 0;
  }

  // The bytes of a name of at most 8 bytes as one zero-padded little-endian word (0 for longer ones),
  // by fixed-size loads: two overlapping ones from 4 bytes on.
  static std::uint64_t short_word(std::string_view s) {
    const std::size_t n = s.size();
    const char* p = s.data();
    if (n > 8) return 0;
    if (n == 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      return w;
    }
    if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      return std::uint64_t{a} | (std::uint64_t{b} << (8 * (n - 4)));
    }
    std::uint64_t w = 0;
    if (n > 0) {
      w = std::uint64_t{static_cast<unsigned char>(p[0])} |
          std::uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2)) |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1));
    }
    return w;
  }

  // Eight bytes at a time, multiply-xorshift mixed; names are short. `word` is short_word(s).
  static std::uint64_t hash(std::string_view s, std::uint64_t word) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    if (s.size() > 8) {
      std::size_t i = 0;
      for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
      }
      // The last 1-8 bytes, as one load ending at the name's end (the length is already in h).
      std::memcpy(&word, s.data() + s.size() - 8, 8);
    }
    h = (h ^ word) * 0xC4CEB9FE1A85EC53ull;
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
};

}  // namespace routecheck
