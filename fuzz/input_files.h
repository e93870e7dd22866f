#pragma once
/// The files a fuzz tool reads from its arguments: a file as given, a folder's regular files sorted by
/// name (hidden ones left out: editors' and libFuzzer's lock and temp files).
#include <algorithm>
#include <filesystem>
#include <vector>

namespace routecheck::fuzz {

inline std::vector<std::filesystem::path> input_files(const std::filesystem::path& arg) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(arg)) {
    out.push_back(arg);
    return out;
  }
  for (const auto& entry : std::filesystem::directory_iterator(arg))
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace routecheck::fuzz
