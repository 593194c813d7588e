// `nerds scene list`, `nerds scene make NAME|FILE.json --out DIR` and `nerds scene
// contact-sheet DIR... --out PNG`: the project's own sample scenes (scenes/library/*.json),
// rendered by the CPU ray tracer into NeRF-synthetic folders (scenes/generator/).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "renderer/data/image_io.h"
#include "renderer/data/json_fields.h"
#include "scenes/generator/contact_sheet.h"
#include "scenes/generator/scene_library.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::cli {

namespace {

namespace fs = std::filesystem;

struct SceneArgs {
  std::string name, out;
  scenes::SceneOptions options;
  int64_t seed = 1;
  bool overwrite = false;
};

struct SheetArgs {
  std::vector<std::string> folders;
  std::string out, split = "test";
  int tile = 144, columns = 3, view = 0;
};

int run_list() {
  for (const scenes::SceneInfo& s : scenes::list_scenes())
    std::printf("%s\n  purpose: %s\n  papers:  %s\n", s.name.c_str(), s.purpose.c_str(), s.papers.c_str());
  std::printf(
      "\nScene files: scenes/library/*.json (format: scenes/library/README.md); "
      "`nerds scene make my_scene.json --out DIR` makes one of your own.\n");
  return 0;
}

int run_make(SceneArgs a) {
  if (a.seed < 0 || a.seed > 4294967295LL) throw InputError("--seed", "", "must be in [0, 2^32)");
  a.options.seed = static_cast<uint32_t>(a.seed);
  scenes::load_scene(a.name);  // a bad name or scene file fails before the message below
  scenes::check_scene_folder(a.out, a.overwrite);  // and so does a folder that holds other content
  std::fprintf(stderr, "nerds: rendering scene '%s' (%dx%d, %d/%d/%d train/val/test views asked) into %s\n",
               a.name.c_str(), a.options.resolution, a.options.resolution, a.options.train_views, a.options.val_views,
               a.options.test_views, a.out.c_str());
  const auto start = std::chrono::steady_clock::now();
  const scenes::SceneMade made = scenes::make_scene(a.name, a.out, a.options, a.overwrite);
  std::printf("made scene '%s' in %s (%d/%d/%d train/val/test views, %d spp, %.1f s)\n", made.info.name.c_str(),
              a.out.c_str(), made.train_views, made.val_views, made.test_views, made.samples_per_pixel,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const std::string& note : made.notes) std::printf("  note: %s\n", note.c_str());
  return 0;
}

// A folder argument: DIR, or DIR:SPLIT:INDEX to pick another view than --split/--view.
struct SheetPick {
  fs::path dir;
  std::string split;
  int view;
};

SheetPick parse_pick(const std::string& arg, const SheetArgs& a) {
  const size_t last = arg.rfind(':');
  const size_t middle = last == std::string::npos || last == 0 ? std::string::npos : arg.rfind(':', last - 1);
  if (middle != std::string::npos) {
    const std::string index = arg.substr(last + 1);
    if (!index.empty() && index.find_first_not_of("0123456789") == std::string::npos && index.size() < 9)
      return {arg.substr(0, middle), arg.substr(middle + 1, last - middle - 1), std::stoi(index)};
  }
  return {arg, a.split, a.view};
}

// One view of each made scene folder, labelled with its scene name, in a grid.
int run_contact_sheet(const SheetArgs& a) {
  std::vector<scenes::SheetTile> tiles;
  for (const std::string& arg : a.folders) {
    const SheetPick pick = parse_pick(arg, a);
    const std::string transforms_file = (pick.dir / ("transforms_" + pick.split + ".json")).string();
    const nlohmann::json transforms = json_fields::read_json_file(transforms_file);
    scenes::SheetTile tile;
    tile.label =
        json_fields::optional_string(transforms, "scene", transforms_file, "").value_or(pick.dir.filename().string());
    tile.image = read_image((pick.dir / pick.split / ("r_" + std::to_string(pick.view) + ".png")).string(), 4);
    tiles.push_back(std::move(tile));
  }
  write_png(a.out, scenes::make_contact_sheet(tiles, a.tile, a.columns));
  std::printf("wrote %s (%zu scenes)\n", a.out.c_str(), tiles.size());
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
  make->add_option("name", args->name, "scene name (see nerds scene list) or path of a scene .json file")->required();
  make->add_option("--out", args->out, "output folder (new or empty; written whole, moved into place at the end)")
      ->required();
  make->add_flag("--overwrite", args->overwrite, "replace the dataset already in --out");
  add_scene_make_options(make, &args->options, &args->seed);
  auto sheet_args = std::make_shared<SheetArgs>();
  CLI::App* sheet = sub->add_subcommand("contact-sheet", "one labelled view of each made scene folder, in a grid PNG");
  sheet
      ->add_option("folders", sheet_args->folders,
                   "scene folders made by nerds scene make; DIR:SPLIT:INDEX picks a view")
      ->required();
  sheet->add_option("--out", sheet_args->out, "PNG file to write")->required();
  sheet->add_option("--split", sheet_args->split, "split the view is taken from")->capture_default_str();
  sheet->add_option("--view", sheet_args->view, "index of the view in that split")
      ->check(non_negative_number())
      ->capture_default_str();
  sheet->add_option("--tile", sheet_args->tile, "tile size in pixels")->check(positive_number())->capture_default_str();
  sheet->add_option("--columns", sheet_args->columns, "tiles per row")->check(positive_number())->capture_default_str();
  return {sub, [args, sheet_args, list, make, sheet]() -> int {
            if (list->parsed()) return run_list();
            if (make->parsed()) return run_make(*args);
            if (sheet->parsed()) return run_contact_sheet(*sheet_args);
            return 0;
          }};
}

}  // namespace nerds::cli
