// `nerds eval`: the NeRF-synthetic protocol on a trained run: every (or every Nth) view of a
// split rendered on white and compared with the ground truth composited on white.
//   RUN/metrics.json                      split, stride, views, mean PSNR/SSIM, per view, and
//                                         per image size when the split has several (multiscale);
//                                         depth_error and floater_share where it has true depth,
//                                         normal_mae(_predicted) where it has true normals
//   RUN/eval/<split>/<name>_{pred,gt,err}.png   unless --no-images
// A model with NaN or infinite weights (a diverged run) is refused by name, never "PSNR nan".
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "renderer/error.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/half_image_eval.h"
#include "renderer/train/train_config.h"
#include "renderer/train/pose_evaluation.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

struct EvalArgs {
  std::string run, split = "test", data;
  int stride = 1;
  bool no_images = false;
  bool allow_other_data = false;  // --allow-other-data
};

int run_eval(const EvalArgs& a) {
  const std::unique_ptr<Engine> engine = load_run(a.run, a.data, "cpu", a.allow_other_data);
  nlohmann::json metrics = evaluate_run(*engine, a.run, a.split, a.stride, !a.no_images);
  std::printf("%s: %d %s views (stride %d): PSNR %.2f dB, SSIM %.4f -> %s\n", a.run.c_str(),
              metrics["views"].get<int>(), a.split.c_str(), a.stride,
              metrics["psnr"].is_number() ? metrics["psnr"].get<double>() : NAN,
              metrics["ssim"].is_number() ? metrics["ssim"].get<double>() : NAN,
              (fs::path(a.run) / "metrics.json").string().c_str());
  if (metrics.contains("depth_error"))  // the project's scenes: true depth per view
    std::printf("  depth error %.4f (world units), floater share %.4f (weight > 5%% of the depth off the surface)\n",
                metrics["depth_error"].is_number() ? metrics["depth_error"].get<double>() : NAN,
                metrics["floater_share"].is_number() ? metrics["floater_share"].get<double>() : NAN);
  if (metrics.contains("normal_mae"))  // the project's scenes: true normals per view (Ref-NeRF's MAE)
    std::printf("  normals' mean angular error %.2f deg (density normals), %.2f deg (Ref-NeRF's predicted normals)\n",
                metrics["normal_mae"].is_number() ? metrics["normal_mae"].get<double>() : NAN,
                metrics["normal_mae_predicted"].is_number() ? metrics["normal_mae_predicted"].get<double>() : NAN);
  if (metrics.contains("poses"))  // noisy-poses: BARF's pose errors of the training cameras
    std::printf("  training poses: rotation error %.3f deg -> %.3f deg, translation error %.4f -> %.4f (world units)%s\n",
                metrics["poses"]["before"]["rotation_deg"].get<double>(),
                metrics["poses"]["after"]["rotation_deg"].get<double>(),
                metrics["poses"]["before"]["translation"].get<double>(),
                metrics["poses"]["after"]["translation"].get<double>(),
                metrics["poses"]["refined"].get<bool>() ? " (refined)" : " (not refined)");
  if (metrics.contains("per_size"))  // Mip-NeRF's multiscale Blender: one line per resolution
    for (const nlohmann::json& m : metrics["per_size"])
      std::printf("  %dx%d: %d views, PSNR %.2f dB, SSIM %.4f\n", m["width"].get<int>(), m["height"].get<int>(),
                  m["views"].get<int>(), m["psnr"].is_number() ? m["psnr"].get<double>() : NAN,
                  m["ssim"].is_number() ? m["ssim"].get<double>() : NAN);
  // NeRF-W's models (per-image codes): its own protocol too (a test view's code fitted on
  // its left half, PSNR on its right half), into metrics.json's "half_image".
  const NetworkConfig& network = engine->config().network;
  if (network.appearance.dim > 0 || network.transient.enabled) {
    HalfImageOptions half;
    half.stride = a.stride;
    const HalfImageResult r = evaluate_half_image(*engine, engine->load_split(a.split, true), half);
    std::printf("  %s\n", r.protocol().c_str());
    metrics["half_image"] = r.to_json();
    write_json_file((fs::path(a.run) / "metrics.json").string(), metrics);
  }
  return 0;
}

}  // namespace

