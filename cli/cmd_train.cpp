// `nerds train`: trains a method on a dataset folder and writes a run folder:
//   RUN/snapshot.nerds   the model (at the end, every --snapshot-every steps, and on Ctrl-C)
//   RUN/params.json      every parameter's value, as a method file (usable as --method)
//   RUN/train_log.json   step, training seconds and mean loss at intervals
// It writes only into a new or empty folder, or with --overwrite over a run folder, and the
// folder changes as one unit (train_run.h): a kill at any moment leaves the old run or a new
// consistent one.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "cli/train_run.h"
#include "renderer/data/staged_folder.h"
#include "renderer/error.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

struct TrainArgs {
  std::string data, out, resume, device;
  MethodOptions method;
  Budget budget;
  int downscale = 1;
  int snapshot_every = 0;
  double log_every = 1.0;
  bool overwrite = false, allow_other_data = false;
};

// True when `inner` is `outer` or lies inside it (so replacing `outer` would delete it).
bool inside(const std::string& inner, const std::string& outer) {
  return same_or_below(absolute_path(inner), absolute_path(outer));
}

int run_train(const TrainArgs& a, CLI::App* app) {
  const std::string device = check_device(a.device);
  Budget budget = a.budget;
  resolve_budget(budget);
  if (a.snapshot_every < 0) throw InputError("--snapshot-every", "", "must be >= 0");
  std::unique_ptr<Engine> engine;
  std::string out = a.out;
  if (!a.resume.empty()) {
    for (const char* option : {"--method", "--set", "--downscale"})
      if (app->count(option) > 0)
        throw InputError(option, "",
                         "cannot be combined with --resume: a resumed run keeps the parameters of its snapshot "
                         "(start a new run with --method " +
                             a.resume + "/params.json --set ... instead)");
    if (out.empty()) out = a.resume;
    std::error_code ec;
    if (!fs::equivalent(out, a.resume, ec)) {
      check_new_run_folder(out, a.overwrite);
      if (inside(a.resume, out)) throw InputError(out, "", "holds the run being resumed: choose another --out");
    }
    std::fprintf(stderr, "nerds: resuming %s\n", snapshot_path(a.resume).c_str());
    engine = load_run(a.resume, a.data, device, a.allow_other_data);
  } else {
    if (a.data.empty()) throw InputError("--data", "", "required (the dataset folder), or --resume RUN");
    if (out.empty()) throw InputError("--out", "", "required (the run folder to write)");
    if (!fs::is_directory(a.data)) throw InputError(a.data, "", "no such dataset folder");
    if (a.allow_other_data) throw InputError("--allow-other-data", "", "only with --resume (a new run has no other data)");
    check_new_run_folder(out, a.overwrite);
    if (inside(a.data, out)) throw InputError(out, "", "holds the dataset " + a.data + ": choose another --out");
    std::string method_name;
    const ParamSet params = build_params(a.method, &method_name);
    EngineOptions options;
    options.data_dir = absolute_path(a.data);
    options.downscale = a.downscale;
    options.method_name = method_name;
    options.device = device;
    std::fprintf(stderr, "nerds: loading %s\n", a.data.c_str());
    engine = std::make_unique<Engine>(options, params);
  }
  std::error_code same_ec;
  if (a.overwrite && is_run_folder(out) && (a.resume.empty() || !fs::equivalent(out, a.resume, same_ec)))
    std::fprintf(stderr, "nerds: replacing the run in %s at the first save (--overwrite)\n", out.c_str());
  TrainRun run(*engine, out, a.log_every, a.resume.empty() ? "" : a.resume);
  const Dataset& train = engine->train_set();
  std::fprintf(stderr, "nerds: %s on %s: %zu training views of %dx%d, %d threads, %s\n",
               engine->options().method_name.c_str(), engine->options().data_dir.c_str(), train.frames.size(),
               train.width, train.height, thread_count(),
               budget.steps > 0 ? (std::to_string(budget.steps) + " steps").c_str()
                                : (format_duration(budget.seconds) + " of training").c_str());
  bool finished = false;
  try {
    finished = train_for(*engine, budget, [&](const StepStats& s) {
      run.record(s);
      if (a.snapshot_every > 0 && s.step % a.snapshot_every == 0) run.save();
      return true;
    });
    run.save();
  } catch (const TrainingFailure& e) {  // a diverged model is never saved: say what is kept
    const bool kept = fs::exists(snapshot_path(out));
    throw TrainingFailure(std::string(e.what()) + (kept ? "; " + snapshot_path(out) + " keeps the last model saved before"
                                                        : "; no snapshot was saved"));
  }
  const EngineStats st = engine->stats();
  std::printf("saved %s (step %d, %.1f s of training, %s samples/s used)\n", snapshot_path(out).c_str(), st.step,
              st.train_seconds, format_count(st.train_seconds > 0 ? st.used_samples / st.train_seconds : 0.0).c_str());
  return finished ? 0 : 130;
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* sub = app.add_subcommand("train", "train a method on a dataset folder and save a run folder");
  sub->add_option("--data", args->data, "dataset folder (NeRF-synthetic transforms_*.json or transforms.json)");
  add_method_options(sub, &args->method);
  add_budget_options(sub, &args->budget, 60);
  sub->add_option("--out", args->out, "run folder to write (snapshot.nerds, params.json, train_log.json)");
  sub->add_option("--downscale", args->downscale, "integer image downscale")->check(positive_number());
  sub->add_option("--snapshot-every", args->snapshot_every,
                  "also save the snapshot every K steps (0: only at the end)");
  sub->add_option("--resume", args->resume, "continue the run in this folder from its snapshot");
  sub->add_flag("--overwrite", args->overwrite,
                "replace the run already in --out (its old files are deleted after the new run's first save)");
  add_allow_other_data_option(sub, &args->allow_other_data);
  sub->add_option("--log-every", args->log_every, "seconds of training between train_log.json entries")
      ->check(positive_number());
  add_device_option(sub, &args->device);
  return {sub, [args, sub] { return run_train(*args, sub); }};
}

}  // namespace nerds::cli
