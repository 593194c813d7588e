# NerdsNeRF: the README's commands. CMake does the real work; this file only names the steps.
#
#   make demo    install packages, build the CLI, train on the built-in default scene
#   make test    install packages, build everything, run the tests
#   make view    install packages, build the viewer, open it training the built-in default scene
#   make notebooks  run every review notebook top to bottom (fails if a cell fails)
#   make bench   the lego_100 benchmark (120 s of training, JSON on stdout)
#   make sanitize  the engine, CLI and unit tests under AddressSanitizer + UBSan, fast tests only
#   make fuzz    every parser's libFuzzer target for FUZZ_SECONDS each (clang)
#   make clean   remove the build folders
#
# Two build folders, on purpose:
#   build/       the full build: engine, CLI, tests, and the CUDA backend whenever nvcc is found
#                (CMake's NERDS_CUDA=AUTO). `make test` and `make bench` use it, so the tests
#                always compile everything that can be compiled on this machine.
#   build-demo/  only the `nerds` CLI, CPU backend, no tests (-DNERDS_CUDA=OFF -DNERDS_TESTS=OFF),
#                so that `make demo` on a fresh machine compiles the least it needs. Its options
#                differ from build/'s, so it has its own folder: sharing one would make every
#                switch between `make demo` and `make test` reconfigure and recompile the lot.
#                The price: running both compiles the engine twice (once per folder); each
#                folder is then incremental.
#   build-asan/  `make sanitize`: CPU backend, no viewer window or Python module, the engine at -O1 -g1
#                and client code (tests, CLI) at -Og
#                with -fsanitize=address,undefined (CMake's NERDS_SANITIZE=ON).
#   build-fuzz/  `make fuzz`: clang, the fuzz targets of fuzz/ with libFuzzer (NERDS_FUZZ=ON).
# scripts/gpu-check.sh configures another one, build-gpu/, for a GPU machine (sm_90).

NPROC        := $(shell nproc 2>/dev/null || echo 2)
BUILD_DIR    := build
DEMO_DIR     := build-demo
ASAN_DIR     := build-asan
FUZZ_DIR     := build-fuzz
# The Debian interpreter, so that a Python found first on PATH (a venv) is not picked up.
CMAKE_FLAGS  := -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=/usr/bin/python3
DATA         ?= ../shared/datasets
BENCH_SECONDS ?= 120

.PHONY: deps build build-demo demo view test sanitize fuzz notebooks bench clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j$(NPROC)

build-demo: deps
	cmake -S . -B $(DEMO_DIR) $(CMAKE_FLAGS) -DNERDS_CUDA=OFF -DNERDS_TESTS=OFF
	cmake --build $(DEMO_DIR) --target nerds -j$(NPROC)

demo: build-demo
	./$(DEMO_DIR)/nerds demo --out runs/demo

# The viewer shares build-demo/ (CPU backend, no tests). VIEW_ARGS passes options through,
# e.g. make view VIEW_ARGS="--data ../shared/datasets/lego_100".
VIEW_ARGS ?=
view: build-demo
	cmake --build $(DEMO_DIR) --target nerds-view -j$(NPROC)
	./$(DEMO_DIR)/nerds-view $(VIEW_ARGS)

# --no-tests=error: a build that registered no tests fails instead of passing silently.
# --timeout: a hung test fails after 10 minutes instead of stalling the run (a test's own
# TIMEOUT property, where set, wins).
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error --timeout 600 -j$(NPROC)

# The sanitizer build runs the tests that take seconds (in CI, after `make test`): every unit
# test but the training runs, benchmarks and notebooks listed in SANITIZE_SKIP (they repeat
# code the fast tests cover, at 2-3x the run time under ASan), plus the fuzz corpora. Any
# sanitizer report fails its test (halt_on_error, no recovery from UBSan), with a stack trace.
# A quote in a test's name would end the -E '...' below: the list matches it with '.' instead.
SANITIZE_SKIP ?= $(shell cat tests/sanitize_skip.txt 2>/dev/null | grep -v '^\#' | sed "s/'/./g" | paste -sd'|')
SANITIZE_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
                UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
sanitize: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE=/usr/bin/python3 \
	      -DNERDS_SANITIZE=ON -DNERDS_CUDA=OFF -DNERDS_PYTHON=OFF -DNERDS_VIEWER=OFF
	cmake --build $(ASAN_DIR) -j$(NPROC) --target nerds nerds_tests fuzz_replay_all
	$(SANITIZE_ENV) ctest --test-dir $(ASAN_DIR) --output-on-failure --no-tests=error --timeout 600 \
	      -j$(NPROC) -E '$(SANITIZE_SKIP)'

# FUZZ_SECONDS per target (FUZZ_JOBS processes each); scripts/fuzz.sh says where findings go.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: deps
	bash scripts/install-deps.sh --fuzz
	CXX=clang++ CC=clang cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DPython_EXECUTABLE=/usr/bin/python3 \
	      -DNERDS_FUZZ=ON -DNERDS_CUDA=OFF -DNERDS_TESTS=OFF -DNERDS_PYTHON=OFF
	cmake --build $(FUZZ_DIR) -j$(NPROC) --target fuzz_all
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) bash scripts/fuzz.sh $(FUZZ_DIR)

# QUICK=1: every cell on tiny scenes with a few steps (what the ctest notebooks.quick runs).
QUICK ?= 0
notebooks: build
	NERDS_NOTEBOOK_QUICK=$(QUICK) bash notebooks/run_notebooks.sh $(BUILD_DIR)

bench: build
	./$(BUILD_DIR)/nerds bench --data $(DATA)/lego_100 --seconds $(BENCH_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(DEMO_DIR) $(ASAN_DIR) $(FUZZ_DIR) build-gpu