nlohmann::json evaluate_run(const Engine& engine, const std::string& run_dir, const std::string& split, int stride,
                            bool images) {
  if (stride < 1) throw InputError("--stride", "", "must be >= 1");
  std::fprintf(stderr, "nerds: loading the %s split\n", split.c_str());
  Dataset data = engine.load_split(split, true);
  // A scene with true training poses (noisy-poses): the training cameras' pose errors, and the
  // test views after BARF's test-time pose alignment (pose_evaluation.h).
  const TrainingPoseReport poses = training_pose_report(engine);
  if (poses.has_true_poses && split != "train") {
    std::fprintf(stderr, "nerds: test-time pose alignment of the %s views (%d steps, model frozen)\n", split.c_str(),
                 kTestPoseSteps);
    data = pose_aligned_test_split(engine, data, kTestPoseSteps);
  }
  EvalOptions options;
  options.split = split;
  options.stride = stride;
  if (images) options.image_dir = (fs::path(run_dir) / "eval" / split).string();
  ProgressLine line;
  double psnr_sum = 0;
  options.on_view = [&](int done, int total, const ViewMetrics& v) {
    psnr_sum += v.psnr;
    char buf[160];
    std::snprintf(buf, sizeof buf, "eval %s %d/%d  %s  PSNR %.2f dB  running mean %.2f dB", split.c_str(), done, total,
                  v.name.c_str(), v.psnr, psnr_sum / done);
    line.show(buf, done == total);
  };
  const EvalResult result = evaluate(engine, data, options);
  line.finish();
  // Weights with NaN are refused when loading (get_tensors); a finite model can still render
  // NaN (an overflowing density): then there is no PSNR to report, and metrics.json is not written.
  int nan_views = 0;
  for (const ViewMetrics& v : result.per_view) nan_views += std::isnan(v.mse) ? 1 : 0;
  if (nan_views > 0)
    throw TrainingFailure(run_dir, "",
                          "the model renders NaN colors on " + std::to_string(nan_views) + " of " +
                              std::to_string(result.views) + " " + split +
                              " views, so PSNR is undefined (metrics.json not written): training diverged; train "
                              "it again (e.g. with a lower trainer.lr)");
  nlohmann::json j = result.to_json();
  const EngineStats st = engine.stats();
  j["method"] = engine.options().method_name;
  j["data"] = engine.options().data_dir;
  j["downscale"] = engine.options().downscale;
  j["step"] = st.step;
  j["train_seconds"] = st.train_seconds;
  if (images) j["images"] = options.image_dir;
  if (poses.has_true_poses) {
    j["poses"] = poses.to_json();
    j["poses"]["test_views"] = split != "train" ? "PSNR after test-time pose alignment: the true " + split +
                                                      " poses aligned to the model's frame, then " +
                                                      std::to_string(kTestPoseSteps) +
                                                      " photometric steps per view with the model frozen (BARF)"
                                                : "training views at the training split's own poses";
  }
  write_json_file((fs::path(run_dir) / "metrics.json").string(), j);
  return j;
}

Command add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* sub = app.add_subcommand("eval", "evaluate a run: PSNR and SSIM on a split, white background");
  sub->add_option("--run", args->run, "run folder (with snapshot.nerds)")->required();
  sub->add_option("--split", args->split, "split to evaluate (test, val, train)")->default_val("test");
  sub->add_option("--stride", args->stride, "evaluate every Nth view (1: all)")->check(positive_number());
  sub->add_flag("--no-images", args->no_images, "write only metrics.json, no pred/gt/err images");
  sub->add_option("--data", args->data, "dataset folder, when it moved since training");
  add_allow_other_data_option(sub, &args->allow_other_data);
  return {sub, [args] { return run_eval(*args); }};
}

}  // namespace nerds::cli
