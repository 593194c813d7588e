// The paper cards (papers/*.json, read by renderer/techniques/core/paper_cards.cpp): the real cards
// have every field filled, well-formed toggles whose settings are valid parameters, scenes of
// the project's list and code paths that exist, and the facts issue 12 corrected; each file
// round-trips through the reader; a malformed card is an error naming file and field; a card
// added as a file is listed with no C++; lookups by id and title.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/core/paper_cards.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"
#include "tests/test_support/real_paper_cards.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using nerds_test::kPapersDir;
using nerds_test::real_card;
using nerds_test::real_cards;
using nerds_test::paper_card_error;


// The sample scene names of issue 4 (`nerds scene list`).
const std::set<std::string> kSceneNames = {"default", "glossy",     "multiscale",  "unbounded", "forward",
                                           "fine",    "appearance", "noisy-poses", "sparse"};

bool filled(const std::string& s) { return s.find_first_not_of(" \t\n") != std::string::npos; }



}  // namespace

TEST_CASE("paper cards: every field of the real cards is filled") {
  const std::vector<nerds::PaperCard>& cards = real_cards();
  REQUIRE(cards.size() >= 3);
  std::set<std::string> ids;
  int last_year = 0;
  for (const nerds::PaperCard& c : cards) {
    INFO("card " << c.id);
    CHECK(ids.insert(c.id).second);  // unique
    CHECK(fs::path(c.file).filename() == c.id + ".json");
    for (const std::string* field : {&c.id, &c.title, &c.venue, &c.source, &c.idea, &c.scene, &c.scene_why})
      CHECK(filled(*field));
    REQUIRE_FALSE(c.authors.empty());
    CHECK(c.year >= 2020);
    CHECK(c.year <= 2030);
    CHECK(c.year >= last_year);  // publication order
    last_year = c.year;
    CHECK(c.source.find("arXiv") != std::string::npos);  // where the numbers come from
    REQUIRE_FALSE(c.equations.empty());
    for (const std::string& e : c.equations) {  // each with the paper's numbering
      INFO("equation " << e);
      CHECK((e.rfind("Eq. ", 0) == 0 || e.rfind("Sec. ", 0) == 0 || e.rfind("App. ", 0) == 0));
    }
    REQUIRE_FALSE(c.code.empty());
    for (const std::string& path : c.code) {
      INFO("code path " << path);
      CHECK(fs::is_regular_file(fs::path(NERDS_SOURCE_DIR) / path));
    }
    REQUIRE_FALSE(c.toggles.empty());
    for (const nerds::PaperToggle& t : c.toggles) {
      INFO("toggle " << t.param << "=" << t.off);
      CHECK(t.on != t.off);
      if (!t.scene.empty()) CHECK(kSceneNames.count(t.scene) == 1);
      // The settings on the card are valid assignments of declared parameters, and not of the
      // toggled one.
      for (const std::vector<std::string>* list : {&t.with, &t.on_with, &t.off_with})
        for (const std::string& w : *list) {
          INFO("setting " << w);
          nerds::ParamSet params = nerds::default_method_params();
          CHECK_NOTHROW(params.set_from_string(w, "card"));
          CHECK(w.rfind(t.param + "=", 0) != 0);
        }
    }
    CHECK(kSceneNames.count(c.scene) == 1);
    REQUIRE_FALSE(c.numbers.empty());
    for (const nerds::PaperNumber& n : c.numbers) {
      CHECK(filled(n.what));
      CHECK(filled(n.value));
      // A source tag of ../shared/design/PAPERS.md: [S4] for a paper, [ZA] / [ZR] for Zip-NeRF's abstract and code.
      CHECK(n.source.find('[') == 0);
      CHECK(n.source.find(']') != std::string::npos);
    }
    // The idea is two or three sentences.
    size_t sentences = 0;
    for (size_t i = 0; i + 1 < c.idea.size(); ++i) sentences += c.idea[i] == '.' && c.idea[i + 1] == ' ';
    sentences += c.idea.back() == '.';
    CHECK(sentences >= 2);
    CHECK(sentences <= 3);
  }
  for (const char* id : {"nerf", "mip-nerf", "instant-ngp"}) CHECK(ids.count(id) == 1);
}

TEST_CASE("paper cards: each real file is read whole (its JSON round-trips through the reader)") {
  for (const nerds::PaperCard& c : real_cards()) {
    INFO("card " << c.file);
    std::ifstream in(c.file);
    const json file = json::parse(in);
    CHECK(json(json::parse(nerds::paper_card_json(c).dump())) == file);
  }
}

