#include "cli/race_report.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "cli/cli_common.h"
#include "renderer/data/image_io.h"
#include "scenes/generator/line_plot.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The check made at the first step at or past training time t: the first with seconds >= t
// (nullptr when training ended before t).
const RaceCheck* check_at(const RaceEntry& e, double t) {
  for (const RaceCheck& c : e.checks)
    if (c.seconds >= t) return &c;
  return nullptr;
}

// "all" or "1 in 8".
std::string one_in(int stride) { return stride == 1 ? "all" : "1 in " + std::to_string(stride); }

std::string budget_text(const RaceSetup& s) {
  const std::string seconds = number_key(s.budget_seconds) + " s of training time",
                    steps = std::to_string(s.budget_steps) + " steps";
  if (s.budget_seconds > 0 && s.budget_steps > 0) return seconds + " or " + steps + ", whichever comes first";
  return s.budget_seconds > 0 ? seconds : steps;
}

// A command line as one shell line (arguments with spaces or quotes quoted).
std::string shell_line(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out += ' ';
    if (!a.empty() && a.find_first_of(" \t'\"$`\\|&;<>()*?") == std::string::npos) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string command_output(const std::string& command) {
  std::string out;
  if (std::FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string quoted(const std::string& path) { return shell_line({path}); }

scenes::LinePlot race_plot(const RaceSetup& setup, const std::vector<RaceEntry>& entries) {
  scenes::LinePlot plot;
  plot.title = "Test PSNR during training: " + fs::path(setup.data).filename().string();
  plot.x_label = "training time (s)";
  plot.y_label = "test PSNR (dB)";
  plot.y_marks = setup.thresholds;
  plot.x_min = 0;
  double last = 0;  // the axis ends at the budget, or at the last check when one ran past it
  for (const RaceEntry& e : entries)
    if (!e.checks.empty()) last = std::max(last, e.checks.back().seconds);
  if (setup.budget_seconds > 0 && setup.budget_steps == 0) plot.x_max = std::max(setup.budget_seconds, last);
  for (size_t i = 0; i < entries.size(); ++i) {
    scenes::PlotSeries s;
    s.label = entries[i].name;
    s.color = scenes::plot_color(i);
    for (const RaceCheck& c : entries[i].checks) {
      s.x.push_back(c.seconds);
      s.y.push_back(c.psnr);
    }
    plot.series.push_back(s);
  }
  return plot;
}

}  // namespace

const RaceCheck* first_check_reaching(const RaceEntry& entry, double psnr) {
  for (const RaceCheck& c : entry.checks)
    if (std::isfinite(c.psnr) ? c.psnr >= psnr : c.psnr > 0) return &c;  // +inf: a perfect match
  return nullptr;
}

nlohmann::ordered_json race_json(const RaceSetup& s, const std::vector<RaceEntry>& entries) {
  nlohmann::ordered_json j;
  j["command"] = "race";
  j["date"] = s.date;
  j["commit"] = s.commit.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.commit);
  j["dirty"] = s.dirty;
  j["command_line"] = s.command_line;
  j["machine"] = s.machine;
  j["device"] = s.device;
  j["data"] = s.data;
  j["budget"] = {{"seconds", s.budget_seconds}, {"steps", s.budget_steps}};
  j["seed"] = s.seed;
  j["sets"] = s.sets;
  j["thresholds"] = s.thresholds;
  j["check_times"] = s.check_times;
  j["check_stride"] = s.check_stride;
  j["check_views"] = s.check_views;
  j["test_stride"] = s.test_stride;
  j["test_views"] = s.test_views;
  j["downscale"] = s.downscale;
  j["timing"] =
      "train_seconds and every time of a check are training time: the clock runs only inside training steps, so "
      "the checks' and the final evaluation's time is not counted (it is eval_seconds)";
  j["peak_memory"] =
      "peak_rss_mib: the process's peak resident memory from just before the method's engine was made to the end "
      "of its training and checks (reset per method where peak_rss_is_per_method); rss_before_mib: resident then";
  j["interrupted"] = s.interrupted;
  j["plot"] = "race.png";
  nlohmann::ordered_json methods = nlohmann::ordered_json::array();
  for (const RaceEntry& e : entries) {
    nlohmann::ordered_json m;
    m["name"] = e.name;
    m["method"] = e.method;
    m["method_file"] = e.method_file;
    m["arm_sets"] = e.arm_sets;
    if (!e.failure.empty()) m["failure"] = e.failure;
    m["steps"] = e.steps;
    m["train_seconds"] = e.train_seconds;
    m["samples_per_second"] = number_or_null(e.samples_per_second);
    m["marched_samples_per_second"] = number_or_null(e.marched_samples_per_second);
    m["rays_per_second"] = number_or_null(e.rays_per_second);
    m["peak_rss_mib"] = e.peak_rss_mib;
    m["rss_before_mib"] = e.rss_before_mib;
    m["peak_rss_is_per_method"] = e.peak_is_own;
    m["model_bytes"] = e.model_bytes;
    m["parameters"] = e.parameters;
    m["snapshot"] = e.snapshot;
    m["psnr"] = number_or_null(e.psnr);
    m["ssim"] = number_or_null(e.ssim);
    m["final_views"] = e.final_views;
    nlohmann::ordered_json to_seconds = nlohmann::ordered_json::object(), to_steps = nlohmann::ordered_json::object();
    for (double thr : s.thresholds) {
      const RaceCheck* c = first_check_reaching(e, thr);
      to_seconds[number_key(thr)] = c ? nlohmann::ordered_json(c->seconds) : nlohmann::ordered_json(nullptr);
      to_steps[number_key(thr)] = c ? nlohmann::ordered_json(c->step) : nlohmann::ordered_json(nullptr);
    }
    m["seconds_to_psnr"] = to_seconds;
    m["steps_to_psnr"] = to_steps;
    nlohmann::ordered_json at = nlohmann::ordered_json::object();
    for (double t : s.check_times) {
      const RaceCheck* c = check_at(e, t);
      at[number_key(t)] = c ? number_or_null(c->psnr) : nlohmann::json(nullptr);
    }
    at["end"] = e.checks.empty() ? nlohmann::json(nullptr) : number_or_null(e.checks.back().psnr);
    m["psnr_at"] = at;
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const RaceCheck& c : e.checks)
      checks.push_back({{"at", std::isnan(c.at) ? nlohmann::ordered_json("end") : nlohmann::ordered_json(c.at)},
                        {"seconds", c.seconds},
                        {"step", c.step},
                        {"psnr", number_or_null(c.psnr)}});
    m["checks"] = checks;
    m["eval_seconds"] = e.eval_seconds;
    m["params"] = e.params;
    methods.push_back(m);
  }
  j["methods"] = methods;
  return j;
}

