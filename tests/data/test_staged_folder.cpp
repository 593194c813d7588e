// StagedFolder (renderer/data/staged_folder.h): the target is the old folder (or none) until
// publish(), then the new one alone; a failed write leaves nothing; a killed writer's
// leftovers are removed (or, for a folder moved aside, put back) by the next one.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "renderer/data/staged_folder.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/hidden_entries.h"
#include "tests/test_support/text_files.h"

namespace fs = std::filesystem;

namespace {

using nerds_test::write_text;


std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

// A pid no process has (above Linux's pid_max of 2^22).
constexpr long kDeadPid = 99999999;

}  // namespace

TEST_CASE("staged folder: the target appears whole at publish, replacing the old content") {
  nerds_test::TempFolder tmp("staged");
  const fs::path target = tmp.path() / "out";
  {
    nerds::StagedFolder staged(target.string());
    write_text(fs::path(staged.path()) / "a.txt", "new");
    CHECK_FALSE(fs::exists(target));  // nothing at the target while it is written
    staged.publish();
    CHECK(staged.published());
  }
  CHECK(read_text(target / "a.txt") == "new");
  CHECK(nerds_test::hidden_entries(tmp.path()) == 0);

  write_text(target / "stale.txt", "old run's file");
  {
    nerds::StagedFolder staged((target.string() + "/"));  // a trailing slash names the same folder
    write_text(fs::path(staged.path()) / "b.txt", "newer");
    CHECK(read_text(target / "stale.txt") == "old run's file");  // the old one untouched until publish
    staged.publish();
  }
  CHECK(read_text(target / "b.txt") == "newer");
  CHECK_FALSE(fs::exists(target / "stale.txt"));  // nothing of the old folder is left beside it
  CHECK_FALSE(fs::exists(target / "a.txt"));
  CHECK(nerds_test::hidden_entries(tmp.path()) == 0);

  fs::remove_all(target);
  fs::create_directory(target);  // an empty folder is replaced too
  {
    nerds::StagedFolder staged(target.string());
    write_text(fs::path(staged.path()) / "c.txt", "c");
    staged.publish();
  }
  CHECK(read_text(target / "c.txt") == "c");
}

TEST_CASE("staged folder: a write that fails before publish leaves the target as it was") {
  nerds_test::TempFolder tmp("staged_fail");
  const fs::path target = tmp.path() / "out";
  fs::create_directory(target);
  write_text(target / "old.txt", "old");
  {
    nerds::StagedFolder staged(target.string());
    write_text(fs::path(staged.path()) / "half.txt", "half");
  }  // e.g. an exception unwinds here
  CHECK(read_text(target / "old.txt") == "old");
  CHECK_FALSE(fs::exists(target / "half.txt"));
  CHECK(nerds_test::hidden_entries(tmp.path()) == 0);
  CHECK_THROWS_AS(nerds::StagedFolder("/"), nerds::InputError);
}

TEST_CASE("staged folder: a killed writer's leftovers are cleaned, a folder moved aside goes back") {
  nerds_test::TempFolder tmp("staged_leftovers");
  const fs::path target = tmp.path() / "run";
  const fs::path partial = tmp.path() / (".run.partial-" + std::to_string(kDeadPid));
  fs::create_directory(partial);
  write_text(partial / "snapshot.nerds", "half");
  const fs::path other = tmp.path() / ".run.partial-notapid";  // not ours: left alone
  fs::create_directory(other);
  const fs::path moved = tmp.path() / (".run.old-" + std::to_string(kDeadPid));
  fs::create_directory(moved);
  write_text(moved / "snapshot.nerds", "the old run");
  CHECK(nerds::clean_staging_leftovers(target.string()) == 2);
  CHECK_FALSE(fs::exists(partial));
  CHECK(fs::exists(other));
  CHECK(read_text(target / "snapshot.nerds") == "the old run");  // the target was missing: restored
  CHECK_FALSE(fs::exists(moved));
}

TEST_CASE("folder_contents lists a folder for the checks before writing") {
  nerds_test::TempFolder tmp("folder_contents");
  CHECK_FALSE(nerds::folder_contents((tmp.path() / "none").string()).exists);
  CHECK(nerds::folder_contents(tmp.str()).empty());
  for (const char* name : {"e", "d", "c", "b", "a"}) write_text(tmp.path() / name, "x");
  const nerds::FolderContents c = nerds::folder_contents(tmp.str());
  CHECK(c.is_folder);
  CHECK(nerds::list_some(c.entries) == "a, b, c, d and 1 more");
  CHECK_FALSE(nerds::folder_contents((tmp.path() / "a").string()).is_folder);
}
