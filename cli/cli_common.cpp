#include "cli/cli_common.h"

#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/progress_line.h"
#include "renderer/backend/device_info.h"
#include "renderer/data/json_fields.h"
#include "renderer/data/staged_folder.h"
#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"

namespace nerds::cli {

namespace fs = std::filesystem;

// ---- option checks ------------------------------------------------------------------

namespace {
// Plain decimal notation: [sign] digits [. digits] [e [sign] digits]. std::stod would also take
// "0x10", "inf" and "nan", and CLI11 reads integers with strtoll(base 0), so "010" is 8 and
// "0x10" 16: the checks below accept only this form (and whole_number hands CLI11 digits).
bool parse_decimal(const std::string& text, double* value) {
  size_t i = 0, digits = 0;
  const size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  for (; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i) ++digits;
  if (i < n && text[i] == '.')
    for (++i; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i) ++digits;
  if (digits == 0) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    for (; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i) ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != n) return false;
  *value = std::strtod(text.c_str(), nullptr);  // overflow gives inf, refused by the callers
  return std::isfinite(*value);
}

CLI::Validator number_check(bool allow_zero, double max) {
  return CLI::Validator(
      [allow_zero, max](std::string& text) -> std::string {
        double v = 0;
        const bool ok = parse_decimal(text, &v) && v >= 0 && (allow_zero || v > 0) && v <= max;
        if (!ok)
          return std::string("must be a ") + (allow_zero ? "non-negative" : "positive") + " number of at most " +
                 number_key(max) + ", got '" + text + "'";
        return "";
      },
      allow_zero ? "NONNEGATIVE" : "POSITIVE");
}

// Every integer option: a whole number in plain decimal notation within +-2^53 (exact in a
// double), rewritten to digits ("1e3" -> "1000"). Without it CLI11 reads "010" as octal,
// "0x10" as hex and clamps 99999999999999999999 to INT64_MAX without a word.
CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        constexpr double kExact = 9007199254740992.0;  // 2^53
        double v = 0;
        if (!parse_decimal(text, &v) || v != std::floor(v)) return "must be a whole number, got '" + text + "'";
        if (std::fabs(v) > kExact) return "is too large for a whole number, got '" + text + "'";
        text = std::to_string(static_cast<int64_t>(v));
        return "";
      },
      "");
}
}  // namespace

CLI::Validator positive_number(double max) { return number_check(false, max); }
CLI::Validator non_negative_number(double max) { return number_check(true, max); }

void check_integer_options(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    // "INT", or "INT:POSITIVE" and the like once checks are attached.
    const std::string type = option->get_type_name();
    const std::string base = type.substr(0, type.find(':'));
    // A transform (CLI11 runs it before the option's checks, and lets it rewrite the text).
    if (base == "INT" || base == "UINT") option->transform(whole_number());
  }
  for (CLI::App* sub : app.get_subcommands({})) check_integer_options(*sub);
}

CLI::Validator orbit_view_count() { return CLI::Range(1, kMaxOrbitViews); }

// ---- parameters -------------------------------------------------------------------------

