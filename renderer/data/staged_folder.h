// A folder written in full beside its final place and then moved there in one step, so that
// whoever looks at the final path (after a crash, a kill -9 or a failed write) sees either
// the old folder (or none) or the complete new one, never a mix. Used for run folders
// (cli/run_folder.h) and made scenes (scenes/generator/scene_maker.h).
//
// The scheme: the new content is written into a hidden sibling "<parent>/.<name>.partial-<pid>"
// (same filesystem, so a rename is atomic). publish() swaps it with the target in one
// renameat2(RENAME_EXCHANGE) (Linux; the target's old content then sits in the sibling and is
// deleted next), or, where the filesystem has no exchange, renames the old target to
// ".<name>.old-<pid>" and the new one into place. The leftovers of a killed process (its pid
// is no longer running) are removed by the next StagedFolder for the same target, and an
// ".old-" sibling left between the two renames of the fallback is put back in place first.
#pragma once

#include <string>
#include <vector>

namespace nerds {

// What a folder holds, for the checks before writing into it.
struct FolderContents {
  bool exists = false;      // a folder (or a file: see is_folder) at the path
  bool is_folder = false;
  std::vector<std::string> entries;  // its entries' names, sorted (the hidden leftovers of
                                     // a staged write next to it are not inside it)
  bool empty() const { return entries.empty(); }
};
FolderContents folder_contents(const std::string& path);
// True when the folder `inner` is `outer` or lies below it (both absolute and normalised, no
// trailing slash): replacing `outer` would delete `inner`.
bool same_or_below(const std::string& inner, const std::string& outer);
// "a, b, c and 4 more": a few of a folder's entries for a message.
std::string list_some(const std::vector<std::string>& entries, size_t shown = 4);

class StagedFolder {
 public:
  // Creates the hidden sibling of `target` (and target's parent folders); throws InputError
  // naming the target when it cannot.
  explicit StagedFolder(const std::string& target);
  ~StagedFolder();  // removes the sibling when publish() was not reached (a failed write)
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  const std::string& path() const { return staging_; }    // where to write
  const std::string& target() const { return target_; }
  bool published() const { return published_; }
  // Moves the staged folder to the target in one step, replacing whatever is there, then
  // deletes the old content. Throws InputError naming the target when it cannot.
  void publish();

 private:
  std::string target_, staging_;
  bool published_ = false;
};

// Removes the leftovers of killed staged writes beside `target` (see above); StagedFolder's
// constructor calls it. Returns how many it removed or restored.
int clean_staging_leftovers(const std::string& target);

}  // namespace nerds