TEST_CASE("paper cards: the facts issue 12 corrected") {
  const nerds::PaperCard& nerf = real_card("nerf");
  CHECK(nerf.toggles[0].paper.find("Table 2 (Sec. 6.4; per scene: App. Table 6)") != std::string::npos);
  bool sec_53 = false;
  for (const std::string& e : nerf.equations)
    sec_53 = sec_53 || e.find("N_c = 64, N_f = 128: Sec. 5.3") != std::string::npos;
  CHECK(sec_53);
  CHECK(nerf.numbers[1].what.find("5 LLFF scenes plus 3 new captures") != std::string::npos);

  const nerds::PaperCard& mip = real_card("mip-nerf");
  bool eq14 = false, eq15 = false;
  for (const std::string& e : mip.equations) {
    eq14 = eq14 || e.rfind("Eq. 14 (IPE)", 0) == 0;
    eq15 = eq15 || e.rfind("Eq. 15: diag(Sigma_gamma)", 0) == 0;
  }
  CHECK(eq14);
  CHECK(eq15);
  CHECK(mip.toggles[0].paper.find("29.876 / 32.160 / 33.679 / 29.647") != std::string::npos);
  CHECK(mip.toggles[0].paper.find("+2.75 / +2.18 / +1.79 / +5.96 dB") != std::string::npos);

  const nerds::PaperCard& ngp = real_card("instant-ngp");
  bool occupancy = false;
  for (const std::string& e : ngp.equations)
    occupancy = occupancy || (e.find("Sec. 5.4, App. E.1-E.2") == 0 && e.find("every 16 steps") != std::string::npos &&
                              e.find("0.01 * 1024 / sqrt(3)") != std::string::npos);
  CHECK(occupancy);
  // The main toggle is the paper's comparison: equal training time, the paper's frequency network.
  const nerds::PaperToggle& main = ngp.toggles[0];
  CHECK(main.param == "encoding.kind");
  CHECK(main.off == "frequency");
  CHECK(main.seconds == 60.0);
  CHECK(main.off_with == std::vector<std::string>{"encoding.frequencies=16", "field.density_layers=7",
                                                  "field.density_hidden=256", "field.color_layers=1",
                                                  "field.color_hidden=256", "trainer.lr=0.001"});
  CHECK(main.paper.find("32.635 vs frequency 26.669") != std::string::npos);
  CHECK(main.paper.find("33.176 vs 30.056") != std::string::npos);
  for (const nerds::PaperToggle& t : ngp.toggles) {
    if (t.param == "occupancy.enabled") CHECK(t.paper.find("no occupancy-grid on/off ablation") != std::string::npos);
    if (t.param == "encoding.log2_table_size") CHECK(t.paper.find("Fig. 4") == 0);
  }
  REQUIRE_FALSE(ngp.departs.empty());
  CHECK(ngp.departs[0].find("spherical-harmonics view encoding") != std::string::npos);
}

TEST_CASE("paper cards: a toggle is available exactly when both of its settings are valid parameters") {
  const nerds::ParamSet params = nerds::default_method_params();
  std::set<std::string> available;
  for (const nerds::PaperCard& c : real_cards())
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

  // A card may name a parameter that does not exist yet: it is read, and marked unavailable.
  nerds::PaperToggle future;
  future.param = "proposal.enabled";
  future.on = "true";
  future.off = "false";
  CHECK_FALSE(nerds::toggle_available(future, params));
}

TEST_CASE("paper cards: found by id or title, ignoring case and punctuation") {
  const std::vector<nerds::PaperCard>& cards = real_cards();
  REQUIRE(nerds::find_paper_card(cards, "nerf") != nullptr);
  CHECK(nerds::find_paper_card(cards, "NeRF")->id == "nerf");
  CHECK(nerds::find_paper_card(cards, "Mip-NeRF")->id == "mip-nerf");
  CHECK(nerds::find_paper_card(cards, "mipnerf")->id == "mip-nerf");
  CHECK(nerds::find_paper_card(cards, "Instant-NGP")->id == "instant-ngp");
  const nerds::PaperCard& ngp = *nerds::find_paper_card(cards, "instant-ngp");
  CHECK(nerds::find_paper_card(cards, ngp.title) == &ngp);
  CHECK(nerds::find_paper_card(cards, "gaussian splatting") == nullptr);
  CHECK(nerds::find_paper_card(cards, "") == nullptr);
  // The test binary sits in the build folder, below the repository: the search finds papers/.
  CHECK(fs::equivalent(nerds::find_papers_dir(), kPapersDir));
  CHECK(nerds::find_paper_card("mip-nerf") != nullptr);
}

