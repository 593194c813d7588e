// `nerds ablate --paper ID`: an A/B run of one paper's technique. The method is trained twice
// from the same seed and budget, once with the card's toggle on and once off, on the sample
// scene the card names (or --data DIR); both are evaluated on the same test views; the table
// (PSNR, SSIM, training time, samples/s) is written as Markdown and JSON, with the first test
// view side by side (on | off | ground truth) and the difference of the two renders.
// The card (papers/ID.json) gives each arm its settings: `with` for both, `on_with` /
// `off_with` for one (e.g. the paper's own baseline network), and the budget when the user
// gives none (a comparison at equal training time); the user's --set wins over the card's.
// The arms themselves are the engine's compare arms (techniques/core/compare_arms.h), which
// the viewer's compare mode shares.
// A sample scene made with a multires/ folder (`multiscale`, Mip-NeRF's multiscale Blender
// protocol) is trained and tested on that folder, and the table adds the PSNR per image size
// (Mip-NeRF Table 1: full, 1/2, 1/4, 1/8 resolution); so does any --data whose test split
// holds several sizes.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/side_by_side_image.h"
#include "renderer/data/image_io.h"
#include "renderer/techniques/core/compare_request.h"
#include "renderer/techniques/core/paper_cards.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/half_image_eval.h"
#include "renderer/train/pose_evaluation.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::cli {

void add_scene_make_options(CLI::App* sub, scenes::SceneOptions* o, int64_t* seed);  // cmd_scene.cpp

