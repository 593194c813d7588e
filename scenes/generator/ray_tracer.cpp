#include "scenes/generator/ray_tracer.h"

#include <cmath>
#include <limits>

#include "scenes/generator/color.h"
#include "scenes/generator/random.h"
#include "scenes/generator/shading.h"

namespace nerds::scenes {

namespace {

constexpr float kFar = std::numeric_limits<float>::infinity();

// Sample s of the R2 low-discrepancy sequence (Roberts 2018), in [0,1)^2: evenly spread for
// any sample count, unlike a k x k grid.
void r2_point(int s, float* x, float* y) {
  const double g = 1.32471795724474602596;  // the plastic number
  double fx = 0.5 + static_cast<double>(s) / g;
  double fy = 0.5 + static_cast<double>(s) / (g * g);
  *x = static_cast<float>(fx - std::floor(fx));
  *y = static_cast<float>(fy - std::floor(fy));
}

float wrap01(float v) { return v - std::floor(v); }

Vec3 clamp01(Vec3 c) {
  return make_vec3(std::fmin(std::fmax(c.x, 0.f), 1.f), std::fmin(std::fmax(c.y, 0.f), 1.f),
                   std::fmin(std::fmax(c.z, 0.f), 1.f));
}

}  // namespace

RenderedView empty_view(int width, int height) {
  RenderedView view;
  view.rgba.width = width;
  view.rgba.height = height;
  view.rgba.channels = 4;
  view.rgba.pixels.assign(static_cast<size_t>(width) * height * 4, 0);
  view.depth.assign(static_cast<size_t>(width) * height, 0.f);
  view.normals.assign(static_cast<size_t>(width) * height, Vec3{});
  return view;
}

RenderedView render_view(const Scene& scene, const ViewCamera& camera, const RenderSettings& settings) {
  const int width = camera.intrinsics.width, height = camera.intrinsics.height;
  const int spp = settings.samples_per_pixel < 1 ? 1 : settings.samples_per_pixel;
  RenderedView view = empty_view(width, height);

  for (int py = 0; py < height; ++py) {
    for (int px = 0; px < width; ++px) {
      const size_t pixel = static_cast<size_t>(py) * width + px;
      // Each pixel rotates the shared sample pattern by its own random offset
      // (Cranley-Patterson), so aliasing turns into noise instead of a regular pattern.
      Rng rng(settings.seed ^ mix64(pixel));
      float shift_x = rng.uniform(), shift_y = rng.uniform();
      Vec3 sum;
      int hits = 0;
      for (int s = 0; s < spp; ++s) {
        float jx, jy;
        r2_point(s, &jx, &jy);
        Ray ray = primary_ray(camera, px + wrap01(jx + shift_x), py + wrap01(jy + shift_y));
        SceneHit hit;
        if (!scene.intersect(ray, kFar, &hit)) continue;
        // Clamp each sample before averaging so a highlight does not bleed across an edge.
        sum = sum + clamp01(shade(scene, hit, -ray.dir) * settings.exposure);
        ++hits;
      }
      uint8_t* out = &view.rgba.pixels[pixel * 4];
      if (hits > 0) {
        Vec3 srgb = linear_to_srgb(sum / static_cast<float>(hits));
        out[0] = to_u8(srgb.x);
        out[1] = to_u8(srgb.y);
        out[2] = to_u8(srgb.z);
        out[3] = to_u8(static_cast<float>(hits) / static_cast<float>(spp));
      }
      Ray center = primary_ray(camera, px + 0.5f, py + 0.5f);
      SceneHit hit;
      if (scene.intersect(center, kFar, &hit)) {
        view.depth[pixel] = axial_depth(camera, center, hit.t);
        view.normals[pixel] = hit.normal;
      }
    }
  }
  return view;
}

}  // namespace nerds::scenes
