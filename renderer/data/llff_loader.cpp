// LLFF (Mildenhall et al. 2019, as loaded by NeRF 2020 for its forward-facing scenes):
// DIR/poses_bounds.npy, an N x 17 float64 array, one row per image in the sorted order of
// the image folder. A row is a 3x5 matrix, row-major, then two depth bounds:
//   [ R | t | (H, W, focal) ] with R's columns the camera's [down, right, back] axes in world
//   space, t its position, H W focal of the full-resolution images; then near and far, the
//   nearest and farthest depth of the scene's points seen by that camera.
// Images: DIR/images/ (full resolution) or DIR/images_<N>/ (1/N, LLFF's minified copies).
//
// The world frame is NeRF's load_llff frame: axes to OpenGL [right, up, back]; positions and
// bounds scaled by 1 / (0.75 min near), so the nearest content sits at depth 1/0.75 and NDC's
// near plane 1 lies in front of it; then the poses recentered on their average pose (mean
// position, mean back axis, mean up), so the mean camera sits at the origin looking down -z.
// The engine's box (aabb_scale 1, the unit cube) then holds, with a 5% margin, the union of
// every camera's frustum between the scene's near and far bounds (the smallest near and the
// largest far of all rows): scale = 1 / (1.05 * the largest side of that union's bounding
// box), offset = 0.5 - its center * scale. Every 8th image (0, 8, 16, ...) is held out
// as "test" (== "val"), LLFF's and NeRF's protocol.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/data/image_limits.h"
#include "renderer/data/json_fields.h"
#include "renderer/data/npy_file.h"
#include "renderer/error.h"

namespace nerds::dataset_loaders {
namespace {

namespace fs = std::filesystem;

constexpr size_t kColumns = 17;
constexpr double kBoundFactor = 0.75;  // NeRF's bd_factor: nearest content at depth 1 / 0.75
constexpr double kBoxMargin = 1.05;

// Doubles until the final conversion: recentering multiplies poses.
struct D3 {
  double v[3] = {0, 0, 0};
};
D3 d3(double x, double y, double z) { return D3{{x, y, z}}; }
D3 add(D3 a, D3 b) { return d3(a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2]); }
D3 sub(D3 a, D3 b) { return d3(a.v[0] - b.v[0], a.v[1] - b.v[1], a.v[2] - b.v[2]); }
D3 mul(D3 a, double s) { return d3(a.v[0] * s, a.v[1] * s, a.v[2] * s); }
double dot3(D3 a, D3 b) { return a.v[0] * b.v[0] + a.v[1] * b.v[1] + a.v[2] * b.v[2]; }
D3 cross3(D3 a, D3 b) {
  return d3(a.v[1] * b.v[2] - a.v[2] * b.v[1], a.v[2] * b.v[0] - a.v[0] * b.v[2], a.v[0] * b.v[1] - a.v[1] * b.v[0]);
}
D3 unit(D3 a) { return mul(a, 1.0 / std::sqrt(dot3(a, a))); }

struct LlffCamera {
  D3 axis[3];  // x (right), y (up), z (back) in world space: OpenGL camera-to-world
  D3 position;
  double height = 0, width = 0, focal = 0;  // full resolution
  double near = 0, far = 0;
};

std::string row_field(size_t row, const std::string& name) { return "rows[" + std::to_string(row) + "]." + name; }

std::string column_name(size_t c) {
  if (c == 15) return "near";
  if (c == 16) return "far";
  const size_t r = c / 5, k = c % 5;
  if (k == 4) return r == 0 ? "hwf.height" : (r == 1 ? "hwf.width" : "hwf.focal");
  return "pose[" + std::to_string(r) + "][" + std::to_string(k) + "]";
}

LlffCamera read_camera(const NpyArray& a, size_t row, const std::string& file) {
  for (size_t c = 0; c < kColumns; ++c)
    if (!std::isfinite(a.at(row, c))) throw InputError(file, row_field(row, column_name(c)), "not a finite number");
  LlffCamera cam;
  const auto m = [&](size_t r, size_t k) { return a.at(row, r * 5 + k); };
  // LLFF's columns are [down, right, back]; OpenGL's [right, up, back] = [right, -down, back].
  const D3 down = d3(m(0, 0), m(1, 0), m(2, 0)), right = d3(m(0, 1), m(1, 1), m(2, 1));
  cam.axis[0] = right;
  cam.axis[1] = mul(down, -1.0);
  cam.axis[2] = d3(m(0, 2), m(1, 2), m(2, 2));
  cam.position = d3(m(0, 3), m(1, 3), m(2, 3));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const double expected = i == j ? 1.0 : 0.0;
      if (std::fabs(dot3(cam.axis[i], cam.axis[j]) - expected) > 1e-3)
        throw InputError(file, row_field(row, "pose"), "rotation columns are not orthonormal (within 1e-3)");
    }
  if (dot3(cross3(cam.axis[0], cam.axis[1]), cam.axis[2]) <= 0.0)
    throw InputError(file, row_field(row, "pose"), "rotation is a reflection (determinant < 0)");
  cam.height = m(0, 4);
  cam.width = m(1, 4);
  cam.focal = m(2, 4);
  checked_image_side(cam.height, file, row_field(row, "hwf.height"));
  checked_image_side(cam.width, file, row_field(row, "hwf.width"));
  check_focal_length(cam.focal, static_cast<int>(cam.width), file, row_field(row, "hwf.focal"));
  check_focal_length(cam.focal, static_cast<int>(cam.height), file, row_field(row, "hwf.focal"));
  cam.near = a.at(row, 15);
  cam.far = a.at(row, 16);
  if (!(cam.near > 0.0)) throw InputError(file, row_field(row, "near"), "depth bound must be positive");
  if (!(cam.far > cam.near)) throw InputError(file, row_field(row, "far"), "must be larger than near");
  return cam;
}

