#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: compiles routecheck's fuzz targets with the environment's CC, CXX,
# CFLAGS, CXXFLAGS and LIB_FUZZING_ENGINE, and puts each target, its <target>_seed_corpus.zip and its
# dictionary (<target>.dict) in $OUT. Compiled dependencies are built from source first (libc++).
# It also runs outside Docker: set SRC (a folder for dependency checkouts), OUT, WORK and the compiler
# variables; see fuzz/README.md.
: "${SRC:?}" "${OUT:?}" "${WORK:?}" "${CXX:?}" "${LIB_FUZZING_ENGINE:?}"
CFLAGS=${CFLAGS:-} CXXFLAGS=${CXXFLAGS:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." 2>/dev/null && pwd)
[ -f "$here/fuzz/CMakeLists.txt" ] || here="$SRC/routecheck"
prefix="$WORK/deps"
mkdir -p "$prefix" "$OUT"

dep() {  # dep NAME SOURCE_DIR CMAKE_ARGS...: build and install one dependency with the fuzzing flags
  local name=$1 src=$2; shift 2
  [ -d "$src" ] || { echo "build.sh: $name sources not found in $src" >&2; return 1; }
  cmake -S "$src" -B "$WORK/build-$name" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON "$@" >/dev/null
  cmake --build "$WORK/build-$name" -j "$(nproc)" --target install >/dev/null
}

if [ "${ROUTECHECK_SYSTEM_DEPS:-0}" != 1 ]; then
  dep nlohmann-json "$SRC/nlohmann-json" -DJSON_BuildTests=OFF
  dep yaml-cpp "$SRC/yaml-cpp" -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF
  dep cli11 "$SRC/cli11" -DCLI11_BUILD_TESTS=OFF -DCLI11_BUILD_EXAMPLES=OFF -DCLI11_BUILD_DOCS=OFF
  dep googletest "$SRC/googletest" -DBUILD_GMOCK=ON -DINSTALL_GTEST=ON
  dep rapidcheck "$SRC/rapidcheck" -DRC_INSTALL_ALL_EXTRAS=ON
fi

# Sanitizer and coverage flags come from CXXFLAGS (the whole build is instrumented, as OSS-Fuzz wants);
# the engine comes from LIB_FUZZING_ENGINE.
cmake -S "$here" -B "$WORK/build-routecheck" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_PREFIX_PATH="$prefix" \
  -DROUTECHECK_FUZZ=ON -DROUTECHECK_SANITIZE=OFF -DROUTECHECK_BENCHMARKS=OFF \
  -DROUTECHECK_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
targets=(config scenario cli_args oracle)
cmake --build "$WORK/build-routecheck" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

for t in "${targets[@]}"; do
  cp "$WORK/build-routecheck/fuzz/${t}_fuzz" "$OUT/"
  cp "$here/fuzz/$t.dict" "$OUT/${t}_fuzz.dict"
  rm -f "$OUT/${t}_fuzz_seed_corpus.zip"
  seeds=("$here/corpus/$t" "$here/corpus/regressions/$t")
  [ "$t" = oracle ] && seeds+=("$here/corpus/scenarios" "$here/corpus/spec-coverage")
  files=()
  for d in "${seeds[@]}"; do [ -d "$d" ] && for f in "$d"/*; do [ -f "$f" ] && files+=("$f"); done; done
  [ ${#files[@]} -gt 0 ] && zip -q -j "$OUT/${t}_fuzz_seed_corpus.zip" "${files[@]}"
done
echo "build.sh: $(ls "$OUT" | wc -l) files in $OUT"
