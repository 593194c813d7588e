// `nerds race --data DIR --methods a,b,c [--arm NAME=METHOD:key=value,...]`: the representations race. Each method trains one
// after the other on the same dataset from the same seed and budget (--seconds of training
// time, or --steps), with test-PSNR checks at a schedule of training times (default 5, 10,
// 20, 30, 60, 90, 120 s, then every minute, and the end); it is saved (the model size is the
// snapshot's) and evaluated at the end. race.md, race.json and race.png go to --out
// (cli/race_report.h). The checks pause the training clock, as `nerds bench` does.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/race_report.h"
#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/peak_memory.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

struct RaceArgs {
  std::string data, methods, out = "runs/race", check_at, thresholds = "25,28,30", device;
  std::vector<std::string> sets, arms;
  Budget budget;
  int64_t seed = 1337;
  int check_stride = 8, test_stride = 1, downscale = 1;
};

// The default check times: 5, 10, 20, 30, 60, 90, 120 s, then every 60 s, before the end of
// a --seconds budget (the end itself is always checked); up to an hour for a --steps budget.
std::vector<double> default_check_times(const Budget& budget) {
  const double horizon = budget.seconds > 0 ? budget.seconds : 3600.0;
  std::vector<double> times;
  for (double t : {5.0, 10.0, 20.0, 30.0, 60.0, 90.0, 120.0})
    if (t < horizon) times.push_back(t);
  for (double t = 180.0; t < horizon; t += 60.0) times.push_back(t);
  return times;
}

// The method files a name may choose: scenes/methods/*.json beside the instant_ngp one.
std::string list_method_files() {
  const std::string any = find_method_file("instant_ngp");
  if (any.empty())
    return "no scenes/methods folder was found from the working directory or the executable's folder (only "
           "instant_ngp, the built-in defaults, runs without one)";
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(any).parent_path(), ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return "the method files in " + fs::path(any).parent_path().string() + " are: " + text;
}

struct RaceMethod {
  std::string name, method, file, stem;
  std::vector<std::string> arm_sets;  // an --arm's own settings, after every --set
  ParamSet params;
};

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The method file a --methods token or an --arm's METHOD names ("" for instant_ngp's built-in
// defaults); an unknown name lists the method files.
std::string method_file_of(const std::string& token, const std::string& option) {
  const bool is_path = token.find('/') != std::string::npos ||
                       (token.size() >= 5 && token.compare(token.size() - 5, 5, ".json") == 0);
  std::error_code ec;
  if (is_path && !fs::is_regular_file(token, ec)) throw InputError(token, "", "no such method file (" + option + ")");
  const std::string file = is_path ? token : find_method_file(token);
  if (!is_path && file.empty() && token != "instant_ngp")
    throw InputError(option, "", "no method '" + token + "': " + list_method_files());
  return file;
}

// --arm NAME=METHOD[:key=value,...]: one arm of a method with settings of its own, applied after
// every --set (so several arms of one method can race, e.g. table sizes). A piece without '='
// continues the previous value (a list value such as encoding.tensorf_upsample_steps=2000,3000).
RaceMethod parse_arm(const std::string& spec, const std::vector<std::string>& sets) {
  const std::string option = "--arm '" + spec + "'";
  const size_t eq = spec.find('=');
  if (eq == std::string::npos)
    throw InputError(option, "", "expected NAME=METHOD[:key=value,...], e.g. T14=instant_ngp:encoding.log2_table_size=14");
  RaceMethod m;
  m.name = trimmed(spec.substr(0, eq));
  if (m.name.empty()) throw InputError(option, "", "the arm has no name before '='");
  const std::string rest = spec.substr(eq + 1);
  const size_t colon = rest.find(':');
  const std::string method = trimmed(rest.substr(0, colon));
  if (method.empty()) throw InputError(option, "", "the arm names no method after '='");
  if (colon != std::string::npos) {
    std::stringstream list(rest.substr(colon + 1));
    std::string piece;
    while (std::getline(list, piece, ',')) {
      piece = trimmed(piece);
      if (piece.find('=') != std::string::npos) {
        m.arm_sets.push_back(piece);
      } else if (!m.arm_sets.empty() && !piece.empty()) {
        m.arm_sets.back() += "," + piece;
      } else {
        throw InputError(option, "", "'" + piece + "' is not key=value (after ':' come module.key=value settings)");
      }
    }
    if (m.arm_sets.empty()) throw InputError(option, "", "nothing after ':' (give module.key=value settings or drop the ':')");
  }
  m.file = method_file_of(method, option);
  std::vector<std::string> all = sets;
  all.insert(all.end(), m.arm_sets.begin(), m.arm_sets.end());
  try {
    m.params = method_params(m.file.empty() ? method : m.file, all, &m.method);
  } catch (const InputError& e) {
    throw InputError(option, "", e.what());
  }
  m.stem = "arm_" + m.name;
  return m;
}