// The smallest length of the cameras' mean back axis, of their mean up axis, and of the sine
// of the angle between the two, for NeRF's average pose to be a frame: the mean of unit
// vectors is 1 long for a rig of parallel cameras and ~0 when they cancel (cameras facing
// each other, or half of them upside down), where normalizing it would divide by ~zero and
// turn every pose into noise or NaN.
constexpr double kMinMeanAxis = 1e-2;

// The unit vector along `sum` (of `count` unit axes), or an InputError naming the file and
// why NeRF's recentering has no mean frame.
D3 mean_axis(D3 sum, size_t count, const char* what, const std::string& file) {
  const double mean_length = std::sqrt(dot3(sum, sum)) / static_cast<double>(count);
  if (!(mean_length >= kMinMeanAxis))
    throw InputError(file, "rows",
                     std::string("the cameras' ") + what + " axes cancel out (their mean is " +
                         json_fields::number_text(mean_length) +
                         " long): NeRF's recentering on the average pose has no mean frame to normalize; LLFF "
                         "expects a forward-facing rig of cameras that look and stand roughly the same way");
  return unit(sum);
}

// NeRF's normalization: scale so the nearest bound becomes 1 / 0.75, then express every pose
// in the frame of the average pose (its position: the mean; its z: the mean back axis; its
// x: up x z; its y: z x x, with up the mean up axis).
void normalize_cameras(std::vector<LlffCamera>& cams, const std::string& file, double* near_bound,
                       double* far_bound) {
  double min_near = cams[0].near, max_far = cams[0].far;
  for (const LlffCamera& c : cams) {
    min_near = std::min(min_near, c.near);
    max_far = std::max(max_far, c.far);
  }
  const double s = 1.0 / (min_near * kBoundFactor);
  D3 center, back_sum, up_sum;
  for (LlffCamera& c : cams) {
    c.position = mul(c.position, s);
    c.near *= s;
    c.far *= s;
    center = add(center, mul(c.position, 1.0 / cams.size()));
    back_sum = add(back_sum, c.axis[2]);
    up_sum = add(up_sum, c.axis[1]);
  }
  const D3 z = mean_axis(back_sum, cams.size(), "back (viewing)", file);
  const D3 up = mean_axis(up_sum, cams.size(), "up", file);
  const D3 sine = cross3(up, z);  // only checked: x below keeps NeRF's exact expression
  if (!(std::sqrt(dot3(sine, sine)) >= kMinMeanAxis))
    throw InputError(file, "rows",
                     "the cameras' mean up axis is parallel to their mean viewing axis: NeRF's recentering on the "
                     "average pose has no mean frame to normalize (the rig looks straight up or down)");
  const D3 x = unit(cross3(up_sum, z)), y = unit(cross3(z, x));
  const D3 frame[3] = {x, y, z};
  const auto to_frame = [&](D3 v) { return d3(dot3(frame[0], v), dot3(frame[1], v), dot3(frame[2], v)); };
  for (LlffCamera& c : cams) {
    c.position = to_frame(sub(c.position, center));
    for (D3& a : c.axis) a = to_frame(a);
  }
  *near_bound = min_near * s;
  *far_bound = max_far * s;
}

