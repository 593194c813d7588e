#!/usr/bin/env bash
# Executes every notebook of notebooks/ top to bottom with Debian's jupyter-nbconvert and
# fails (non-zero) if any cell of any notebook fails. The executed copies (with outputs) go
# to an output folder; the notebooks in the repository stay without outputs.
#
#   notebooks/run_notebooks.sh [BUILD_DIR] [OUT_DIR]
#     BUILD_DIR  the CMake build folder holding python/nerds/ (default: build)
#     OUT_DIR    where executed copies are written (default: a new folder under /tmp)
#   NOTEBOOKS="01_volume_rendering.ipynb ..."  runs only those; NOTEBOOK_TIMEOUT: seconds per cell.
#   NERDS_NOTEBOOK_QUICK=1  quick mode (the CI test notebooks.quick): every cell runs, on tiny
#                           scenes with a few training steps (each notebook's first code cell reads it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
out="${2:-$(mktemp -d /tmp/nerds-notebooks.XXXXXX)}"
build="$(cd "$build" 2>/dev/null && pwd)" || { echo "run_notebooks: no build folder ${1:-$root/build}" >&2; exit 2; }

if [ ! -d "$build/python/nerds" ]; then
  echo "run_notebooks: $build/python/nerds is missing: build the Python module first" >&2
  echo "  (cmake -DPython_EXECUTABLE=/usr/bin/python3 ...; needs pybind11-dev and python3-numpy)" >&2
  exit 2
fi
if ! command -v jupyter-nbconvert > /dev/null; then
  echo "run_notebooks: jupyter-nbconvert is missing (Debian: jupyter-nbconvert python3-nbclient python3-ipykernel)" >&2
  exit 2
fi

# Debian's python3 (the one the module was built for) and its kernel, even where another
# python shadows it on PATH.
export PATH="/usr/bin:$PATH"
export PYTHONPATH="$build/python${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$out"

if [ -n "${NOTEBOOKS:-}" ]; then
  read -r -a books <<< "$NOTEBOOKS"
  books=("${books[@]/#/$here/}")
else
  books=("$here"/*.ipynb)
fi

if [ "${NERDS_NOTEBOOK_QUICK:-0}" != "0" ] && [ -n "${NERDS_NOTEBOOK_QUICK:-}" ]; then
  echo "run_notebooks: quick mode (NERDS_NOTEBOOK_QUICK=$NERDS_NOTEBOOK_QUICK): tiny scenes, few steps"
fi
all_start=$(date +%s)
failed=()
for nb in "${books[@]}"; do
  name="$(basename "$nb")"
  start=$(date +%s)
  echo "== $name"
  # Runs in notebooks/ (so relative paths resolve as in Jupyter); any failing cell fails it.
  if (cd "$here" && jupyter-nbconvert --to notebook --execute --output-dir "$out" \
        --ExecutePreprocessor.timeout="${NOTEBOOK_TIMEOUT:-900}" --ExecutePreprocessor.kernel_name=python3 \
        "$nb" > "$out/${name%.ipynb}.log" 2>&1); then
    echo "   ok in $(( $(date +%s) - start )) s -> $out/$name"
  else
    echo "   FAILED after $(( $(date +%s) - start )) s; the last lines of $out/${name%.ipynb}.log:" >&2
    tail -n 25 "$out/${name%.ipynb}.log" >&2
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run_notebooks: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "run_notebooks: all ${#books[@]} notebook(s) ran in $(( $(date +%s) - all_start )) s (executed copies in $out)"
