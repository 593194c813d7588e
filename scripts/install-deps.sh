#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that NerdsNeRF's build, tests and viewer need.
#
# Idempotent and offline-safe: each package is checked with dpkg first; when all are installed
# the script exits at once without touching the network. Only when one is missing does it run
# `apt-get update` and install the missing ones. Runs apt-get directly as root, else via sudo.
#
# Usage: bash scripts/install-deps.sh        (also run by `make deps`, `make demo`, `make test`)
#        bash scripts/install-deps.sh --fuzz (`make fuzz`: only the fuzzing toolchain below)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git  # toolchain
  libeigen3-dev                         # CPU backend: MLP GEMMs
  nlohmann-json3-dev                    # method files, transforms.json, snapshots, bench output
  libcli11-dev                          # the `nerds` command line
  doctest-dev                           # tests
  libstb-dev                            # PNG/JPG reading and writing
  libtinyobjloader-dev libglm-dev       # scene geometry and math for the viewer
  libglfw3-dev libimgui-dev             # the viewer window and panels
  xvfb xauth libgl1-mesa-dri            # headless OpenGL for the viewer tests
  ffmpeg                                # `nerds render --path ... --video`: camera paths to MP4;
                                        # `nerds capture VIDEO`: a video's frames (and ffprobe)
  colmap                                # `nerds capture`: camera poses of one's photos (CPU SIFT)
  pybind11-dev python3-dev python3-numpy  # the Python module
  python3-pytest                        # its tests
  python3-matplotlib jupyter-nbconvert python3-nbclient python3-ipykernel  # the notebooks
)
# `make fuzz`: clang with its runtime libraries (libFuzzer, ASan, UBSan: libclang-rt-14-dev,
# which -fsanitize=fuzzer links). `make sanitize` uses GCC's own sanitizers (build-essential).
if [ "${1:-}" = "--fuzz" ]; then
  packages=(clang libclang-rt-14-dev)
fi

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}); run this script as root or install sudo." >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
# `env` carries the variable through sudo, which resets the environment.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"

still_missing=()
for p in "${missing[@]}"; do
  installed "$p" || still_missing+=("$p")
done
if [ "${#still_missing[@]}" -ne 0 ]; then
  echo "install-deps: still not installed: ${still_missing[*]}" >&2
  exit 1
fi
echo "install-deps: done."
