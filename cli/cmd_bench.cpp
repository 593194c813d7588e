// `nerds bench`: trains with the clock paused during evaluations and prints ONE JSON object
// on stdout with the keys of shared/design/BENCH.md (progress goes to stderr):
//   data, method, params, device, train_seconds, steps, samples_per_second,
//   marched_samples_per_second, rays_per_second, psnr, ssim, test_views, psnr_at,
//   seconds_to_psnr, peak_rss_mib, plus stage_seconds and how the checks were made.
// psnr_at and seconds_to_psnr come from quick checks on every --check-stride'th test view
// (default 8: 25 of lego's 200), made at each --psnr-at time and every --check-every seconds
// of training; seconds_to_psnr is the training time of the first check at or above the
// threshold (so its resolution is --check-every), or of the final full evaluation.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "renderer/error.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/peak_memory.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

struct BenchArgs {
  std::string data, device, psnr_at, thresholds = "25,28,30";
  MethodOptions method;
  Budget budget;
  int downscale = 1;
  int test_stride = 1;
  int check_stride = 8;
  double check_every = 10;
};

int run_bench(const BenchArgs& a) {
  const std::string device = check_device(a.device);
  Budget budget = a.budget;
  resolve_budget(budget);
  std::vector<double> psnr_at_times = parse_number_list(a.psnr_at, "--psnr-at");
  std::vector<double> thresholds = parse_number_list(a.thresholds, "--thresholds");
  std::sort(psnr_at_times.begin(), psnr_at_times.end());
  psnr_at_times.erase(std::unique(psnr_at_times.begin(), psnr_at_times.end()), psnr_at_times.end());
  if (a.check_every < 0) throw InputError("--check-every", "", "must be >= 0 seconds (0: no periodic checks)");
  if (!fs::is_directory(a.data)) throw InputError(a.data, "", "no such dataset folder");

  std::string method_name;
  const ParamSet params = build_params(a.method, &method_name);
  EngineOptions options;
  options.data_dir = absolute_path(a.data);
  options.downscale = a.downscale;
  options.method_name = method_name;
  options.device = device;
  const auto load_start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "nerds bench: loading %s\n", a.data.c_str());
  Engine engine(options, params);
  const Dataset test = engine.load_split("test", true);
  const double load_seconds = seconds_since(load_start);
  const int check_views = static_cast<int>((test.frames.size() + a.check_stride - 1) / a.check_stride);
  std::fprintf(stderr,
               "nerds bench: %s, %zu train / %zu test views of %dx%d, %d threads; checks on %d test views "
               "(stride %d) every %gs\n",
               method_name.c_str(), engine.train_set().frames.size(), test.frames.size(), test.width, test.height,
               thread_count(), check_views, a.check_stride, a.check_every);

  // The check schedule: the --psnr-at times and every check_every seconds within the budget.
  std::map<double, bool> schedule;  // training seconds -> is a --psnr-at time
  for (double t : psnr_at_times) schedule[t] = true;
  if (a.check_every > 0) {
    const double horizon = budget.seconds > 0 ? budget.seconds : 1e9;
    for (int k = 1; k * a.check_every <= horizon + 1e-9 && k < 100000; ++k) schedule.emplace(k * a.check_every, false);
  }
  nlohmann::ordered_json psnr_at = nlohmann::ordered_json::object(), seconds_to_psnr = nlohmann::ordered_json::object();
  for (double t : psnr_at_times) psnr_at[number_key(t)] = nullptr;
  for (double thr : thresholds) seconds_to_psnr[number_key(thr)] = nullptr;
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  double check_seconds = 0, last_check_psnr = std::nan("");
  auto reach = [&](double psnr, double at) {
    for (double thr : thresholds)
      if (psnr >= thr && seconds_to_psnr[number_key(thr)].is_null()) seconds_to_psnr[number_key(thr)] = at;
  };
  EvalOptions check_options;
  check_options.stride = a.check_stride;
  auto next = schedule.begin();
  train_for(
      engine, budget,
      [&](const StepStats&) {
        const double t = engine.stats().train_seconds;
        bool due = false, is_psnr_at = false;
        std::vector<double> labels;
        while (next != schedule.end() && next->first <= t) {
          due = true;
          if (next->second) labels.push_back(next->first);
          is_psnr_at |= next->second;
          ++next;
        }
        if (!due) return true;
        const EvalResult r = evaluate(engine, test, check_options);
        check_seconds += r.seconds;
        last_check_psnr = r.psnr;
        for (double label : labels) psnr_at[number_key(label)] = number_or_null(r.psnr);
        reach(r.psnr, t);
        checks.push_back({{"seconds", t}, {"step", engine.stats().step}, {"psnr", number_or_null(r.psnr)}});
        return true;
      },
      "bench",
      [&] {
        char buf[48];
        std::snprintf(buf, sizeof buf, "check %.2f dB", last_check_psnr);
        return std::isnan(last_check_psnr) ? std::string() : std::string(buf);
      });
  const EngineStats st = engine.stats();

  std::fprintf(stderr, "nerds bench: final evaluation on %zu test views (stride %d)\n",
               (test.frames.size() + a.test_stride - 1) / a.test_stride, a.test_stride);
  EvalOptions final_options;
  final_options.stride = a.test_stride;
  const EvalResult final_eval = evaluate(engine, test, final_options);
  reach(final_eval.psnr, st.train_seconds);

  const double ts = st.train_seconds > 0 ? st.train_seconds : std::nan("");
  // BENCH.md's keys first, in its order; then the extras.
  nlohmann::ordered_json j;
  j["data"] = a.data;
  j["method"] = method_name;
  j["params"] = nlohmann::ordered_json::parse(engine.params().to_json().dump());
  j["device"] = device_json(engine.device());
  j["train_seconds"] = st.train_seconds;
  j["steps"] = st.step;
  j["samples_per_second"] = number_or_null(st.used_samples / ts);
  j["marched_samples_per_second"] = number_or_null(st.marched_samples / ts);
  j["rays_per_second"] = number_or_null(st.rays / ts);
  j["psnr"] = number_or_null(final_eval.psnr);
  j["ssim"] = number_or_null(final_eval.ssim);
  j["test_views"] = final_eval.views;
  j["psnr_at"] = psnr_at;
  j["seconds_to_psnr"] = seconds_to_psnr;
  j["peak_rss_mib"] = peak_rss_mib();
  j["stage_seconds"] = {{"occupancy", st.stages.occupancy},
                        {"march_forward_backward", st.stages.march_forward_backward},
                        {"hash_backward", st.stages.hash_backward},
                        {"optimizer", st.stages.optimizer}};
