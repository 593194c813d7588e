// The files of a training run folder, shared by `nerds train` and `nerds demo`:
// snapshot.nerds (Engine::save, atomic), params.json (a method file with every value) and
// train_log.json ({"method", "data", "log": [{step, seconds, loss, samples_per_second}]}).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "renderer/engine.h"

namespace nerds::cli {

class TrainRun {
 public:
  // resumed_from: the run folder the engine was loaded from, whose log is continued ("" = new).
  TrainRun(const Engine& engine, const std::string& out_dir, double log_every_seconds,
           const std::string& resumed_from = "");
  void write_params() const;        // RUN/params.json
  void record(const StepStats& s);  // adds a log entry every log_every seconds of training
  void save();                      // snapshot + log (flushes the pending log entry)

 private:
  void flush_entry();
  const Engine& engine_;
  std::string dir_;
  double log_every_;
  nlohmann::json log_ = nlohmann::json::array();
  double last_seconds_ = 0.0;
  int64_t last_used_ = 0;
  double loss_sum_ = 0.0;
  int loss_steps_ = 0;
};

}  // namespace nerds::cli
