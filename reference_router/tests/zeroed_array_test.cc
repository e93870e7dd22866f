// ZeroedArray (src/zeroed_array.h), the per-deployment scratch of one exploration: every element reads
// zero however much of the inline storage its size needs (whole blocks of 8), and past it on the heap,
// even over memory that held other bytes; each element keeps what is written to it.
#include <gtest/gtest.h>

#include <new>

#include "../src/zeroed_array.h"

namespace routecheck {
namespace {

// Out of line, so the compiler reads the elements as memory rather than reasoning about the constructor.
[[gnu::noinline]] ZeroedArray<int, 16>* make_counts(void* storage, std::size_t n) {
  return new (storage) ZeroedArray<int, 16>(n);
}

TEST(ZeroedArray, EveryElementStartsAtZeroOverDirtyMemoryAndKeepsItsOwnValue) {
  for (std::size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 40}) {
    alignas(ZeroedArray<int, 16>) unsigned char storage[sizeof(ZeroedArray<int, 16>)];
    // What an earlier exploration left on the stack, written through volatile so the compiler keeps the
    // stores although a constructor runs over them next.
    volatile unsigned char* dirty = storage;
    for (std::size_t i = 0; i < sizeof storage; ++i) dirty[i] = 0xA5;
    ZeroedArray<int, 16>* counts = make_counts(storage, n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ((*counts)[i], 0) << "n " << n << ", element " << i;
    for (std::size_t i = 0; i < n; ++i) (*counts)[i] += static_cast<int>(i) + 1;
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ((*counts)[i], static_cast<int>(i) + 1) << "n " << n;
    counts->~ZeroedArray();
  }
}

}  // namespace
}  // namespace routecheck
