// A fingerprint of a training split, stored in each snapshot's metadata
// ("dataset_fingerprint") so that resuming, evaluating or rendering a run on another dataset,
// or on its folder after the content changed, is refused with what differs.
//
// What it covers, per frame: the image file's name (relative to the dataset folder), its size
// in bytes, its image size, the pose and the intrinsics (focal, principal point, distortion,
// lossmult) as loaded; and the dataset's format and scene box (aabb_scale, scale, offset, depth
// bounds). Not the pixels: hashing them would cost seconds on a large dataset at every load, and
// an image changed in place almost always changes its compressed size. Not modification times or
// absolute paths either: those change when a dataset is copied or moved, which must still match.
// Floats are hashed by their bits (FNV-1a, 64 bits): the same files load to the same numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/data/dataset.h"

namespace nerds {

struct FrameFingerprint {
  std::string file;        // the image's path relative to the dataset folder
  int64_t bytes = -1;      // the image file's size (-1: could not be read)
  int width = 0, height = 0;
  uint64_t pose = 0;        // hash of the camera-to-world matrix
  uint64_t intrinsics = 0;  // hash of fx fy cx cy, the distortion and lossmult
};

struct DatasetFingerprint {
  std::string format;
  uint64_t scene = 0;  // hash of aabb_scale, scale, offset, near/far bounds
  std::vector<FrameFingerprint> frames;
  uint64_t hash = 0;   // over all of the above
};

DatasetFingerprint fingerprint_dataset(const Dataset& data);

nlohmann::json fingerprint_to_json(const DatasetFingerprint& f);
// Throws InputError naming `file` and the field "dataset_fingerprint" when malformed.
DatasetFingerprint fingerprint_from_json(const nlohmann::json& j, const std::string& file);

// "" when they match; otherwise what differs first, in words ("the number of training frames
// (100 -> 12)", "frame 3 (train/r_3.png): the pose", ...), with how many frames differ.
std::string fingerprint_difference(const DatasetFingerprint& saved, const DatasetFingerprint& now);

// The check when a snapshot is loaded with a dataset (Engine::load): `meta` is the snapshot's
// metadata. A snapshot without a fingerprint (an older build) gets a note on stderr and is not
// refused. Otherwise a different dataset throws InputError naming the snapshot, the dataset
// folder and what differs, unless accept_other, when it is a note on stderr.
void check_dataset_fingerprint(const nlohmann::json& meta, const DatasetFingerprint& now, const std::string& data_dir,
                               const std::string& snapshot_path, bool accept_other);

}  // namespace nerds
