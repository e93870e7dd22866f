#pragma once
// A set of small non-negative integers (deployment indices, interned tag ids) as a bitset. Routing
// works on such sets — a group's members, the healthy ones, those a tag filter admits — and as bits
// the pipeline's set operations are a few word operations with no allocation (up to 128 members
// inline). Iteration is in ascending order, which is config order for deployments.
#include <bit>
#include <cstdint>
#include <vector>

#include "util/small_vector.h"

namespace routecheck {

class Bits {
 public:
  Bits() = default;
  static Bits of(const std::vector<int>& members) {
    Bits b;
    for (int i : members) b.set(i);
    return b;
  }
  static Bits single(int member) {
    Bits b;
    b.set(member);
    return b;
  }

  bool test(int i) const {
    std::size_t w = static_cast<std::size_t>(i) / 64;
    return w < words_.size() && ((words_[w] >> (i % 64)) & 1);
  }
  void set(int i) {
    std::size_t w = static_cast<std::size_t>(i) / 64;
    words_.resize(w + 1, 0);
    words_[w] |= std::uint64_t{1} << (i % 64);
  }

  bool empty() const {
    for (std::uint64_t w : words_)
      if (w) return false;
    return true;
  }
  int count() const {
    int n = 0;
    for (std::uint64_t w : words_) n += std::popcount(w);
    return n;
  }
  /// The `k`-th member in ascending order (0-based); -1 when there are not that many.
  int nth(int k) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t bits = words_[w];
      int here = std::popcount(bits);
      if (k >= here) {
        k -= here;
        continue;
      }
      for (; k > 0; --k) bits &= bits - 1;  // drop the lowest members
      return static_cast<int>(w * 64) + std::countr_zero(bits);
    }
    return -1;
  }
  int first() const { return nth(0); }

  Bits& operator&=(const Bits& other) {
    for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= w < other.words_.size() ? other.words_[w] : 0;
    return *this;
  }
  Bits& operator|=(const Bits& other) {
    words_.resize(other.words_.size(), 0);
    for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] |= other.words_[w];
    return *this;
  }
  /// Removes the members of `other`.
  Bits& operator-=(const Bits& other) {
    for (std::size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) words_[w] &= ~other.words_[w];
    return *this;
  }
  friend Bits operator&(Bits a, const Bits& b) { return a &= b; }
  friend Bits operator|(Bits a, const Bits& b) { return a |= b; }
  friend Bits operator-(Bits a, const Bits& b) { return a -= b; }

  /// Calls `f(member)` in ascending order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < words_.size(); ++w)
      for (std::uint64_t bits = words_[w]; bits; bits &= bits - 1)
        f(static_cast<int>(w * 64) + std::countr_zero(bits));
  }
  std::vector<int> to_vector() const {
    std::vector<int> out;
    for_each([&](int i) { out.push_back(i); });
    return out;
  }

 private:
  SmallVector<std::uint64_t, 2> words_;
};

}  // namespace routecheck
