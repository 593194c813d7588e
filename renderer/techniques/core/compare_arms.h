// Compare arms: the two settings of one technique that `nerds ablate` trains one after the
// other and the viewer's compare mode trains side by side, from the same seed: arm A with the
// technique off and arm B with it on (issue 15). The arms come from a paper card's toggle, or
// from a free `--compare PARAM[=OFF]` over any method; the method file and the user's --set are
// shared by both. Here the arms' parameter sets, names, scene and budget are worked out once,
// with errors naming the card file and field or the option, for every client.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "renderer/techniques/core/paper_cards.h"
#include "renderer/techniques/core/params.h"

namespace nerds {

// What both arms share: the method (a method file path, a name in scenes/methods/, or "" for
// the defaults) and the user's --set, in order.
struct CompareShared {
  std::string method_file;
  std::vector<std::string> sets;
};

// One arm: its setting of the compared parameter and every parameter it trains with.
struct CompareArm {
  bool on = false;      // false: arm A (the technique off); true: arm B (on)
  std::string setting;  // "encoding.kind=frequency"
  std::string label;    // "off: encoding.kind=frequency", "on: encoding.kind=ipe"
  // Every assignment applied over the method file, in order (the card's with, on_with or
  // off_with, the user's --set, then the setting itself).
  std::vector<std::string> sets;
  ParamSet params;          // the whole parameter set the arm trains with
  std::string method_name;  // the method file's name ("instant_ngp" for the defaults)
};

// Both arms and what they run on.
struct ComparePlan {
  std::string card_id, card_file;  // "" for a free compare given no card
  int toggle_index = -1;           // the card's toggle; -1 for a free compare
  // The compared setting: the card's toggle, or for a free compare one made of PARAM, its off
  // value and the method's value as "on" (what = "PARAM = ON (the method's) vs OFF").
  PaperToggle toggle;
  CompareArm a, b;  // a: off, b: on
  // The sample scene (`nerds scene list`): the toggle's, else the card's; "" for a free
  // compare given no card (the client's own data).
  std::string scene;
};

// Arm A (off) and arm B (on) of the card's toggle `toggle_choice` (its parameter, PARAM=OFF
// when several toggles share one parameter, or "" for the main toggle; see find_toggle). Each
// arm's parameters: the method file, then the toggle's `with` and the arm's `on_with` or
// `off_with` (an error names the card file and field), then the user's --set (which win over
// the card's), then the toggle itself (which wins over any --set of the same key). Throws
// InputError: "--toggle" for a choice the card has not, "--paper" for a toggle the engine
// cannot run yet, the method or --set for a bad one.
ComparePlan plan_card_compare(const PaperCard& card, const std::string& toggle_choice, const CompareShared& shared);

// A free compare, `--compare PARAM[=OFF]`: arm A gets PARAM=OFF, arm B keeps the method's value
// of PARAM (after the shared --set); both get the shared --set first. Without "=OFF" the
// parameter must be a bool, and arm A gets the opposite of the method's value. With a card
// (may be null) the arms run on the card's scene. Throws InputError("--compare", ...) for an
// unknown parameter, a bad value, or an OFF equal to the method's value (the arms would be one).
ComparePlan plan_free_compare(const std::string& spec, const CompareShared& shared, const PaperCard* card);

// The arms' budget when the user gives none: the card toggle's own (its `seconds` / `steps`,
// the paper's comparison at equal training time), else none (0: the client's default).
struct CompareBudget {
  double seconds = 0.0;
  int64_t steps = 0;
  std::string from;  // "command line", the card's file, or "default"
};
CompareBudget compare_budget(const ComparePlan& plan, double user_seconds, int64_t user_steps);

// The sample scene as compare mode and `nerds ablate` make it: small enough to train two arms
// on 2 CPU cores, and the size the cards' guided steps are written for.
constexpr int kCompareSceneResolution = 100;
constexpr int kCompareSceneTrainViews = 100;
constexpr int kCompareSceneTestViews = 20;

// The folder the arms train and test on, of a made sample scene at `scene_dir`: its multires/
// folder when it has one (Mip-NeRF's multiscale protocol: every view at 1/1 to 1/8 size, test
// frame 4k + l is view k at 1/2^l), else the scene folder itself.
std::string compare_data_folder(const std::string& scene_dir);

}  // namespace nerds