// The union of every camera's frustum between the scene's near and far bounds (the image
// corners at both depths), as an axis-aligned box.
void frustum_box(const std::vector<LlffCamera>& cams, double near, double far, D3* lo, D3* hi) {
  *lo = d3(1e300, 1e300, 1e300);
  *hi = d3(-1e300, -1e300, -1e300);
  for (const LlffCamera& c : cams)
    for (double depth : {near, far})
      for (double sx : {-1.0, 1.0})
        for (double sy : {-1.0, 1.0}) {
          // Camera-space corner direction with z = -1, scaled to the depth.
          const double cx = sx * 0.5 * c.width / c.focal, cy = sy * 0.5 * c.height / c.focal;
          const D3 p =
              add(c.position, mul(add(add(mul(c.axis[0], cx), mul(c.axis[1], cy)), mul(c.axis[2], -1.0)), depth));
          for (int k = 0; k < 3; ++k) {
            lo->v[k] = std::min(lo->v[k], p.v[k]);
            hi->v[k] = std::max(hi->v[k], p.v[k]);
          }
        }
}

bool is_image_name(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

bool is_folder(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// images_<downscale> when it exists, else images/ (downscaled here), else the coarsest
// images_<M> with M dividing downscale. *prescaled = the folder's own factor.
fs::path pick_image_folder(const std::string& dir, int downscale, int* prescaled) {
  const fs::path root(dir);
  if (downscale > 1 && is_folder(root / ("images_" + std::to_string(downscale)))) {
    *prescaled = downscale;
    return root / ("images_" + std::to_string(downscale));
  }
  if (is_folder(root / "images")) {
    *prescaled = 1;
    return root / "images";
  }
  for (int m = downscale / 2; m > 1; --m)
    if (downscale % m == 0 && is_folder(root / ("images_" + std::to_string(m)))) {
      *prescaled = m;
      return root / ("images_" + std::to_string(m));
    }
  std::vector<std::string> folders;
  std::error_code ec, entry_ec;
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory(entry_ec) && name.rfind("images_", 0) == 0) folders.push_back(name);
  }
  std::sort(folders.begin(), folders.end());
  std::string found;
  for (const std::string& name : folders) found += (found.empty() ? "" : ", ") + name;
  const std::string wanted =
      downscale == 1 ? std::string("images/") : "images/ or images_" + std::to_string(downscale) + "/";
  throw InputError(dir, "images",
                   "no " + wanted + " folder for downscale " + std::to_string(downscale) +
                       (found.empty() ? std::string(" (no image folder at all)")
                                      : " (found " + found + ": use a multiple of its factor)"));
}

std::vector<fs::path> list_images(const fs::path& folder) {
  std::vector<fs::path> images;
  std::error_code ec, entry_ec;
  for (const fs::directory_entry& e : fs::directory_iterator(folder, ec))
    if (e.is_regular_file(entry_ec) && is_image_name(e.path())) images.push_back(e.path());
  if (ec) throw InputError(folder.string(), "", "cannot list the folder: " + ec.message());
  std::sort(images.begin(), images.end());  // LLFF's rows follow the sorted file names
  return images;
}


Pose to_pose(const LlffCamera& c) {
  Pose pose;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 3; ++k) pose.m[r][k] = static_cast<float>(c.axis[k].v[r]);
    pose.m[r][3] = static_cast<float>(c.position.v[r]);
  }
  return pose;
}

}  // namespace

