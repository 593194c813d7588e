// A paper card's guided steps (renderer/techniques/core/guided_steps.h): every field read and
// written back as it was; a bad step is an error naming the card file and the field; a step's
// toggle is one of the card's and plays on the card's scene; the NeRF, Mip-NeRF and
// Instant-NGP cards carry steps that fit the scene compare mode makes (views and rays inside
// its images); a step's pose lands in the engine's frame; a ray's pixel becomes the
// inspector's normalized view point.
#include <doctest/doctest.h>

#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/compare_arms.h"
#include "renderer/techniques/core/method_files.h"
#include "renderer/techniques/core/paper_cards.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"
#include "tests/test_support/real_paper_cards.h"

using nlohmann::json;

namespace {

using nerds_test::kPapersDir;
using nerds_test::paper_card_error;


// The small test card with a second toggle (on another scene) and steps using every field.
json card_with_steps() {
  json card = nerds_test::small_paper_card("walk", 2024);
  card["toggles"][1] = {{"param", "occupancy.enabled"}, {"on", "true"}, {"off", "false"}, {"what", "skipping"}};
  card["toggles"][2] = {
      {"param", "warp.kind"}, {"on", "ndc"}, {"off", "none"}, {"what", "forward"}, {"scene", "forward"}};
  card["steps"] = {{{"text", "1. Test view 3 at 1/8 size."},
                    {"camera", {{"split", "test"}, {"index", 3}}},
                    {"mode", "rgb"},
                    {"size", "1/8"},
                    {"toggle", {{"param", "encoding.kind"}, {"show", "both"}}}},
                   {{"text", "2. Error, two rays."},
                    {"camera", {{"split", "train"}, {"index", 0}}},
                    {"mode", "error"},
                    {"size", {{"width", 320}, {"height", 240}}},
                    {"rays", {{10, 20}, {99, 0}}},
                    {"toggle", {{"param", "occupancy.enabled=false"}, {"show", "off"}}}},
                   {{"text", "3. A pose."},
                    {"camera", {{"transform_matrix", {{1, 0, 0, 0.5}, {0, 1, 0, -1.25}, {0, 0, 1, 4}, {0, 0, 0, 1}}}}},
                    {"mode", "samples"}},
                   {{"text", "4. Words only."}}};
  return card;
}


// A split of `views` frames of width x height, as the viewer would load it.
nerds::Dataset split_of(const std::string& split, size_t views, int width, int height) {
  nerds::Dataset d;
  d.root = "scene";
  d.split = split;
  d.frames.resize(views);
  for (nerds::Frame& f : d.frames) {
    f.intrinsics.width = width;
    f.intrinsics.height = height;
  }
  return d;
}

}  // namespace

TEST_CASE("guided steps: every field is read, and written back as it was") {
  nerds_test::TempFolder tmp("guided_steps_good");
  const json card = card_with_steps();
  nerds_test::write_paper_card(tmp.path(), "walk", card);
  const nerds::PaperCard c = nerds::read_paper_card((tmp.path() / "walk.json").string());
  REQUIRE(c.steps.size() == 4);
  const nerds::GuidedStep& first = c.steps[0];
  CHECK(first.text == "1. Test view 3 at 1/8 size.");
  REQUIRE(first.camera);
  CHECK(first.camera->is_dataset_view());
  CHECK(first.camera->split == "test");
  CHECK(first.camera->index == 3);
  CHECK(first.mode == "rgb");
  REQUIRE(first.size);
  CHECK(first.size->divisor == 8);
  REQUIRE(first.toggle);
  CHECK(first.toggle->index == 0);
  CHECK(first.toggle->show == "both");
  CHECK(first.rays.empty());

  const nerds::GuidedStep& second = c.steps[1];
  CHECK(second.size->divisor == 0);
  CHECK(second.size->width == 320);
  CHECK(second.size->height == 240);
  REQUIRE(second.rays.size() == 2);
  CHECK(second.rays[0] == std::array<int, 2>{10, 20});
  CHECK(second.rays[1] == std::array<int, 2>{99, 0});
  CHECK(second.toggle->index == 1);  // PARAM=OFF picks the toggle
  CHECK(second.toggle->show == "off");

  const nerds::GuidedStep& third = c.steps[2];
  REQUIRE(third.camera);
  CHECK_FALSE(third.camera->is_dataset_view());
  REQUIRE(third.camera->pose.size() == 4);
  CHECK(third.camera->pose[1][3] == -1.25);
  CHECK(third.mode == "samples");
  CHECK_FALSE(third.toggle);

  const nerds::GuidedStep& words = c.steps[3];
  CHECK_FALSE(words.camera);
  CHECK(words.mode.empty());
  CHECK_FALSE(words.size);

  // The card's JSON form holds the steps as written.
  CHECK(json::parse(nerds::paper_card_json(c).dump())["steps"] == card["steps"]);
  // A card without steps has none, and its JSON form no "steps".
  nerds_test::write_paper_card(tmp.path(), "plain", nerds_test::small_paper_card("plain", 2020));
  const nerds::PaperCard plain = nerds::read_paper_card((tmp.path() / "plain.json").string());
  CHECK(plain.steps.empty());
  CHECK_FALSE(nerds::paper_card_json(plain).contains("steps"));
}

