#pragma once
/// Small RapidCheck building blocks that shrink the way routecheck wants: toward "absent", "no", and the
/// first (simplest) choice. RapidCheck's own `weightedElement`/`oneOf` do not shrink between choices.
#include <rapidcheck.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace routecheck::generators {

/// An int in [min, max), uniform whatever RapidCheck's size (gen::inRange only reaches large values at
/// large sizes, which would hide most features from the first half of a run); shrinks toward min.
inline rc::Gen<int> uniform(int min, int max) {
  return [min, max](const rc::Random& random, int) {
    int value = min + static_cast<int>(rc::Random(random).next() % static_cast<std::uint64_t>(max - min));
    return rc::shrinkable::shrinkRecur(value, [min](int x) { return rc::shrink::towards<int>(x, min); });
  };
}

/// `true` with `percent`% probability; shrinks to `false`.
inline rc::Gen<bool> chance(int percent) {
  return rc::gen::map(uniform(0, 100), [percent](int x) { return x >= 100 - percent; });
}

/// One of `choices`, drawn by weight; shrinks toward the first choice.
template <typename T>
rc::Gen<T> weighted(std::vector<std::pair<int, T>> choices) {
  int total = 0;
  for (const auto& c : choices) total += c.first;
  return rc::gen::map(uniform(0, total), [choices](int x) {
    for (const auto& [weight, value] : choices) {
      if (x < weight) return value;
      x -= weight;
    }
    return choices.back().second;
  });
}

/// A value from `gen` present with `percent`% probability; shrinks to absent first, then the value.
template <typename T>
rc::Gen<std::optional<T>> sometimes(int percent, rc::Gen<T> gen) {
  return rc::gen::map(rc::gen::pair(chance(percent), std::move(gen)), [](std::pair<bool, T> p) {
    return p.first ? std::optional<T>(std::move(p.second)) : std::nullopt;
  });
}

/// Between `min` and `max` (inclusive) values of `gen`; shrinks toward `min` values, each value on its own.
template <typename T>
rc::Gen<std::vector<T>> between(int min, int max, rc::Gen<T> gen) {
  return rc::gen::map(rc::gen::pair(uniform(min, max + 1),
                                    rc::gen::container<std::vector<T>>(static_cast<std::size_t>(max), std::move(gen))),
                      [](std::pair<int, std::vector<T>> p) {
                        p.second.resize(static_cast<std::size_t>(p.first));
                        return std::move(p.second);
                      });
}

/// A subset of `alphabet`, in alphabet order, each member with `percent`% probability; shrinks toward fewer.
inline rc::Gen<std::vector<std::string>> subset_of(std::vector<std::string> alphabet, int percent) {
  return rc::gen::map(rc::gen::container<std::vector<bool>>(alphabet.size(), chance(percent)),
                      [alphabet](const std::vector<bool>& in) {
                        std::vector<std::string> out;
                        for (std::size_t i = 0; i < alphabet.size(); ++i)
                          if (in[i]) out.push_back(alphabet[i]);
                        return out;
                      });
}

}  // namespace routecheck::generators
