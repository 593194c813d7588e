// `nerds race`'s results and the three files it writes into its --out folder:
//   race.md    the tables (one row per method: time to each PSNR threshold, final PSNR and
//              SSIM, steps, samples/s, peak memory, model size; then PSNR at each check time),
//   race.json  the same, machine-readable, with the date, the machine, the commit and the
//              command line,
//   race.png   PSNR against training time, one line per method (scenes/generator/line_plot.h).
// Times are training time: the engine's clock runs only inside training steps, so the checks'
// evaluations are not counted (EngineStats::train_seconds).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nerds::cli {

// One test-PSNR check of a method during its race.
struct RaceCheck {
  double at = 0;       // the scheduled training time it answers (seconds); NaN: the end of training
  double seconds = 0;  // the training time when it was made (the first step at or past `at`)
  int step = 0;
  double psnr = 0;     // mean over the check views; NaN/inf: none (null in JSON)
};

// One method's race.
struct RaceEntry {
  std::string name;         // as given in --methods, or an --arm's NAME
  std::vector<std::string> arm_sets;  // an --arm's own settings (after every --set)
  std::string method;       // the method file's name
  std::string method_file;  // the file read ("" for instant_ngp's built-in defaults)
  nlohmann::ordered_json params;
  std::vector<RaceCheck> checks;  // in order of training time; the last one at the end of training
  int steps = 0;
  double train_seconds = 0, eval_seconds = 0;  // training time; wall time of the checks and the final evaluation
  double samples_per_second = 0, marched_samples_per_second = 0, rays_per_second = 0;
  size_t rss_before_mib = 0, peak_rss_mib = 0;
  bool peak_is_own = true;  // false: the peak could not be reset, it is the process's so far
  uintmax_t model_bytes = 0;  // the snapshot file: the tensors with their Adam moments, the occupancy grid
  int64_t parameters = 0;     // the trained tensors' values (what rendering needs), as floats
  std::string snapshot;  // where the model was saved ("" when it failed)
  double psnr = 0, ssim = 0;  // the final evaluation
  int check_views = 0, final_views = 0;  // test views of each check and of the final evaluation
  std::string failure;  // non-empty: training stopped with this error (the row says so)
};

// What every method shared, and where the race ran.
struct RaceSetup {
  std::string data, out;
  nlohmann::ordered_json device;   // device_json()
  nlohmann::ordered_json machine;  // race_machine_json()
  std::string date, commit;        // ISO 8601 UTC; the source tree's commit ("" unknown)
  bool dirty = false;              // the source tree had uncommitted changes
  std::vector<std::string> command_line;
  double budget_seconds = 0;
  int64_t budget_steps = 0;
  int64_t seed = 0;
  std::vector<std::string> sets;  // --set, applied to every method
  std::vector<double> thresholds, check_times;
  int check_stride = 1, check_views = 0, test_stride = 1, test_views = 0, downscale = 1;
  bool interrupted = false;
};

// The first check at or above `psnr` (nullptr: not reached).
const RaceCheck* first_check_reaching(const RaceEntry& entry, double psnr);

nlohmann::ordered_json race_json(const RaceSetup& setup, const std::vector<RaceEntry>& entries);
std::string race_markdown(const RaceSetup& setup, const std::vector<RaceEntry>& entries);
// Writes race.md, race.json and race.png into setup.out (which exists).
void write_race_files(const RaceSetup& setup, const std::vector<RaceEntry>& entries);

// {"hostname", "os", "cpu", "logical_cpus", "threads", "memory_mib", "compiler", "build"}.
nlohmann::ordered_json race_machine_json();
// The commit of the git work tree holding the running executable ("" when unknown), and
// whether that tree has uncommitted changes to tracked files.
std::string source_commit(bool* dirty);
// This process's arguments (/proc/self/cmdline).
std::vector<std::string> process_command_line();
std::string utc_now_iso8601();

}  // namespace nerds::cli
