// The paper cards (renderer/techniques/paper_cards.cpp): every field filled, the required
// papers present, toggles well-formed (and valid values where the parameter is declared),
// scenes from the project's scene list, code paths that exist, lookups by id and title.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/modules.h"
#include "renderer/techniques/paper_cards.h"

namespace fs = std::filesystem;

namespace {

// The sample scene names of issue 4 (`nerds scene list`).
const std::set<std::string> kSceneNames = {"default", "glossy",     "multiscale",  "unbounded", "forward",
                                           "fine",    "appearance", "noisy-poses", "sparse"};

bool filled(const std::string& s) { return s.find_first_not_of(" \t\n") != std::string::npos; }

}  // namespace

TEST_CASE("paper cards: every field is filled") {
  const std::vector<nerds::PaperCard>& cards = nerds::paper_cards();
  REQUIRE(cards.size() >= 3);
  std::set<std::string> ids;
  for (const nerds::PaperCard& c : cards) {
    INFO("card " << c.id);
    CHECK(ids.insert(c.id).second);  // unique
    for (const std::string* field :
         {&c.id, &c.title, &c.authors, &c.venue, &c.idea, &c.scene, &c.scene_why, &c.headline, &c.headline_source})
      CHECK(filled(*field));
    CHECK(c.year >= 2020);
    CHECK(c.year <= 2030);
    REQUIRE_FALSE(c.equations.empty());
    for (const std::string& e : c.equations) CHECK(filled(e));
    REQUIRE_FALSE(c.code.empty());
    for (const std::string& path : c.code) {
      INFO("code path " << path);
      CHECK(fs::is_regular_file(fs::path(NERDS_SOURCE_DIR) / path));
    }
    REQUIRE_FALSE(c.toggles.empty());
    for (const nerds::PaperToggle& t : c.toggles) {
      INFO("toggle " << t.param);
      CHECK(t.param.find('.') != std::string::npos);
      CHECK(t.param.find('.') == t.param.rfind('.'));  // module.key
      CHECK(filled(t.on));
      CHECK(filled(t.off));
      CHECK(t.on != t.off);
      CHECK(filled(t.what));
      if (!t.scene.empty()) CHECK(kSceneNames.count(t.scene) == 1);
      // The settings both arms share are valid assignments of declared parameters, and not
      // of the toggled one.
      nerds::ParamSet params = nerds::default_method_params();
      for (const std::string& w : t.with) {
        INFO("with " << w);
        CHECK_NOTHROW(params.set_from_string(w, "card"));
        CHECK(w.rfind(t.param + "=", 0) != 0);
      }
    }
    CHECK(kSceneNames.count(c.scene) == 1);
    CHECK(c.headline_source.find("arXiv") != std::string::npos);  // where the number comes from
    // The idea is two or three sentences.
    size_t sentences = 0;
    for (size_t i = 0; i + 1 < c.idea.size(); ++i) sentences += c.idea[i] == '.' && c.idea[i + 1] == ' ';
    sentences += c.idea.back() == '.';
    CHECK(sentences >= 2);
    CHECK(sentences <= 3);
  }
  for (const char* id : {"nerf", "mip-nerf", "instant-ngp"}) CHECK(ids.count(id) == 1);
}

TEST_CASE("paper cards: a toggle is available exactly when both of its settings are valid parameters") {
  const nerds::ParamSet params = nerds::default_method_params();
  std::set<std::string> available;
  for (const nerds::PaperCard& c : nerds::paper_cards())
    for (const nerds::PaperToggle& t : c.toggles) {
      INFO("card " << c.id << " toggle " << t.param << "=" << t.on << "|" << t.off);
      nerds::ParamSet copy = params;
      bool both = params.has(t.param);
      if (both) {
        try {
          copy.set_from_string(t.param + "=" + t.on);
          copy.set_from_string(t.param + "=" + t.off);
        } catch (const nerds::InputError&) {
          both = false;
        }
      }
      CHECK(nerds::toggle_available(t, params) == both);
      if (both) available.insert(c.id + ":" + t.param + "=" + t.on);
    }
  // What the engine runs today: Instant-NGP's hash grid against NeRF's frequencies, NeRF's
  // encoding against none, Mip-NeRF's IPE against NeRF's encoding, and the occupancy grid on
  // and off.
  CHECK(available.count("instant-ngp:encoding.kind=hash") == 1);
  CHECK(available.count("nerf:encoding.kind=frequency") == 1);
  CHECK(available.count("mip-nerf:encoding.kind=ipe") == 1);
  CHECK(available.count("instant-ngp:occupancy.enabled=true") == 1);
}

TEST_CASE("paper cards: found by id or title, ignoring case and punctuation") {
  REQUIRE(nerds::find_paper_card("nerf") != nullptr);
  CHECK(nerds::find_paper_card("NeRF")->id == "nerf");
  CHECK(nerds::find_paper_card("Mip-NeRF")->id == "mip-nerf");
  CHECK(nerds::find_paper_card("mipnerf")->id == "mip-nerf");
  CHECK(nerds::find_paper_card("Instant-NGP")->id == "instant-ngp");
  const nerds::PaperCard& ngp = *nerds::find_paper_card("instant-ngp");
  CHECK(nerds::find_paper_card(ngp.title) == &ngp);
  CHECK(nerds::find_paper_card("gaussian splatting") == nullptr);
  CHECK(nerds::find_paper_card("") == nullptr);
}
