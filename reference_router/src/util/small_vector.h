#pragma once
// A vector of trivially copyable values that keeps its first N elements inline: the per-branch
// scratch of a simulation (counters per deployment, bitset words) then never touches the heap.
#include <array>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace routecheck {

template <class T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "SmallVector holds plain values only");

 public:
  SmallVector() = default;
  SmallVector(std::size_t n, T value) { resize(n, value); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return spilled() ? heap_.data() : inline_.data(); }
  const T* data() const { return spilled() ? heap_.data() : inline_.data(); }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }

  void push_back(T value) {
    if (!spilled() && size_ == N) heap_.assign(inline_.begin(), inline_.end());
    if (spilled()) heap_.push_back(value);
    else inline_[size_] = value;
    ++size_;
  }

  /// Grows to `n` elements, new ones set to `value`; never shrinks.
  void resize(std::size_t n, T value) {
    if (n <= size_) return;
    if (!spilled() && n <= N) {
      for (std::size_t i = size_; i < n; ++i) inline_[i] = value;
    } else {
      if (!spilled()) heap_.assign(inline_.begin(), inline_.begin() + size_);
      heap_.resize(n, value);
    }
    size_ = n;
  }

 private:
  bool spilled() const { return !heap_.empty(); }

  std::array<T, N> inline_{};
  std::vector<T> heap_;  // holds every element once the size has passed N
  std::size_t size_ = 0;
};

}  // namespace routecheck
