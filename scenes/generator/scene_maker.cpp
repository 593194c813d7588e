#include "scenes/generator/scene_maker.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <system_error>

#include "renderer/backend/parallel.h"
#include "renderer/data/json_fields.h"
#include "renderer/data/staged_folder.h"
#include "renderer/error.h"
#include "scenes/generator/multiscale_views.h"
#include "scenes/generator/nerf_synthetic_writer.h"
#include "scenes/generator/ray_tracer.h"
#include "scenes/generator/scene_library.h"
#include "scenes/generator/view_camera.h"
#include "scenes/generator/view_plan.h"

namespace nerds::scenes {

namespace {

namespace fs = std::filesystem;

void check_options(const SceneOptions& o) {
  auto require = [](bool ok, const char* field, const char* rule) {
    if (!ok) throw InputError("scene options", field, rule);
  };
  require(o.resolution >= 1 && o.resolution <= 8192, "resolution", "must be in [1, 8192]");
  // Views are planned (and their poses held) before any is rendered: bound them first.
  require(o.train_views >= 0 && o.train_views <= 100000, "train_views", "must be in [0, 100000]");
  require(o.val_views >= 0 && o.val_views <= 100000, "val_views", "must be in [0, 100000]");
  require(o.test_views >= 0 && o.test_views <= 100000, "test_views", "must be in [0, 100000]");
  require(o.samples_per_pixel >= 1 && o.samples_per_pixel <= 255, "samples_per_pixel", "must be in [1, 255]");
}

void create_folder(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    throw InputError(dir.string(), "", "cannot create the folder" + (error ? ": " + error.message() : ""));
  }
}

struct DepthRange {
  float near = std::numeric_limits<float>::infinity(), far = 0.f;
  void add(const DepthRange& o) {
    near = std::min(near, o.near);
    far = std::max(far, o.far);
  }
};

DepthRange depth_range(const std::vector<float>& depth) {
  DepthRange r;
  for (float d : depth) {
    if (d <= 0.f) continue;
    r.near = std::min(r.near, d);
    r.far = std::max(r.far, d);
  }
  return r;
}

// The keys a varied training view adds to its frame, so a reader knows what changed.
nlohmann::json variation_keys(const SceneDescription& d, const PlannedView& view) {
  nlohmann::json extra = nlohmann::json::object();
  if (d.variations.any_appearance()) {
    extra["exposure"] = json_number(view.exposure);
    extra["light_scale"] = json_number(view.light_scale);
    extra["light_tint"] = json_number(view.light_tint);
  }
  if (d.variations.transient_fraction > 0.f) extra["transient_count"] = static_cast<int>(view.transients.size());
  return extra;
}

// Levels of the multires/ folder: 1, 2, 4, ... while the image keeps at least one pixel.
std::vector<int> multires_factors(const SceneDescription& d, int resolution) {
  std::vector<int> factors;
  for (int level = 0, f = 1; level < d.multiscale_levels && f <= resolution; ++level, f *= 2) factors.push_back(f);
  return factors.size() > 1 ? factors : std::vector<int>{};
}

void write_multires_transforms(const fs::path& root, const SceneDescription& d, const PlannedSplit& split,
                               const std::vector<int>& factors, int resolution) {
  std::vector<FrameRecord> frames;
  for (size_t v = 0; v < split.views.size(); ++v) {
    for (int f : factors) {
      const std::string stem = view_stem(static_cast<int>(v));
      FrameRecord record;
      record.stem =
          f == 1 ? "../" + split.name + "/" + stem : "./" + split.name + "/" + stem + "_d" + std::to_string(f);
      record.pose = split.views[v].written_pose;
      record.extra = {{"w", resolution / f}, {"h", resolution / f}, {"downscale", f}, {"lossmult", f * f}};
      frames.push_back(record);
    }
  }
  const nlohmann::json extra = {
      {"scene", d.info.name},
      {"protocol",
       "multiscale Blender (Mip-NeRF): every view at full, 1/2, 1/4, ... resolution, box-filtered; "
       "lossmult = downscale^2 weighs each pixel by its area in full-resolution pixels"}};
  write_transforms_file((root / "multires" / ("transforms_" + split.name + ".json")).string(), d.rig.camera_angle_x,
                        frames, extra);
}

bool holds_dataset(const FolderContents& c) {
  for (const std::string& e : c.entries)
    if (e == kSceneMarkerFile || e == "transforms.json" || (e.rfind("transforms_", 0) == 0 && e.size() > 16) ||
        e == "poses_bounds.npy")
      return true;
  return false;
}

}  // namespace

