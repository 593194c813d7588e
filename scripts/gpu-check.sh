#!/usr/bin/env bash
# GPU check, for a machine with an NVIDIA H200 (Hopper, compute capability 9.0): builds
# NerdsNeRF with the CUDA backend for sm_90 into build-gpu/, runs the GPU tests (the doctest
# cases whose name starts with "gpu"), then trains lego_400 for 60 s on the GPU and prints
# `nerds bench`'s JSON. The whole run stays under 8 minutes (each step runs under `timeout`).
#
# It is meant for the `device` tool, which sends the checkout and the ignored paths named in
# `carry`, nothing beside it: ../shared/datasets does not travel, and the machine there can
# download nothing (no apt). So, once, here, from the repository root:
#
#   bash scripts/gpu-check.sh --prepare
#
# which does, in the git-ignored folder data_cache/ (about 52 MB; the device tool takes 64 MiB):
#   mkdir -p data_cache && cp -r ../shared/datasets/lego_400 data_cache/
#   (cd data_cache/debs && apt-get download <the build's header-only packages, stb, pkgconf>)
# The packages are unpacked under /tmp on the GPU machine and used only there, in case its
# image lacks them. Then call the device tool with
#   command: bash scripts/gpu-check.sh     carry: ["data_cache"]     timeout_s: 540
# The logs and bench.json are written under $OUT, so they come back with the reply; the
# reply's output ends with a summary of the steps.
#
# Usage: scripts/gpu-check.sh [DATA_DIR]      DATA_DIR (else $NERDS_DATA, else data_cache) holds
#                                             lego_400/ and, optionally, debs/
#        scripts/gpu-check.sh --prepare [SHARED_DATASETS]     (default ../shared/datasets)
set -uo pipefail  # no -e: a failed step is recorded and the steps that can still run do
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The build needs these from Debian; the rest (compiler, CMake, CUDA) is on the GPU image.
bundle_packages=(libeigen3-dev nlohmann-json3-dev libcli11-dev doctest-dev libstb-dev libstb0
                 pkgconf-bin libpkgconf3)

prepare() {
  set -e
  local shared=${1:-../shared/datasets}
  mkdir -p data_cache/debs
  if [ -f data_cache/lego_400/transforms_test.json ]; then
    echo "prepare: data_cache/lego_400 is there already"
  else
    # The shared copy is read-only: give the copy ordinary modes so it can be replaced later.
    cp -R --no-preserve=mode,ownership "$shared/lego_400" data_cache/
  fi
  local p missing=()
  for p in "${bundle_packages[@]}"; do
    compgen -G "data_cache/debs/${p}_*.deb" >/dev/null || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    (cd data_cache/debs && apt-get download "${missing[@]}")
  fi
  echo "prepare: $(du -sh data_cache | cut -f1) in data_cache/ (the device tool carries 64 MiB in all)"
  echo "prepare: now run the device tool: command 'bash scripts/gpu-check.sh', carry [\"data_cache\"]"
}

if [ "${1:-}" = "--prepare" ]; then
  shift
  prepare "$@"
  exit
fi

data=${1:-${NERDS_DATA:-data_cache}}
logs=${OUT:-build-gpu/check}
mkdir -p "$logs"
budget=480  # seconds for the whole check
started=$SECONDS

# Seconds a step may take: its cap, less what must stay in reserve for the later steps.
step_limit() {
  local cap=$1 reserve=${2:-0} left
  left=$((budget - (SECONDS - started) - reserve))
  if [ "$left" -lt "$cap" ]; then cap=$left; fi
  if [ "$cap" -lt 5 ]; then cap=5; fi
  echo "$cap"
}

summary=()
failed=0
record() {  # record STEP STATUS [NOTE]
  summary+=("$(printf '%-12s %-6s %s' "$1" "$2" "${3:-}")")
  if [ "$2" != ok ]; then failed=1; fi
}
finish() {
  echo
  echo "== gpu-check summary ($((SECONDS - started)) s; logs in $logs)"
  printf '%s\n' "${summary[@]}"
  exit "$failed"
}
status_of() {  # the word for an exit code: ok, timeout or failed
  case "$1" in 0) echo ok ;; 124 | 137) echo timeout ;; *) echo failed ;; esac
}

