#include "cli/cmd_capture_tools.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>

#include "renderer/data/image_io.h"
#include "renderer/error.h"

extern char** environ;

namespace nerds::cli::capture {
namespace fs = std::filesystem;

namespace {

constexpr int kCandidatesPerFrame = 3;  // candidate frames per kept frame (the window)
constexpr size_t kLogTailLines = 15;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::string log_tail(const std::string& log) {
  std::ifstream in(log);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > kLogTailLines) lines.pop_front();
  }
  std::string tail;
  for (const std::string& line : lines) tail += "\n  " + line;
  return tail;
}

}  // namespace

void require_program(const std::string& program, const std::string& why) {
  if (!on_path(program))
    throw InputError(program, "",
                     "not found on PATH: install the Debian package " + program + " (sudo apt-get install " + program +
                         ", or scripts/install-deps.sh); `nerds capture` needs it " + why);
}

void run_logged(const std::vector<std::string>& args, const std::string& log, const std::string& step) {
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw InputError(args[0], "", "cannot run it for " + step + ": " + std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw InputError(log, "",
                     step + " failed (" + args[0] + " " + args[1] + ", " +
                         (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0)) +
                         "); the log ends with:" + log_tail(log));
}

double sharpness(const std::string& image_path) {
  const Image8 image = read_image(image_path, 3);
  const int w = image.width, h = image.height;
  if (w < 3 || h < 3) return 0.0;
  std::vector<float> luma(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < luma.size(); ++i)  // Rec. 601 luma, as OpenCV's gray conversion
    luma[i] = 0.299f * image.pixels[3 * i] + 0.587f * image.pixels[3 * i + 1] + 0.114f * image.pixels[3 * i + 2];
  double sum = 0, sum2 = 0;
  size_t n = 0;
  for (int y = 1; y + 1 < h; ++y)
    for (int x = 1; x + 1 < w; ++x) {
      const size_t at = static_cast<size_t>(y) * w + x;
      const double lap = luma[at - 1] + luma[at + 1] + luma[at - w] + luma[at + w] - 4.0 * luma[at];
      sum += lap;
      sum2 += lap * lap;
      ++n;
    }
  const double mean = sum / n;
  return sum2 / n - mean * mean;
}

int extract_sharpest_frames(const std::string& video, int target, const std::string& work_dir,
                            const std::string& out_dir, const std::string& log) {
  // The video's frame count (ffprobe, part of Debian's ffmpeg), to space the candidates.
  const fs::path count_file = fs::path(work_dir) / "frame_count.txt";
  run_logged({"sh", "-c",
              "ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "
              "\"$0\" > \"$1\"",
              video, count_file.string()},
             log, "counting the video's frames (ffprobe)");
  long frames = 0;
  std::ifstream(count_file) >> frames;
  if (frames < 1) throw InputError(video, "", "ffprobe finds no video frame in it");
  const long every = std::max<long>(1, frames / (static_cast<long>(target) * kCandidatesPerFrame));
  const fs::path candidates = fs::path(work_dir) / "candidates";
  fs::create_directories(candidates);
  run_logged({"ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", video, "-vf",
              "select=not(mod(n\\," + std::to_string(every) + "))", "-vsync", "vfr",
              (candidates / "%06d.png").string()},
             log, "extracting the video's frames (ffmpeg)");
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(candidates)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw InputError(video, "", "ffmpeg extracted no frame from it");
  const size_t windows = std::min<size_t>(static_cast<size_t>(target), files.size());
  fs::create_directories(out_dir);
  for (size_t w = 0; w < windows; ++w) {
    const size_t begin = w * files.size() / windows, end = (w + 1) * files.size() / windows;
    size_t best = begin;
    double best_sharpness = -1;
    for (size_t i = begin; i < end; ++i) {
      const double s = sharpness(files[i].string());
      if (s > best_sharpness) best_sharpness = s, best = i;
    }
    char name[32];
    std::snprintf(name, sizeof name, "frame_%05zu.png", w + 1);
    fs::copy_file(files[best], fs::path(out_dir) / name, fs::copy_options::overwrite_existing);
  }
  fs::remove_all(candidates);
  return static_cast<int>(windows);
}

}  // namespace nerds::cli::capture
