#pragma once
// Per-deployment scratch (an exploration's fault queues, a branch's call counts): n zeroed scalars, the first N
// inline. Zeroed in whole blocks of constant size, which compile to a few vector stores, where a fill of
// n elements compiles to a loop, a memset call or `rep stos` (slow to start on this CPU). Read and written
// through one pointer: no check of where the elements live.
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

namespace routecheck {

template <class T, std::size_t N>
class ZeroedArray {
  static_assert(std::is_scalar_v<T>, "zero bytes are the zero value only for scalars");
  static constexpr std::size_t kBlock = 8;
  static_assert(N % kBlock == 0, "the inline storage is whole blocks");

 public:
  explicit ZeroedArray(std::size_t n) {
    if (n > N) {
      heap_.assign(n, T{});
      items_ = heap_.data();
      return;
    }
    for (std::size_t b = 0; b < n; b += kBlock) std::memset(inline_ + b, 0, sizeof(T) * kBlock);
  }
  ZeroedArray(const ZeroedArray&) = delete;  // items_ may point into this object
  ZeroedArray& operator=(const ZeroedArray&) = delete;

  T& operator[](std::size_t i) { return items_[i]; }
  const T& operator[](std::size_t i) const { return items_[i]; }

 private:
  T inline_[N];          // up to N elements; zeroed only as far as the blocks they need
  std::vector<T> heap_;  // more than N
  T* items_ = inline_;   // inline_ or heap_.data()
};

}  // namespace routecheck
