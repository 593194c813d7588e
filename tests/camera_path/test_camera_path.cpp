// Camera paths: the spline passes through the keys at their times, orientations stay unit
// quaternions (rotation blocks stay rotations), durations set the timing, and files round
// trip or fail naming the field.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "camera_path/camera_path.h"
#include "camera_path/camera_path_file.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"
#include "tests/test_support/pose_checks.h"

using namespace nerds;

namespace {

Vec3 column(const Pose& p, int c) { return nerds_test::pose_column(p, c); }

// Keys on a rough orbit around the origin, looking at it, with uneven spacing and durations.
CameraPath orbit_path() {
  CameraPath path;
  const Vec3 eyes[] = {make_vec3(4.f, 0.f, 1.f), make_vec3(3.f, 3.f, 1.5f), make_vec3(0.f, 2.f, 0.5f),
                       make_vec3(-4.f, 0.5f, 2.f), make_vec3(-1.f, -3.f, 1.f)};
  const float fovs[] = {50.f, 40.f, 60.f, 45.f, 50.f};
  const float seconds[] = {1.f, 2.5f, 0.5f, 2.f, 1.f};
  for (int i = 0; i < 5; ++i)
    path.keys.push_back(camera_key(look_at(eyes[i], make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)), fovs[i],
                                   seconds[i]));
  return path;
}

double key_time(const CameraPath& path, size_t i) {
  double t = 0.0;
  for (size_t k = 0; k < i; ++k) t += path.keys[k].seconds;
  return t;
}

float orientation_length(const Orientation& q) { return std::sqrt(q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z); }

void check_same_pose(const Pose& a, const Pose& b, float tolerance) {
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) CHECK(a.m[r][c] == doctest::Approx(b.m[r][c]).epsilon(tolerance).scale(1.0));
}

std::string path_error(const std::string& file, const std::string& text) {
  std::ofstream(file) << text;
  try {
    read_camera_path(file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError thrown)";
}

}  // namespace

TEST_CASE("camera path: a key's orientation is a unit quaternion that gives its pose back") {
  const Pose pose = look_at(make_vec3(1.f, 2.f, 3.f), make_vec3(0.2f, -0.1f, 0.4f), make_vec3(0.f, 0.f, 1.f));
  const CameraKey key = camera_key(pose, 42.f, 3.f);
  CHECK(orientation_length(key.orientation) == doctest::Approx(1.0).epsilon(1e-6));
  check_same_pose(pose_of(key), pose, 1e-5f);
  CHECK(key.fov_y_deg == 42.f);
  CHECK(key.seconds == 3.f);
}

TEST_CASE("camera path: the spline passes through every key at its time, fields of view too") {
  const CameraPath path = orbit_path();
  CHECK(path_seconds(path) == doctest::Approx(1.0 + 2.5 + 0.5 + 2.0));  // the last key's seconds are not used
  for (size_t i = 0; i < path.keys.size(); ++i) {
    INFO("key " << i);
    const CameraPathPoint at = camera_at(path, key_time(path, i));
    check_same_pose(at.pose, pose_of(path.keys[i]), 1e-5f);
    CHECK(at.fov_y_deg == doctest::Approx(path.keys[i].fov_y_deg).epsilon(1e-5));
  }
  // Before the start and after the end: the end keys.
  check_same_pose(camera_at(path, -1.0).pose, pose_of(path.keys.front()), 1e-5f);
  check_same_pose(camera_at(path, 100.0).pose, pose_of(path.keys.back()), 1e-5f);
}

TEST_CASE("camera path: orientations stay rotations everywhere, and the path moves continuously") {
  const CameraPath path = orbit_path();
  const double total = path_seconds(path);
  Pose previous = camera_at(path, 0.0).pose;
  for (int s = 0; s <= 600; ++s) {
    const double t = total * s / 600.0;
    INFO("t = " << t);
    const CameraPathPoint at = camera_at(path, t);
    nerds_test::check_rigid(at.pose);
    CHECK(orientation_length(orientation_of(at.pose)) == doctest::Approx(1.0).epsilon(1e-6));
    // 1/600 of the path moves the camera a little, never a jump (the keys are ~4 apart).
    CHECK(length(at.pose.origin() - previous.origin()) < 0.2f);
    CHECK(at.fov_y_deg >= 40.f - 1e-4f);
    CHECK(at.fov_y_deg <= 60.f + 1e-4f);
    previous = at.pose;
  }
}