namespace {

namespace fs = std::filesystem;

struct AblateArgs {
  std::string paper, scene, data, out, toggle, device;
  Budget budget;
  MethodOptions method;
  scenes::SceneOptions scene_options;
  int64_t scene_seed = 1;
  int test_stride = 1;
  bool half_image = false;  // an arm has per-image codes: NeRF-W's half-image protocol too
};

struct ArmResult {
  std::string setting;
  std::vector<std::string> sets;  // every assignment over the method file, in the order applied
  nlohmann::json params;          // the arm's whole parameter set
  double psnr = 0, ssim = 0, train_seconds = 0, samples_per_second = 0;
  // The normals' mean angular errors (degrees; NaN: not measured), where the scene has true normals.
  double normal_mae = std::nan(""), normal_mae_predicted = std::nan("");
  int steps = 0;
  std::vector<SizeMetrics> per_size;  // when the test views have several sizes, largest first
  std::vector<float> view0;           // the first test view, RGB on white
  HalfImageResult half;               // NeRF-W's protocol (AblateArgs::half_image)
  TrainingPoseReport poses;           // a scene with true training poses (noisy-poses): BARF's pose errors
};

ArmResult run_arm(const AblateArgs& a, const std::string& data_dir, const std::string& device, const CompareArm& arm,
                  const Dataset& test) {
  EngineOptions options;
  options.data_dir = data_dir;
  options.method_name = arm.method_name;
  options.device = device;
  Engine engine(options, arm.params);
  std::fprintf(stderr, "nerds ablate: %s on %s\n", arm.setting.c_str(), engine.device().c_str());
  train_for(engine, a.budget, [](const StepStats&) { return true; }, arm.setting);
  EvalOptions eval;
  eval.stride = a.test_stride;
  ArmResult out;
  out.poses = training_pose_report(engine);
  // With true training poses, both arms' test views after BARF's test-time pose alignment.
  const Dataset& views = out.poses.has_true_poses ? pose_aligned_test_split(engine, test) : test;
  const EvalResult r = evaluate(engine, views, eval);
  const EngineStats st = engine.stats();
  out.setting = arm.setting;
  out.sets = arm.sets;
  out.params = arm.params.to_json();
  out.psnr = r.psnr;
  out.ssim = r.ssim;
  out.normal_mae = r.normal_mae;
  out.normal_mae_predicted = r.normal_mae_predicted;
  out.per_size = r.per_size;
  out.train_seconds = st.train_seconds;
  out.steps = st.step;
  out.samples_per_second = st.train_seconds > 0 ? st.used_samples / st.train_seconds : 0.0;
  const float white[3] = {1.f, 1.f, 1.f};
  out.view0 = engine.render(test.frames[0].pose, test.frames[0].intrinsics, white).rgb;
  if (a.half_image) {
    HalfImageOptions half;
    half.stride = a.test_stride;
    out.half = evaluate_half_image(engine, test, half);
  }
  return out;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "300 steps", "60 s", or "60 s or 5000 steps" (whichever comes first).
std::string budget_text(const Budget& b) {
  const std::string steps = std::to_string(b.steps) + " steps", seconds = fixed(b.seconds, 0) + " s";
  if (b.steps > 0 && b.seconds > 0) return seconds + " or " + steps;
  return b.steps > 0 ? steps : seconds;
}

// The Markdown table of both runs; with several test image sizes, a PSNR column per size
// (largest first, as Mip-NeRF's Table 1) after the means over all views.
std::string results_table(const ArmResult& on, const ArmResult& off) {
  std::string head = "| setting | PSNR (dB) | SSIM |", rule = "|---|---|---|";
  for (const SizeMetrics& m : on.per_size) {
    head += " PSNR " + std::to_string(m.width) + "x" + std::to_string(m.height) + " |";
    rule += "---|";
  }
  std::string md = head + " train time (s) | steps | samples/s |\n" + rule + "---|---|---|\n";
  for (const ArmResult* r : {&on, &off}) {
    md += "| `" + r->setting + "` | " + fixed(r->psnr, 2) + " | " + fixed(r->ssim, 4) + " |";
    for (const SizeMetrics& m : r->per_size) md += " " + fixed(m.psnr, 2) + " |";
    md += " " + fixed(r->train_seconds, 1) + " | " + std::to_string(r->steps) + " | " +
          fixed(r->samples_per_second, 0) + " |\n";
  }
  return md;
}

int run_ablate(const AblateArgs& a) {
  // Both arms' parameters now: an unknown card or a bad setting on it fails before the first arm trained.
  const std::vector<PaperCard>& cards = paper_cards();
  const ComparePlan plan = plan_compare({a.paper, a.toggle, "", {a.method.method_file, a.method.sets}}, cards);
  const PaperCard* card = find_paper_card(cards, a.paper);
  const size_t toggle_index = static_cast<size_t>(plan.toggle_index);
  const PaperToggle& toggle = plan.toggle;
  const std::string device = check_device(a.device);
  // The user's budget, else the toggle's own (the paper's comparison at equal time), else the default.
  const CompareBudget arm_budget = compare_budget(plan, a.budget.seconds, a.budget.steps);
  Budget budget = a.budget;
  budget.seconds = arm_budget.seconds;
  budget.steps = arm_budget.steps;
  const std::string& budget_from = arm_budget.from;
  resolve_budget(budget);
  AblateArgs args = a;
  args.budget = budget;
  for (const CompareArm* arm : {&plan.a, &plan.b})
    args.half_image = args.half_image || arm->params.get_string("appearance.kind") == "embedding" ||
                      arm->params.get_bool("transient.enabled");

  const std::string scene = !a.scene.empty() ? a.scene : plan.scene;
  const fs::path out(a.out.empty() ? "runs/ablate/" + card->id + "-" + toggle.param + "=" + toggle.off + "-" + (a.data.empty() ? scene : "data")
                                   : a.out);
  make_folder(out.string());
  std::string data_dir = a.data;
  if (data_dir.empty()) {
    data_dir = (out / "scene").string();
    if (!fs::exists(fs::path(data_dir) / "transforms_test.json")) {
      scenes::SceneOptions o = a.scene_options;
      o.seed = static_cast<uint32_t>(a.scene_seed);
      std::fprintf(stderr, "nerds ablate: making scene '%s' (%dx%d) in %s\n", scene.c_str(), o.resolution,
                   o.resolution, data_dir.c_str());
      scenes::make_scene(scene, data_dir, o);
    }
    const std::string multires = compare_data_folder(data_dir);
    if (multires != data_dir) {
      std::fprintf(stderr, "nerds ablate: training and testing on %s (every view at 1/1 to 1/8 size)\n",
                   multires.c_str());
      data_dir = multires;
    }
  } else if (!fs::is_directory(data_dir)) {
    throw InputError(data_dir, "", "no such dataset folder");
  }
  data_dir = absolute_path(data_dir);
  DatasetOptions test_options;
  test_options.split = "test";
  const Dataset test = load_dataset(data_dir, test_options);

  const ArmResult on = run_arm(args, data_dir, device, plan.b, test);
  const ArmResult off = run_arm(args, data_dir, device, plan.a, test);

  // Images: on | off | ground truth, and |on - off|.
  const int w = test.frame_images[0].width, h = test.frame_images[0].height;
  const float white[3] = {1.f, 1.f, 1.f};
  const std::vector<float> gt = composite_ground_truth(test, 0, white);
  write_png((out / "view0_on_off_gt.png").string(),
            side_by_side({rgb_to_image(on.view0, w, h), rgb_to_image(off.view0, w, h), rgb_to_image(gt, w, h)}));
  write_png((out / "view0_difference.png").string(), error_image(on.view0, off.view0, w, h, 5.f));

  nlohmann::ordered_json j;
  j["paper"] = card->id;
  j["card"] = card->file;
  j["toggle"] = paper_card_json(*card)["toggles"][toggle_index];
  j["toggle"]["sets"] = a.method.sets;  // the user's --set, both arms
  j["data"] = data_dir;
  j["device"] = device;
  j["budget"] = {{"seconds", budget.seconds}, {"steps", budget.steps}, {"from", budget_from}};
  j["test_views"] = (test.frames.size() + a.test_stride - 1) / a.test_stride;
  for (const ArmResult* r : {&on, &off}) {
    nlohmann::ordered_json run = {{"setting", r->setting},
                                  {"psnr", number_or_null(r->psnr)},
                                  {"ssim", number_or_null(r->ssim)},
                                  {"train_seconds", r->train_seconds},
                                  {"steps", r->steps},
                                  {"samples_per_second", r->samples_per_second},
                                  {"sets", r->sets},
                                  {"params", r->params}};
    if (!std::isnan(r->normal_mae)) {
      run["normal_mae"] = number_or_null(r->normal_mae);
      run["normal_mae_predicted"] = number_or_null(r->normal_mae_predicted);
    }
    for (const SizeMetrics& m : r->per_size)
      run["per_size"].push_back({{"width", m.width},
                                 {"height", m.height},
                                 {"views", m.views},
                                 {"psnr", number_or_null(m.psnr)},
                                 {"ssim", number_or_null(m.ssim)}});
    if (args.half_image) run["half_image"] = r->half.to_json();
    if (r->poses.has_true_poses) run["poses"] = nlohmann::ordered_json::parse(r->poses.to_json().dump());
    j["runs"].push_back(run);
  }
  j["psnr_gain"] = number_or_null(on.psnr - off.psnr);
  if (args.half_image) j["half_image_psnr_gain"] = number_or_null(on.half.psnr_right - off.half.psnr_right);
  const PaperNumber& headline = card->numbers.front();
  const std::string paper_says =
      !toggle.paper.empty() ? toggle.paper : headline.what + ": " + headline.value + " (" + headline.source + ")";
  j["paper_numbers"] = paper_says;
  write_json_file((out / "ablation.json").string(), j);

  std::string md = "# " + card->title + ": " + toggle.param + " = " + toggle.on + " vs " + toggle.off + "\n\n" +
                   toggle.what + ". Data: `" + data_dir + "`, same seed and budget (" + budget_text(budget) +
                   (budget_from == card->file ? ", the card's" : "") + "), device " + device + ", " +
                   std::to_string(j["test_views"].get<size_t>()) + " test views on white.\n\n";
  std::vector<std::string> shared = toggle.with;
  shared.insert(shared.end(), a.method.sets.begin(), a.method.sets.end());
  if (!a.method.method_file.empty()) shared.insert(shared.begin(), "--method " + a.method.method_file);
  if (!shared.empty()) {
    md += "Both arms:";
    for (const std::string& x : shared) md += " `" + x + "`";
    md += ".\n\n";
  }
  for (const auto& [value, only] : {std::pair{toggle.on, toggle.on_with}, std::pair{toggle.off, toggle.off_with}}) {
    if (only.empty()) continue;
    md += "Only `" + toggle.param + "=" + value + "`:";
    for (const std::string& x : only) md += " `" + x + "`";
    md += ".\n\n";
  }
  md += results_table(on, off);
  for (const ArmResult* r : {&on, &off})
    if (!std::isnan(r->normal_mae))
      md += "\n`" + r->setting + "`: normals' mean angular error " + fixed(r->normal_mae, 2) +
            " deg (density normals)" +
            (std::isnan(r->normal_mae_predicted) ? std::string()
                                                 : ", " + fixed(r->normal_mae_predicted, 2) + " deg (predicted normals)") +
            ".\n";
  if (args.half_image)
    md += "\nNeRF-W's protocol (Sec. 5): each test view's appearance code fitted on its left half with the model "
          "frozen, PSNR on its right half: on " + fixed(on.half.psnr_right, 2) + " dB, off " +
          fixed(off.half.psnr_right, 2) + " dB (gain " + fixed(on.half.psnr_right - off.half.psnr_right, 2) +
          " dB); with the mean training code, right half: on " + fixed(on.half.psnr_right_mean, 2) + " dB, off " +
          fixed(off.half.psnr_right_mean, 2) + " dB.\n";
  if (on.poses.has_true_poses) {  // noisy-poses: BARF's pose errors; PSNR after test-time pose alignment
    md += "\nTraining cameras against transforms_train_true.json (similarity-aligned; PSNR above is after the "
          "test-time pose alignment, " + std::to_string(kTestPoseSteps) + " steps per test view, model frozen):\n\n"
          "| setting | rotation error (deg) before -> after | translation error (world units) before -> after |\n"
          "|---|---|---|\n";
    for (const ArmResult* r : {&on, &off})
      md += "| `" + r->setting + "` | " + fixed(r->poses.before.rotation_deg, 3) + " -> " +
            fixed(r->poses.after.rotation_deg, 3) + " | " + fixed(r->poses.before.translation, 4) + " -> " +
            fixed(r->poses.after.translation, 4) + " |\n";
  }
  md += "\nPSNR gain of the technique: " + fixed(on.psnr - off.psnr, 2) + " dB. The paper: " + paper_says +
        ".\n\nImages: `view0_on_off_gt.png` (on | off | ground truth), "
        "`view0_difference.png` (|on - off| x 5).\n";
  std::FILE* f = std::fopen((out / "ablation.md").string().c_str(), "w");
  if (!f) throw InputError((out / "ablation.md").string(), "", "cannot write");
  std::fputs(md.c_str(), f);
  std::fclose(f);
  std::printf("%s\nwritten: %s, %s, %s, %s\n", md.c_str(), (out / "ablation.md").string().c_str(),
              (out / "ablation.json").string().c_str(), (out / "view0_on_off_gt.png").string().c_str(),
              (out / "view0_difference.png").string().c_str());
  return 0;
}

}  // namespace

Command add_ablate_command(CLI::App& app) {
  auto args = std::make_shared<AblateArgs>();
  args->scene_options.resolution = kCompareSceneResolution;
  args->scene_options.train_views = kCompareSceneTrainViews;
  args->scene_options.test_views = kCompareSceneTestViews;
  CLI::App* sub = app.add_subcommand(
      "ablate", "train a paper's technique on and off (same seed and budget) and compare them (A/B table + images)");
  sub->add_option("--paper", args->paper, "paper card id (nerds papers)")->required();
  sub->add_option("--toggle", args->toggle,
                  "which of the card's toggles: its parameter, or PARAM=OFF when several share one, PARAM=OFF@SCENE when "
                  "they share that too (default: the main one)");
  sub->add_option("--scene", args->scene, "sample scene (default: the one the card names)");
  sub->add_option("--data", args->data, "a dataset folder instead of a sample scene");
  sub->add_option("--out", args->out, "output folder (default runs/ablate/PAPER-PARAM=OFF-SCENE)");
  sub->add_option("--test-stride", args->test_stride, "evaluate every Nth test view")->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_budget_options(sub, &args->budget, 60.0);  // 60 s when neither the user nor the toggle gives one
  add_scene_make_options(sub, &args->scene_options, &args->scene_seed);
  add_method_options(sub, &args->method);
  add_device_option(sub, &args->device);
  return {sub, [args] { return run_ablate(*args); }};
}

}  // namespace nerds::cli