void check_scene_folder(const std::string& out_dir, bool overwrite) {
  const FolderContents c = folder_contents(out_dir);
  if (!c.exists || (c.is_folder && c.empty())) return;
  if (!c.is_folder) throw InputError(out_dir, "", "is a file, not a folder for the scene: choose another --out");
  if (!holds_dataset(c))
    throw InputError(out_dir, "", "is not empty and holds no dataset (" + list_some(c.entries) +
                                      "): choose another --out (--overwrite replaces only a dataset folder)");
  if (!overwrite)
    throw InputError(out_dir, "", "holds a dataset already (" + list_some(c.entries) +
                                      "): pass --overwrite to replace it, or choose another --out");
}

nlohmann::json scene_marker(const std::string& name_or_path, const SceneOptions& o) {
  return {{"scene", name_or_path},
          {"resolution", o.resolution},
          {"train_views", o.train_views},
          {"val_views", o.val_views},
          {"test_views", o.test_views},
          {"samples_per_pixel", o.samples_per_pixel},
          {"seed", static_cast<int64_t>(o.seed)}};
}

bool ensure_scene(const std::string& name_or_path, const std::string& dir, const SceneOptions& options,
                  bool replace_made_scene) {
  const nlohmann::json want = scene_marker(name_or_path, options);
  const FolderContents c = folder_contents(dir);
  if (!c.exists || (c.is_folder && c.empty())) {
    make_scene(name_or_path, dir, options);
    return true;
  }
  const fs::path marker = fs::path(dir) / kSceneMarkerFile;
  std::error_code ec;
  if (!c.is_folder || !fs::exists(marker, ec))
    throw InputError(dir, "", std::string("holds other content than a made scene (") + list_some(c.entries) +
                                  ", no " + kSceneMarkerFile + "): not making the scene '" + name_or_path +
                                  "' over it; choose another folder");
  nlohmann::json have;
  try {
    have = json_fields::read_json_file(marker.string());
  } catch (const InputError&) {
    have = nullptr;  // an unreadable marker: some other content
  }
  if (have == want) return false;
  std::string differs;
  for (const auto& [key, value] : want.items()) {
    const nlohmann::json other = have.is_object() && have.contains(key) ? have.at(key) : nlohmann::json();
    if (other != value) differs += (differs.empty() ? "" : ", ") + key + " " + other.dump() + " -> " + value.dump();
  }
  if (replace_made_scene) {
    make_scene(name_or_path, dir, options, true);
    return true;
  }
  throw InputError(marker.string(), "",
                   "the folder holds another scene than the one asked (" + differs +
                       "): not making it over that one; remove the folder or choose another");
}

std::vector<SceneInfo> list_scenes() {
  std::vector<SceneInfo> infos;
  for (const std::string& name : library_scene_names()) infos.push_back(library_scene_info(name));
  return infos;
}