TEST_CASE("camera path: two keys give a straight line at the pace of the first key's seconds") {
  CameraPath path;
  const Vec3 a = make_vec3(0.f, 0.f, 0.f), b = make_vec3(2.f, 0.f, 0.f);
  path.keys.push_back(camera_key(look_at(a, make_vec3(0.f, 5.f, 0.f), make_vec3(0.f, 0.f, 1.f)), 50.f, 4.f));
  path.keys.push_back(camera_key(look_at(b, make_vec3(2.f, 5.f, 5.f), make_vec3(0.f, 0.f, 1.f)), 30.f, 9.f));
  CHECK(path_seconds(path) == doctest::Approx(4.0));
  for (double t : {0.0, 1.0, 2.0, 3.0, 4.0}) {
    INFO("t = " << t);
    const CameraPathPoint at = camera_at(path, t);
    // Both neighbours mirrored through the end keys: evenly spaced, so the motion is uniform.
    CHECK(at.pose.origin().x == doctest::Approx(2.0 * t / 4.0).epsilon(1e-5));
    CHECK(std::fabs(at.pose.origin().y) < 1e-5f);
    CHECK(std::fabs(at.pose.origin().z) < 1e-5f);
    CHECK(at.fov_y_deg == doctest::Approx(50.0 - 20.0 * t / 4.0).epsilon(1e-5));
    nerds_test::check_rigid(at.pose);
  }
  // Halfway in time is halfway in angle: slerp between the two orientations.
  const Vec3 z0 = column(pose_of(path.keys[0]), 2), z1 = column(pose_of(path.keys[1]), 2);
  const Vec3 mid = column(camera_at(path, 2.0).pose, 2);
  CHECK(std::acos(dot(z0, mid)) == doctest::Approx(std::acos(dot(z0, z1)) / 2.0).epsilon(1e-4));
}

TEST_CASE("camera path: durations set when each key is reached, and frames sample at the fps") {
  CameraPath path = orbit_path();
  path.keys[1].seconds = 5.f;  // the second segment slows down
  const double t2 = key_time(path, 2);
  CHECK(t2 == doctest::Approx(6.0));
  check_same_pose(camera_at(path, t2).pose, pose_of(path.keys[2]), 1e-5f);

  // 6 + 0.5 + 2 = 8.5 s at 4 fps: frames at 0, 0.25, ..., 8.5 (35 of them).
  const std::vector<CameraPathPoint> frames = sample_camera_path(path, 4.0);
  REQUIRE(frames.size() == 35);
  check_same_pose(frames.front().pose, pose_of(path.keys.front()), 1e-5f);
  check_same_pose(frames.back().pose, pose_of(path.keys.back()), 1e-5f);
  check_same_pose(frames[24].pose, pose_of(path.keys[2]), 1e-5f);  // 6 s = frame 24

  // A zero duration is a cut: the camera jumps to the next key.
  CameraPath cut;
  cut.keys = {path.keys[0], path.keys[1], path.keys[2]};
  cut.keys[0].seconds = 0.f;
  cut.keys[1].seconds = 1.f;
  check_same_pose(camera_at(cut, 0.0).pose, pose_of(cut.keys[1]), 1e-5f);
  // One key: a single frame of it.
  CameraPath single;
  single.keys = {path.keys[3]};
  REQUIRE(sample_camera_path(single, 30.0).size() == 1);
  check_same_pose(sample_camera_path(single, 30.0)[0].pose, pose_of(single.keys[0]), 1e-6f);
}

TEST_CASE("camera path: two keys at one place only turn the camera") {
  CameraPath path;
  const Vec3 eye = make_vec3(1.f, 1.f, 1.f);
  path.keys.push_back(camera_key(look_at(eye, make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)), 50.f, 1.f));
  path.keys.push_back(camera_key(look_at(eye, make_vec3(2.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)), 50.f, 1.f));
  path.keys.push_back(camera_key(look_at(make_vec3(3.f, 1.f, 1.f), make_vec3(2.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)),
                                 50.f, 1.f));
  for (int s = 0; s <= 10; ++s) {
    const CameraPathPoint at = camera_at(path, s / 10.0);
    CHECK(length(at.pose.origin() - eye) < 1e-5f);
    nerds_test::check_rigid(at.pose);
  }
}