// --methods: names in scenes/methods/ (or method file paths), each once, then the --arm
// entries; every name once, all resolved before anything trains.
std::vector<RaceMethod> resolve_methods(const RaceArgs& a) {
  std::vector<RaceMethod> out;
  std::set<std::string> seen, seen_methods;
  std::stringstream list(a.methods);
  std::string token;
  std::vector<std::string> sets = a.sets;
  sets.push_back("trainer.seed=" + std::to_string(a.seed));
  while (std::getline(list, token, ',')) {
    token = trimmed(token);
    if (token.empty()) continue;
    if (!seen.insert(token).second) throw InputError("--methods", "", "'" + token + "' is listed twice");
    RaceMethod m;
    m.name = token;
    m.file = method_file_of(token, "--methods");
    m.params = method_params(m.file.empty() ? token : m.file, sets, &m.method);
    if (!seen_methods.insert(m.method).second)
      throw InputError("--methods", "", "two entries name the method '" + m.method + "'");
    m.stem = m.method;
    out.push_back(std::move(m));
  }
  for (const std::string& spec : a.arms) {
    RaceMethod m = parse_arm(spec, sets);
    if (!seen.insert(m.name).second)
      throw InputError("--arm '" + spec + "'", "", "the name '" + m.name + "' is already taken by another entry");
    out.push_back(std::move(m));
  }
  if (out.empty())
    throw InputError("--methods", "", "no method given (e.g. --methods instant_ngp,nerf, or --arm NAME=METHOD:key=value)");
  return out;
}

// A file name from a method's name: letters, digits, '-', '_' and '.' kept, others '_'.
std::string file_stem(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return s.empty() || s[0] == '.' ? "method" + s : s;
}

