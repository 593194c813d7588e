// `nerds render`: renders a trained run from new cameras: an orbit around the scene, the
// cameras of a transforms-style file, or a camera path's frames at --fps (camera_path/, as the
// viewer's camera-path panel saves them), optionally encoded into an MP4 by ffmpeg (--video).
// Writes DIR/NNNN.png, DIR/NNNN_depth.png (16-bit, world units * 1000) and DIR/cameras.json.
// A compare (--run-b, e.g. the two arms of a viewer compare session) renders both models from
// the same cameras into DIR/a and DIR/b and writes DIR/NNNN.png as A | B side by side.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "camera_path/camera_path_file.h"
#include "cli/cli_common.h"
#include "cli/render_views.h"
#include "cli/side_by_side_image.h"
#include "cli/video_encoding.h"
#include "renderer/data/image_io.h"
#include "renderer/data/image_limits.h"
#include "renderer/error.h"

namespace nerds::cli {

namespace {

struct RenderArgs {
  std::string run, run_b, cameras, path, video, out, data, background = "white";
  int orbit = 0, width = 0, height = 0;
  double fps = 30.0;
  bool allow_other_data = false;  // --allow-other-data
};

// A run folder (RUN/snapshot.nerds) or a snapshot file itself (a viewer session's NAME.nerds
// and, for a compare session, arm B's NAME-b.nerds).
std::unique_ptr<Engine> load_run_or_snapshot(const std::string& run, const RenderArgs& a) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(run, ec))
    return Engine::load(run, a.data.empty() ? "" : absolute_path(a.data), "cpu", a.allow_other_data);
  return load_run(run, a.data, "cpu", a.allow_other_data);
}

std::vector<RenderCamera> cameras_for(const Engine& engine, const CameraPath& path, const RenderArgs& a) {
  const Dataset& train = engine.train_set();
  return a.orbit > 0        ? orbit_cameras(train, a.orbit, a.width, a.height)
         : !a.path.empty()  ? path_cameras(path, a.path, a.fps, train, a.width, a.height)
                            : read_camera_file(a.cameras, train, a.width, a.height);
}

// Both arms from the same cameras (each mapped into its own engine's frame) into out/a and
// out/b, then out/NNNN.png = a | b. Returns the number of frames.
int render_compare(const RenderArgs& a, const CameraPath& path, const float bg[3]) {
  const std::unique_ptr<Engine> engine_a = load_run_or_snapshot(a.run, a);
  const std::unique_ptr<Engine> engine_b = load_run_or_snapshot(a.run_b, a);
  const std::vector<RenderCamera> cams_a = cameras_for(*engine_a, path, a);
  const std::vector<RenderCamera> cams_b = cameras_for(*engine_b, path, a);
  const Intrinsics& ka = cams_a.front().intrinsics;
  const Intrinsics& kb = cams_b.front().intrinsics;
  if (cams_a.size() != cams_b.size() || ka.width != kb.width || ka.height != kb.height)
    throw InputError("--run-b", "",
                     a.run_b + " gives " + std::to_string(cams_b.size()) + " frames of " + std::to_string(kb.width) +
                         "x" + std::to_string(kb.height) + ", --run " + a.run + " " + std::to_string(cams_a.size()) +
                         " of " + std::to_string(ka.width) + "x" + std::to_string(ka.height) +
                         ": compare two runs of the same scene, or give --width/--height");
  const std::filesystem::path out(a.out);
  const int n = render_cameras(*engine_a, cams_a, (out / "a").string(), bg);
  render_cameras(*engine_b, cams_b, (out / "b").string(), bg);
  for (int i = 0; i < n; ++i) {
    const std::string name = frame_name(i) + ".png";
    write_png((out / name).string(), side_by_side({read_image((out / "a" / name).string(), 3),
                                                   read_image((out / "b" / name).string(), 3)}));
  }
  std::printf("rendered %d views of %s (A, left) and %s (B, right) into %s (NNNN.png: A | B; a/ and b/: each "
              "arm's NNNN.png, NNNN_depth.png, cameras.json)\n",
              n, a.run.c_str(), a.run_b.c_str(), a.out.c_str());
  return n;
}