TEST_CASE("guided steps: a bad step is an error naming the card file and the field") {
  const json card = card_with_steps();
  REQUIRE(paper_card_error(card, "walk").empty());
  const auto check_error = [](const json& broken, const std::string& field, const std::string& why) {
    const std::string message = paper_card_error(broken, "walk");
    INFO(message);
    CHECK(message.find("walk.json: " + field + ": " + why) != std::string::npos);
  };
  const auto with = [&](const std::string& step_key, const json& value, size_t step = 0) {
    json broken = card;
    if (value.is_null()) {
      broken["steps"][step].erase(step_key);
    } else {
      broken["steps"][step][step_key] = value;
    }
    return broken;
  };
  json not_array = card;
  not_array["steps"] = {{"text", "x"}};
  check_error(not_array, "steps", "must be a non-empty array");
  json empty = card;
  empty["steps"] = json::array();
  check_error(empty, "steps", "must be a non-empty array");

  check_error(with("zoom", 2), "steps[0].zoom", "unknown field");
  check_error(with("text", nullptr), "steps[0].text", "missing required string");
  check_error(with("text", "  "), "steps[0].text", "must not be empty");
  check_error(with("text", "two\nlines"), "steps[0].text", "must be one line");
  check_error(with("text", 3), "steps[0].text", "expected a string");

  check_error(with("mode", "normals"), "steps[0].mode",
              "'normals' is not a render mode (rgb, depth, opacity, samples, error)");
  check_error(with("mode", 1), "steps[0].mode", "expected a string");

  check_error(with("camera", {{"split", "test"}}), "steps[0].camera.index", "missing");
  check_error(with("camera", {{"split", "holdout"}, {"index", 0}}), "steps[0].camera.split",
              "'holdout' is not a split (train, val, test)");
  check_error(with("camera", {{"split", "test"}, {"index", -1}}), "steps[0].camera.index", "must be in");
  check_error(with("camera", {{"split", "test"}, {"index", 1.5}}), "steps[0].camera.index", "");
  check_error(with("camera", {{"split", "test"}, {"index", 0}, {"fov", 40}}), "steps[0].camera.fov", "unknown field");
  check_error(with("camera", json::object()), "steps[0].camera", "give a dataset view");
  check_error(with("camera", {{"split", "test"}, {"index", 0}, {"transform_matrix", {{1, 0, 0, 0}}}}),
              "steps[0].camera",
              "give a dataset view (\"split\" and \"index\") or a pose (\"transform_matrix\"), not both or neither");
  check_error(with("camera", {{"transform_matrix", {{2, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}}}),
              "steps[0].camera.transform_matrix", "");
  check_error(with("camera", {{"transform_matrix", {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}}),
              "steps[0].camera.transform_matrix", "expected a 4x4 array of numbers");
  check_error(with("camera", "test 3"), "steps[0].camera", "");

  check_error(with("size", "1/0"), "steps[0].size", "'1/0' is not an image size 1/N with N in [1, 64]");
  check_error(with("size", "1/128"), "steps[0].size", "'1/128' is not an image size");
  check_error(with("size", "2/8"), "steps[0].size", "'2/8' is not an image size");
  check_error(with("size", "1/8px"), "steps[0].size", "'1/8px' is not an image size");
  check_error(with("size", "1/ 8"), "steps[0].size", "'1/ 8' is not an image size");
  check_error(with("size", "1/-8"), "steps[0].size", "'1/-8' is not an image size");
  check_error(with("size", "1/08"), "steps[0].size", "'1/08' is not an image size");
  check_error(with("size", 8), "steps[0].size", "expected \"1/N\" or {\"width\": W, \"height\": H}");
  check_error(with("size", {{"width", 320}}), "steps[0].size.height", "");
  check_error(with("size", {{"width", 0}, {"height", 10}}), "steps[0].size.width", "must be in");
  check_error(with("size", {{"width", 10}, {"height", 10}, {"depth", 1}}), "steps[0].size.depth", "unknown field");

  check_error(with("rays", {{1, 2}, {3, 4}, {5, 6}}, 1), "steps[1].rays", "expected 1 to 2 pixels [x, y]");
  check_error(with("rays", json::array(), 1), "steps[1].rays", "expected 1 to 2 pixels");
  check_error(with("rays", {{1, -2}}, 1), "steps[1].rays[0][1]", "must be a pixel in [0, 8191]");
  check_error(with("rays", {{1, 2, 3}}, 1), "steps[1].rays[0]", "expected a pixel [x, y]");
  check_error(with("rays", {{1.5, 2}}, 1), "steps[1].rays[0][0]", "");
  check_error(with("rays", {{1, 2}}, 2), "steps[2].rays", "pixels need a dataset view");
  check_error(with("rays", {{1, 2}}, 3), "steps[3].rays", "pixels need a dataset view");

  check_error(with("toggle", {{"param", "field.skip_layer"}, {"show", "on"}}), "steps[0].toggle.param",
              "'field.skip_layer' is not a toggle of this card (its toggles: encoding.kind=frequency, "
              "occupancy.enabled=false, warp.kind=none)");
  check_error(with("toggle", {{"param", "encoding.kind=dense"}, {"show", "on"}}), "steps[0].toggle.param",
              "'encoding.kind=dense' is not a toggle of this card");
  check_error(with("toggle", {{"param", "warp.kind"}, {"show", "on"}}), "steps[0].toggle.param",
              "toggle warp.kind=none plays on scene 'forward', and the steps on the card's scene 'default'");
  check_error(with("toggle", {{"param", "encoding.kind"}, {"show", "A"}}), "steps[0].toggle.show",
              "'A' is not off, on or both");
  check_error(with("toggle", {{"param", "encoding.kind"}}), "steps[0].toggle.show", "missing required string");
  check_error(with("toggle", {{"param", "encoding.kind"}, {"show", "on"}, {"arm", "b"}}), "steps[0].toggle.arm",
              "unknown field");
  check_error(with("toggle", "encoding.kind"), "steps[0].toggle", "");
}

TEST_CASE("guided steps: views and rays are checked against the dataset the model trains on") {
  nerds_test::TempFolder tmp("guided_steps_views");
  nerds_test::write_paper_card(tmp.path(), "walk", card_with_steps());
  const nerds::PaperCard c = nerds::read_paper_card((tmp.path() / "walk.json").string());
  CHECK_NOTHROW(nerds::check_guided_step_views(c.steps, split_of("test", 4, 100, 100), c.file));
  CHECK_NOTHROW(nerds::check_guided_step_views(c.steps, split_of("train", 1, 100, 21), c.file));
  CHECK_NOTHROW(nerds::check_guided_step_views(c.steps, split_of("val", 0, 100, 100), c.file));  // no step uses val
  const std::string no_view = c.file + ": steps[0].camera.index: view 3 of the test split, which has 3 views (scene)";
  CHECK_THROWS_WITH_AS(nerds::check_guided_step_views(c.steps, split_of("test", 3, 100, 100), c.file), no_view.c_str(),
                       nerds::InputError);
  const std::string outside = c.file + ": steps[1].rays[1]: pixel (99, 0) is outside train view 0 (99x100)";
  CHECK_THROWS_WITH_AS(nerds::check_guided_step_views(c.steps, split_of("train", 1, 99, 100), c.file), outside.c_str(),
                       nerds::InputError);
  CHECK_THROWS_WITH_AS(nerds::check_guided_step_views(c.steps, split_of("train", 1, 100, 20), c.file),
                       doctest::Contains("steps[1].rays[0]: pixel (10, 20) is outside"), nerds::InputError);

  // A step's pose in the engine's frame: a dataset view's own, or the matrix mapped by the
  // dataset's scale and offset.
  nerds::Dataset test = split_of("test", 4, 100, 100);
  test.frames[3].pose.m[0][3] = 0.25f;
  CHECK(nerds::guided_step_pose(*c.steps[0].camera, test).m[0][3] == 0.25f);
  test.scale = 0.5f;
  test.offset = nerds::make_vec3(0.5f, 0.25f, 0.f);
  const nerds::Pose pose = nerds::guided_step_pose(*c.steps[2].camera, test);
  CHECK(pose.m[0][3] == doctest::Approx(0.75));
  CHECK(pose.m[1][3] == doctest::Approx(-0.375));
  CHECK(pose.m[2][3] == doctest::Approx(2.0));
  CHECK(pose.m[1][1] == 1.f);
  CHECK(pose.m[0][1] == 0.f);

  // The inspector's view point is the pixel's centre over the image.
  const std::array<float, 2> p = nerds::guided_ray_view_point({10, 20}, 100, 50);
  CHECK(p[0] == doctest::Approx(0.105));
  CHECK(p[1] == doctest::Approx(0.41));
  const std::array<float, 2> corner = nerds::guided_ray_view_point({99, 49}, 100, 50);
  CHECK(corner[0] < 1.f);
  CHECK(corner[1] < 1.f);
}

TEST_CASE("guided steps: the NeRF, Mip-NeRF, Instant-NGP and Mip-NeRF 360 cards walk through their toggles") {
  const std::vector<nerds::PaperCard>& cards = nerds::paper_cards(kPapersDir);
  for (const char* id : {"nerf", "mip-nerf", "instant-ngp", "mip-nerf-360"}) {
    const nerds::PaperCard* card = nerds::find_paper_card(cards, id);
    REQUIRE(card != nullptr);
    INFO("card " << id);
    REQUIRE(card->steps.size() >= 3);
    // The views compare mode makes (compare_arms.h): the card's scene at 100 px, 20 test views;
    // a scene with a multires/ folder (Mip-NeRF's) trains on it, every view at 4 sizes.
    const bool multires = card->scene == "multiscale";
    const int levels = multires ? 4 : 1;
    const nerds::Dataset test = split_of("test", static_cast<size_t>(nerds::kCompareSceneTestViews * levels),
                                         nerds::kCompareSceneResolution, nerds::kCompareSceneResolution);
    nerds::Dataset small_frames = test;  // multires: frame 4k + l is 100 / 2^l px
    for (size_t i = 0; i < small_frames.frames.size(); ++i) {
      const int side = nerds::kCompareSceneResolution >> (i % levels);
      small_frames.frames[i].intrinsics.width = small_frames.frames[i].intrinsics.height = side;
    }
    CHECK_NOTHROW(nerds::check_guided_step_views(card->steps, small_frames, card->file));
    bool toggles_main = false;
    for (const nerds::GuidedStep& s : card->steps) {
      INFO("step " << s.text);
      CHECK(s.text.size() > 20);
      REQUIRE(s.camera);  // every step of these cards sets the camera
      CHECK(s.camera->split == "test");
      REQUIRE(s.toggle);
      CHECK(
          nerds::toggle_available(card->toggles[static_cast<size_t>(s.toggle->index)], nerds::default_method_params()));
      toggles_main = toggles_main || s.toggle->index == 0;
    }
    CHECK(toggles_main);
  }
  // Mip-NeRF's steps show the 1/8-size view (multires test frame 3 = view 0 at 1/8) in the error mode.
  const nerds::PaperCard& mip = *nerds::find_paper_card(cards, "mip-nerf");
  bool small_error = false;
  for (const nerds::GuidedStep& s : mip.steps) small_error = small_error || (s.camera->index == 3 && s.mode == "error");
  CHECK(small_error);
}
