#include "cli/video_encoding.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "renderer/error.h"

extern char** environ;

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kExitCommandNotFound = 127;  // the shell's (and posix_spawnp's child's) "no such program"

std::string not_installed(const std::string& frames_dir) {
  return "ffmpeg was not found: install the Debian package ffmpeg (sudo apt-get install ffmpeg, or "
         "scripts/install-deps.sh) to encode videos; the frames are in " +
         frames_dir;
}

}  // namespace

void encode_video(const std::string& frames_dir, int frames, double fps, const std::string& video) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.9g", fps);
  const std::string tmp = video + ".tmp";
  // Odd sizes padded to even ones (yuv420p halves both); -frames:v stops at this render's last
  // frame even when the folder holds more from an earlier, longer one.
  std::vector<std::string> args = {"ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-framerate", rate,
                                   "-i", (fs::path(frames_dir) / "%04d.png").string(), "-frames:v",
                                   std::to_string(frames), "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264",
                                   "-pix_fmt", "yuv420p", "-f", "mp4", tmp};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "ffmpeg", nullptr, nullptr, argv.data(), environ);
  if (spawned == ENOENT) throw InputError("--video", "", not_installed(frames_dir));
  if (spawned != 0) throw InputError("--video", "", std::string("cannot run ffmpeg: ") + std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::error_code ec;
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitCommandNotFound) {
    fs::remove(tmp, ec);
    throw InputError("--video", "", not_installed(frames_dir));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fs::remove(tmp, ec);
    throw InputError("--video", "",
                     "ffmpeg failed (" +
                         (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0)) +
                         ") encoding " + (fs::path(frames_dir) / "%04d.png").string() + " into " + video +
                         " (its message is above); the frames are in " + frames_dir);
  }
  fs::rename(tmp, video, ec);
  if (ec) throw InputError(video, "", "cannot write the video: " + ec.message());
}

}  // namespace nerds::cli
