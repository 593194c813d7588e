#!/usr/bin/env bash
# The Instant-NGP rows of docs/ablations/README.md at equal training time (issue 20), for an
# idle machine: the rows in the README were measured on 2 CPU cores shared with five other
# sessions, where wall-clock time is not reliable, so there each arm's steps/s came from short
# interleaved runs and the arms ran at step counts in that ratio. Here `nerds race --seconds`
# gives every arm the same training time (the engine's clock counts training steps only, not
# the test-PSNR checks), so the numbers can be re-measured directly.
#
#   docs/ablations/instant_ngp_rows.sh [OUT]      (from the repository root, after a build)
#
# Environment: NERDS (default build-nocuda/nerds, or build-cuda/nerds when it exists),
# DEVICE (cpu|cuda|auto, default auto), DATASETS (default ../shared/datasets),
# FREQ_SECONDS (default 60: the card's budget), T_SECONDS (default 180 per table size).
set -euo pipefail
OUT=${1:-runs/instant_ngp_rows}
NERDS=${NERDS:-}
if [ -z "$NERDS" ]; then
  if [ -x build-cuda/nerds ]; then NERDS=build-cuda/nerds; else NERDS=build-nocuda/nerds; fi
fi
DEVICE=${DEVICE:-auto}
DATASETS=${DATASETS:-../shared/datasets}
FREQ_SECONDS=${FREQ_SECONDS:-60}
T_SECONDS=${T_SECONDS:-180}
mkdir -p "$OUT"

# 1. Hash grid vs the paper's frequency network (Instant-NGP Table 2, App. D: 16 position
#    frequencies, density 7x256, colour 1x256, lr 1e-3; the view direction stays SH here) at
#    equal training time on lego_100, PSNR against time.
"$NERDS" race --data "$DATASETS/lego_100" --seconds "$FREQ_SECONDS" --device "$DEVICE" \
  --check-at 5,10,20,30,60,120,180,240 --check-stride 4 --test-stride 4 --thresholds 15,20,25 \
  --arm hash=instant_ngp \
  --arm frequency=instant_ngp:encoding.kind=frequency,encoding.frequencies=16,field.density_layers=7,field.density_hidden=256,field.color_layers=1,field.color_hidden=256,trainer.lr=0.001 \
  --out "$OUT/hash_vs_frequency"

# 2. Table size T = 2^14, 2^16, 2^18, 2^19 (Instant-NGP Fig. 4: error against training time)
#    and a dense multiresolution grid, on lego_400 (400 px: the finest hash levels matter).
#    Checks on 1 in 50 test views (4 views of 400x400).
"$NERDS" race --data "$DATASETS/lego_400" --seconds "$T_SECONDS" --device "$DEVICE" \
  --check-at 15,30,60,90,120,180,240,300 --check-stride 50 --test-stride 50 --thresholds 20,22,24 \
  --arm T14=instant_ngp:encoding.log2_table_size=14 \
  --arm T16=instant_ngp:encoding.log2_table_size=16 \
  --arm T18=instant_ngp:encoding.log2_table_size=18 \
  --arm T19=instant_ngp:encoding.log2_table_size=19 \
  --arm dense=instant_ngp:encoding.kind=dense \
  --out "$OUT/table_size_lego_400"

echo "written: $OUT/hash_vs_frequency/race.md, $OUT/table_size_lego_400/race.md (and race.json, race.png)"

# 3. Not timed (equal steps, as the README's other rows): NeRF's NDC toggle with the card's
#    hierarchical sampler on the forward scene.
"$NERDS" ablate --paper nerf --toggle warp.kind --steps 300 --device "$DEVICE" --out "$OUT/nerf_ndc_hierarchical"
