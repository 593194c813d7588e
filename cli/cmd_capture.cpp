// `nerds capture PHOTOS_DIR|VIDEO --out DIR`: one's own photos or phone video to a dataset
// the engine trains on, as nerfstudio's ns-process-data and instant-ngp's colmap2nerf do.
// Stages (a progress line each): the images (a video's sharpest frame per window, by ffmpeg;
// photos copied), COLMAP's feature extraction (CPU SIFT, one camera for all images), matching
// (sequential for a video, exhaustive for up to kExhaustiveMax photos), mapping; the largest
// model is kept in DIR/sparse/0 and written as DIR/transforms.json (intrinsics and distortion
// of the camera model, camera-to-world OpenGL poses, the scene box from the sparse points:
// colmap_model.h) with the images (1/downscale copies in DIR/images_<N> when asked). DIR
// then loads as a transforms.json dataset (or as a COLMAP folder). DIR/capture_report.json
// and stdout say how many images registered, the mean reprojection error and each stage's time.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/cmd_capture_tools.h"
#include "cli/progress_line.h"
#include "renderer/data/colmap_model.h"
#include "renderer/data/image_io.h"
#include "renderer/data/json_fields.h"

namespace nerds::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kExhaustiveMax = 100;  // exhaustive matching is quadratic: beyond, sequential

struct CaptureArgs {
  std::string input, out;
  int frames = 100;          // a video's target frame count
  int downscale = 1;         // the dataset's images at 1/downscale
  int max_features = 8192;   // SIFT features per image (COLMAP's default)
  int max_image_size = 3200; // SIFT on images at most this large (COLMAP's default)
  std::string matcher = "auto", camera_model = "OPENCV";
  std::vector<std::string> mapper_options;  // extra COLMAP mapper options, KEY=VALUE
  bool overwrite = false;
};

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// One stage: its progress line, its time into the report.
template <typename F>
void stage(int index, const char* name, const std::string& detail, json& times, F run) {
  std::fprintf(stderr, "capture [%d/5] %s%s ...\n", index, name, detail.empty() ? "" : (" (" + detail + ")").c_str());
  const auto start = std::chrono::steady_clock::now();
  run();
  const double s = seconds_since(start);
  times[name] = s;
  std::fprintf(stderr, "capture [%d/5] %s done in %s\n", index, name, format_duration(s).c_str());
}

// The folder COLMAP's mapper wrote with the most registered images (it may split the capture
// into several models), and how many models there were.
fs::path largest_model(const fs::path& sparse, int* models, ColmapModel* best) {
  fs::path best_dir;
  *models = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(sparse, ec)) {
    if (!is_colmap_model_dir(e.path().string())) continue;
    ++*models;
    ColmapModel m = read_colmap_model(e.path().string());
    if (best_dir.empty() || m.images.size() > best->images.size()) *best = std::move(m), best_dir = e.path();
  }
  if (best_dir.empty())
    throw InputError(sparse.string(), "",
                     "COLMAP's mapper made no model: no pair of images had enough matches to start from (film more "
                     "slowly with more overlap and texture, or give more photos)");
  return best_dir;
}

json camera_json(const Intrinsics& k, const std::string& model) {
  const auto f = json_fields::shortest_float;  // "343.74", not 343.7400207519531
  return json{{"camera_model", model}, {"w", k.width},   {"h", k.height},  {"fl_x", f(k.fx)},
              {"fl_y", f(k.fy)},       {"cx", f(k.cx)},  {"cy", f(k.cy)},  {"k1", f(k.k1)},
              {"k2", f(k.k2)},         {"p1", f(k.p1)},  {"p2", f(k.p2)}};
}

Intrinsics downscaled(Intrinsics k, int factor) {  // as load_dataset downscales (floor sizes)
  const float s = 1.f / static_cast<float>(factor);
  k.fx *= s, k.fy *= s, k.cx *= s, k.cy *= s;
  k.width /= factor, k.height /= factor;
  return k;
}

