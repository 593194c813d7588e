#!/usr/bin/env bash
# Runs every libFuzzer target of build-fuzz/ (built by `make fuzz`) for FUZZ_SECONDS each.
#
#   bash scripts/fuzz.sh [BUILD_DIR] [TARGET...]     (default: build-fuzz, every fuzz_* there)
#   FUZZ_SECONDS=60   time per target        FUZZ_JOBS=1   parallel fuzzing processes per target
#
# Each target starts from its seeds in fuzz/corpus/<name>/ (read only) and keeps what it
# learns in BUILD_DIR/fuzz-corpus/<name>/. Limits: 2 GiB of memory, 10 s per input; any
# crash, leak, sanitizer report, timeout or out-of-memory is written to
# BUILD_DIR/fuzz-findings/<name>/ and fails the run. A finding, once fixed, belongs in
# fuzz/corpus/<name>/ (minimised: fuzz_<name> -minimize_crash=1 -runs=10000 FILE), where
# `make test` replays it.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build="${1:-build-fuzz}"
shift || true
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-1}"
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for exe in "$build"/fuzz/fuzz_*; do [ -x "$exe" ] && targets+=("${exe##*/fuzz_}"); done
fi
if [ "${#targets[@]}" -eq 0 ]; then
  echo "fuzz: no fuzz targets in $build/fuzz (run make fuzz)" >&2
  exit 1
fi

failed=()
for name in "${targets[@]}"; do
  exe="$build/fuzz/fuzz_$name"
  corpus="$build/fuzz-corpus/$name"
  findings="$build/fuzz-findings/$name"
  mkdir -p "$corpus" "$findings"
  dict=()
  [ -f "fuzz/dict/$name.dict" ] && dict=(-dict="fuzz/dict/$name.dict")
  echo "fuzz: $name for ${seconds}s"
  start=$(date +%s)
  # FUZZ_JOBS > 1: that many processes, each for the whole time, logging to fuzz-<n>.log.
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  if ! "$exe" "$corpus" "fuzz/corpus/$name" "${dict[@]}" "${parallel[@]}" -max_total_time="$seconds" \
       -rss_limit_mb=2048 -timeout=10 -max_len=16384 -artifact_prefix="$findings/" -print_final_stats=1 \
       > "$build/fuzz-$name.log" 2>&1; then
    failed+=("$name")
    echo "fuzz: $name FOUND a problem ($(( $(date +%s) - start ))s); see $build/fuzz-$name.log and $findings/"
    grep -E "ERROR:|SUMMARY:|uncaught|terminate|Test unit written" "$build/fuzz-$name.log" | head -n 8
  else
    echo "fuzz: $name ran $(( $(date +%s) - start ))s: $(grep -E '^stat::number_of_executed_units' "$build/fuzz-$name.log" | tail -n 1 | sed 's/.*: *//') inputs, nothing found"
  fi
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