int run_render(const RenderArgs& a) {
  if ((a.orbit > 0) + !a.cameras.empty() + !a.path.empty() != 1)
    throw InputError("--orbit/--cameras/--path", "", "give exactly one of --orbit N, --cameras FILE and --path FILE");
  if (!a.video.empty() && a.path.empty()) throw InputError("--video", "", "needs --path (a camera path to play)");
  if (!a.run_b.empty() && a.run_b == a.run)
    throw InputError("--run-b", "", "is the same as --run (" + a.run + "): give the other arm's run or snapshot");
  float bg[3] = {1.f, 1.f, 1.f};
  if (a.background == "black") bg[0] = bg[1] = bg[2] = 0.f;
  // A bad path file fails before the run is loaded.
  const CameraPath path = a.path.empty() ? CameraPath{} : read_camera_path(a.path);
  int n = 0;
  if (!a.run_b.empty()) {
    n = render_compare(a, path, bg);
  } else {
    const std::unique_ptr<Engine> engine = load_run_or_snapshot(a.run, a);
    n = render_cameras(*engine, cameras_for(*engine, path, a), a.out, bg);
    std::printf("rendered %d views of %s into %s (NNNN.png, NNNN_depth.png: world units x 1000, cameras.json)\n", n,
                a.run.c_str(), a.out.c_str());
  }
  if (!a.video.empty()) {
    const std::filesystem::path parent = std::filesystem::path(a.video).parent_path();
    if (!parent.empty()) make_folder(parent.string());
    encode_video(a.out, n, a.fps, a.video);
    std::printf("encoded them into %s (%g fps)\n", a.video.c_str(), a.fps);
  }
  return 0;
}

}  // namespace

Command add_render_command(CLI::App& app) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* sub = app.add_subcommand("render", "render a trained run from an orbit or a camera file");
  sub->add_option("--run", args->run, "run folder (with snapshot.nerds), or a snapshot file (a viewer session's NAME.nerds)")
      ->required();
  sub->add_option("--run-b", args->run_b,
                  "compare: a second run folder or snapshot, rendered from the same cameras; DIR/NNNN.png (and --video) "
                  "show --run left, --run-b right. For a viewer compare session NAME.json: --run NAME.nerds "
                  "--run-b NAME-b.nerds");
  auto* orbit =
      sub->add_option("--orbit", args->orbit, "N cameras on a circle around the scene")->check(orbit_view_count());
  auto* cams = sub->add_option("--cameras", args->cameras, "transforms-style JSON of cameras (world frame)");
  auto* path = sub->add_option("--path", args->path, "camera path JSON (the viewer's camera-path panel saves them)");
  orbit->excludes(cams);
  path->excludes(orbit)->excludes(cams);
  sub->add_option("--fps", args->fps, "frames per second along --path (default 30)")->check(CLI::Range(1.0, 240.0));
  sub->add_option("--video", args->video, "also encode the --path frames into this MP4 file (needs ffmpeg)");
  sub->add_option("--out", args->out, "output folder")->required();
  // Checked here, before a run is loaded or a pixel allocated (image_limits.h).
  sub->add_option("--width", args->width, "image width (default: the training images')")
      ->check(CLI::Range(1, kMaxImageSide));
  sub->add_option("--height", args->height, "image height (default: keeps the aspect ratio)")
      ->check(CLI::Range(1, kMaxImageSide));
  sub->add_option("--background", args->background, "white or black")->check(CLI::IsMember({"white", "black"}));
  sub->add_option("--data", args->data, "dataset folder, when it moved since training");
  add_allow_other_data_option(sub, &args->allow_other_data);
  return {sub, [args] { return run_render(*args); }};
}

}  // namespace nerds::cli
