// Writes rendered views in the NeRF-synthetic layout (the Blender "lego" format):
// transforms_<split>.json next to a <split>/ folder of r_<i>.png images.
#pragma once

#include <string>
#include <vector>

#include "renderer/math/vec3.h"
#include "scenes/generator/ray_tracer.h"

namespace nerds::scenes {

// Depth PNGs hold round(depth * kDepthScale) in 16 bits: 1/1000 unit steps up to 65.5 units.
constexpr float kDepthScale = 1000.f;

// "r_<index>": the file stem of view `index` in its split folder.
std::string view_stem(int index);

// Writes <split_dir>/r_<index>.png (RGBA) and <split_dir>/r_<index>_depth.png (16-bit).
// Throws InputError when a file cannot be written.
void write_view_images(const std::string& split_dir, int index, const RenderedView& view);

// Writes <out_dir>/transforms_<split>.json: camera_angle_x, depth_scale and one frame per
// pose, frame i pointing at ./<split>/r_<i>. Throws InputError when it cannot be written.
void write_transforms_json(const std::string& out_dir, const std::string& split, float camera_angle_x,
                           const std::vector<Pose>& poses);

}  // namespace nerds::scenes