ParsedFrames parse_llff(const std::string& dir, const std::string& split, int downscale) {
  const std::string file = (fs::path(dir) / "poses_bounds.npy").string();
  const NpyArray array = read_npy_f64(file);
  if (array.shape.size() != 2 || array.shape[1] != kColumns || array.shape[0] == 0) {
    std::string shape;
    for (size_t s : array.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(s);
    throw InputError(file, "shape",
                     "expected (N, 17) with N >= 1 (a 3x5 pose and near, far per image), got (" + shape + ")");
  }
  const size_t count = array.shape[0];
  std::vector<LlffCamera> cams;
  for (size_t r = 0; r < count; ++r) cams.push_back(read_camera(array, r, file));
  for (size_t r = 1; r < count; ++r)
    if (cams[r].height != cams[0].height || cams[r].width != cams[0].width)
      throw InputError(file, row_field(r, "hwf"), "image size differs from row 0's");

  ParsedFrames parsed;
  const fs::path folder = pick_image_folder(dir, downscale, &parsed.prescaled);
  const std::vector<fs::path> images = list_images(folder);
  if (images.size() != count)
    throw InputError(folder.string(), "",
                     "holds " + std::to_string(images.size()) + " images, but " + file + " has " +
                         std::to_string(count) + " rows (one per image)");

  // The first image fixes the resolution on disk: H/N x W/N of poses_bounds.npy's full size
  // (LLFF's minified copies round the size, hence the 1 pixel of slack).
  const FrameOrigin first_origin{file, 0};
  const ImageInfo info = frame_image_info(images[0].string(), first_origin);
  const double expected_w = cams[0].width / parsed.prescaled, expected_h = cams[0].height / parsed.prescaled;
  if (std::fabs(info.width - expected_w) > 1.0 || std::fabs(info.height - expected_h) > 1.0)
    throw InputError(
        images[0].string(), "",
        "is " + std::to_string(info.width) + "x" + std::to_string(info.height) + ", but " + file + " gives " +
            std::to_string(static_cast<int>(cams[0].width)) + "x" + std::to_string(static_cast<int>(cams[0].height)) +
            " at full size, i.e. about " + std::to_string(static_cast<int>(std::lround(expected_w))) + "x" +
            std::to_string(static_cast<int>(std::lround(expected_h))) + " for " + folder.filename().string());

  double near_bound = 0, far_bound = 0;
  normalize_cameras(cams, file, &near_bound, &far_bound);
  D3 lo, hi;
  frustum_box(cams, near_bound, far_bound, &lo, &hi);
  const double side = std::max({hi.v[0] - lo.v[0], hi.v[1] - lo.v[1], hi.v[2] - lo.v[2]}) * kBoxMargin;
  // The box the fields derive from must be one the engine can hold (dataset.h's bounds).
  const double scale = 1.0 / side;
  double offset[3];
  for (int k = 0; k < 3; ++k) offset[k] = 0.5 - 0.5 * (lo.v[k] + hi.v[k]) / side;
  const bool box_ok = scale >= kMinSceneScale && scale <= kMaxSceneScale && std::fabs(offset[0]) <= kMaxSceneOffset &&
                      std::fabs(offset[1]) <= kMaxSceneOffset && std::fabs(offset[2]) <= kMaxSceneOffset;
  if (!box_ok)
    throw InputError(file, "rows",
                     "the cameras' frustums between near and far span " + json_fields::number_text(side) +
                         " world units after NeRF's normalization: a scene box the engine cannot hold (check "
                         "hwf.focal, near and far)");
  parsed.aabb_scale = 1.f;
  parsed.scale = static_cast<float>(scale);
  for (int k = 0; k < 3; ++k) parsed.offset[k] = static_cast<float>(offset[k]);
  parsed.near_bound = static_cast<float>(near_bound);
  parsed.far_bound = static_cast<float>(far_bound);

  for (size_t i = 0; i < count; ++i) {
    if (!in_default_split(i, split)) continue;
    Frame frame;
    frame.image_path = images[i].lexically_normal().string();
    frame.pose = to_pose(cams[i]);
    Intrinsics& k = frame.intrinsics;
    k.width = info.width;
    k.height = info.height;
    k.fx = static_cast<float>(cams[i].focal * info.width / cams[i].width);
    k.fy = static_cast<float>(cams[i].focal * info.height / cams[i].height);
    k.cx = 0.5f * static_cast<float>(info.width);
    k.cy = 0.5f * static_cast<float>(info.height);
    parsed.frames.push_back(frame);
    parsed.origins.push_back(FrameOrigin{file, static_cast<int>(i)});
  }
  if (parsed.frames.empty())
    throw InputError(file, "rows",
                     "split '" + split + "' is empty (" + std::to_string(count) +
                         " images; every 8th, from image 0, is held out for val/test)");
  return parsed;
}

}  // namespace nerds::dataset_loaders