// DIR/transforms.json from the scene; with downscale > 1 the images go to images_<N> too.
void write_dataset(const ColmapScene& scene, const fs::path& out, int downscale) {
  const std::string folder = downscale > 1 ? "images_" + std::to_string(downscale) : "images";
  if (downscale > 1) fs::create_directories(out / folder);
  json frames = json::array();
  for (const ColmapView& v : scene.views) {
    json m = json::array();
    for (int r = 0; r < 3; ++r)
      m.push_back({json_fields::shortest_float(v.pose.m[r][0]), json_fields::shortest_float(v.pose.m[r][1]),
                   json_fields::shortest_float(v.pose.m[r][2]), json_fields::shortest_float(v.pose.m[r][3])});
    m.push_back({0, 0, 0, 1});
    std::string name = v.name;
    if (downscale > 1) {
      name = fs::path(v.name).replace_extension(".png").string();
      write_png((out / folder / name).string(), downscale_image(read_image((out / "images" / v.name).string()), downscale));
    }
    json frame = camera_json(downscaled(v.intrinsics, downscale), "OPENCV");
    frame["file_path"] = folder + "/" + name;
    frame["transform_matrix"] = m;
    frames.push_back(frame);
  }
  const auto f = json_fields::shortest_float;
  json root = {{"aabb_scale", f(scene.aabb_scale)},
               {"scale", f(scene.scale)},
               {"offset", {f(scene.offset.x), f(scene.offset.y), f(scene.offset.z)}},
               {"frames", frames}};
  json_fields::write_json_file((out / "transforms.json").string(), root);
}

int run_capture(const CaptureArgs& a) {
  std::error_code ec;
  const bool video = fs::is_regular_file(a.input, ec);
  if (!video && !fs::is_directory(a.input, ec))
    throw InputError(a.input, "", "not found (give a folder of photos or a video file)");
  const fs::path out(a.out);
  if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    if (!a.overwrite) throw InputError(a.out, "", "is not empty (use --overwrite to replace an earlier capture)");
    // Only an earlier capture is replaced, never a folder of something else given by mistake.
    if (!fs::exists(out / "colmap" / "colmap.log", ec))
      throw InputError(a.out, "", "holds no earlier capture (no colmap/colmap.log): --overwrite replaces only those");
    fs::remove_all(out);
  }
  if (video) capture::require_program("ffmpeg", "to read the video's frames");
  capture::require_program("colmap", "to compute the camera poses");
  const fs::path images = out / "images", work = out / "colmap";
  fs::create_directories(images);
  fs::create_directories(work / "sparse");
  const std::string log = (work / "colmap.log").string();
  const auto total_start = std::chrono::steady_clock::now();
  json times = json::object();

  int count = 0;
  stage(1, "images", video ? "the sharpest frame of each window, " + std::to_string(a.frames) + " asked" : "copying",
        times, [&] {
          if (video) {
            count = capture::extract_sharpest_frames(a.input, a.frames, work.string(), images.string(), log);
            return;
          }
          for (const fs::directory_entry& e : fs::directory_iterator(a.input))
            if (e.is_regular_file() && is_image_file(e.path())) {
              fs::copy_file(e.path(), images / e.path().filename());
              ++count;
            }
        });
  if (count < 2) throw InputError(a.input, "", "holds " + std::to_string(count) + " images: COLMAP needs several");
  std::printf("images: %d\n", count);

  const std::string db = (work / "database.db").string();
  stage(2, "features", std::to_string(count) + " images, CPU SIFT", times, [&] {
    capture::run_logged({"colmap", "feature_extractor", "--database_path", db, "--image_path", images.string(),
                         "--ImageReader.camera_model", a.camera_model, "--ImageReader.single_camera", "1",
                         "--SiftExtraction.use_gpu", "0", "--SiftExtraction.max_num_features",
                         std::to_string(a.max_features), "--SiftExtraction.max_image_size",
                         std::to_string(a.max_image_size)},
                        log, "COLMAP's feature extraction");
  });
  const std::string matcher =
      a.matcher != "auto" ? a.matcher : (video || count > kExhaustiveMax ? "sequential" : "exhaustive");
  stage(3, "matching", matcher, times, [&] {
    capture::run_logged({"colmap", matcher + "_matcher", "--database_path", db, "--SiftMatching.use_gpu", "0"}, log,
                        "COLMAP's " + matcher + " matching");
  });
  stage(4, "mapping", "", times, [&] {
    std::vector<std::string> args = {"colmap", "mapper", "--database_path", db, "--image_path", images.string(),
                                     "--output_path", (work / "sparse").string()};
    for (const std::string& option : a.mapper_options) {
      const size_t eq = option.find('=');
      if (eq == std::string::npos) throw InputError("--mapper-option", "", "'" + option + "' is not KEY=VALUE");
      args.push_back("--" + option.substr(0, eq));
      args.push_back(option.substr(eq + 1));
    }
    capture::run_logged(args, log, "COLMAP's mapping");
  });

  ColmapModel model;
  int models = 0;
  const fs::path chosen = largest_model(work / "sparse", &models, &model);
  const size_t registered = model.images.size();
  json report = {{"input", a.input},
                 {"kind", video ? "video" : "photos"},
                 {"images", count},
                 {"registered", registered},
                 {"models", models},
                 {"points", model.points.size()},
                 {"mean_reprojection_error_px", model.mean_reprojection_error()},
                 {"matcher", matcher},
                 {"camera_model", a.camera_model}};
  if (2 * registered < static_cast<size_t>(count)) {
    report["seconds"] = times;
    json_fields::write_json_file((out / "capture_report.json").string(), report);
    throw InputError(a.input, "",
                     "only " + std::to_string(registered) + " of " + std::to_string(count) +
                         " images registered in COLMAP's largest model (fewer than half): the poses would cover too "
                         "little of the scene. Film more slowly with more overlap, avoid blur, plain walls and "
                         "moving things; the models are in " + (work / "sparse").string());
  }
  stage(5, "dataset", "transforms.json", times, [&] {
    fs::create_directories(out / "sparse");
    fs::copy(chosen, out / "sparse" / "0", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    write_dataset(colmap_scene(model), out, a.downscale);
  });
  report["seconds"] = times;
  report["seconds"]["total"] = seconds_since(total_start);
  json_fields::write_json_file((out / "capture_report.json").string(), report);
  std::printf("registered: %zu of %d images (%d model%s; the largest kept)\n", registered, count, models,
              models == 1 ? "" : "s");
  std::printf("mean reprojection error: %.3f px over %zu points\n", model.mean_reprojection_error(),
              model.points.size());
  std::printf("dataset: %s (transforms.json; report: capture_report.json)\n", a.out.c_str());
  std::printf("next: nerds train %s --out RUN_DIR\n", a.out.c_str());
  return 0;
}

}  // namespace

