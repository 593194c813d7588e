// Paper cards: what a reviewer reads about each paper the engine reproduces (title, authors,
// the one idea, the equations the modules implement, the parameter settings to flip to see it,
// the sample scene that shows it best, and the paper's own numbers with their tables). The
// cards are data: one JSON file per paper in the repository's papers/ folder (its README
// describes the format), read strictly here for `nerds papers`, `nerds ablate`, the viewer and
// the Python module. Adding a card is adding a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/techniques/core/guided_steps.h"
#include "renderer/techniques/core/params.h"

namespace nerds {

// One module parameter setting that shows the idea: compare `param=on` against `param=off`.
struct PaperToggle {
  std::string param;  // "module.key", as `--set` and method files name it
  std::string on;     // the paper's setting
  std::string off;    // the ablation
  std::string what;   // what the comparison shows
  std::string scene;  // the sample scene that shows this toggle, when not the card's
  // Settings ("module.key=value") both arms share, that the paper pairs with the technique
  // ("sampler.kind=hierarchical" for NDC, as NeRF samples its forward-facing scenes), and
  // those only one arm gets (the paper's own baseline network for the `off` arm); a user's
  // --set wins over all of them.
  std::vector<std::string> with, on_with, off_with;
  // The budget of each arm when the user gives none (0: not set); the paper's comparison at
  // equal training time sets `seconds`.
  double seconds = 0.0;
  int64_t steps = 0;
  std::string paper;  // the paper's own result for this comparison, with its table; "" if none
};

// One of the paper's own numbers: "what", its "value" and where it is printed ("[S1] Table 1").
struct PaperNumber {
  std::string what, value, source;
};

struct PaperCard {
  std::string file;  // the card file it was read from
  std::string id;    // = the file's name without .json: "nerf", "mip-nerf"
  std::string title;
  std::vector<std::string> authors;
  int year = 0;
  std::string venue;
  std::string source;                  // source tag, authors' names and arXiv id
  std::string idea;                    // two or three sentences
  std::vector<std::string> equations;  // "Eq. 4: gamma(p) = ..."; the numbers are the paper's
  std::vector<std::string> code;       // files implementing the equations (repository paths)
  std::string scene;                   // sample scene (`nerds scene list`) that shows it best
  std::string scene_why;
  std::vector<PaperToggle> toggles;  // the first one is the card's main toggle
  std::vector<PaperNumber> numbers;  // the first one is the headline
  std::vector<std::string> departs;  // where our protocol departs from the paper's
  std::vector<GuidedStep> steps;     // the viewer's guided walk through the idea (may be empty)
};

// Reads one card file. Strict: a missing or mistyped field, an unknown key, or an id that is
// not the file's name throws InputError naming the file and the field.
PaperCard read_paper_card(const std::string& path);
// Every card (*.json) of `dir`, in publication order (year, then id).
std::vector<PaperCard> load_paper_cards(const std::string& dir);
// The cards' folder: $NERDS_PAPERS_DIR when set, else the first papers/ folder found from the
// working directory or the executable's folder upwards (as method files are found); "" when
// there is none.
std::string find_papers_dir();

// The cards of `dir` ("" = find_papers_dir()), read once per folder and kept for the process.
// Throws InputError when no folder is found or a card is malformed.
const std::vector<PaperCard>& paper_cards(const std::string& dir = "");
// The card whose id or title is `name`, ignoring case and punctuation; nullptr when none.
const PaperCard* find_paper_card(const std::vector<PaperCard>& cards, const std::string& name);
const PaperCard* find_paper_card(const std::string& name);  // in paper_cards()
// The index of the card's toggle named `choice`: its parameter (the first toggle of it), or
// PARAM=OFF when several toggles share one parameter (encoding.kind=frequency vs
// encoding.kind=dense), and PARAM=OFF@SCENE when they share the off setting too and play on
// different scenes (Zip-NeRF's grid on multiscale and on unbounded); "" is the main toggle
// (0). -1 when none matches.
int find_toggle(const PaperCard& card, const std::string& choice);
// The card's toggles as `choice` names them, for messages: "encoding.kind=frequency, ...".
std::string toggle_choices(const PaperCard& card);
// True when the engine can run both settings of the toggle now: its parameter is declared
// and accepts both values (a technique still to come is named but not available).
bool toggle_available(const PaperToggle& toggle, const ParamSet& params);

// The card in its file's form (optional fields only when set); with `params`, each toggle
// also says whether it is "available" with them.
nlohmann::ordered_json paper_card_json(const PaperCard& card, const ParamSet* params = nullptr);

}  // namespace nerds
