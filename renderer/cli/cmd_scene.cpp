// `nerds scene list` and `nerds scene make NAME --out DIR`: the project's own sample scenes,
// rendered by the CPU ray tracer into NeRF-synthetic folders (scenes/generator/).
#include <chrono>
#include <cstdio>
#include <memory>

#include "renderer/cli/cli_common.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::cli {

namespace {

struct SceneArgs {
  std::string name, out;
  scenes::SceneOptions options;
  int64_t seed = 1;
};

int run_list() {
  for (const scenes::SceneInfo& s : scenes::list_scenes())
    std::printf("%s\n  purpose: %s\n  papers:  %s\n", s.name.c_str(), s.purpose.c_str(), s.papers.c_str());
  return 0;
}

int run_make(SceneArgs a) {
  if (a.seed < 0 || a.seed > 4294967295LL) throw InputError("--seed", "", "must be in [0, 2^32)");
  a.options.seed = static_cast<uint32_t>(a.seed);
  std::string known;
  bool found = false;
  for (const scenes::SceneInfo& s : scenes::list_scenes()) {
    found |= s.name == a.name;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  if (!found) throw InputError("unknown scene '" + a.name + "' (known: " + known + "; see nerds scene list)");
  std::fprintf(stderr, "nerds: rendering scene '%s' (%dx%d, %d/%d/%d train/val/test views, %d spp) into %s\n",
               a.name.c_str(), a.options.resolution, a.options.resolution, a.options.train_views, a.options.val_views,
               a.options.test_views, a.options.samples_per_pixel, a.out.c_str());
  const auto start = std::chrono::steady_clock::now();
  scenes::make_scene(a.name, a.out, a.options);
  std::printf("made scene '%s' in %s (%.1f s)\n", a.name.c_str(), a.out.c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace

void add_scene_make_options(CLI::App* sub, scenes::SceneOptions* o, int64_t* seed) {
  sub->add_option("--resolution", o->resolution, "width and height of every view in pixels")
      ->check(positive_number())
      ->capture_default_str();
  sub->add_option("--views", o->train_views, "training views")->check(positive_number())->capture_default_str();
  sub->add_option("--val-views", o->val_views, "validation views")->check(non_negative_number())->capture_default_str();
  sub->add_option("--test-views", o->test_views, "test views")->check(positive_number())->capture_default_str();
  sub->add_option("--spp", o->samples_per_pixel, "anti-aliasing samples per pixel")
      ->check(positive_number())
      ->capture_default_str();
  sub->add_option("--seed", *seed, "random seed (same seed, same bytes)")->capture_default_str();
}

Command add_scene_command(CLI::App& app) {
  auto args = std::make_shared<SceneArgs>();
  CLI::App* sub = app.add_subcommand("scene", "the project's sample scenes: list them or make one");
  sub->require_subcommand(1);
  CLI::App* list = sub->add_subcommand("list", "list the sample scenes (name, purpose, papers)");
  CLI::App* make = sub->add_subcommand("make", "render a sample scene into a NeRF-synthetic folder");
  make->add_option("name", args->name, "scene name (see nerds scene list)")->required();
  make->add_option("--out", args->out, "output folder")->required();
  add_scene_make_options(make, &args->options, &args->seed);
  return {sub, [args, list, make]() -> int {
            if (list->parsed()) return run_list();
            if (make->parsed()) return run_make(*args);
            return 0;
          }};
}

}  // namespace nerds::cli
