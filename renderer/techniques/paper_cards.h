// Paper cards: what a reviewer reads about each paper the engine reproduces (title, authors,
// the one idea, the equations the modules implement, the parameter to flip to see it, the
// sample scene that shows it best, and the paper's own headline number with its source).
// paper_cards.cpp is the one source of this text: `nerds papers` prints it, the viewer shows
// it. The facts come from ../shared/design/PAPERS.md (its source tags are kept).
#pragma once

#include <string>
#include <vector>

#include "renderer/techniques/params.h"

namespace nerds {

// One module parameter setting that shows the idea: compare `param=on` against `param=off`.
struct PaperToggle {
  std::string param;  // "module.key", as `--set` and method files name it
  std::string on;     // the paper's setting
  std::string off;    // the ablation
  std::string what;   // what the comparison shows
  std::string scene = {};  // the sample scene that shows this toggle, when not the card's
  // Settings both arms share, that the paper pairs with the technique ("sampler.kind=hierarchical"
  // for NDC, as NeRF samples its forward-facing scenes); a user's --set wins over them.
  std::vector<std::string> with = {};
};

struct PaperCard {
  std::string id;  // short lower-case name for `nerds papers NAME`: "nerf", "mip-nerf"
  std::string title;
  std::string authors;
  int year = 0;
  std::string venue;
  std::string idea;                    // two or three sentences
  std::vector<std::string> equations;  // "Eq. 4: gamma(p) = ..."; the numbers are the paper's
  std::vector<std::string> code;       // files implementing the equations (repository paths)
  std::vector<PaperToggle> toggles;    // the first one is the card's main toggle
  std::string scene;                   // sample scene (`nerds scene list`) that shows it best
  std::string scene_why;
  std::string headline;         // the paper's own reported number(s)
  std::string headline_source;  // table and arXiv id it comes from
};

// Every card, in publication order.
const std::vector<PaperCard>& paper_cards();
// The card whose id or title is `name`, ignoring case and punctuation; nullptr when none.
const PaperCard* find_paper_card(const std::string& name);
// True when the engine can run both settings of the toggle now: its parameter is declared
// and accepts both values (a technique still to come is named but not available).
bool toggle_available(const PaperToggle& toggle, const ParamSet& params);

}  // namespace nerds
