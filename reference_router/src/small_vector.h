#pragma once
// A vector of trivially copyable values that keeps its first N elements inline: the per-branch
// scratch of a simulation (counters per deployment, bitset words) then never touches the heap.
#include <algorithm>
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
  // Copies only the live elements: the inline storage beyond them is left uninitialised.
  SmallVector(const SmallVector& other) : heap_(other.heap_), size_(other.size_) {
    if (!spilled()) std::copy(other.inline_.items, other.inline_.items + size_, inline_.items);
  }
  SmallVector& operator=(const SmallVector& other) {
    heap_ = other.heap_;
    size_ = other.size_;
    if (!spilled()) std::copy(other.inline_.items, other.inline_.items + size_, inline_.items);
    return *this;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return spilled() ? heap_.data() : inline_.items; }
  const T* data() const { return spilled() ? heap_.data() : inline_.items; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }

  void push_back(T value) {
    if (!spilled() && size_ == N) heap_.assign(inline_.items, inline_.items + N);
    if (spilled()) heap_.push_back(value);
    else inline_.items[size_] = value;
    ++size_;
  }

  /// Grows to `n` elements, new ones set to `value`; never shrinks.
  void resize(std::size_t n, T value) {
    if (n <= size_) return;
    if (!spilled() && n <= N) {
      for (std::size_t i = size_; i < n; ++i) inline_.items[i] = value;
    } else {
      if (!spilled()) heap_.assign(inline_.items, inline_.items + size_);
      heap_.resize(n, value);
    }
    size_ = n;
  }

 private:
  bool spilled() const { return !heap_.empty(); }

  // The first N elements; only [0, size_) is initialised (a union: T's default member initialisers
  // do not run for the unused slots).
  union Inline {
    Inline() {}
    T items[N];
  } inline_;
  std::vector<T> heap_;  // holds every element once the size has passed N
  std::size_t size_ = 0;
};

}  // namespace routecheck
