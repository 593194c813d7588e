// `nerds demo` (what `make demo` runs): makes a sample scene, trains on it for a time budget,
// evaluates on its test split and renders an orbit:
//   OUT/scene/     the scene (reused when it was made with the same options)
//   OUT/run/       snapshot.nerds, params.json, train_log.json, metrics.json, eval/test/*.png
//   OUT/renders/   NNNN.png, NNNN_depth.png, cameras.json
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "cli/render_views.h"
#include "cli/train_run.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::cli {

namespace fs = std::filesystem;

void add_scene_make_options(CLI::App* sub, scenes::SceneOptions* o, int64_t* seed);  // cmd_scene.cpp

namespace {

struct DemoArgs {
  std::string out = "runs/demo", scene = "default", device;
  double seconds = 60;
  int orbit = 24;
  MethodOptions method;
  scenes::SceneOptions scene_options;
  int64_t seed = 1;
};

// Makes OUT/scene unless its marker says it was made with the same options; a demo's scene
// folder made with other options is made again, any other content is refused (ensure_scene).
void ensure_demo_scene(const DemoArgs& a, const std::string& dir) {
  if (a.seed < 0 || a.seed > 4294967295LL) throw InputError("--seed", "", "must be in [0, 2^32)");
  scenes::SceneOptions options = a.scene_options;
  options.seed = static_cast<uint32_t>(a.seed);
  const scenes::SceneOptions& o = options;
  std::fprintf(stderr, "nerds: scene '%s' (%dx%d, %d train / %d test views) in %s\n", a.scene.c_str(), o.resolution,
               o.resolution, o.train_views, o.test_views, dir.c_str());
  if (!scenes::ensure_scene(a.scene, dir, options, /*replace_made_scene=*/true))
    std::fprintf(stderr, "nerds: reusing the scene in %s (same options)\n", dir.c_str());
}

int run_demo(const DemoArgs& a) {
  const std::string device = check_device(a.device);
  if (!(a.seconds > 0)) throw InputError("--seconds", "", "must be positive");
  std::string method_name;
  const ParamSet params = build_params(a.method, &method_name);  // bad --set fails before any work
  const fs::path out(a.out);
  const std::string scene_dir = (out / "scene").string(), run_dir = (out / "run").string(),
                    renders_dir = (out / "renders").string();
  make_folder(a.out);
  ensure_demo_scene(a, scene_dir);
  check_new_run_folder(run_dir, /*overwrite=*/true);  // OUT/run is the demo's own: replaced as a whole

  EngineOptions options;
  options.data_dir = absolute_path(scene_dir);
  options.method_name = method_name;
  options.device = device;
  Engine engine(options, params);
  TrainRun run(engine, run_dir, 1.0);
  Budget budget;
  budget.seconds = a.seconds;
  std::fprintf(stderr, "nerds: training %s for %s on %d threads\n", method_name.c_str(),
               format_duration(a.seconds).c_str(), thread_count());
  const bool finished = train_for(engine, budget, [&](const StepStats& s) {
    run.record(s);
    return true;
  });
  run.save();
  if (!finished) return 130;
  const nlohmann::json metrics = evaluate_run(engine, run_dir, "test", 1, true);
  const float white[3] = {1.f, 1.f, 1.f};
  render_cameras(engine, orbit_cameras(engine.train_set(), a.orbit, 0, 0), renders_dir, white);
  const EngineStats st = engine.stats();
  std::printf("demo: %s on scene '%s', %d steps in %.1f s of training (%s samples/s used)\n", method_name.c_str(),
              a.scene.c_str(), st.step, st.train_seconds,
              format_count(st.train_seconds > 0 ? st.used_samples / st.train_seconds : 0.0).c_str());
  std::printf("  test PSNR %.2f dB, SSIM %.4f over %d views (white background)\n",
              metrics["psnr"].is_number() ? metrics["psnr"].get<double>() : NAN,
              metrics["ssim"].is_number() ? metrics["ssim"].get<double>() : NAN, metrics["views"].get<int>());
  std::printf("  scene:    %s\n  run:      %s (snapshot.nerds, params.json, train_log.json)\n", scene_dir.c_str(),
              run_dir.c_str());
  std::printf("  metrics:  %s\n  eval:     %s\n  renders:  %s\n", (out / "run" / "metrics.json").string().c_str(),
              (out / "run" / "eval" / "test").string().c_str(), renders_dir.c_str());
  return 0;
}

}  // namespace

Command add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* sub = app.add_subcommand("demo", "make a sample scene, train, evaluate and render (make demo)");
  sub->add_option("--out", args->out, "output folder")->capture_default_str();
  sub->add_option("--seconds", args->seconds, "training time budget")->check(positive_number())->capture_default_str();
  sub->add_option("--scene", args->scene, "sample scene (see nerds scene list)")->capture_default_str();
  sub->add_option("--orbit", args->orbit, "orbit views to render")->check(orbit_view_count())->capture_default_str();
  add_scene_make_options(sub, &args->scene_options, &args->seed);
  add_method_options(sub, &args->method);
  add_device_option(sub, &args->device);
  return {sub, [args] { return run_demo(*args); }};
}

}  // namespace nerds::cli
