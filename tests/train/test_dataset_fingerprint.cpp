// The dataset fingerprint in a snapshot (renderer/data/dataset_fingerprint.h): a copy of a
// dataset matches, any change of the training split's frames, files, poses or intrinsics is
// named, and Engine::load refuses another dataset unless asked; a snapshot without one (an
// older build) still loads.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "renderer/data/dataset_fingerprint.h"
#include "renderer/data/json_fields.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/snapshot_file.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_scene.h"
#include "tests/test_support/text_files.h"

namespace fs = std::filesystem;
using nerds::DatasetFingerprint;
using nerds::fingerprint_dataset;
using nerds::fingerprint_difference;

namespace {

using nerds_test::contains;

DatasetFingerprint fingerprint_of(const fs::path& dir) {
  nerds::DatasetOptions o;
  o.load_images = false;
  return fingerprint_dataset(nerds::load_dataset(dir.string(), o));
}

// Edits transforms_train.json of `dir` with `edit`.
template <class Edit>
void edit_transforms(const fs::path& dir, Edit edit) {
  const fs::path file = dir / "transforms_train.json";
  nlohmann::json j = nerds::json_fields::read_json_file(file.string());
  edit(j);
  std::ofstream(file) << j.dump();
}

fs::path copy_of(const fs::path& dir, const std::string& name) {
  const fs::path to = dir.parent_path() / name;
  fs::copy(dir, to, fs::copy_options::recursive);
  return to;
}


}  // namespace

TEST_CASE("dataset fingerprint: a copy matches, frames, files, poses and intrinsics are told apart") {
  nerds_test::TempFolder tmp("fingerprint");
  const fs::path scene = tmp.path() / "scene";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 2);
  const DatasetFingerprint base = fingerprint_of(scene);
  REQUIRE(base.frames.size() == 4);
  CHECK(base.frames[1].file == "train/r_1.png");
  CHECK(base.frames[1].bytes > 0);
  CHECK(fingerprint_difference(base, fingerprint_of(scene)).empty());
  CHECK(fingerprint_difference(base, fingerprint_of(copy_of(scene, "copied"))).empty());  // moved or copied: same

  const fs::path pose = copy_of(scene, "pose");
  edit_transforms(pose, [](nlohmann::json& j) { j["frames"][2]["transform_matrix"][1][3] = 0.25; });
  const std::string moved = fingerprint_difference(base, fingerprint_of(pose));
  CHECK_MESSAGE(contains(moved, "frame 2 (train/r_2.png): the pose"), moved);

  const fs::path fewer = copy_of(scene, "fewer");
  edit_transforms(fewer, [](nlohmann::json& j) { j["frames"].erase(3); });
  CHECK(fingerprint_difference(base, fingerprint_of(fewer)) == "the number of training frames (4 -> 3)");

  const fs::path focal = copy_of(scene, "focal");
  edit_transforms(focal, [](nlohmann::json& j) { j["camera_angle_x"] = j["camera_angle_x"].get<double>() * 1.1; });
  const std::string zoomed = fingerprint_difference(base, fingerprint_of(focal));
  CHECK_MESSAGE(contains(zoomed, "frame 0 (train/r_0.png): the intrinsics"), zoomed);
  CHECK_MESSAGE(contains(zoomed, "and 3 more frames"), zoomed);

  const fs::path image = copy_of(scene, "image");
  fs::copy_file(image / "test" / "r_0.png", image / "train" / "r_1.png", fs::copy_options::overwrite_existing);
  const std::string repainted = fingerprint_difference(base, fingerprint_of(image));
  CHECK_MESSAGE(contains(repainted, "frame 1 (train/r_1.png): the image file's size"), repainted);

  const fs::path renamed = copy_of(scene, "renamed");
  fs::rename(renamed / "train" / "r_0.png", renamed / "train" / "first.png");
  edit_transforms(renamed, [](nlohmann::json& j) { j["frames"][0]["file_path"] = "./train/first"; });
  const std::string other_file = fingerprint_difference(base, fingerprint_of(renamed));
  CHECK_MESSAGE(contains(other_file, "its image file (train/r_0.png -> train/first.png)"), other_file);
}

TEST_CASE("dataset fingerprint: JSON round trip, and a malformed one names the field") {
  nerds_test::TempFolder tmp("fingerprint_json");
  nerds_test::make_small_scene("default", tmp.str(), 16, 3, 1);
  const DatasetFingerprint f = fingerprint_of(tmp.path());
  const DatasetFingerprint back = nerds::fingerprint_from_json(nerds::fingerprint_to_json(f), "x.nerds");
  CHECK(back.hash == f.hash);
  CHECK(fingerprint_difference(f, back).empty());
  nlohmann::json bad = nerds::fingerprint_to_json(f);
  bad["frames"][0][4] = 17;
  CHECK_THROWS_WITH_AS(nerds::fingerprint_from_json(bad, "x.nerds"), doctest::Contains("dataset_fingerprint"),
                       nerds::InputError);
  bad = nerds::fingerprint_to_json(f);
  bad["hash"] = "0000000000000000";  // frames intact, hash damaged: told, not matched
  CHECK(contains(fingerprint_difference(nerds::fingerprint_from_json(bad, "x"), f), "damaged"));
}

TEST_CASE("Engine::load refuses another dataset unless asked, an old snapshot without a fingerprint loads") {
  nerds_test::TempFolder tmp("fingerprint_engine");
  const fs::path scene = tmp.path() / "scene", other = tmp.path() / "other";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 2);
  nerds_test::make_small_scene("default", other.string(), 16, 4, 2, 1, /*seed=*/2);  // other cameras
  nerds::ParamSet p = nerds::default_method_params();
  p.set("encoding.log2_table_size", int64_t{12});
  p.set("trainer.batch_samples", int64_t{2048});
  nerds::EngineOptions options;
  options.data_dir = scene.string();
  nerds::Engine engine(options, p);
  engine.train_step();
  const std::string snap = (tmp.path() / "run.nerds").string();
  engine.save(snap);

  CHECK(nerds::Engine::load(snap)->stats().step == 1);
  CHECK(nerds::Engine::load(snap, copy_of(scene, "moved").string())->stats().step == 1);
  CHECK_THROWS_WITH_AS(nerds::Engine::load(snap, other.string()),
                       doctest::Contains("differs from the one this run was trained on: frame 0"), nerds::InputError);
  CHECK_THROWS_WITH_AS(nerds::Engine::load(snap, other.string()), doctest::Contains("--allow-other-data"),
                       nerds::InputError);
  CHECK(nerds::Engine::load(snap, other.string(), "cpu", /*accept_other_dataset=*/true)->stats().step == 1);

  // The same snapshot as an older build wrote it: no fingerprint, loads (with a note).
  nerds::SnapshotContents old = nerds::read_snapshot_file(snap);
  old.meta.erase("dataset_fingerprint");
  const std::string old_snap = (tmp.path() / "old.nerds").string();
  nerds::write_snapshot_file(old_snap, old.meta, old.sections);
  CHECK(nerds::Engine::load(old_snap, other.string())->stats().step == 1);
}
