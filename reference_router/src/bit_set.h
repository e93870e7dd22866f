#pragma once
// A set of small non-negative integers (deployment indices, interned tag ids) as a bitset. Routing
// works on such sets — a group's members, the healthy ones, those a tag filter admits — and as bits
// the pipeline's set operations are a few word operations. Members below 128 live inline, so for
// most configs copying and combining sets never allocates. Iteration is ascending: config order
// for deployments.
#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

namespace routecheck {

class Bits {
 public:
  Bits() = default;
  Bits(const Bits& other) : low_{other.low_[0], other.low_[1]} {
    if (other.high_) high_ = std::make_unique<Words>(*other.high_);
  }
  Bits(Bits&&) noexcept = default;
  Bits& operator=(const Bits& other) {  // in place: no temporary when neither has members past 127
    if (this == &other) return *this;
    low_[0] = other.low_[0];
    low_[1] = other.low_[1];
    if (other.high_) {
      if (high_) *high_ = *other.high_;
      else high_ = std::make_unique<Words>(*other.high_);
    } else {
      high_.reset();
    }
    return *this;
  }
  Bits& operator=(Bits&&) noexcept = default;

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

  /// Makes this `a & b`, in place (either may be this set).
  void assign_and(const Bits& a, const Bits& b) {
    if (!a.high_ && !high_) {
      low_[0] = a.low_[0] & b.low_[0];
      low_[1] = a.low_[1] & b.low_[1];
      return;
    }
    assign_and_wide(a, b);
  }

  bool test(int i) const { return (word(static_cast<std::size_t>(i) / 64) >> (i % 64)) & 1; }
  void set(int i) {
    std::size_t w = static_cast<std::size_t>(i) / 64;
    std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (w < kLow) {
      low_[w] |= bit;
      return;
    }
    if (!high_) high_ = std::make_unique<Words>();
    if (high_->size() <= w - kLow) high_->resize(w - kLow + 1, 0);
    (*high_)[w - kLow] |= bit;
  }

  /// Removes every member.
  void clear() {
    low_[0] = low_[1] = 0;
    high_.reset();
  }

  bool empty() const {
    if (low_[0] | low_[1]) return false;
    if (high_)
      for (std::uint64_t w : *high_)
        if (w) return false;
    return true;
  }
  /// Whether there is exactly one member.
  bool single() const {
    if (high_) return count() == 1;
    const std::uint64_t a = low_[0], b = low_[1];
    if (a && b) return false;
    const std::uint64_t w = a | b;
    return w && !(w & (w - 1));
  }
  int count() const {
    int n = popcount(low_[0]) + popcount(low_[1]);
    if (high_)
      for (std::uint64_t w : *high_) n += popcount(w);
    return n;
  }
  /// The `k`-th member in ascending order (0-based); -1 when there are not that many.
  int nth(int k) const {
    for (std::size_t w = 0; w < words(); ++w) {
      std::uint64_t bits = word(w);
      int here = popcount(bits);
      if (k >= here) {
        k -= here;
        continue;
      }
      for (; k > 0; --k) bits &= bits - 1;  // drop the lowest members
      return static_cast<int>(w * 64) + std::countr_zero(bits);
    }
    return -1;
  }
  int first() const {
    if (low_[0]) return std::countr_zero(low_[0]);
    if (low_[1]) return 64 + std::countr_zero(low_[1]);
    return nth(0);
  }

  Bits& operator&=(const Bits& other) {
    low_[0] &= other.low_[0];
    low_[1] &= other.low_[1];
    if (high_)
      for (std::size_t w = 0; w < high_->size(); ++w) (*high_)[w] &= other.word(w + kLow);
    return *this;
  }
  Bits& operator|=(const Bits& other) {
    low_[0] |= other.low_[0];
    low_[1] |= other.low_[1];
    if (other.high_) {
      if (!high_) high_ = std::make_unique<Words>();
      if (high_->size() < other.high_->size()) high_->resize(other.high_->size(), 0);
      for (std::size_t w = 0; w < other.high_->size(); ++w) (*high_)[w] |= (*other.high_)[w];
    }
    return *this;
  }
  /// Removes the members of `other`.
  Bits& operator-=(const Bits& other) {
    low_[0] &= ~other.low_[0];
    low_[1] &= ~other.low_[1];
    if (high_)
      for (std::size_t w = 0; w < high_->size(); ++w) (*high_)[w] &= ~other.word(w + kLow);
    return *this;
  }
  friend Bits operator&(Bits a, const Bits& b) {
    a &= b;
    return a;
  }
  friend Bits operator|(Bits a, const Bits& b) {
    a |= b;
    return a;
  }
  friend Bits operator-(Bits a, const Bits& b) {
    a -= b;
    return a;
  }
  /// Whether the sets share a member (`!(a & b).empty()` without building the intersection).
  bool intersects(const Bits& other) const {
    if ((low_[0] & other.low_[0]) | (low_[1] & other.low_[1])) return true;
    if (high_)
      for (std::size_t w = 0; w < high_->size(); ++w)
        if ((*high_)[w] & other.word(w + kLow)) return true;
    return false;
  }


  /// Calls `f(member)` in ascending order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < words(); ++w)
      for (std::uint64_t bits = word(w); bits; bits &= bits - 1) f(static_cast<int>(w * 64) + std::countr_zero(bits));
  }
  std::vector<int> to_vector() const {
    std::vector<int> out;
    for_each([&](int i) { out.push_back(i); });
    return out;
  }

 private:
  using Words = std::vector<std::uint64_t>;
  static constexpr std::size_t kLow = 2;

  // Sets are sparse words: counting bit by bit beats a library call where the CPU's popcnt is not
  // assumed (the default x86-64 target).
  static int popcount(std::uint64_t w) {
    int n = 0;
    for (; w; w &= w - 1) ++n;
    return n;
  }
  // assign_and with members past 127: out of line, so the common case inlines.
  [[gnu::noinline]] void assign_and_wide(const Bits& a, const Bits& b) {
    Bits both(a);
    both &= b;
    *this = std::move(both);
  }
  std::size_t words() const { return kLow + (high_ ? high_->size() : 0); }
  std::uint64_t word(std::size_t w) const {
    if (w < kLow) return low_[w];
    return high_ && w - kLow < high_->size() ? (*high_)[w - kLow] : 0;
  }

  std::uint64_t low_[kLow] = {0, 0};  // members 0..127
  std::unique_ptr<Words> high_;       // words for members from 128 on; null until one is set
};

}  // namespace routecheck