TEST_CASE("camera path: world and engine frames convert both ways") {
  Dataset train;
  train.scale = 0.25f;
  train.offset = make_vec3(0.5f, 0.4f, 0.6f);
  const Pose world = look_at(make_vec3(2.f, -1.f, 3.f), make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f));
  const Pose engine = to_engine_frame(world, train);
  CHECK(engine.origin().x == doctest::Approx(2.0 * 0.25 + 0.5));
  CHECK(engine.origin().y == doctest::Approx(-1.0 * 0.25 + 0.4));
  CHECK(engine.m[1][2] == world.m[1][2]);  // axes stay
  check_same_pose(to_world_frame(engine, train), world, 1e-6f);
}

TEST_CASE("camera path files: a round trip keeps every key, and a failed save keeps the old file") {
  nerds_test::TempFolder tmp("camera_path_file");
  const CameraPath path = orbit_path();
  const std::string file = (tmp.path() / "path.json").string();
  write_camera_path(file, path);
  const CameraPath back = read_camera_path(file);
  REQUIRE(back.keys.size() == path.keys.size());
  for (size_t i = 0; i < path.keys.size(); ++i) {
    const CameraKey &a = path.keys[i], &b = back.keys[i];
    for (int c = 0; c < 3; ++c) CHECK(b.position[c] == a.position[c]);
    CHECK(b.orientation.w == doctest::Approx(a.orientation.w).epsilon(1e-6));
    CHECK(b.orientation.x == doctest::Approx(a.orientation.x).epsilon(1e-6));
    CHECK(b.orientation.y == doctest::Approx(a.orientation.y).epsilon(1e-6));
    CHECK(b.orientation.z == doctest::Approx(a.orientation.z).epsilon(1e-6));
    CHECK(b.fov_y_deg == a.fov_y_deg);
    CHECK(b.seconds == a.seconds);
  }
  CHECK_FALSE(std::filesystem::exists(file + ".tmp"));

  // The temporary cannot be written (a folder stands in its way): the error names the file and
  // the old file is untouched.
  const std::string before = nlohmann::json::parse(std::ifstream(file)).dump();
  std::filesystem::create_directory(file + ".tmp");
  CameraPath other = path;
  other.keys.pop_back();
  CHECK_THROWS_AS(write_camera_path(file, other), InputError);
  CHECK(nlohmann::json::parse(std::ifstream(file)).dump() == before);
}

TEST_CASE("camera path files: bad input names the file and the field") {
  nerds_test::TempFolder tmp("camera_path_bad");
  const std::string file = (tmp.path() / "bad_path.json").string();
  const std::string key = R"({"position": [0, 0, 4], "orientation_wxyz": [1, 0, 0, 0]})";
  using nerds_test::check_mentions;
  check_mentions(path_error(file, R"({"keys": [)" + key + "]}"), {"bad_path.json", "nerds_camera_path", "missing"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 2, "keys": [)" + key + "]}"),
                 {"bad_path.json", "nerds_camera_path", "version 2"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": []})"), {"bad_path.json", "keys", "non-empty"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"orientation_wxyz": [1, 0, 0, 0]}]})"),
                 {"bad_path.json", "keys[0].position", "missing"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [)" + key +
                                      R"(, {"position": [0, 0, 4], "orientation_wxyz": [0.5, 0.5, 0, 0]}]})"),
                 {"bad_path.json", "keys[1].orientation_wxyz", "unit quaternion"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, 4], )"
                                  R"("orientation_wxyz": [1, 0, 0, 0], "seconds": -1}]})"),
                 {"bad_path.json", "keys[0].seconds"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, 4], )"
                                  R"("orientation_wxyz": [1, 0, 0, 0], "fov_y_deg": 0}]})"),
                 {"bad_path.json", "keys[0].fov_y_deg"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"position": [0, "x", 4], )"
                                  R"("orientation_wxyz": [1, 0, 0, 0]}]})"),
                 {"bad_path.json", "keys[0].position"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, 4], )"
                                  R"("orientation_wxyz": [1, 0, 0, 0], "sconds": 2}]})"),
                 {"bad_path.json", "keys[0].sconds", "unknown field"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [)" + key + "], }"),
                 {"bad_path.json", "malformed JSON"});
  check_mentions(path_error(file, R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, NaN], )"
                                  R"("orientation_wxyz": [1, 0, 0, 0]}]})"),
                 {"bad_path.json", "keys[0].position"});
}
