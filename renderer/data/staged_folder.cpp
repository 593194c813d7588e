#include "renderer/data/staged_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "renderer/error.h"

namespace nerds {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPartial = ".partial-";
constexpr const char* kOld = ".old-";

// The target as an absolute path without a trailing slash or symbolic links ("runs/a/" ->
// "/.../runs/a"; a link to a folder names that folder, which is the one replaced).
fs::path normal_target(const std::string& target) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(target, ec), ec);
  if (ec) p = fs::absolute(target, ec);
  p = p.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  if (p.filename().empty() || p.filename() == "." || p.filename() == "..")
    throw InputError(target, "", "cannot be written as a whole (name a folder, not a root or '..')");
  return p;
}

fs::path sibling(const fs::path& target, const char* kind, long pid) {
  return target.parent_path() / ("." + target.filename().string() + kind + std::to_string(pid));
}

bool process_running(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

void sync_folder(const fs::path& folder) {  // makes renames durable; best effort
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

FolderContents folder_contents(const std::string& path) {
  FolderContents c;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return c;
  c.exists = true;
  c.is_folder = fs::is_directory(st);
  if (!c.is_folder) return c;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    c.entries.push_back(it->path().filename().string());
  if (ec) throw InputError(path, "", "cannot list the folder: " + ec.message());
  std::sort(c.entries.begin(), c.entries.end());
  return c;
}

bool same_or_below(const std::string& inner, const std::string& outer) {
  return inner == outer || inner.rfind(outer + "/", 0) == 0;
}

std::string list_some(const std::vector<std::string>& entries, size_t shown) {
  std::string text;
  for (size_t i = 0; i < entries.size() && i < shown; ++i) text += (i ? ", " : "") + entries[i];
  if (entries.size() > shown) text += " and " + std::to_string(entries.size() - shown) + " more";
  return text;
}

int clean_staging_leftovers(const std::string& target_text) {
  const fs::path target = normal_target(target_text);
  const std::string prefix = "." + target.filename().string();
  std::error_code ec;
  int cleaned = 0;
  std::vector<fs::path> found;
  for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) found.push_back(it->path());
  for (const fs::path& p : found) {
    const std::string rest = p.filename().string().substr(prefix.size());
    const bool partial = rest.rfind(kPartial, 0) == 0, old = rest.rfind(kOld, 0) == 0;
    if (!partial && !old) continue;
    const std::string pid_text = rest.substr(std::strlen(partial ? kPartial : kOld));
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(pid_text);
    if (pid == static_cast<long>(::getpid()) || process_running(pid)) continue;  // still being written
    // An old folder moved aside by a fallback publish that was killed before the new one took
    // its place: the target is missing, so the old one goes back.
    if (old && !fs::exists(target, ec) && std::rename(p.c_str(), target.c_str()) == 0) {
      ++cleaned;
      continue;
    }
    if (fs::remove_all(p, ec) != static_cast<std::uintmax_t>(-1) && !ec) ++cleaned;
  }
  return cleaned;
}

StagedFolder::StagedFolder(const std::string& target_text) {
  const fs::path target = normal_target(target_text);
  target_ = target.string();
  std::error_code ec;
  // Replacing the working folder (or one above it) would leave this process, and the shell
  // that started it, in a deleted folder.
  const std::string cwd = fs::current_path(ec).string();
  if (!ec && same_or_below(cwd, target_))
    throw InputError(target_text, "", "is the current folder (or holds it): choose a folder beside or below it");
  fs::create_directories(target.parent_path(), ec);
  if (ec || !fs::is_directory(target.parent_path()))
    throw InputError(target.parent_path().string(), "",
                     "cannot create the folder" + (ec ? ": " + ec.message() : std::string()));
  clean_staging_leftovers(target_);
  const fs::path staging = sibling(target, kPartial, ::getpid());
  fs::remove_all(staging, ec);
  if (!fs::create_directory(staging, ec) || ec)
    throw InputError(target_, "", "cannot create the folder to write it in (" + staging.string() +
                                      (ec ? "): " + ec.message() : ")"));
  staging_ = staging.string();
}

StagedFolder::~StagedFolder() {
  if (published_ || staging_.empty()) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedFolder::publish() {
  if (published_) return;
  const fs::path target(target_), staging(staging_);
  std::error_code ec;
  auto fail = [&](const std::string& what) {
    throw InputError(target_, "", what + " (" + staging_ + "): " + std::strerror(errno));
  };
  if (!fs::exists(fs::symlink_status(target, ec))) {
    if (std::rename(staging.c_str(), target.c_str()) != 0) fail("cannot move the new folder into place");
  } else if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    // The swap is the commit point: the target is the new folder, the sibling the old one.
    fs::remove_all(staging, ec);
  } else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
    // No exchange on this filesystem: two renames; a kill between them leaves the old folder
    // at ".old-<pid>", which clean_staging_leftovers() puts back.
    const fs::path old = sibling(target, kOld, ::getpid());
    fs::remove_all(old, ec);
    if (std::rename(target.c_str(), old.c_str()) != 0) fail("cannot move the old folder aside");
    if (std::rename(staging.c_str(), target.c_str()) != 0) {
      const int saved = errno;
      std::rename(old.c_str(), target.c_str());
      errno = saved;
      fail("cannot move the new folder into place");
    }
    fs::remove_all(old, ec);
  } else {
    fail("cannot replace the folder with the new one");
  }
  published_ = true;
  sync_folder(target.parent_path());
}

}  // namespace nerds
