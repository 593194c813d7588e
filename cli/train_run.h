// The files of a training run folder, shared by `nerds train` and `nerds demo`:
// snapshot.nerds (Engine::save, atomic), params.json (a method file with every value) and
// train_log.json ({"method", "data", "loss", "step": the snapshot's step when written,
// "log": [{step, seconds, loss, samples_per_second}]}).
//
// A run folder changes as one unit, whatever moment a kill -9 strikes:
// - A new run (or a run replacing another with --overwrite, or --resume A --out B) is written
//   into a hidden sibling of the folder (renderer/data/staged_folder.h). Its first save writes
//   params.json, train_log.json and snapshot.nerds there, then swaps the sibling with the
//   folder in one rename; only then is the old run deleted. Before that moment the folder is
//   untouched (absent, empty, or the old run with its metrics.json, eval/ and renders); after
//   it, the folder is the new run alone, with no stale file of the old one beside it.
// - Later saves (and a run resumed in its own folder) replace snapshot.nerds and then
//   train_log.json, each by temporary file + rename. params.json never changes after the
//   first save (a run keeps its parameters; --resume refuses --set). So params.json always
//   matches the snapshot, and the log never lists a step past the snapshot's (a kill between
//   the two renames leaves the log one save behind; --resume continues it from the snapshot).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/staged_folder.h"
#include "renderer/engine.h"

namespace nerds::cli {

class TrainRun {
 public:
  // out_dir: the run folder to write; check_new_run_folder() has approved it, unless it is
  // the folder the run resumes from. resumed_from: the run folder the engine was loaded from,
  // whose log is continued ("" = new).
  TrainRun(const Engine& engine, const std::string& out_dir, double log_every_seconds,
           const std::string& resumed_from = "");
  void record(const StepStats& s);  // adds a log entry every log_every seconds of training
  void save();                      // snapshot + log (flushes the pending log entry); see above
  const std::string& dir() const { return out_; }

 private:
  void flush_entry();
  std::string write_dir() const;  // the staged sibling before the first save, then out_
  const Engine& engine_;
  std::string out_;
  std::unique_ptr<StagedFolder> staged_;  // null when resuming in the run's own folder
  double log_every_;
  nlohmann::json log_ = nlohmann::json::array();
  double last_seconds_ = 0.0;
  int64_t last_used_ = 0;
  double loss_sum_ = 0.0;
  double sampler_loss_sum_ = 0.0;
  int loss_steps_ = 0;
};

}  // namespace nerds::cli