RaceEntry race_one(const RaceArgs& a, const RaceSetup& setup, const RaceMethod& m, const std::string& device,
                   bool* interrupted_now) {
  RaceEntry r;
  r.name = m.name;
  r.method = m.method;
  r.method_file = m.file.empty() ? "" : absolute_path(m.file);
  r.arm_sets = m.arm_sets;
  r.params = nlohmann::ordered_json::parse(m.params.to_json().dump());
  r.peak_is_own = reset_peak_rss();
  r.rss_before_mib = current_rss_mib();
  std::unique_ptr<Engine> made;  // outside the try: a run that stopped still reports its steps
  try {
    EngineOptions options;
    options.data_dir = setup.data;
    options.downscale = a.downscale;
    options.method_name = m.method;
    options.device = device;
    made = std::make_unique<Engine>(options, m.params);
    Engine& engine = *made;
    const Dataset test = engine.load_split("test", true);
    std::fprintf(stderr, "nerds race: %s (%s) on %s, %zu train / %zu test views\n", m.name.c_str(),
                 r.method_file.empty() ? "built-in defaults" : r.method_file.c_str(), engine.device().c_str(),
                 engine.train_set().frames.size(), test.frames.size());
    // PSNR and SSIM only: the depth and normal measures of generated scenes are not raced.
    EvalOptions check_options;
    check_options.stride = a.check_stride;
    check_options.floater_stride = 0;
    check_options.normal_stride = 0;
    double last_ssim = std::nan("");  // the latest check's
    auto check = [&](double at) {
      const EvalResult e = evaluate(engine, test, check_options);
      r.eval_seconds += e.seconds;
      last_ssim = e.ssim;
      const EngineStats st = engine.stats();
      r.checks.push_back({at, st.train_seconds, st.step, e.psnr});
    };
    r.check_views = static_cast<int>((test.frames.size() + a.check_stride - 1) / a.check_stride);
    r.final_views = static_cast<int>((test.frames.size() + a.test_stride - 1) / a.test_stride);
    size_t next = 0;
    const std::vector<double>& times = setup.check_times;
    const bool finished = train_for(
        engine, a.budget,
        [&](const StepStats&) {
          // One check answers every scheduled time this step passed (the latest is its label).
          const double t = engine.stats().train_seconds;
          double at = std::nan("");
          while (next < times.size() && times[next] <= t) at = times[next++];
          if (!std::isnan(at)) check(at);
          return true;
        },
        m.name,
        [&] {
          char text[48] = "";
          if (!r.checks.empty()) std::snprintf(text, sizeof text, "check %.2f dB", r.checks.back().psnr);
          return std::string(text);
        });
    *interrupted_now = !finished;
    const EngineStats st = engine.stats();
    if (r.checks.empty() || r.checks.back().step != st.step) check(std::nan(""));  // the end of training
    r.peak_rss_mib = peak_rss_mib();
    r.steps = st.step;
    r.train_seconds = st.train_seconds;
    const double ts = st.train_seconds > 0 ? st.train_seconds : std::nan("");
    r.samples_per_second = st.used_samples / ts;
    r.marched_samples_per_second = st.marched_samples / ts;
    r.rays_per_second = st.rays / ts;
    const fs::path snapshot = fs::path(setup.out) / "snapshots" / (file_stem(m.stem) + ".nerds");
    make_folder(snapshot.parent_path().string());
    engine.save(snapshot.string());
    r.snapshot = snapshot.string();
    r.model_bytes = fs::file_size(snapshot);
    for (const PackedTensor& t : engine.param_tensors(false)) r.parameters += static_cast<int64_t>(t.info.size());
    if (a.test_stride == a.check_stride) {  // the end check is the final evaluation
      r.psnr = r.checks.back().psnr;
      r.ssim = last_ssim;
    } else {
      EvalOptions final_options = check_options;
      final_options.stride = a.test_stride;
      std::fprintf(stderr, "nerds race: %s: final evaluation on 1 in %d test views\n", m.name.c_str(), a.test_stride);
      const EvalResult e = evaluate(engine, test, final_options);
      r.eval_seconds += e.seconds;
      r.psnr = e.psnr;
      r.ssim = e.ssim;
    }
  } catch (const InputError& e) {  // training stopped, or the method cannot run here: race the others
    r.failure = e.what();
    r.psnr = r.ssim = std::nan("");
    r.peak_rss_mib = peak_rss_mib();
    if (made) {
      r.steps = made->stats().step;
      r.train_seconds = made->stats().train_seconds;
    }
    std::fprintf(stderr, "nerds race: %s stopped: %s\n", m.name.c_str(), e.what());
  }
  std::fprintf(stderr, "nerds race: %s: %d steps in %.1f s of training, PSNR %.2f dB\n", m.name.c_str(), r.steps,
               r.train_seconds, r.psnr);
  return r;
}

