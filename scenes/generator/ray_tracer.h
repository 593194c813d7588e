// Renders one view of a Scene: jittered anti-aliasing samples per pixel, direct lighting with
// hard shadows, mirror reflections, transparent background. Deterministic: the same settings give the same bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/data/image_io.h"
#include "scenes/generator/scene.h"
#include "scenes/generator/view_camera.h"

namespace nerds::scenes {

struct RenderSettings {
  int samples_per_pixel = 4;
  uint64_t seed = 1;     // seeds every pixel's own jitter stream (give each view its own)
  float exposure = 1.f;  // multiplies the linear radiance before it is clipped to [0, 1]
};

struct RenderedView {
  // RGBA8 sRGB with straight alpha: alpha = the fraction of samples that hit a surface,
  // rgb = the mean color of those samples (0 where nothing was hit).
  Image8 rgba;
  // Axial depth (along the camera's -z) of the surface through each pixel center,
  // row-major like rgba; 0 where that ray hits nothing.
  std::vector<float> depth;
  // World-frame unit normal (facing the camera) of that same surface; zero where no hit.
  std::vector<Vec3> normals;
};

// A width x height view with nothing hit yet (transparent, depth 0, zero normals).
RenderedView empty_view(int width, int height);

RenderedView render_view(const Scene& scene, const ViewCamera& camera, const RenderSettings& settings);

}  // namespace nerds::scenes
