#include "viewer/core/session.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "renderer/error.h"

namespace nerds::viewer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kSessionVersion = 1;

// Reads one JSON object's fields, checking each one's type, and that no other field is there.
class Fields {
 public:
  Fields(const json& j, const std::string& file, const std::string& path) : j_(j), file_(file), path_(path) {
    if (!j.is_object()) fail("", "must be an object");
  }

  void only(std::initializer_list<const char*> known) const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      bool ok = false;
      std::string list;
      for (const char* k : known) {
        ok = ok || it.key() == k;
        list += (list.empty() ? "" : ", ") + std::string(k);
      }
      if (!ok) fail(it.key(), "unknown field (known: " + list + ")");
    }
  }
  bool has(const char* key) const { return j_.contains(key); }
  const json& at(const char* key) const { return j_.at(key); }
  std::string path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

  void get(const char* key, bool* out) const {
    if (!has(key)) return;
    if (!at(key).is_boolean()) fail(key, "must be true or false");
    *out = at(key).get<bool>();
  }
  void get(const char* key, int* out, double lo, double hi) const {
    if (!has(key)) return;
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<double>() < lo || v.get<double>() > hi)
      fail(key, "must be an integer in [" + number(lo) + ", " + number(hi) + "]");
    *out = v.get<int>();
  }
  void get(const char* key, float* out, double lo, double hi) const {
    if (!has(key)) return;
    const json& v = at(key);
    if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
      fail(key, "must be a number in [" + number(lo) + ", " + number(hi) + "]");
    *out = v.get<float>();
  }
  void get(const char* key, std::string* out) const {
    if (!has(key)) return;
    if (!at(key).is_string()) fail(key, "must be a string");
    *out = at(key).get<std::string>();
  }
  void get_vec3(const char* key, float* out, double lo, double hi) const {
    if (!has(key)) return;
    const json& v = at(key);
    bool ok = v.is_array() && v.size() == 3;
    for (size_t i = 0; ok && i < 3; ++i) ok = v[i].is_number() && v[i].get<double>() >= lo && v[i].get<double>() <= hi;
    if (!ok) fail(key, "must be 3 numbers in [" + number(lo) + ", " + number(hi) + "]");
    for (int i = 0; i < 3; ++i) out[i] = v[i].get<float>();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw InputError(file_, path_.empty() ? key : (key.empty() ? path_ : path_ + "." + key), why);
  }

 private:
  static std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }
  const json& j_;
  const std::string& file_;
  std::string path_;
};

// A float as the shortest decimal that reads back to the same float ("0.3", not 0.30000001...).
json number(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  for (int digits = 1; digits <= 9; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", digits, v);
    if (std::strtof(shorter, nullptr) == v) return std::strtod(shorter, nullptr);
  }
  return std::strtod(text, nullptr);
}

json vec3(float x, float y, float z) { return json::array({number(x), number(y), number(z)}); }

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

void read_scene(const Fields& f, Session& s, const std::string& base_dir) {
  f.only({"data", "downscale", "make", "resolution", "train_views", "val_views", "test_views", "samples_per_pixel",
          "seed"});
  if (!f.has("data")) f.fail("data", "missing: the dataset folder (or where to make a built-in scene)");
  f.get("data", &s.data_dir);
  if (s.data_dir.empty()) f.fail("data", "must not be empty");
  s.data_dir = resolve(s.data_dir, base_dir);
  f.get("downscale", &s.downscale, 1, 64);
  f.get("make", &s.make_scene);
  scenes::SceneOptions& o = s.scene_options;
  f.get("resolution", &o.resolution, 1, 8192);
  f.get("train_views", &o.train_views, 1, 100000);
  f.get("val_views", &o.val_views, 0, 100000);
  f.get("test_views", &o.test_views, 0, 100000);
  f.get("samples_per_pixel", &o.samples_per_pixel, 1, 255);
  int seed = static_cast<int>(o.seed);
  f.get("seed", &seed, 0, 2147483647.0);
  o.seed = static_cast<uint32_t>(seed);
}