std::string race_markdown(const RaceSetup& s, const std::vector<RaceEntry>& entries) {
  const std::string threads = s.device.contains("threads") ? s.device["threads"].dump() : "?";
  std::string md = "# The representations race: " + fs::path(s.data).filename().string() + "\n\n";
  md += "Data `" + s.data + "`; each method trained one after the other on this machine, from seed " +
        std::to_string(s.seed) + " (`trainer.seed`) and the same budget: " + budget_text(s) + ". Device " +
        s.device.value("name", std::string("?")) + " (" + threads + " threads, " +
        s.machine.value("cpu", std::string("?")) + "), " + s.date + ", commit " +
        (s.commit.empty() ? std::string("unknown") : "`" + s.commit.substr(0, 12) + "`" + (s.dirty ? " (with uncommitted changes)" : "")) +
        ".\n\n";
  if (!s.sets.empty()) {
    md += "Every method:";
    for (const std::string& x : s.sets) md += " `" + x + "`";
    md += ".\n\n";
  }
  md += "**Times are training time only**: the engine's clock runs inside training steps, so the test-PSNR checks "
        "and the final evaluation are not counted. A check is the mean PSNR over " + one_in(s.check_stride) +
        " test views (" + std::to_string(s.check_views) +
        " views) on white, made at the first step at or past each check time and at the end of training; "
        "\"time to X dB\" is the training time of the first check at or above X, so its resolution is the check "
        "schedule. Final PSNR and SSIM: " + one_in(s.test_stride) + " test views (" +
        std::to_string(s.test_views) + " views).\n\n";
  if (s.interrupted) md += "**Interrupted (Ctrl-C)**: the methods below are those that ran.\n\n";

  md += "| method |";
  std::string rule = "|---|";
  for (double thr : s.thresholds) {
    md += " time to " + number_key(thr) + " dB |";
    rule += "---|";
  }
  md += " final PSNR (dB) | SSIM | steps | train time (s) | samples/s | peak memory (MiB) | snapshot (MiB) | "
        "parameters |\n";
  md += rule + "---|---|---|---|---|---|---|---|\n";
  for (const RaceEntry& e : entries) {
    md += "| `" + e.name + "` |";
    for (double thr : s.thresholds) {
      const RaceCheck* c = first_check_reaching(e, thr);
      md += c ? " " + fixed(c->seconds, 1) + " s (step " + std::to_string(c->step) + ") |" : std::string(" not reached |");
    }
    md += " " + fixed(e.psnr, 2) + " | " + fixed(e.ssim, 4) + " | " + std::to_string(e.steps) + " | " +
          fixed(e.train_seconds, 1) + " | " + fixed(e.samples_per_second, 0) + " | " + std::to_string(e.peak_rss_mib) +
          (e.peak_is_own ? "" : " (process)") + " | " +
          (e.snapshot.empty() ? std::string("-") : fixed(static_cast<double>(e.model_bytes) / (1024.0 * 1024.0), 2)) +
          " | " + (e.snapshot.empty() ? std::string("-") : std::to_string(e.parameters)) + " |\n";
  }
  for (const RaceEntry& e : entries)
    if (!e.arm_sets.empty()) {
      md += "\nArm `" + e.name + "` (`" + e.method + "`):";
      for (const std::string& x : e.arm_sets) md += " `" + x + "`";
      md += ".\n";
    }
  for (const RaceEntry& e : entries)
    if (!e.failure.empty()) md += "\n`" + e.name + "` stopped: " + e.failure + "\n";

  md += "\n## Test PSNR (dB) at the check times\n\n| method |";
  rule = "|---|";
  for (double t : s.check_times) {
    md += " " + number_key(t) + " s |";
    rule += "---|";
  }
  md += " end |\n" + rule + "---|\n";
  for (const RaceEntry& e : entries) {
    md += "| `" + e.name + "` |";
    for (double t : s.check_times) {
      const RaceCheck* c = check_at(e, t);
      md += " " + (c ? fixed(c->psnr, 2) : std::string("-")) + " |";
    }
    md += " " + (e.checks.empty() ? std::string("-") : fixed(e.checks.back().psnr, 2)) + " (" +
          (e.checks.empty() ? std::string("-") : fixed(e.checks.back().seconds, 1)) + " s) |\n";
  }
  md += "\nWall time of the checks and the final evaluation (not in the training times):";
  for (size_t i = 0; i < entries.size(); ++i)
    md += std::string(i ? "," : "") + " `" + entries[i].name + "` " + fixed(entries[i].eval_seconds, 1) + " s";
  md += ".\n\n`-`: training had ended before that time. `race.png` plots every check (PSNR against training time); "
        "`race.json` holds every number, the machine and each method's whole parameter set.\n\n"
        "Samples/s: the samples the network evaluated per second of training (forward and backward, the engine's "
        "`used_samples`). Peak memory: the process's peak resident memory from just before the method's engine was "
        "made until its training and checks ended (reset for each method; memory an earlier method freed but the "
        "allocator kept counts too, see `rss_before_mib`). Snapshot: the saved file, `snapshots/METHOD.nerds` "
        "(`snapshots/arm_NAME.nerds` for an --arm: the trained tensors with their Adam moments, and the occupancy "
        "grid); parameters: the trained tensors' values, what rendering needs (4 bytes each).\n\n"
        "Command: `" + shell_line(s.command_line) + "`\n";
  return md;
}

