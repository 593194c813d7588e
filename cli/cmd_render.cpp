// `nerds render`: renders a trained run from new cameras: an orbit around the scene, the
// cameras of a transforms-style file, or a camera path's frames at --fps (camera_path/, as the
// viewer's camera-path panel saves them), optionally encoded into an MP4 by ffmpeg (--video).
// Writes DIR/NNNN.png, DIR/NNNN_depth.png (16-bit, world units * 1000) and DIR/cameras.json.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "camera_path/camera_path_file.h"
#include "cli/cli_common.h"
#include "cli/render_views.h"
#include "cli/video_encoding.h"
#include "renderer/data/image_limits.h"
#include "renderer/error.h"

namespace nerds::cli {

namespace {

struct RenderArgs {
  std::string run, cameras, path, video, out, data, background = "white";
  int orbit = 0, width = 0, height = 0;
  double fps = 30.0;
  bool allow_other_data = false;  // --allow-other-data
};

int run_render(const RenderArgs& a) {
  if ((a.orbit > 0) + !a.cameras.empty() + !a.path.empty() != 1)
    throw InputError("--orbit/--cameras/--path", "", "give exactly one of --orbit N, --cameras FILE and --path FILE");
  if (!a.video.empty() && a.path.empty()) throw InputError("--video", "", "needs --path (a camera path to play)");
  float bg[3] = {1.f, 1.f, 1.f};
  if (a.background == "black") bg[0] = bg[1] = bg[2] = 0.f;
  // A bad path file fails before the run is loaded.
  const CameraPath path = a.path.empty() ? CameraPath{} : read_camera_path(a.path);
  const std::unique_ptr<Engine> engine = load_run(a.run, a.data, "cpu", a.allow_other_data);
  const Dataset& train = engine->train_set();
  const std::vector<RenderCamera> cams =
      a.orbit > 0        ? orbit_cameras(train, a.orbit, a.width, a.height)
      : !a.path.empty()  ? path_cameras(path, a.path, a.fps, train, a.width, a.height)
                         : read_camera_file(a.cameras, train, a.width, a.height);
  const int n = render_cameras(*engine, cams, a.out, bg);
  std::printf("rendered %d views of %s into %s (NNNN.png, NNNN_depth.png: world units x 1000, cameras.json)\n", n,
              a.run.c_str(), a.out.c_str());
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
  sub->add_option("--run", args->run, "run folder (with snapshot.nerds)")->required();
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
