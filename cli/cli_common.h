// Shared pieces of the `nerds` command-line client: the command registry, building a
// parameter set from --method/--set, the training budget loop, JSON files, the machine's
// description. The CLI is a client of renderer/engine.h and nothing deeper.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/params.h"

namespace nerds::cli {

// A subcommand: its CLI11 app and what runs when it was chosen. The options it reads are
// owned by the registering function (captured in `run`).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// One per file cmd_<name>.cpp.
Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_render_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_scene_command(CLI::App& app);
Command add_params_command(CLI::App& app);
Command add_demo_command(CLI::App& app);
Command add_papers_command(CLI::App& app);
Command add_ablate_command(CLI::App& app);
Command add_capture_command(CLI::App& app);
Command add_race_command(CLI::App& app);

// Command-line numbers are plain decimal text ("16", "2.5", "1e5"; no hex, inf or nan).
// The default upper bound of every number option: a count or size beyond 1e9 is a typo, and
// it fits the int an option fills (2^31 - 1) with room to spare.
constexpr double kMaxOptionNumber = 1e9;
// --steps: the trainer counts steps in an int (and a resumed run adds to the count).
constexpr double kMaxSteps = 1e9;
// --seconds: 10^7 s is 116 days of training time; anything beyond is a typo.
constexpr double kMaxTrainSeconds = 1e7;
// A CLI11 check: the option's value is a number > 0 (or >= 0) and at most `max`, with a short
// message.
CLI::Validator positive_number(double max = kMaxOptionNumber);
CLI::Validator non_negative_number(double max = kMaxOptionNumber);
// Adds to every integer option of `app` and its subcommands (after they are declared) the
// check that its value is a whole number in plain decimal notation, handed on as digits:
// "2.5" is refused by name, "1e3" reads as 1000, and CLI11's own reading (strtoll, base 0)
// never sees "010" (octal) or an out-of-range value it would clamp.
void check_integer_options(CLI::App& app);
// --orbit N: 1 to kMaxOrbitViews cameras, each an image written (checked before any is made).
constexpr int kMaxOrbitViews = 10000;
CLI::Validator orbit_view_count();

// --method FILE and --set k=v (repeatable), shared by train, bench, params.
struct MethodOptions {
  std::string method_file;
  std::vector<std::string> sets;
};
void add_method_options(CLI::App* app, MethodOptions* options);
// default_method_params(), then the method file, then each --set in order. Throws InputError.
// A --method value without '/' and without ".json" that is not a file names a method in
// scenes/methods/ (searched from the working directory upwards).
ParamSet build_params(const MethodOptions& options, std::string* method_name);
ParamSet default_params();  // default_method_params()

// --device cpu|cuda|auto (train, bench, demo): the device the run uses ("cpu" or "cuda");
// throws InputError for an unknown name, or cuda without a usable GPU.
void add_device_option(CLI::App* app, std::string* device);
std::string check_device(const std::string& device);

// Training budget: steps or seconds of training time, counted from the engine's state when
// the loop starts (so a resumed run trains N more steps / S more seconds).
struct Budget {
  int64_t steps = 0;            // > 0: stop after this many steps
  double seconds = 0;           // > 0: stop after this much training time
  double default_seconds = 60;  // used when neither is given
};
void add_budget_options(CLI::App* app, Budget* budget, double default_seconds);
// Checks the values and applies the default when neither --steps nor --seconds was given.
void resolve_budget(Budget& budget);

// Runs train_step() until the budget is spent or Ctrl-C (SIGINT) is pressed; after every
// step calls after_step (which may return false to stop early). Shows the live progress
// line on stderr (step, used samples/s, loss, PSNR estimated from the loss, ETA), with
// extra() appended when given. Returns false when interrupted.
bool train_for(Engine& engine, const Budget& budget, const std::function<bool(const StepStats&)>& after_step,
               const std::string& label = "train", const std::function<std::string()>& extra = {});
bool interrupted();  // Ctrl-C was pressed during train_for

// The run folder's files.
std::string snapshot_path(const std::string& run_dir);  // RUN/snapshot.nerds
// Loads RUN/snapshot.nerds; InputError when RUN or its snapshot is missing, or when the dataset
// (the snapshot's, or data_override) is not the one the run was trained on, unless
// allow_other_data (Engine::load, renderer/data/dataset_fingerprint.h).
std::unique_ptr<Engine> load_run(const std::string& run_dir, const std::string& data_override = "",
                                 const std::string& device = "cpu", bool allow_other_data = false);
// --allow-other-data (eval, render, train --resume): load a run with a dataset that differs
// from the one it was trained on (e.g. another scene's test split), with a note.
void add_allow_other_data_option(CLI::App* app, bool* allow);

// A run folder: one holding any of a run's files (snapshot.nerds, params.json, train_log.json).
bool is_run_folder(const std::string& path);
// Checks that a new run may be written to `out` (nerds train --out, nerds demo): it does not
// exist, is an empty folder, or is a run folder and `overwrite` (--overwrite) is set. Anything
// else (a run without --overwrite, a file, a folder of other files) is an InputError naming
// the folder and saying what to do. Never deletes anything: TrainRun replaces the folder as a
// whole at its first save (train_run.h).
void check_new_run_folder(const std::string& out, bool overwrite);

// Evaluates `split` (every `stride`th view) on white, writes RUN/metrics.json and, with
// images, RUN/eval/<split>/*.png; returns the metrics JSON (cmd_eval.cpp; used by demo).
nlohmann::json evaluate_run(const Engine& engine, const std::string& run_dir, const std::string& split, int stride,
                            bool images);

// A JSON file written atomically (temporary + rename), pretty-printed; the CLI reads them with
// json_fields::read_json_file (renderer/data/json_fields.h).
void write_json_file(const std::string& path, const nlohmann::json& j);
void make_folder(const std::string& path);  // create_directories, InputError on failure

// A finite number, or null (JSON has no inf/NaN).
nlohmann::json number_or_null(double v);
// Comma-separated numbers ("10,30,60"); InputError naming the option on a bad item.
std::vector<double> parse_number_list(const std::string& text, const std::string& option);
// Shortest text of a number for a JSON key ("10", "27.5").
std::string number_key(double v);

// {"name": "cpu", "threads": N, "cpu": "<model name>"}.
nlohmann::ordered_json device_json(const std::string& device);
int thread_count();
std::string cpu_model();

// Absolute form of a path (for what the snapshot records), unchanged when that fails.
std::string absolute_path(const std::string& path);

// Wall-clock seconds since `start` (the steady clock: a run's times, unmoved by clock changes).
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace nerds::cli
