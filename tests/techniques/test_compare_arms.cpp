// The compare arms (renderer/techniques/core/compare_arms.h): a card's toggle gives arm A (off)
// and arm B (on) that differ exactly as the card says (the toggle, on_with, off_with; `with`
// in both; the user's --set wins over the card's); a free --compare PARAM[=OFF] gives arm A
// that value and arm B the method's; bad input is an error naming the option or the card file
// and field; the budget comes from the user, else the toggle; a multiscale scene trains on its
// multires/ folder; a compare request (card and toggle, or --compare) gives the arms and
// round-trips through a session's JSON.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/compare_arms.h"
#include "renderer/techniques/core/compare_request.h"
#include "renderer/techniques/core/method_files.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"
#include "tests/test_support/real_paper_cards.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using nerds_test::kPapersDir;
using nerds_test::real_card;



// The parameters whose values differ between the arms.
std::set<std::string> differing(const nerds::ComparePlan& plan) {
  const std::vector<std::string> paths = plan.a.params.changed_since(plan.b.params);
  return {paths.begin(), paths.end()};
}

// A card of our own whose toggle gives both arms and each arm settings.
nerds::PaperCard tiny_card(const nerds_test::TempFolder& tmp) {
  json card = nerds_test::small_paper_card("tiny", 2024);
  card["toggles"][0] = {{"param", "encoding.kind"},
                        {"on", "hash"},
                        {"off", "frequency"},
                        {"what", "per-arm settings reach their arm"},
                        {"with", {"trainer.batch_samples=4096"}},
                        {"on_with", {"encoding.levels=4"}},
                        {"off_with", {"encoding.frequencies=4", "field.density_hidden=32"}},
                        {"steps", 2}};
  card["toggles"][1] = {
      {"param", "occupancy.enabled"}, {"on", "true"}, {"off", "false"}, {"what", "skipping"}, {"scene", "fine"}};
  nerds_test::write_paper_card(tmp.path(), "tiny", card);
  return nerds::read_paper_card((tmp.path() / "tiny.json").string());
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("compare arms: a card's toggle gives arm A off and arm B on, differing exactly as the card says") {
  nerds_test::TempFolder tmp("compare_arms_card");
  const nerds::PaperCard card = tiny_card(tmp);
  const nerds::ComparePlan plan = nerds::plan_card_compare(card, "", {"", {}});
  CHECK(plan.card_id == "tiny");
  CHECK(plan.card_file == card.file);
  CHECK(plan.toggle_index == 0);
  CHECK(plan.scene == "default");  // the card's
  CHECK_FALSE(plan.a.on);
  CHECK(plan.b.on);
  CHECK(plan.a.setting == "encoding.kind=frequency");
  CHECK(plan.b.setting == "encoding.kind=hash");
  CHECK(plan.a.label == "off: encoding.kind=frequency");
  CHECK(plan.b.label == "on: encoding.kind=hash");
  CHECK(plan.a.method_name == "instant_ngp");
  CHECK(plan.a.sets == std::vector<std::string>{"trainer.batch_samples=4096", "encoding.frequencies=4",
                                                "field.density_hidden=32", "encoding.kind=frequency"});
  CHECK(plan.b.sets ==
        std::vector<std::string>{"trainer.batch_samples=4096", "encoding.levels=4", "encoding.kind=hash"});
  // The toggle, on_with's and off_with's keys; `with` is in both, so it does not differ.
  CHECK(differing(plan) ==
        std::set<std::string>{"encoding.kind", "encoding.levels", "encoding.frequencies", "field.density_hidden"});
  CHECK(plan.a.params.get_int("trainer.batch_samples") == 4096);
  CHECK(plan.b.params.get_int("trainer.batch_samples") == 4096);
  CHECK(plan.a.params.get_int("field.density_hidden") == 32);
  CHECK(plan.b.params.get_int("encoding.levels") == 4);

  // The user's --set wins over the card's settings (and is in both arms), the toggle over --set.
  const nerds::ComparePlan user =
      nerds::plan_card_compare(card, "encoding.kind", {"", {"field.density_hidden=48", "encoding.kind=dense"}});
  CHECK(user.a.params.get_int("field.density_hidden") == 48);
  CHECK(user.b.params.get_int("field.density_hidden") == 48);
  CHECK(user.a.params.get_string("encoding.kind") == "frequency");
  CHECK(user.b.params.get_string("encoding.kind") == "hash");
  CHECK(differing(user) == std::set<std::string>{"encoding.kind", "encoding.levels", "encoding.frequencies"});

  // A toggle with a scene of its own plays there.
  const nerds::ComparePlan occupancy = nerds::plan_card_compare(card, "occupancy.enabled", {"", {}});
  CHECK(occupancy.toggle_index == 1);
  CHECK(occupancy.scene == "fine");
  CHECK(differing(occupancy) == std::set<std::string>{"occupancy.enabled"});
}

TEST_CASE("compare arms: the real cards' toggles, chosen by parameter or PARAM=OFF") {
  const nerds::PaperCard& ngp = real_card("instant-ngp");
  const nerds::ComparePlan main = nerds::plan_card_compare(ngp, "", {"", {}});
  CHECK(main.a.setting == "encoding.kind=frequency");
  CHECK(main.b.setting == "encoding.kind=hash");
  // Arm A runs the paper's frequency network (off_with); arm B the tiny MLP.
  CHECK(differing(main) == std::set<std::string>{"encoding.kind", "encoding.frequencies", "field.density_layers",
                                                 "field.density_hidden", "field.color_layers", "field.color_hidden",
                                                 "trainer.lr"});
  CHECK(main.a.params.get_int("field.density_layers") == 7);
  CHECK(main.b.params.get_int("field.density_layers") ==
        nerds::default_method_params().get_int("field.density_layers"));

  const nerds::ComparePlan dense = nerds::plan_card_compare(ngp, "encoding.kind=dense", {"", {}});
  CHECK(dense.toggle_index == 2);
  CHECK(dense.a.setting == "encoding.kind=dense");
  CHECK(differing(dense) == std::set<std::string>{"encoding.kind"});

  const nerds::ComparePlan mip = nerds::plan_card_compare(real_card("mip-nerf"), "", {"", {}});
  CHECK(mip.scene == "multiscale");
  CHECK(mip.a.setting == "encoding.kind=frequency");
  CHECK(mip.b.setting == "encoding.kind=ipe");

  // NeRF's NDC toggle plays on the forward scene, and gives both arms hierarchical sampling.
  const nerds::ComparePlan ndc = nerds::plan_card_compare(real_card("nerf"), "warp.kind", {"", {}});
  CHECK(ndc.scene == "forward");
  CHECK(ndc.a.params.get_string("sampler.kind") == "hierarchical");
  CHECK(ndc.b.params.get_string("sampler.kind") == "hierarchical");
  CHECK(differing(ndc) == std::set<std::string>{"warp.kind"});
}

TEST_CASE("compare arms: a free --compare PARAM[=OFF] gives arm A that value and arm B the method's") {
  const nerds::PaperCard& mip = real_card("mip-nerf");
  const nerds::ComparePlan plan = nerds::plan_free_compare("encoding.kind=frequency", {"", {}}, &mip);
  CHECK(plan.toggle_index == -1);
  CHECK(plan.card_id == "mip-nerf");
  CHECK(plan.scene == "multiscale");  // the card's scene
  CHECK(plan.toggle.param == "encoding.kind");
  CHECK(plan.toggle.off == "frequency");
  CHECK(plan.toggle.on == "hash");  // the default method's value
  CHECK(plan.a.setting == "encoding.kind=frequency");
  CHECK(plan.b.setting == "encoding.kind=hash");
  CHECK(differing(plan) == std::set<std::string>{"encoding.kind"});

  // The shared --set reach both arms; arm B keeps the method's value after them.
  const nerds::ComparePlan ipe = nerds::plan_free_compare(
      " encoding.kind = frequency ", {"", {"encoding.kind=ipe", "encoding.frequencies=6"}}, nullptr);
  CHECK(ipe.card_id.empty());
  CHECK(ipe.scene.empty());  // no card: the client's own data
  CHECK(ipe.b.setting == "encoding.kind=ipe");
  CHECK(ipe.a.sets ==
        std::vector<std::string>{"encoding.kind=ipe", "encoding.frequencies=6", "encoding.kind=frequency"});
  CHECK(ipe.a.params.get_int("encoding.frequencies") == 6);
  CHECK(ipe.b.params.get_int("encoding.frequencies") == 6);
  CHECK(differing(ipe) == std::set<std::string>{"encoding.kind"});

  // A true/false parameter may leave out its value: arm A gets the opposite of the method's.
  const nerds::ComparePlan occupancy = nerds::plan_free_compare("occupancy.enabled", {"", {}}, nullptr);
  CHECK(occupancy.a.setting == "occupancy.enabled=false");
  CHECK(occupancy.b.setting == "occupancy.enabled=true");
  CHECK(nerds::plan_free_compare("occupancy.enabled", {"", {"occupancy.enabled=false"}}, nullptr).a.setting ==
        "occupancy.enabled=true");
  // A method file is shared too.
  const nerds::ComparePlan nerf_method = nerds::plan_free_compare("encoding.kind=none", {"nerf", {}}, nullptr);
  CHECK(nerf_method.a.method_name == nerf_method.b.method_name);
  CHECK(nerf_method.b.setting == "encoding.kind=frequency");
}

TEST_CASE("compare arms: bad input is an error naming the option, or the card file and field") {
  nerds_test::TempFolder tmp("compare_arms_errors");
  const nerds::PaperCard card = tiny_card(tmp);
  const auto card_error = [&](const nerds::PaperCard& c, const std::string& choice, nerds::CompareShared shared) {
    return error_of([&] { nerds::plan_card_compare(c, choice, shared); });
  };
  CHECK(card_error(card, "field.skip_layer", {"", {}}) ==
        "--toggle: 'field.skip_layer' is not a toggle of tiny (its toggles: encoding.kind=frequency, "
        "occupancy.enabled=false)");
  CHECK(card_error(card, "encoding.kind=dense", {"", {}}).find("is not a toggle of tiny") != std::string::npos);
  CHECK(card_error(card, "", {"", {"field.no_such=1"}}).find("--set: field.no_such") == 0);
  CHECK(card_error(card, "", {"no-such-method", {}}).find("no-such-method") == 0);

  nerds::PaperCard bad = card;
  bad.toggles[0].off_with = {"field.density_width=32"};
  CHECK(card_error(bad, "", {"", {}}).find(card.file + ": toggles[0].off_with: field.density_width") == 0);
  nerds::PaperCard future = card;
  future.toggles[0].param = "proposal.enabled";
  future.toggles[0].on = "true";
  future.toggles[0].off = "false";
  CHECK(card_error(future, "", {"", {}}) ==
        "--paper: tiny: its toggle proposal.enabled=true|false is not available in the engine yet (nerds papers tiny)");

  const auto free_error = [](const std::string& spec, nerds::CompareShared shared = {"", {}}) {
    return error_of([&] { nerds::plan_free_compare(spec, shared, nullptr); });
  };
  CHECK(free_error("encodng.kind=frequency").find("--compare: encodng.kind: unknown parameter") == 0);
  CHECK(free_error("encoding.kind").find("--compare: encoding.kind: give arm A's value") == 0);
  CHECK(free_error("encoding.kind=hash").find("'hash' is already the method's value") != std::string::npos);
  CHECK(free_error("encoding.kind=octree").find("--compare: encoding.kind") == 0);
  CHECK(free_error("encoding.levels=99").find("--compare: encoding.levels") == 0);
  CHECK(free_error("=3").find("--compare: expected PARAM or PARAM=OFF_VALUE") == 0);
  CHECK(free_error("occupancy.enabled=1").find("already the method's value") != std::string::npos);
}

TEST_CASE("compare arms: the budget is the user's, else the toggle's, else the client's default") {
  nerds_test::TempFolder tmp("compare_arms_budget");
  const nerds::PaperCard card = tiny_card(tmp);
  const nerds::ComparePlan plan = nerds::plan_card_compare(card, "", {"", {}});
  const nerds::CompareBudget from_card = nerds::compare_budget(plan, 0, 0);
  CHECK(from_card.steps == 2);
  CHECK(from_card.seconds == 0);
  CHECK(from_card.from == card.file);
  const nerds::CompareBudget user = nerds::compare_budget(plan, 30, 0);
  CHECK(user.seconds == 30);
  CHECK(user.steps == 0);
  CHECK(user.from == "command line");
  const nerds::CompareBudget none =
      nerds::compare_budget(nerds::plan_card_compare(card, "occupancy.enabled", {"", {}}), 0, 0);
  CHECK(none.seconds == 0);
  CHECK(none.steps == 0);
  CHECK(none.from == "default");
  CHECK(nerds::compare_budget(nerds::plan_card_compare(real_card("instant-ngp"), "", {"", {}}), 0, 0).seconds == 60);
}

TEST_CASE("compare arms: a scene with a multires/ folder trains on it") {
  nerds_test::TempFolder tmp("compare_arms_data");
  CHECK(nerds::compare_data_folder(tmp.str()) == tmp.str());
  fs::create_directories(tmp.path() / "multires");
  CHECK(nerds::compare_data_folder(tmp.str()) == tmp.str());  // an empty folder is not a dataset
  std::ofstream(tmp.path() / "multires" / "transforms_train.json") << "{}";
  CHECK(nerds::compare_data_folder(tmp.str()) == (tmp.path() / "multires").string());
}

TEST_CASE("compare request: a card and toggle, or a free --compare, to the arms, and to a session's JSON and back") {
  const std::vector<nerds::PaperCard>& cards = nerds::paper_cards(kPapersDir);
  const nerds::ComparePlan card = nerds::plan_compare({"Mip-NeRF", "trainer.area_loss", "", {"", {}}}, cards);
  CHECK(card.card_id == "mip-nerf");
  CHECK(card.toggle_index == 1);
  CHECK(card.a.setting == "trainer.area_loss=false");
  const nerds::ComparePlan main = nerds::plan_compare({"nerf", "", "", {"", {}}}, cards);
  CHECK(main.toggle_index == 0);
  CHECK(main.b.setting == "encoding.kind=frequency");
  const nerds::ComparePlan free = nerds::plan_compare({"mip-nerf", "", "encoding.kind=frequency", {"", {}}}, cards);
  CHECK(free.toggle_index == -1);
  CHECK(free.scene == "multiscale");
  CHECK(free.b.setting == "encoding.kind=hash");
  CHECK(nerds::plan_compare({"", "", "occupancy.enabled", {"", {}}}, cards).scene.empty());

  const auto error = [&](const nerds::CompareRequest& r) { return error_of([&] { nerds::plan_compare(r, cards); }); };
  // The known cards are listed by year, then id (the folder grows, 2021 holds several: only the
  // first one is checked, and that later ones are named).
  const std::string unknown = error({"gaussian-splatting", "", "", {"", {}}});
  CHECK(unknown.rfind("--paper: 'gaussian-splatting' is not a paper card (known: nerf, ", 0) == 0);
  CHECK(unknown.find("mip-nerf") != std::string::npos);
  CHECK(unknown.find("instant-ngp") != std::string::npos);
  CHECK(error({"mip-nerf", "encoding.kind", "encoding.kind=frequency", {"", {}}}).find("not both") !=
        std::string::npos);
  CHECK(error({"", "", "", {"", {}}}) ==
        "--compare: name a paper card (--paper ID) or a parameter (--compare PARAM[=OFF])");
  CHECK(error({"", "encoding.kind", "", {"", {}}}).find("--compare: name a paper card") == 0);

  // A session's form: only what is set, read back the same; strict about keys and types.
  const nerds::CompareRequest request{"mip-nerf", "encoding.kind", "", {"nerf", {"trainer.lr=0.001"}}};
  const nlohmann::ordered_json j = nerds::compare_request_json(request);
  CHECK(j.dump() == R"({"paper":"mip-nerf","toggle":"encoding.kind","method":"nerf","sets":["trainer.lr=0.001"]})");
  const nerds::CompareRequest back = nerds::read_compare_request(json::parse(j.dump()), "s.json", "compare");
  CHECK(back.paper == request.paper);
  CHECK(back.toggle == request.toggle);
  CHECK(back.compare.empty());
  CHECK(back.shared.method_file == "nerf");
  CHECK(back.shared.sets == request.shared.sets);
  CHECK(nerds::compare_request_json({}).dump() == "{}");
  CHECK(error_of([] {
          nerds::read_compare_request(json{{"arm", "a"}}, "s.json", "compare");
        }).find("s.json: compare.arm: unknown field") == 0);
  CHECK(error_of([] {
          nerds::read_compare_request(json{{"sets", "trainer.lr=1"}}, "s.json", "compare");
        }).find("s.json: compare.sets: expected an array") == 0);
  CHECK(error_of([] { nerds::read_compare_request(json::array(), "s.json", "compare"); }).find("s.json: compare") == 0);
}