Command add_capture_command(CLI::App& app) {
  auto args = std::make_shared<CaptureArgs>();
  CLI::App* cmd = app.add_subcommand(
      "capture", "your own photos or video to a dataset: frames (ffmpeg), poses (COLMAP), transforms.json");
  cmd->add_option("input", args->input, "a folder of photos (JPG/PNG) or a video file")->required();
  cmd->add_option("--out", args->out, "output dataset folder (new or empty)")->required();
  cmd->add_flag("--overwrite", args->overwrite, "replace the earlier capture --out holds");
  cmd->add_option("--frames", args->frames, "a video's target frame count (the sharpest of each window)")
      ->capture_default_str()
      ->check(positive_number(100000));
  cmd->add_option("--downscale", args->downscale, "also write the images at 1/N size and train on those")
      ->capture_default_str()
      ->check(positive_number(64));
  cmd->add_option("--max-features", args->max_features, "SIFT features per image")
      ->capture_default_str()
      ->check(positive_number());
  cmd->add_option("--max-image-size", args->max_image_size, "SIFT runs on images downscaled to at most this")
      ->capture_default_str()
      ->check(positive_number());
  cmd->add_option("--matcher", args->matcher, "auto (sequential for a video, exhaustive for few photos), "
                                              "sequential or exhaustive")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "sequential", "exhaustive"}));
  cmd->add_option("--camera-model", args->camera_model, "COLMAP camera model")
      ->capture_default_str()
      ->check(CLI::IsMember({"SIMPLE_PINHOLE", "PINHOLE", "SIMPLE_RADIAL", "RADIAL", "OPENCV"}));
  cmd->add_option("--mapper-option", args->mapper_options,
                  "an extra option of COLMAP's mapper, KEY=VALUE (e.g. Mapper.init_min_tri_angle=4); repeatable");
  return Command{cmd, [args] { return run_capture(*args); }};
}

}  // namespace nerds::cli
