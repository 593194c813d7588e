#include "scenes/generator/scene_maker.h"

#include <filesystem>
#include <system_error>

#include "renderer/error.h"
#include "scenes/generator/default_scene.h"
#include "scenes/generator/nerf_synthetic_writer.h"
#include "scenes/generator/parallel_for.h"
#include "scenes/generator/random.h"
#include "scenes/generator/ray_tracer.h"
#include "scenes/generator/scene_recipe.h"
#include "scenes/generator/view_camera.h"

namespace nerds::scenes {

namespace {

// Every scene the maker knows, in listing order.
const std::vector<SceneRecipe>& recipes() {
  static const std::vector<SceneRecipe> all = {default_scene_recipe()};
  return all;
}

const SceneRecipe& find_recipe(const std::string& name) {
  std::string known;
  for (const SceneRecipe& recipe : recipes()) {
    if (recipe.info.name == name) return recipe;
    known += (known.empty() ? "" : ", ") + recipe.info.name;
  }
  throw InputError("unknown scene '" + name + "' (known: " + known + ")");
}

void check_options(const SceneOptions& o) {
  auto require = [](bool ok, const char* field, const char* rule) {
    if (!ok) throw InputError("scene options", field, rule);
  };
  require(o.resolution >= 1 && o.resolution <= 8192, "resolution", "must be in [1, 8192]");
  require(o.train_views >= 0, "train_views", "must be >= 0");
  require(o.val_views >= 0, "val_views", "must be >= 0");
  require(o.test_views >= 0, "test_views", "must be >= 0");
  require(o.samples_per_pixel >= 1 && o.samples_per_pixel <= 255, "samples_per_pixel", "must be in [1, 255]");
}

void create_folder(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    throw InputError(dir.string(), "", "cannot create the folder" + (error ? ": " + error.message() : ""));
  }
}

struct Split {
  std::string name;
  std::vector<Pose> poses;
};

}  // namespace

std::vector<SceneInfo> list_scenes() {
  std::vector<SceneInfo> infos;
  for (const SceneRecipe& recipe : recipes()) infos.push_back(recipe.info);
  return infos;
}

void make_scene(const std::string& name, const std::string& out_dir, const SceneOptions& options) {
  const SceneRecipe& recipe = find_recipe(name);
  check_options(options);

  // Independent streams per use, so e.g. more train views leave the val cameras unchanged.
  const uint64_t seed = mix64(options.seed);
  const CameraRig& rig = recipe.rig;
  const std::vector<Split> splits = {
      {"train", fibonacci_hemisphere_poses(rig, options.train_views, mix64(seed + 1))},
      {"val", random_hemisphere_poses(rig, options.val_views, mix64(seed + 2))},
      {"test", ring_poses(rig, options.test_views)},
  };
  const std::filesystem::path root(out_dir);
  for (const Split& split : splits) create_folder(root / split.name);

  const Scene scene = recipe.build();
  struct Job {
    int split, view;
  };
  std::vector<Job> jobs;
  for (int s = 0; s < static_cast<int>(splits.size()); ++s) {
    for (int v = 0; v < static_cast<int>(splits[s].poses.size()); ++v) jobs.push_back({s, v});
  }
  // One view per task: each is rendered and written by one thread, seeded by its own index.
  parallel_for(static_cast<int>(jobs.size()), [&](int j) {
    const Job& job = jobs[j];
    const Split& split = splits[job.split];
    ViewCamera camera =
        make_view_camera(split.poses[job.view], options.resolution, options.resolution, rig.camera_angle_x);
    RenderSettings settings;
    settings.samples_per_pixel = options.samples_per_pixel;
    settings.seed = mix64(seed + 1000003ull * static_cast<uint64_t>(job.split + 3) + static_cast<uint64_t>(job.view));
    write_view_images((root / split.name).string(), job.view, render_view(scene, camera, settings));
  });
  for (const Split& split : splits) {
    write_transforms_json(root.string(), split.name, rig.camera_angle_x, split.poses);
  }
}

}  // namespace nerds::scenes