void add_method_options(CLI::App* app, MethodOptions* options) {
  app->add_option("--method", options->method_file,
                  "method file (scenes/methods/NAME.json, or just NAME); default: instant_ngp's defaults");
  app->add_option("--set", options->sets, "override one parameter: module.key=value (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

ParamSet default_params() { return default_method_params(); }

ParamSet build_params(const MethodOptions& options, std::string* method_name) {
  return method_params(options.method_file, options.sets, method_name);
}

// ---- device -----------------------------------------------------------------------------

void add_device_option(CLI::App* app, std::string* device) {
  app->add_option("--device", *device, "compute device: cpu, cuda or auto (auto picks the best available)")
      ->default_val("auto");
}

std::string check_device(const std::string& device) {
  try {
    return resolve_device(device);
  } catch (const InputError& e) {
    throw InputError(std::string("--") + e.what());  // "--device: ...", named after the option
  }
}

// ---- training loop ----------------------------------------------------------------------

void add_budget_options(CLI::App* app, Budget* budget, double default_seconds) {
  auto* steps = app->add_option("--steps", budget->steps, "train this many steps")->check(positive_number(kMaxSteps));
  auto* seconds =
      app->add_option("--seconds", budget->seconds,
                      "train for this many seconds of training time (default: " + number_key(default_seconds) + ")")
          ->check(positive_number(kMaxTrainSeconds));
  steps->excludes(seconds);
  budget->default_seconds = default_seconds;
}

void resolve_budget(Budget& budget) {
  if (budget.steps < 0 || budget.steps > kMaxSteps)
    throw InputError("--steps", "",
                     "must be in [1, " + number_key(kMaxSteps) + "], got " + std::to_string(budget.steps));
  if (!(budget.seconds >= 0 && budget.seconds <= kMaxTrainSeconds))
    throw InputError("--seconds", "",
                     "must be a positive number of seconds of at most " + number_key(kMaxTrainSeconds));
  if (budget.steps == 0 && budget.seconds == 0) budget.seconds = budget.default_seconds;
}

namespace {
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_sigint(int) { g_interrupted = 1; }
}  // namespace

bool interrupted() { return g_interrupted != 0; }

bool train_for(Engine& engine, const Budget& budget, const std::function<bool(const StepStats&)>& after_step,
               const std::string& label, const std::function<std::string()>& extra) {
  g_interrupted = 0;
  struct sigaction action {
  }, previous{};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills as usual
  sigaction(SIGINT, &action, &previous);

  const EngineStats start = engine.stats();
  engine.set_budget(budget.seconds, static_cast<int>(budget.steps));  // the learning rate decays over it
  ProgressLine line;
  EngineStats window = start;  // stats at the last display
  double window_loss = 0.0, window_mse = 0.0;
  int window_steps = 0;
  double shown_rate = 0.0, shown_loss = std::nan("");
  const bool l2 = engine.params().get_string("trainer.loss") == "l2";
  bool stopped_early = false;
  for (;;) {
    const EngineStats now = engine.stats();
    const int64_t steps_done = now.step - start.step;
    const double seconds_done = now.train_seconds - start.train_seconds;
    const bool done = (budget.steps > 0 && steps_done >= budget.steps) ||
                      (budget.seconds > 0 && seconds_done >= budget.seconds) || stopped_early || interrupted();
    if (done || line.due()) {
      const double dt = now.train_seconds - window.train_seconds;
      if (dt > 0) shown_rate = static_cast<double>(now.used_samples - window.used_samples) / dt;
      if (window_steps > 0) shown_loss = window_loss / window_steps;
      // The batches' mean squared error where the backend measures it (any loss), else the
      // loss itself where it is the L2 loss.
      const double shown_mse = window_steps > 0 && !std::isnan(window_mse) ? window_mse / window_steps
                               : l2                                        ? shown_loss
                                                                           : std::nan("");
      window = now;
      window_loss = 0;
      window_mse = 0;
      window_steps = 0;
      double eta = 0;
      if (budget.steps > 0 && steps_done > 0)
        eta = (budget.steps - steps_done) * seconds_done / static_cast<double>(steps_done);
      if (budget.seconds > 0) {
        const double by_time = budget.seconds - seconds_done;
        eta = budget.steps > 0 ? std::min(eta, by_time) : by_time;
      }
      char buf[256];
      // PSNR from the training batches: an approximation (random backgrounds, a batch of pixels).
      char psnr[32] = "-";
      if (shown_mse > 0) std::snprintf(psnr, sizeof psnr, "%.2f dB", -10.0 * std::log10(shown_mse));
      char loss[32] = "-";
      if (!std::isnan(shown_loss)) std::snprintf(loss, sizeof loss, "%.5f", shown_loss);
      std::snprintf(buf, sizeof buf, "%s step %d  %s samples/s (used)  loss %s  psnr~%s (training batches)  %s  ETA %s",
                    label.c_str(), now.step, format_count(shown_rate).c_str(), loss, psnr,
                    format_duration(now.train_seconds).c_str(), format_duration(std::max(0.0, eta)).c_str());
      line.show(extra ? std::string(buf) + "  " + extra() : std::string(buf), true);
    }
    if (done) break;
    const StepStats s = engine.train_step();
    window_loss += s.loss;
    window_mse += s.mse;  // NaN, and so the window's, where the backend does not measure it
    ++window_steps;
    if (after_step && !after_step(s)) stopped_early = true;
  }
  line.finish();
  sigaction(SIGINT, &previous, nullptr);
  if (interrupted()) std::fprintf(stderr, "nerds: interrupted at step %d\n", engine.stats().step);
  return !interrupted();
}

// ---- run folders and files --------------------------------------------------------------

std::string snapshot_path(const std::string& run_dir) { return (fs::path(run_dir) / "snapshot.nerds").string(); }

std::unique_ptr<Engine> load_run(const std::string& run_dir, const std::string& data_override,
                                 const std::string& device, bool allow_other_data) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) throw InputError(run_dir, "", "no such run folder");
  const std::string snap = snapshot_path(run_dir);
  if (!fs::exists(snap, ec))
    throw InputError(snap, "", "the run has no snapshot (train it first: nerds train --out " + run_dir + ")");
  return Engine::load(snap, data_override.empty() ? "" : absolute_path(data_override), device, allow_other_data);
}

