// The top level of a scene file: what it is for, the camera rig, view counts, render
// settings and per-view variations; the content is parsed by scene_content.cpp.
#include "scenes/generator/scene_description.h"

#include <cmath>

#include "renderer/error.h"

namespace nerds::scenes {

namespace {

constexpr double kBig = 1e4;
constexpr double kPi = 3.14159265358979323846;

CameraRig parse_rig(JsonObject c) {
  CameraRig rig;
  const std::string kind = c.string("rig", "hemisphere");
  if (kind == "hemisphere") {
    rig.kind = RigKind::kHemisphere;
  } else if (kind == "sphere") {
    rig.kind = RigKind::kSphere;
    rig.min_elevation_deg = -90.f;
  } else if (kind == "forward") {
    rig.kind = RigKind::kForward;
  } else {
    c.fail("rig", "unknown rig '" + kind + "' (known: hemisphere, sphere, forward)");
  }
  rig.radius = static_cast<float>(c.number("radius", rig.radius, 1e-3, kBig));
  rig.camera_angle_x = static_cast<float>(c.number("camera_angle_x", rig.camera_angle_x, 0.01, kPi - 0.01));
  rig.target = c.vec3("target", rig.target);
  if (rig.kind == RigKind::kForward) {
    Vec3 d = c.vec3("direction", rig.direction);
    if (length(d) < 1e-6f) c.fail("direction", "must not be zero");
    rig.direction = d;
    std::vector<double> extent = c.has("extent") ? c.numbers("extent", 2, 0.0, kBig) : std::vector<double>{0.5, 0.3};
    rig.extent_x = static_cast<float>(extent[0]);
    rig.extent_y = static_cast<float>(extent[1]);
  } else {
    rig.min_elevation_deg = static_cast<float>(c.number("min_elevation_deg", rig.min_elevation_deg, -90.0, 90.0));
    rig.max_elevation_deg = static_cast<float>(c.number("max_elevation_deg", rig.max_elevation_deg, -90.0, 90.0));
    if (!(rig.min_elevation_deg < rig.max_elevation_deg))
      c.fail("max_elevation_deg", "must be above min_elevation_deg");
    rig.ring_elevation_deg = static_cast<float>(c.number("ring_elevation_deg", rig.ring_elevation_deg, -89.0, 89.0));
    if (c.has("distances")) {
      const nlohmann::json& list = c.array("distances");
      for (size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_number() || !(list[i].get<double>() >= 0.01 && list[i].get<double>() <= 1000.0))
          c.fail("distances", "every entry must be a radius multiplier in [0.01, 1000]");
        rig.distances.push_back(list[i].get<float>());
      }
    }
  }
  c.finish();
  return rig;
}

// A [lo, hi] range, lo <= hi.
void parse_range(JsonObject& o, const std::string& key, double min, double max, float* lo, float* hi) {
  if (!o.has(key)) return;
  std::vector<double> r = o.numbers(key, 2, min, max);
  if (r[0] > r[1]) o.fail(key, "must be [low, high] with low <= high");
  *lo = static_cast<float>(r[0]);
  *hi = static_cast<float>(r[1]);
}

Variations parse_variations(JsonObject v) {
  Variations out;
  parse_range(v, "exposure", 0.01, 100.0, &out.exposure_lo, &out.exposure_hi);
  parse_range(v, "light_scale", 0.0, 100.0, &out.light_lo, &out.light_hi);
  out.light_tint = static_cast<float>(v.number("light_tint", 0.0, 0.0, 1.0));
  if (v.has("transients")) {
    JsonObject t = v.object("transients");
    out.transient_fraction = static_cast<float>(t.number("fraction", 0.0, 1.0));
    float count_lo = 1.f, count_hi = 1.f;
    parse_range(t, "count", 1.0, 20.0, &count_lo, &count_hi);
    out.transient_count_lo = static_cast<int>(count_lo);
    out.transient_count_hi = static_cast<int>(count_hi);
    parse_range(t, "size", 1e-3, kBig, &out.transient_size_lo, &out.transient_size_hi);
    parse_range(t, "distance", 0.05, 0.95, &out.transient_distance_lo, &out.transient_distance_hi);
    t.finish();
  }
  if (v.has("pose_noise")) {
    JsonObject p = v.object("pose_noise");
    out.pose_rotation_deg = static_cast<float>(p.number("rotation_deg", 0.0, 0.0, 45.0));
    out.pose_translation = static_cast<float>(p.number("translation", 0.0, 0.0, kBig));
    p.finish();
  }
  v.finish();
  return out;
}

}  // namespace

SceneDescription parse_scene_description(const nlohmann::json& doc, const std::string& file,
                                         const FileReader& read_file) {
  JsonObject top(doc, file, "");
  SceneDescription d;
  d.file = file;
  d.info.name = top.string("name");
  if (d.info.name.empty() || d.info.name.find_first_of("/\\ \t") != std::string::npos)
    top.fail("name", "must be a non-empty name without spaces or slashes");
  d.info.purpose = top.string("purpose");
  if (d.info.purpose.size() < 20) top.fail("purpose", "must say what the scene shows (one sentence or more)");
  d.info.papers = top.string("papers");
  if (d.info.papers.empty()) top.fail("papers", "must name the papers the scene is for");
  top.has("extends");  // resolved by the library before parsing (scene_library.cpp)
  if (top.has("camera")) d.rig = parse_rig(top.object("camera"));
  if (top.has("views")) {
    JsonObject v = top.object("views");
    d.max_train_views = v.integer("max_train", 0, 1, 100000);
    v.finish();
  }
  if (top.has("render")) {
    JsonObject r = top.object("render");
    d.min_samples_per_pixel = r.integer("min_samples_per_pixel", 1, 1, 255);
    r.finish();
  }
  if (top.has("multiscale")) {
    JsonObject m = top.object("multiscale");
    d.multiscale_levels = m.integer("levels", 4, 1, 6);
    m.finish();
  }
  if (top.has("variations")) d.variations = parse_variations(top.object("variations"));
  parse_scene_content(top, read_file, &d.scene);
  top.finish();
  d.scene.prepare();
  return d;
}

}  // namespace nerds::scenes
