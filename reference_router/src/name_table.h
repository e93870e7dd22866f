#pragma once
// A map from names (deployment ids, group names, tags) to small values, built once per config and
// read on every request: open addressing over a short hash of the name, so a lookup hashes the name
// once and compares it with one stored name in the usual case. (libstdc++'s unordered_map compares
// the name with every stored one while it holds 20 or fewer: most configs.)
//
// Each slot holds a 64-bit tag. A name of at most 7 bytes is its own tag (its bytes, zero-padded, with
// its length in the top byte), so finding one is a single compare with the slot's tag: no stored
// string is read. A longer name's tag is its hash with the top byte 0xFF, confirmed by comparing the
// stored name. Top bytes 0-7, 0xFF and kEmpty's 0x80 never meet, so one compare tells them apart.
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
    if (key.size() > kMaxShort) return find_long(key);
    const std::uint64_t tag = short_tag(key);
    if (mask_ == 0) return nullptr;  // no slots yet (a table has at least 16 once it has any)
    const Slot* slots = slots_.data();
    for (std::size_t i = position(tag);; i = (i + 1) & mask_) {
      const Slot& s = slots[i];
      if (s.tag == tag) return &s.value;
      if (s.tag == kEmpty) return nullptr;
    }
  }
  /// The value stored for `key`, inserted as V{} first when absent; `added` tells which. The reference
  /// holds until the next insert.
  V& insert(std::string_view key, bool& added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::uint64_t tag = tag_of(key);
    std::size_t i = position(tag);
    for (;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.tag == kEmpty) break;
      if (s.tag == tag && (key.size() <= kMaxShort || stored_name_is(s, key))) {
        added = false;
        return s.value;
      }
    }
    slots_[i] = Slot{tag, static_cast<std::uint32_t>(keys_.size()), V{}};
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
  static constexpr std::size_t kMaxShort = 7;  // the longest name that is its own tag
  static_assert(kMaxShort < 8, "a short tag's top byte holds the length, not a byte of the name");
  static constexpr std::uint64_t kEmpty = std::uint64_t{0x80} << 56;
  static constexpr std::uint64_t kLong = std::uint64_t{0xFF} << 56;

  struct Slot {
    std::uint64_t tag = kEmpty;
    std::uint32_t entry = 0;  // index into keys_
    V value{};
  };

  // A name of at most 7 bytes as one word: its bytes zero-padded (little-endian, by two overlapping
  // fixed-size loads, one from each end), its length in the top byte, so names with NUL bytes or of
  // different lengths stay apart.
  static std::uint64_t short_tag(std::string_view s) {
    const std::size_t n = s.size();
    const char* p = s.data();
    std::uint64_t w = 0;
    if (n >= 4) {
      w = ends<std::uint32_t>(p, n);
    } else if (n >= 2) {
      w = ends<std::uint16_t>(p, n);
    } else if (n == 1) {
      w = static_cast<unsigned char>(p[0]);
    }
    return w | (std::uint64_t{n} << 56);
  }
  // The `n` bytes at `p` (sizeof(Word) <= n <= 2 * sizeof(Word)) as one zero-padded word.
  template <class Word>
  static std::uint64_t ends(const char* p, std::size_t n) {
    Word first, last;
    std::memcpy(&first, p, sizeof first);
    std::memcpy(&last, p + n - sizeof last, sizeof last);
    return std::uint64_t{first} | (std::uint64_t{last} << (8 * (n - sizeof last)));
  }

  // A longer name's tag: eight bytes at a time, multiply-xorshift mixed, top byte 0xFF.
  static std::uint64_t long_tag(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    // The last 1-8 bytes, as one load ending at the name's end (the length is already in h).
    std::uint64_t w;
    std::memcpy(&w, s.data() + s.size() - 8, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    return h | kLong;
  }

  static std::uint64_t tag_of(std::string_view s) { return s.size() <= kMaxShort ? short_tag(s) : long_tag(s); }

  // Where a tag's probe starts: a short name's tag is its bytes, so it is mixed first.
  std::size_t position(std::uint64_t tag) const {
    std::uint64_t h = tag * 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(h ^ (h >> 32)) & mask_;
  }

  bool stored_name_is(const Slot& s, std::string_view key) const { return keys_[s.entry] == key; }

  // Names longer than 7 bytes: the tag picks the slot, the stored name confirms it. Out of line, so
  // that find() stays small enough to inline where it is called.
  [[gnu::noinline]] const V* find_long(std::string_view key) const {
    if (mask_ == 0) return nullptr;  // no slots yet
    const std::uint64_t tag = long_tag(key);
    for (std::size_t i = position(tag);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.tag == tag && stored_name_is(s, key)) return &s.value;
      if (s.tag == kEmpty) return nullptr;
    }
  }

  void rehash(std::size_t size) {
    std::vector<Slot> slots(size);
    mask_ = size - 1;
    for (const Slot& s : slots_) {
      if (s.tag == kEmpty) continue;
      std::size_t i = position(s.tag);
      while (slots[i].tag != kEmpty) i = (i + 1) & mask_;
      slots[i] = s;
    }
    slots_ = std::move(slots);
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  std::size_t mask_ = 0;     // slots_.size() - 1, kept so a lookup does not divide by the slot size
  std::vector<std::string> keys_;
};

}  // namespace routecheck
