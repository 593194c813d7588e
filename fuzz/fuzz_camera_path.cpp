// Fuzz target: a camera path file (camera_path/camera_path_file.cpp), read as `nerds render
// --path FILE` and the viewer's camera-path panel read it. A path that reads must give finite
// rigid cameras wherever it is evaluated (before, at and between its keys, and past its end),
// and must write back to JSON that reads again (the panel's Save).
#include <cmath>

#include "camera_path/camera_path_file.h"
#include "fuzz/fuzz_support.h"

namespace {

// Finite, and the rotation block's columns of unit length (a NaN or a scaled camera is a finding).
bool rigid_and_finite(const nerds::CameraPathPoint& at) {
  for (int c = 0; c < 3; ++c) {
    double norm2 = 0.0;
    for (int r = 0; r < 3; ++r) norm2 += static_cast<double>(at.pose.m[r][c]) * at.pose.m[r][c];
    if (!(std::fabs(norm2 - 1.0) < 1e-3)) return false;
  }
  for (int r = 0; r < 3; ++r)
    if (!std::isfinite(at.pose.m[r][3])) return false;
  return std::isfinite(at.fov_y_deg);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string file = (nerds_fuzz::scratch_subfolder("camera_path") / "path.json").string();
  nerds_fuzz::write_bytes(file, data, size);
  return nerds_fuzz::expect_input_error_or_success([&] {
    const nerds::CameraPath path = nerds::read_camera_path(file);
    const double total = nerds::path_seconds(path);
    for (double t : {-1.0, 0.0, 0.25 * total, 0.5 * total, 0.999 * total, total, total + 1.0})
      if (!rigid_and_finite(nerds::camera_at(path, t))) std::abort();
    try {
      nerds::camera_path_from_json(nerds::camera_path_to_json(path), file);
    } catch (const nerds::InputError&) {
      std::abort();  // a path that was read must survive its own save
    }
  });
}
