// A sample scene as its JSON file describes it (scenes/library/*.json; the format is in
// scenes/library/README.md): what it is for, its content (materials, shapes, meshes, lights),
// where the cameras go, and how training views vary. Parsing is strict: an unknown field or
// a bad value is an InputError naming the file and the field.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/json_fields.h"
#include "scenes/generator/camera_rig.h"
#include "scenes/generator/scene.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::scenes {

// Scene files are read with the engine's strict JSON reader.
using json_fields::JsonObject;

// Per-view changes of the training views only (val and test views stay clean).
struct Variations {
  float exposure_lo = 1.f, exposure_hi = 1.f;  // log-uniform multiplier of the radiance
  float light_lo = 1.f, light_hi = 1.f;        // log-uniform multiplier of every light
  float light_tint = 0.f;                      // warm/cool shift of the lights: up to +-tint
  // Transient occluders: in `fraction` of the training views, count_lo..count_hi random
  // spheres or boxes of size (radius / half side) size_lo..size_hi, placed at distance_lo..
  // distance_hi of the way from the camera to the target, inside the view.
  float transient_fraction = 0.f;
  int transient_count_lo = 1, transient_count_hi = 1;
  float transient_size_lo = 0.1f, transient_size_hi = 0.2f;
  float transient_distance_lo = 0.3f, transient_distance_hi = 0.6f;
  // Pose noise written into transforms_train.json (the images use the true poses, kept in
  // transforms_train_true.json): a rotation vector with N(0, rotation_deg) components and a
  // translation with N(0, translation) components, per view.
  float pose_rotation_deg = 0.f, pose_translation = 0.f;

  bool any_appearance() const {
    return exposure_lo != 1.f || exposure_hi != 1.f || light_lo != 1.f || light_hi != 1.f || light_tint != 0.f;
  }
  bool any_pose_noise() const { return pose_rotation_deg > 0.f || pose_translation > 0.f; }
};

struct SceneDescription {
  SceneInfo info;
  std::string file;  // where it came from (for messages)
  CameraRig rig;
  int max_train_views = 0;        // > 0: at most this many train views whatever is asked
  int min_samples_per_pixel = 1;  // the scene's floor on the anti-aliasing samples
  int multiscale_levels = 1;      // > 1: also write multires/ with 1/2, 1/4, ... images
  Variations variations;
  Scene scene;  // prepared, ready to render
};

// Returns the text of a mesh file named in the scene (a path relative to the scene file);
// `field` names the JSON field for errors.
using FileReader = std::function<std::string(const std::string& path, const std::string& field)>;

// Parses a whole scene document. Throws InputError naming `file` and the field at fault.
SceneDescription parse_scene_description(const nlohmann::json& doc, const std::string& file,
                                         const FileReader& read_file);

// The content part (materials, objects, lights, ambient, environment) of the top-level
// object, added to `scene` (scene_content.cpp).
void parse_scene_content(JsonObject& top, const FileReader& read_file, Scene* scene);

}  // namespace nerds::scenes