int run_race(const RaceArgs& a) {
  const std::string device = check_device(a.device);
  Budget budget = a.budget;
  resolve_budget(budget);
  RaceArgs args = a;
  args.budget = budget;
  if (!fs::is_directory(a.data)) throw InputError(a.data, "", "no such dataset folder");
  const std::vector<RaceMethod> methods = resolve_methods(a);

  RaceSetup setup;
  setup.data = absolute_path(a.data);
  setup.out = a.out;
  setup.thresholds = parse_number_list(a.thresholds, "--thresholds");
  if (a.check_at.empty()) {
    setup.check_times = default_check_times(budget);
  } else {
    std::vector<double> times = parse_number_list(a.check_at, "--check-at");
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    for (double t : times)  // the end of a --seconds budget is checked anyway
      if (t > 0 && (budget.seconds <= 0 || t < budget.seconds)) setup.check_times.push_back(t);
  }
  setup.budget_seconds = budget.seconds;
  setup.budget_steps = budget.steps;
  setup.seed = a.seed;
  setup.sets = a.sets;
  setup.check_stride = a.check_stride;
  setup.test_stride = a.test_stride;
  setup.downscale = a.downscale;
  setup.device = device_json(device);
  setup.machine = race_machine_json();
  setup.date = utc_now_iso8601();
  setup.commit = source_commit(&setup.dirty);
  setup.command_line = process_command_line();
  make_folder(a.out);

  std::vector<RaceEntry> entries;
  for (const RaceMethod& m : methods) {
    bool stop = false;
    entries.push_back(race_one(args, setup, m, device, &stop));
    if (setup.check_views == 0) {  // every method sees the same test split
      setup.check_views = entries.back().check_views;
      setup.test_views = entries.back().final_views;
    }
    if (stop) {
      setup.interrupted = true;
      break;
    }
  }
  write_race_files(setup, entries);
  if (std::all_of(entries.begin(), entries.end(), [](const RaceEntry& e) { return !e.failure.empty(); }))
    throw InputError("every method of the race stopped; the first: " + entries.front().failure);
  std::printf("%s\nwritten: %s/race.md, race.json, race.png\n", race_markdown(setup, entries).c_str(), a.out.c_str());
  return 0;
}

}  // namespace

Command add_race_command(CLI::App& app) {
  auto args = std::make_shared<RaceArgs>();
  CLI::App* sub = app.add_subcommand(
      "race", "train several methods one after the other (same data, seed and budget) and race their test PSNR "
              "against training time: table, JSON and plot");
  sub->add_option("--data", args->data, "dataset folder")->required();
  sub->add_option(
      "--methods", args->methods,
      "comma-separated method names (scenes/methods/NAME.json) or method file paths, e.g. instant_ngp,nerf");
  sub->add_option("--arm", args->arms,
                               "race an arm with settings of its own, after every --set: NAME=METHOD[:key=value,...], "
                               "e.g. T14=instant_ngp:encoding.log2_table_size=14 (repeatable; arms may share a method)")
                   ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                   ->allow_extra_args(false);
  add_budget_options(sub, &args->budget, 120);
  sub->add_option("--out", args->out, "output folder: race.md, race.json, race.png, snapshots/")->capture_default_str();
  sub->add_option("--check-at", args->check_at,
                  "training seconds of the test-PSNR checks (default 5,10,20,30,60,90,120, then every 60, before the "
                  "end; the end is always checked)");
  sub->add_option("--thresholds", args->thresholds, "PSNR thresholds (dB) for the time-to columns")->capture_default_str();
  sub->add_option("--check-stride", args->check_stride, "checks use every Nth test view")
      ->check(positive_number())
      ->capture_default_str();
  sub->add_option("--test-stride", args->test_stride, "the final evaluation uses every Nth test view (1: all)")
      ->check(positive_number())
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "trainer.seed of every method")
      ->check(non_negative_number(4294967295.0))
      ->capture_default_str();
  sub->add_option("--set", args->sets, "override one parameter of every method: module.key=value (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_option("--downscale", args->downscale, "integer image downscale")->check(positive_number());
  add_device_option(sub, &args->device);
  return {sub, [args] { return run_race(*args); }};
}

}  // namespace nerds::cli