#ifdef NDEBUG
  j["build"] = "release";
#else
  j["build"] = "debug";
#endif
  j["downscale"] = a.downscale;
  j["split"] = "test";
  j["background"] = "white";
  j["test_stride"] = a.test_stride;
  j["test_split_views"] = test.frames.size();
  // How psnr_at and seconds_to_psnr were measured: quick checks on every `stride`th test view.
  j["checks"] = {{"every_seconds", a.check_every},
                 {"stride", a.check_stride},
                 {"views", check_views},
                 {"eval_seconds", check_seconds},
                 {"list", checks}};
  j["load_seconds"] = load_seconds;
  j["final_eval_seconds"] = final_eval.seconds;
  j["occupied_cells"] = st.occupied_cells;
  j["total_cells"] = st.total_cells;
  j["interrupted"] = interrupted();
  std::printf("%s\n", j.dump(2).c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "nerds bench: %d steps in %.1f s, %s samples/s used, PSNR %.2f dB, SSIM %.4f (%d views)\n",
               st.step, st.train_seconds, format_count(st.used_samples / ts).c_str(), final_eval.psnr, final_eval.ssim,
               final_eval.views);
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* sub = app.add_subcommand("bench", "train with timed checks and print one JSON object (BENCH.md)");
  sub->add_option("--data", args->data, "dataset folder")->required();
  add_method_options(sub, &args->method);
  add_budget_options(sub, &args->budget, 60);
  sub->add_option("--psnr-at", args->psnr_at, "training seconds at which to report test PSNR, e.g. 10,30,60");
  sub->add_option("--thresholds", args->thresholds, "PSNR thresholds (dB) for seconds_to_psnr")->capture_default_str();
  sub->add_option("--test-stride", args->test_stride, "final evaluation on every Nth test view (1: all)")
      ->check(positive_number());
  sub->add_option("--check-every", args->check_every, "seconds of training between PSNR checks (0: none)")
      ->check(non_negative_number())
      ->capture_default_str();
  sub->add_option("--check-stride", args->check_stride, "checks use every Nth test view")
      ->check(positive_number())
      ->capture_default_str();
  sub->add_option("--downscale", args->downscale, "integer image downscale")->check(positive_number());
  add_device_option(sub, &args->device);
  return {sub, [args] { return run_bench(*args); }};
}

}  // namespace nerds::cli