void add_allow_other_data_option(CLI::App* app, bool* allow) {
  app->add_flag("--allow-other-data", *allow,
                "use a dataset that differs from the one the run was trained on (its fingerprint in the snapshot)");
}

bool is_run_folder(const std::string& path) {
  std::error_code ec;
  for (const char* name : {"snapshot.nerds", "params.json", "train_log.json"})
    if (fs::exists(fs::path(path) / name, ec)) return true;
  return false;
}

void check_new_run_folder(const std::string& out, bool overwrite) {
  const FolderContents c = folder_contents(out);
  if (!c.exists || (c.is_folder && c.empty())) return;
  if (!c.is_folder) throw InputError(out, "", "is a file, not a run folder: choose another --out");
  if (is_run_folder(out)) {
    if (overwrite) return;
    throw InputError(out, "", "holds a run already (" + list_some(c.entries) +
                                  "): pass --overwrite to replace it, or choose another --out");
  }
  throw InputError(out, "", "is not empty and not a run folder (it holds " + list_some(c.entries) +
                                "): choose another --out (--overwrite replaces only a run folder)");
}

void make_folder(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path)) throw InputError(path, "", "cannot create the folder: " + ec.message());
}

void write_json_file(const std::string& path, const nlohmann::json& j) { json_fields::write_json_file(path, j); }

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

// ---- numbers ----------------------------------------------------------------------------

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::vector<double> parse_number_list(const std::string& text, const std::string& option) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    double v = 0;
    if (!parse_decimal(item, &v) || v < 0 || v > kMaxOptionNumber)
      throw InputError(option, "",
                       "'" + item + "' is not a non-negative number of at most " + number_key(kMaxOptionNumber) +
                           " (expected e.g. 10,30,60)");
    out.push_back(v);
  }
  return out;
}

std::string number_key(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ---- machine ----------------------------------------------------------------------------

int thread_count() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        const size_t b = line.find_first_not_of(' ', colon + 1);
        return b == std::string::npos ? "" : line.substr(b);
      }
    }
  }
  return "unknown";
}

nlohmann::ordered_json device_json(const std::string& device) {
  nlohmann::ordered_json j = {{"name", device}, {"threads", thread_count()}, {"cpu", cpu_model()}};
  if (device == "cuda") {
    const CudaDeviceInfo info = cuda_device_info();
    j["gpu"] = info.name;
    j["compute_capability"] = info.compute_capability;
  }
  return j;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace nerds::cli
