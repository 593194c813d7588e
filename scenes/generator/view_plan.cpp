#include "scenes/generator/view_plan.h"

#include <cmath>
#include <memory>

#include "scenes/generator/camera_rig.h"
#include "scenes/generator/random.h"
#include "scenes/generator/view_camera.h"

namespace nerds::scenes {

namespace {

constexpr float kPi = 3.14159265358979f;

float log_uniform(Rng& rng, float lo, float hi) {
  if (lo == hi) return lo;
  if (lo <= 0.f) return lo + (hi - lo) * rng.uniform();
  return lo * std::exp(std::log(hi / lo) * rng.uniform());
}

// Standard normal (Box-Muller).
float gaussian(Rng& rng) {
  float u1 = std::fmax(rng.uniform(), 1e-7f), u2 = rng.uniform();
  return std::sqrt(-2.f * std::log(u1)) * std::cos(2.f * kPi * u2);
}

// A saturated color of random hue: transients stand out from the scene.
Vec3 random_vivid(Rng& rng) {
  float h = 6.f * rng.uniform();
  float x = 1.f - std::fabs(std::fmod(h, 2.f) - 1.f);
  Vec3 c = h < 1.f   ? make_vec3(1.f, x, 0.f)
           : h < 2.f ? make_vec3(x, 1.f, 0.f)
           : h < 3.f ? make_vec3(0.f, 1.f, x)
           : h < 4.f ? make_vec3(0.f, x, 1.f)
           : h < 5.f ? make_vec3(x, 0.f, 1.f)
                     : make_vec3(1.f, 0.f, x);
  return c * 0.8f + make_vec3(0.1f, 0.1f, 0.1f);
}

void vary_train_view(const SceneDescription& d, int resolution, Rng& rng, PlannedView* view) {
  const Variations& v = d.variations;
  view->exposure = log_uniform(rng, v.exposure_lo, v.exposure_hi);
  view->light_scale = log_uniform(rng, v.light_lo, v.light_hi);
  view->light_tint = v.light_tint * (2.f * rng.uniform() - 1.f);
  if (v.transient_fraction > 0.f && rng.uniform() < v.transient_fraction) {
    const int count =
        v.transient_count_lo +
        static_cast<int>(rng.uniform() * static_cast<float>(v.transient_count_hi - v.transient_count_lo + 1));
    const ViewCamera camera = make_view_camera(view->pose, resolution, resolution, d.rig.camera_angle_x);
    const float distance = length(view->pose.origin() - d.rig.target);
    for (int i = 0; i < count; ++i) {
      // Somewhere in the middle 60% of the image, part of the way to the target.
      const float px = (0.2f + 0.6f * rng.uniform()) * resolution, py = (0.2f + 0.6f * rng.uniform()) * resolution;
      const Ray ray = primary_ray(camera, px, py);
      const float along = v.transient_distance_lo + (v.transient_distance_hi - v.transient_distance_lo) * rng.uniform();
      Transient t;
      t.is_box = rng.uniform() < 0.5f;
      t.center = ray.at(along * distance);
      t.size = v.transient_size_lo + (v.transient_size_hi - v.transient_size_lo) * rng.uniform();
      t.srgb = random_vivid(rng);
      view->transients.push_back(t);
    }
  }
  if (v.any_pose_noise()) {
    const float sigma = v.pose_rotation_deg * kPi / 180.f;
    Vec3 rotation = make_vec3(gaussian(rng), gaussian(rng), gaussian(rng)) * sigma;
    Vec3 shift = make_vec3(gaussian(rng), gaussian(rng), gaussian(rng)) * v.pose_translation;
    view->written_pose = perturb_pose(view->pose, rotation, shift);
  }
}

}  // namespace

Pose perturb_pose(const Pose& pose, Vec3 rotation, Vec3 translation) {
  // Rodrigues: R = I + sin(a) K + (1 - cos(a)) K^2 for the unit axis k = rotation / a.
  const float a = length(rotation);
  float r[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  if (a > 0.f) {
    const Vec3 k = rotation / a;
    const float kk[3][3] = {{0, -k.z, k.y}, {k.z, 0, -k.x}, {-k.y, k.x, 0}};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) {
        float k2 = 0.f;
        for (int m = 0; m < 3; ++m) k2 += kk[i][m] * kk[m][j];
        r[i][j] += std::sin(a) * kk[i][j] + (1.f - std::cos(a)) * k2;
      }
    }
  }
  Pose out = pose;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      float sum = 0.f;
      for (int m = 0; m < 3; ++m) sum += pose.m[i][m] * r[m][j];
      out.m[i][j] = sum;
    }
    out.m[i][3] = pose.m[i][3] + translation[i];
  }
  return out;
}

std::vector<PlannedSplit> plan_views(const SceneDescription& d, const SceneOptions& options, int train_views) {
  // Independent streams per use, so e.g. more train views leave the val cameras unchanged.
  const uint64_t seed = mix64(options.seed);
  const CameraRig& rig = d.rig;
  const std::vector<Pose> poses[3] = {fibonacci_hemisphere_poses(rig, train_views, mix64(seed + 1)),
                                      random_hemisphere_poses(rig, options.val_views, mix64(seed + 2)),
                                      ring_poses(rig, options.test_views)};
  const char* names[3] = {"train", "val", "test"};
  std::vector<PlannedSplit> splits;
  for (int s = 0; s < 3; ++s) {
    PlannedSplit split;
    split.name = names[s];
    for (int v = 0; v < static_cast<int>(poses[s].size()); ++v) {
      PlannedView view;
      view.pose = view.written_pose = poses[s][v];
      view.seed = mix64(seed + 1000003ull * static_cast<uint64_t>(s + 3) + static_cast<uint64_t>(v));
      if (s == 0) {
        Rng rng(mix64(seed + 7) ^ mix64(static_cast<uint64_t>(v)));
        vary_train_view(d, options.resolution, rng, &view);
      }
      split.views.push_back(view);
    }
    splits.push_back(split);
  }
  return splits;
}

Scene scene_for_view(const Scene& base, const PlannedView& view) {
  Scene scene = base;
  if (view.light_scale != 1.f || view.light_tint != 0.f) {
    const Vec3 tint = make_vec3(1.f + view.light_tint, 1.f, 1.f - view.light_tint) * view.light_scale;
    for (Light& light : scene.lights()) light.color = light.color * tint;
  }
  if (view.transients.empty()) return scene;
  for (const Transient& t : view.transients) {
    Material matte;
    matte.albedo = Texture::solid(t.srgb);
    const int material = scene.add_material(matte);
    const Vec3 half = make_vec3(t.size, t.size, t.size);
    if (t.is_box) {
      scene.add(std::make_shared<Box>(t.center - half, t.center + half), material);
    } else {
      scene.add(std::make_shared<Sphere>(t.center, t.size), material);
    }
  }
  scene.prepare();
  return scene;
}

}  // namespace nerds::scenes