if [ ! -f "$data/lego_400/transforms_train.json" ]; then
  echo "gpu-check: no $data/lego_400: run 'bash scripts/gpu-check.sh --prepare' here, then pass" \
    "carry [\"data_cache\"] to the device tool (see the top of this script)" >&2
  record data failed "no $data/lego_400"
  finish
fi

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || echo "no nvidia-smi"
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH=/usr/local/cuda/bin:$PATH
fi
echo "nvcc: $(nvcc --version 2>&1 | tail -n 1); cmake: $(cmake --version | head -n 1); $(nproc) cores"

# Debian's packages from data_cache/debs, unpacked under /tmp (never over /) and found first.
if compgen -G "$data/debs/*.deb" >/dev/null; then
  prefix=/tmp/nerds-deps
  rm -rf "$prefix" && mkdir -p "$prefix"
  for deb in "$data"/debs/*.deb; do dpkg-deb -x "$deb" "$prefix"; done
  # They were built to live in /usr: point the few files that say so at the new place.
  find "$prefix" -name '*.pc' -exec sed -i "s|^prefix=/usr\$|prefix=$prefix/usr|" {} +
  find "$prefix" -name '*.cmake' -exec sed -i "s|_IMPORT_PREFIX \"/usr\")|_IMPORT_PREFIX \"$prefix/usr\")|" {} +
  lib=$prefix/usr/lib/x86_64-linux-gnu
  export CMAKE_PREFIX_PATH=$prefix/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}
  export PKG_CONFIG_PATH=$lib/pkgconfig:$prefix/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
  export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  if ! command -v pkg-config >/dev/null 2>&1; then
    mkdir -p "$prefix/bin" && ln -sf "$prefix/usr/bin/pkgconf" "$prefix/bin/pkg-config"
    export PATH=$prefix/bin:$PATH
  fi
  echo "packages: $(ls "$data"/debs/*.deb | wc -l) Debian packages unpacked under $prefix"
else
  echo "packages: no $data/debs: using the system's"
fi

echo "== build (build-gpu/, sm_90)"
generator=()
if [ ! -f build-gpu/CMakeCache.txt ] && command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
timeout "$(step_limit 90 240)" cmake -S . -B build-gpu "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DNERDS_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 >"$logs/build.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
  timeout "$(step_limit 300 150)" cmake --build build-gpu -j"$(nproc)" >>"$logs/build.log" 2>&1
  rc=$?
fi
record build "$(status_of "$rc")" "configure + compile, log build.log"
if [ "$rc" -ne 0 ]; then
  tail -n 60 "$logs/build.log"
  finish
fi

echo "== GPU tests (ctest -R ^gpu)"
# The lego test case reads lego_400 (downscaled to 100 px) from here.
NERDS_DATA=$(cd "$data" && pwd)
export NERDS_DATA
timeout "$(step_limit 120 110)" ctest --test-dir build-gpu -R '^gpu' --no-tests=error --output-on-failure \
  --timeout 100 -j4 >"$logs/gpu-tests.log" 2>&1
rc=$?
grep -E '^(Test project|[0-9]+% tests passed|The following tests FAILED|[[:space:]]+[0-9]+ - )' \
  "$logs/gpu-tests.log" | tail -n 20
[ "$rc" -ne 0 ] && tail -n 40 "$logs/gpu-tests.log"
record gpu-tests "$(status_of "$rc")" \
  "$(grep -Eo '[0-9]+% tests passed.*|No tests were found' "$logs/gpu-tests.log" | tail -n 1), log gpu-tests.log"

echo "== lego_400, 60 s of training on the GPU"
timeout "$(step_limit 150)" ./build-gpu/nerds bench --data "$data/lego_400" --seconds 60 --device cuda \
  --test-stride 8 >"$logs/bench.json" 2>"$logs/bench.log"
rc=$?
cat "$logs/bench.json"
echo
[ "$rc" -ne 0 ] && tail -n 30 "$logs/bench.log"
record bench "$(status_of "$rc")" \
  "$(grep -Eo '"(psnr|samples_per_second)" *: *[0-9.e+]+' "$logs/bench.json" | tr '\n' ' ')log bench.json, bench.log"

finish