void read_camera(const Fields& f, Session& s, const std::string& file) {
  f.only({"target", "up", "distance", "yaw_deg", "pitch_deg", "fov_deg", "dataset_view"});
  OrbitState c;
  float target[3] = {c.target.x, c.target.y, c.target.z}, up[3] = {c.up.x, c.up.y, c.up.z};
  f.get_vec3("target", target, -1e6, 1e6);
  f.get_vec3("up", up, -1.0, 1.0);
  c.target = make_vec3(target[0], target[1], target[2]);
  c.up = make_vec3(up[0], up[1], up[2]);
  if (length(c.up) < 1e-3f) f.fail("up", "must not be the zero vector");
  f.get("distance", &c.distance, 1e-3, 1e3);
  f.get("yaw_deg", &c.yaw_deg, -360.0, 360.0);
  f.get("pitch_deg", &c.pitch_deg, -89.0, 89.0);
  f.get("fov_deg", &c.fov_deg, 5.0, 150.0);
  // Only a camera that says where it is replaces the scene's home view.
  bool placed = false;
  for (const char* key : {"target", "up", "distance", "yaw_deg", "pitch_deg", "fov_deg"}) placed = placed || f.has(key);
  if (placed) s.camera = c;
  if (f.has("dataset_view") && !f.at("dataset_view").is_null()) {
    const Fields v(f.at("dataset_view"), file, f.path("dataset_view"));
    v.only({"split", "index"});
    v.get("split", &s.view.dataset_view.split);
    if (s.view.dataset_view.split != "train" && s.view.dataset_view.split != "test")
      v.fail("split", "must be \"train\" or \"test\"");
    if (!v.has("index")) v.fail("index", "missing");
    v.get("index", &s.view.dataset_view.index, 0, 1e9);
  }
}

void read_view(const Fields& f, Session& s, const std::string& file) {
  f.only({"mode", "render_scale", "background", "overlays", "panels"});
  ViewSettings& v = s.view;
  std::string mode = render_mode_name(v.mode);
  f.get("mode", &mode);
  if (!parse_render_mode(mode, &v.mode)) f.fail("mode", "must be one of rgb, depth, opacity, samples, error");
  f.get("render_scale", &v.render_scale, 0.05, 2.0);
  f.get_vec3("background", v.background, 0.0, 1.0);
  if (f.has("overlays")) {
    const Fields o(f.at("overlays"), file, f.path("overlays"));
    o.only({"frustums", "bbox", "occupancy", "rays", "occupancy_resolution", "occupancy_cascade"});
    o.get("frustums", &v.overlays.frustums);
    o.get("bbox", &v.overlays.bbox);
    o.get("occupancy", &v.overlays.occupancy);
    o.get("rays", &v.overlays.rays);
    o.get("occupancy_resolution", &v.overlays.occupancy_resolution, 4, 256);
    o.get("occupancy_cascade", &v.overlays.occupancy_cascade, 0, 16);
  }
  if (f.has("panels")) {
    const Fields p(f.at("panels"), file, f.path("panels"));
    p.only({"training", "camera", "render", "session", "dataset", "inspector", "technique"});
    PanelFlags& pf = v.panels;
    p.get("training", &pf.training);
    p.get("camera", &pf.camera);
    p.get("render", &pf.render);
    p.get("session", &pf.session);
    p.get("dataset", &pf.dataset);
    p.get("inspector", &pf.inspector);
    p.get("technique", &pf.technique);
  }
}

}  // namespace