TEST_CASE("paper cards: a card added as a file is listed, with no C++") {
  nerds_test::TempFolder tmp("paper_cards_new");
  json future = nerds_test::small_paper_card("future-nerf", 2031);
  future["toggles"][0] = {{"param", "proposal.enabled"}, {"on", "true"}, {"off", "false"}, {"what", "to come"}};
  nerds_test::write_paper_card(tmp.path(), "future-nerf", future);
  nerds_test::write_paper_card(tmp.path(), "early", nerds_test::small_paper_card("early", 2019));
  std::ofstream(tmp.path() / "README.md") << "# not a card\n";  // only *.json files are cards
  const std::vector<nerds::PaperCard> cards = nerds::load_paper_cards(tmp.str());
  REQUIRE(cards.size() == 2);
  CHECK(cards[0].id == "early");  // publication order
  CHECK(cards[1].id == "future-nerf");
  CHECK(cards[0].authors == std::vector<std::string>{"A. Author", "B. Author"});
  CHECK(cards[0].toggles[0].off_with == std::vector<std::string>{"field.density_layers=2"});
  CHECK(cards[0].toggles[0].steps == 3);
  CHECK_FALSE(nerds::toggle_available(cards[1].toggles[0], nerds::default_method_params()));
  CHECK(nerds::find_paper_card(cards, "Future NeRF") == &cards[1]);
  CHECK(nerds::find_paper_card(nerds::paper_cards(tmp.str()), "early") != nullptr);

  // NERDS_PAPERS_DIR overrides the search.
  {
    const nerds_test::PapersDirOverride here(tmp.path());
    CHECK(nerds::find_papers_dir() == tmp.str());
  }
  {
    const nerds_test::PapersDirOverride missing(tmp.path() / "missing");
    CHECK_THROWS_AS(nerds::find_papers_dir(), nerds::InputError);
  }
}

TEST_CASE("paper cards: a malformed card is an error naming the file and the field") {
  const auto check_error = [](const json& card, const std::string& field, const std::string& why) {
    const std::string message = paper_card_error(card);
    INFO(message);
    CHECK(message.find("broken.json: " + field + ": " + why) != std::string::npos);
  };
  json card = nerds_test::small_paper_card("broken", 2020);
  CHECK(paper_card_error(card).empty());  // the unbroken card reads

  json unknown = card;
  unknown["headline"] = "31.01";
  check_error(unknown, "headline", "unknown field");
  json unknown_in_toggle = card;
  unknown_in_toggle["toggles"][0]["off_width"] = json::array();
  check_error(unknown_in_toggle, "toggles[0].off_width", "unknown field");

  json wrong_type = card;
  wrong_type["year"] = "2020";
  check_error(wrong_type, "year", "expected an integer");
  json wrong_element = card;
  wrong_element["equations"] = {"Eq. 1", 2};
  check_error(wrong_element, "equations[1]", "expected a string");
  json wrong_seconds = card;
  wrong_seconds["toggles"][0]["seconds"] = "60";
  check_error(wrong_seconds, "toggles[0].seconds", "expected a number");
  json zero_steps = card;
  zero_steps["toggles"][0]["steps"] = 0;
  check_error(zero_steps, "toggles[0].steps", "must be a positive number of steps");
  json bad_setting = card;
  bad_setting["toggles"][0]["on_with"] = {"field.density_layers"};
  check_error(bad_setting, "toggles[0].on_with[0]", "'field.density_layers' is not a setting module.key=value");

  json missing = card;
  missing.erase("title");
  check_error(missing, "title", "missing required string");
  json missing_in_toggle = card;
  missing_in_toggle["toggles"][0].erase("what");
  check_error(missing_in_toggle, "toggles[0].what", "missing required string");
  json no_numbers = card;
  no_numbers["numbers"] = json::array();
  check_error(no_numbers, "numbers", "must quote at least one");

  json repeated = card;  // a second toggle --toggle could not name
  repeated["toggles"].push_back(repeated["toggles"][0]);
  check_error(repeated, "toggles[1]", "repeats toggles[0]");
  repeated["toggles"][1]["scene"] = "unbounded";  // on another scene it is named PARAM=OFF@unbounded
  CHECK(paper_card_error(repeated).empty());

  json other_id = card;
  other_id["id"] = "another";
  check_error(other_id, "id", "'another' must be the file's name (broken)");

  // The error reaches the folder's reader too.
  nerds_test::TempFolder tmp("paper_cards_broken");
  nerds_test::write_paper_card(tmp.path(), "broken", missing);
  CHECK_THROWS_WITH_AS(nerds::load_paper_cards(tmp.str()),
                       doctest::Contains("broken.json: title: missing required string"), nerds::InputError);
}

TEST_CASE("paper cards: --toggle names a toggle by parameter, off setting and scene") {
  const nerds::PaperCard& zip = real_card("zip-nerf");
  REQUIRE(zip.toggles.size() >= 3u);
  CHECK(nerds::find_toggle(zip, "") == 0);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight") == 0);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight=false") == 0);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight=false@multiscale") == 0);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight=false@unbounded") == 2);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight@unbounded") == 2);
  CHECK(nerds::find_toggle(zip, "encoding.zip_multisample") == 1);
  CHECK(nerds::find_toggle(zip, "encoding.zip_downweight=false@fine") == -1);
  const std::string choices = nerds::toggle_choices(zip);
  INFO(choices);
  CHECK(choices.find("encoding.zip_downweight=false@unbounded") != std::string::npos);
  CHECK(choices.find("encoding.zip_multisample=false,") != std::string::npos);  // unique: no scene
}