SceneMade make_scene(const std::string& name_or_path, const std::string& out_dir, const SceneOptions& options,
                     bool overwrite) {
  const SceneDescription d = load_scene(name_or_path);
  check_options(options);
  check_scene_folder(out_dir, overwrite);
  StagedFolder staged(out_dir);  // written here, moved to out_dir at the end
  SceneMade made;
  made.info = d.info;
  made.samples_per_pixel = std::max(options.samples_per_pixel, d.min_samples_per_pixel);
  const int train_views =
      d.max_train_views > 0 ? std::min(options.train_views, d.max_train_views) : options.train_views;
  if (train_views < options.train_views)
    made.notes.push_back("the scene keeps at most " + std::to_string(d.max_train_views) + " training views");

  const std::vector<PlannedSplit> splits = plan_views(d, options, train_views);
  const std::vector<int> factors = multires_factors(d, options.resolution);
  const fs::path root(staged.path());
  for (const PlannedSplit& split : splits) {
    create_folder(root / split.name);
    if (!factors.empty()) create_folder(root / "multires" / split.name);
  }
  struct Job {
    int split, view;
  };
  std::vector<Job> jobs;
  for (int s = 0; s < static_cast<int>(splits.size()); ++s) {
    for (int v = 0; v < static_cast<int>(splits[s].views.size()); ++v) jobs.push_back({s, v});
  }
  std::vector<DepthRange> ranges(jobs.size());
  // One view per task: each is rendered and written by one thread from its planned seed.
  parallel_for(static_cast<int64_t>(jobs.size()), [&](int64_t j) {
    const PlannedSplit& split = splits[jobs[j].split];
    const PlannedView& view = split.views[jobs[j].view];
    const ViewCamera camera = make_view_camera(view.pose, options.resolution, options.resolution, d.rig.camera_angle_x);
    RenderSettings settings;
    settings.samples_per_pixel = made.samples_per_pixel;
    settings.seed = view.seed;
    settings.exposure = view.exposure;
    const RenderedView rendered = render_view(scene_for_view(d.scene, view), camera, settings);
    write_view_images((root / split.name).string(), jobs[j].view, rendered);
    ranges[j] = depth_range(rendered.depth);
    for (int f : factors) {
      if (f == 1) continue;
      write_view_images((root / "multires" / split.name).string(), view_stem(jobs[j].view) + "_d" + std::to_string(f),
                        downscale_view(rendered, f));
    }
  });

  const bool noisy = d.variations.any_pose_noise();
  for (int s = 0; s < static_cast<int>(splits.size()); ++s) {
    const PlannedSplit& split = splits[s];
    DepthRange range;
    std::vector<FrameRecord> frames, true_frames;
    for (size_t j = 0; j < jobs.size(); ++j) {
      if (jobs[j].split == s) range.add(ranges[j]);
    }
    for (size_t v = 0; v < split.views.size(); ++v) {
      FrameRecord record;
      record.stem = "./" + split.name + "/" + view_stem(static_cast<int>(v));
      record.pose = split.views[v].written_pose;
      if (split.name == "train") record.extra = variation_keys(d, split.views[v]);
      frames.push_back(record);
      record.pose = split.views[v].pose;
      true_frames.push_back(record);
    }
    nlohmann::json extra = {{"scene", d.info.name}};
    if (range.far > 0.f) extra["near_far"] = {json_number(range.near), json_number(range.far)};
    if (noisy && split.name == "train") {
      extra["pose_noise"] = {{"rotation_deg", json_number(d.variations.pose_rotation_deg)},
                             {"translation", json_number(d.variations.pose_translation)},
                             {"true_poses", "transforms_train_true.json"}};
      write_transforms_file((root / "transforms_train_true.json").string(), d.rig.camera_angle_x, true_frames,
                            {{"scene", d.info.name}, {"note", "the true poses the train images were rendered from"}});
    }
    write_transforms_file((root / ("transforms_" + split.name + ".json")).string(), d.rig.camera_angle_x, frames,
                          extra);
    if (!factors.empty()) write_multires_transforms(root, d, split, factors, options.resolution);
  }
  if (noisy)
    made.notes.push_back(
        "transforms_train.json holds perturbed poses; the true ones are in transforms_train_true.json");
  if (!factors.empty())
    made.notes.push_back("multires/ holds every view at 1/1 to 1/" + std::to_string(factors.back()) +
                         " resolution (multiscale Blender protocol; per-frame w, h, lossmult)");
  {  // the marker last: it says what the folder holds (ensure_scene)
    std::ofstream marker(root / kSceneMarkerFile);
    marker << scene_marker(name_or_path, options).dump(2) << "\n";
    if (!marker.flush()) throw InputError((fs::path(out_dir) / kSceneMarkerFile).string(), "", "cannot write the file");
  }
  staged.publish();
  made.train_views = static_cast<int>(splits[0].views.size());
  made.val_views = static_cast<int>(splits[1].views.size());
  made.test_views = static_cast<int>(splits[2].views.size());
  return made;
}

}  // namespace nerds::scenes