void write_race_files(const RaceSetup& setup, const std::vector<RaceEntry>& entries) {
  const fs::path out(setup.out);
  write_json_file((out / "race.json").string(), race_json(setup, entries));
  const std::string md_path = (out / "race.md").string(), tmp = md_path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << race_markdown(setup, entries);
    if (!f.flush()) throw InputError(tmp, "", "cannot write");
  }
  fs::rename(tmp, md_path);
  write_png((out / "race.png").string(), scenes::draw_line_plot(race_plot(setup, entries)));
}

nlohmann::ordered_json race_machine_json() {
  nlohmann::ordered_json j;
  char host[256] = {0};
  j["hostname"] = gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string();
  utsname u{};
  j["os"] = uname(&u) == 0 ? std::string(u.sysname) + " " + u.release + " " + u.machine : std::string();
  j["cpu"] = cpu_model();
  j["logical_cpus"] = std::thread::hardware_concurrency();
  j["threads"] = thread_count();
  size_t memory_kib = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  if (meminfo >> key >> memory_kib && key != "MemTotal:") memory_kib = 0;
  j["memory_mib"] = memory_kib / 1024;
#if defined(__clang__)
  j["compiler"] = "clang " __clang_version__;
#elif defined(__GNUC__)
  j["compiler"] = "gcc " __VERSION__;
#else
  j["compiler"] = "unknown";
#endif
#ifdef NDEBUG
  j["build"] = "release";
#else
  j["build"] = "debug";
#endif
  return j;
}

std::string source_commit(bool* dirty) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  *dirty = false;
  if (ec) return "";
  const std::string git = "git -C " + quoted(exe.parent_path().string()) + " ";
  const std::string commit = command_output(git + "rev-parse --verify -q HEAD 2>/dev/null");
  if (commit.size() != 40) return "";
  *dirty = !command_output(git + "status --porcelain --untracked-files=no 2>/dev/null").empty();
  return commit;
}

std::vector<std::string> process_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i] == '\0') {
      args.push_back(all.substr(start, i - start));
      start = i + 1;
    }
  if (start < all.size()) args.push_back(all.substr(start));
  return args;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace nerds::cli
