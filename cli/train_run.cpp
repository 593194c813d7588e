#include "cli/train_run.h"

#include <filesystem>

#include "cli/cli_common.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/train/pose_evaluation.h"

namespace nerds::cli {

namespace fs = std::filesystem;

TrainRun::TrainRun(const Engine& engine, const std::string& out_dir, double log_every_seconds,
                   const std::string& resumed_from)
    : engine_(engine), out_(out_dir), log_every_(log_every_seconds) {
  std::error_code same_ec;
  const bool in_place = !resumed_from.empty() && fs::equivalent(resumed_from, out_dir, same_ec);
  if (in_place)
    clean_staging_leftovers(out_dir);  // of a killed --overwrite of this run, say
  else
    staged_ = std::make_unique<StagedFolder>(out_dir);
  const EngineStats st = engine.stats();
  last_seconds_ = st.train_seconds;
  last_used_ = st.used_samples;
  if (!resumed_from.empty()) {
    const fs::path previous = fs::path(resumed_from) / "train_log.json";
    std::error_code ec;
    if (fs::exists(previous, ec)) {
      const nlohmann::json j = json_fields::read_json_file(previous.string());
      if (j.is_object() && j.contains("log") && j["log"].is_array()) {
        // Entries past the snapshot's step were logged after it was saved: drop them.
        const nlohmann::json& log = j["log"];
        for (size_t i = 0; i < log.size(); ++i) {
          const nlohmann::json& e = log[i];
          const std::string where = "log[" + std::to_string(i) + "]";
          if (e.is_object() &&
              json_fields::optional_integer(e, "step", previous.string(), where).value_or(0) <= st.step)
            log_.push_back(e);
        }
      }
    }
  }
}

std::string TrainRun::write_dir() const { return staged_ && !staged_->published() ? staged_->path() : out_; }

void TrainRun::record(const StepStats& s) {
  loss_sum_ += s.loss;
  sampler_loss_sum_ += s.sampler_loss;
  ++loss_steps_;
  if (engine_.stats().train_seconds - last_seconds_ >= log_every_) flush_entry();
}

void TrainRun::flush_entry() {
  if (loss_steps_ == 0) return;
  const EngineStats st = engine_.stats();
  const double dt = st.train_seconds - last_seconds_;
  nlohmann::json entry = {{"step", st.step},
                           {"seconds", st.train_seconds},
                           {"loss", number_or_null(loss_sum_ / loss_steps_)},
                           {"samples_per_second", dt > 0 ? (st.used_samples - last_used_) / dt : 0.0}};
  // A sampler with a loss of its own (the proposal sampler's L_prop, StepStats::sampler_loss).
  if (sampler_loss_sum_ != 0.0) entry["sampler_loss"] = number_or_null(sampler_loss_sum_ / loss_steps_);
  // BARF's pose refinement on a split with true poses: the training cameras' errors as they fall.
  if (const TrainingPoseReport poses = training_pose_report(engine_); poses.has_true_poses && poses.refined) {
    entry["pose_rotation_deg"] = number_or_null(poses.after.rotation_deg);
    entry["pose_translation"] = number_or_null(poses.after.translation);
  }
  log_.push_back(entry);
  last_seconds_ = st.train_seconds;
  last_used_ = st.used_samples;
  loss_sum_ = 0;
  sampler_loss_sum_ = 0;
  loss_steps_ = 0;
}

void TrainRun::save() {
  flush_entry();
  const std::string dir = write_dir();
  const bool first_of_staged = staged_ && !staged_->published();
  if (first_of_staged || !fs::exists(fs::path(dir) / "params.json")) {
    nlohmann::json p;
    p["name"] = engine_.options().method_name;
    p["description"] = "every parameter of the run in " + out_ + " (nerds train); usable as --method";
    p["params"] = engine_.params().to_json();
    write_json_file((fs::path(dir) / "params.json").string(), p);
  }
  engine_.save(snapshot_path(dir));
  nlohmann::json j;
  j["method"] = engine_.options().method_name;
  j["data"] = engine_.options().data_dir;
  j["loss"] = engine_.params().get_string("trainer.loss");
  j["step"] = engine_.stats().step;  // the snapshot's step when this log was written
  j["log"] = log_;
  if (!engine_.train_set().true_poses.empty()) j["poses"] = training_pose_report(engine_).to_json();
  write_json_file((fs::path(dir) / "train_log.json").string(), j);
  if (first_of_staged) staged_->publish();  // the commit point of a new run (train_run.h)
}

}  // namespace nerds::cli
