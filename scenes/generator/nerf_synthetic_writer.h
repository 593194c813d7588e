// Writes rendered views in the NeRF-synthetic layout (the Blender "lego" format):
// transforms_<split>.json next to a <split>/ folder of r_<i>.png images, plus per view a
// 16-bit depth PNG and a normal PNG.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/math/vec3.h"
#include "scenes/generator/ray_tracer.h"

namespace nerds::scenes {

// Depth PNGs hold round(depth * kDepthScale) in 16 bits: 1/1000 unit steps up to 65.5 units.
constexpr float kDepthScale = 1000.f;

// "r_<index>": the file stem of view `index` in its split folder.
std::string view_stem(int index);

// Writes <split_dir>/<stem>.png (RGBA), <stem>_depth.png (16-bit, depth * kDepthScale, 0 =
// background) and <stem>_normal.png (RGB, world-frame normal n as (n + 1) / 2, black =
// background). Throws InputError when a file cannot be written.
void write_view_images(const std::string& split_dir, const std::string& stem, const RenderedView& view);
void write_view_images(const std::string& split_dir, int index, const RenderedView& view);

// One frame of a transforms file: its image stem (relative to the transforms file, without
// extension, e.g. "./train/r_0"), pose, and any further keys (exposure, w, h, ...).
struct FrameRecord {
  std::string stem;
  Pose pose;
  nlohmann::json extra = nlohmann::json::object();
};

// Writes <path>: camera_angle_x, depth_scale, the encodings of the depth and normal images,
// `extra` top-level keys, and one frame per record with file_path, depth_file_path,
// normal_file_path and transform_matrix. Throws InputError when it cannot be written.
void write_transforms_file(const std::string& path, float camera_angle_x, const std::vector<FrameRecord>& frames,
                           const nlohmann::json& extra = nlohmann::json::object());

// The float's shortest round-trip text as a double, so the JSON shows 0.25 and not
// 0.25000000372529.
double json_number(float v);

}  // namespace nerds::scenes