Session session_from_json(const json& j, const std::string& file, const std::string& base_dir) {
  const Fields top(j, file, "");
  top.only({"nerds_view_session", "scene", "method", "training", "camera", "view", "inspect"});
  int version = kSessionVersion;
  top.get("nerds_view_session", &version, 1, 1);
  Session s;
  if (!top.has("scene")) top.fail("scene", "missing (at least {\"data\": DATASET_FOLDER})");
  read_scene(Fields(j.at("scene"), file, "scene"), s, base_dir);
  if (top.has("method")) {
    const Fields m(j.at("method"), file, "method");
    m.only({"name", "params"});
    m.get("name", &s.method_name);
    if (m.has("params")) {
      if (!m.at("params").is_object()) m.fail("params", "must be an object {module: {key: value}}");
      s.params = m.at("params");
    }
  }
  if (top.has("training")) {
    const Fields t(j.at("training"), file, "training");
    t.only({"step", "running", "snapshot", "threads"});
    t.get("step", &s.step, 0, 1e9);
    t.get("running", &s.running);
    t.get("snapshot", &s.snapshot);
    s.snapshot = resolve(s.snapshot, base_dir);
    t.get("threads", &s.threads, 0, 1024);
  }
  if (top.has("camera")) read_camera(Fields(j.at("camera"), file, "camera"), s, file);
  if (top.has("view")) read_view(Fields(j.at("view"), file, "view"), s, file);
  if (top.has("inspect")) {
    const json& list = j.at("inspect");
    if (!list.is_array() || list.size() > 2) top.fail("inspect", "must be a list of at most two [u, v] points");
    for (size_t i = 0; i < list.size(); ++i) {
      const json& p = list[i];
      bool ok = p.is_array() && p.size() == 2;
      for (size_t k = 0; ok && k < 2; ++k)
        ok = p[k].is_number() && p[k].get<double>() >= 0.0 && p[k].get<double>() <= 1.0;
      if (!ok)
        top.fail("inspect[" + std::to_string(i) + "]", "must be [u, v] with both in [0, 1] (a point of the view)");
      s.inspect.push_back({p[0].get<float>(), p[1].get<float>()});
    }
  }
  return s;
}

json session_to_json(const Session& s) {
  json j;
  j["nerds_view_session"] = kSessionVersion;
  json scene = {{"data", s.data_dir}, {"downscale", s.downscale}};
  if (!s.make_scene.empty()) {
    const scenes::SceneOptions& o = s.scene_options;
    scene["make"] = s.make_scene;
    scene["resolution"] = o.resolution;
    scene["train_views"] = o.train_views;
    scene["val_views"] = o.val_views;
    scene["test_views"] = o.test_views;
    scene["samples_per_pixel"] = o.samples_per_pixel;
    scene["seed"] = static_cast<int64_t>(o.seed);
  }
  j["scene"] = scene;
  j["method"] = {{"name", s.method_name}, {"params", s.params}};
  j["training"] = {{"step", s.step}, {"running", s.running}, {"threads", s.threads}};
  if (!s.snapshot.empty()) j["training"]["snapshot"] = s.snapshot;
  if (s.camera) {
    const OrbitState& c = *s.camera;
    j["camera"] = {{"target", vec3(c.target.x, c.target.y, c.target.z)},
                   {"up", vec3(c.up.x, c.up.y, c.up.z)},
                   {"distance", number(c.distance)},
                   {"yaw_deg", number(c.yaw_deg)},
                   {"pitch_deg", number(c.pitch_deg)},
                   {"fov_deg", number(c.fov_deg)}};
    if (s.view.dataset_view.active())
      j["camera"]["dataset_view"] = {{"split", s.view.dataset_view.split}, {"index", s.view.dataset_view.index}};
  }
  const ViewSettings& v = s.view;
  const Overlays& o = v.overlays;
  const PanelFlags& p = v.panels;
  j["view"] = {{"mode", render_mode_name(v.mode)},
               {"render_scale", number(v.render_scale)},
               {"background", vec3(v.background[0], v.background[1], v.background[2])},
               {"overlays",
                {{"frustums", o.frustums},
                 {"bbox", o.bbox},
                 {"occupancy", o.occupancy},
                 {"rays", o.rays},
                 {"occupancy_resolution", o.occupancy_resolution},
                 {"occupancy_cascade", o.occupancy_cascade}}},
               {"panels",
                {{"training", p.training},
                 {"camera", p.camera},
                 {"render", p.render},
                 {"session", p.session},
                 {"dataset", p.dataset},
                 {"inspector", p.inspector},
                 {"technique", p.technique}}}};
  json inspect = json::array();
  for (const auto& uv : s.inspect) inspect.push_back({number(uv[0]), number(uv[1])});
  j["inspect"] = inspect;
  return j;
}

Session read_session(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open the session file");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw InputError(path, "", std::string("not valid JSON: ") + e.what());
  }
  const fs::path parent = fs::path(path).parent_path();
  return session_from_json(j, path, parent.empty() ? "." : parent.string());
}

void write_session(const std::string& path, const Session& s) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << session_to_json(s).dump(2) << "\n";
    if (!out) throw InputError(path, "", "cannot write the session file");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw InputError(path, "", "cannot write the session file: " + ec.message());
}

}  // namespace nerds::viewer
