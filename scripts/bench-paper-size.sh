#!/usr/bin/env bash
# Training throughput at the Instant-NGP paper's model size (BENCH.md: 16 levels x 2 features,
# table 2^19, resolutions 16 to 2048, density MLP 32-64-16, color MLP 32-64-64-3) on lego_100,
# at the default batch (2^15 samples) and at the paper's (2^18), as `nerds bench` JSON.
# Run it on an IDLE machine (nothing else running: two heavy processes halve each other), from
# the repository root, after a Release build:
#   scripts/bench-paper-size.sh [build dir, default build-nocuda] [seconds, default 60] [repeats, default 3]
# It writes runs/bench-paper-size/<batch>-<k>.json and prints each run's samples/s, the
# median per batch, and the machine (lscpu model, cores). Issue 14's target: >= 1.2 M samples/s.
set -euo pipefail
build=${1:-build-nocuda}
seconds=${2:-60}
repeats=${3:-3}
data=${NERDS_DATA:-../shared/datasets/lego_100}
out=runs/bench-paper-size
mkdir -p "$out"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ)"
for k in $(seq 1 "$repeats"); do
  # Interleaved, so that a disturbance hits both batch sizes alike.
  for batch in 32768 262144; do
    "$build/nerds" bench --data "$data" --seconds "$seconds" --test-stride 8 \
      --set encoding.max_resolution=2048 --set trainer.batch_samples=$batch > "$out/$batch-$k.json"
  done
done
/usr/bin/python3 - "$out" "$repeats" <<'PY'
import json, statistics, sys
out, repeats = sys.argv[1], int(sys.argv[2])
for batch in (32768, 262144):
    runs = [json.load(open(f"{out}/{batch}-{k}.json")) for k in range(1, repeats + 1)]
    sps = [r["samples_per_second"] for r in runs]
    print(f"batch {batch}: samples/s " + ", ".join(f"{s / 1e6:.3f}M" for s in sps) +
          f"; median {statistics.median(sps) / 1e6:.3f}M; steps " + ", ".join(str(r["steps"]) for r in runs) +
          "; PSNR " + ", ".join(f"{r['psnr']:.2f}" for r in runs) + " dB; stage seconds (last run) " +
          json.dumps(runs[-1]["stage_seconds"]))
PY
