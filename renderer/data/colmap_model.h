// A COLMAP sparse model (Schönberger & Frahm 2016; COLMAP 3.8's files): a folder with
// cameras, images and points3D, each in text (.txt) or binary (.bin) form, and the scene it
// gives the engine: camera-to-world poses in the OpenGL convention, intrinsics with distortion,
// and a scene box from the sparse points. The COLMAP dataset loader (colmap_loader.cpp) and
// `nerds capture` (which writes the same scene as a transforms.json) share it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "renderer/math/camera.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct ColmapCamera {
  uint32_t id = 0;
  std::string model;           // SIMPLE_PINHOLE, PINHOLE, SIMPLE_RADIAL, RADIAL, OPENCV
  int width = 0, height = 0;
  std::vector<double> params;  // COLMAP's order for the model (f cx cy, fx fy cx cy, ... k1 k2 p1 p2)
};

struct ColmapImage {
  uint32_t id = 0;
  double qvec[4] = {1, 0, 0, 0};  // world-to-camera rotation, unit quaternion w x y z
  double tvec[3] = {0, 0, 0};     // world-to-camera translation
  uint32_t camera_id = 0;
  std::string name;               // relative to the image folder COLMAP ran on
};

struct ColmapPoint {
  double xyz[3] = {0, 0, 0};
  double error = 0;  // mean reprojection error of its track, pixels
};

struct ColmapModel {
  std::string cameras_file, images_file, points_file;  // the files read (for messages)
  std::vector<ColmapCamera> cameras;
  std::vector<ColmapImage> images;  // sorted by name
  std::vector<ColmapPoint> points;
  // COLMAP's Reconstruction::ComputeMeanReprojectionError: the mean of the points' errors.
  double mean_reprojection_error() const;
  const ColmapCamera& camera(uint32_t id) const;  // throws InputError naming images_file when absent
};

// True when `dir` holds cameras.bin or cameras.txt.
bool is_colmap_model_dir(const std::string& dir);
// Reads `dir`/{cameras,images,points3D}.{bin,txt} (binary wins when both exist). Every bad
// value is an InputError naming the file and the record's field: a truncated binary file, a
// malformed text line, an unknown camera model or a wrong parameter count, a non-finite or
// non-unit quaternion, an image whose camera is missing, a point with NaN.
ColmapModel read_colmap_model(const std::string& dir);

// One registered image in the engine's conventions: `pose` camera-to-world with the camera
// looking down -z and +y up (OpenGL), in the scene's world frame (COLMAP's, rotated so that
// the cameras' mean up direction is +z, as instant-ngp's colmap2nerf does).
struct ColmapView {
  std::string name;
  uint32_t image_id = 0;
  Pose pose;
  Intrinsics intrinsics;  // the camera's, at the size COLMAP saw (distortion included)
};

// What the engine trains on: the views (sorted by name) and instant-ngp's scene-box fields
// mapping the world frame into the engine's (p * scale + offset).
struct ColmapScene {
  std::vector<ColmapView> views;
  float aabb_scale = 1.f, scale = 1.f;
  Vec3 offset = make_vec3(0.5f, 0.5f, 0.5f);
};

// The scene of a model. The sparse points' robust extent (the 2nd to 98th percentile along
// each axis, so that a few stray points far away do not blow up the box) maps onto the unit
// cube [0,1]^3 with a 10% margin; aabb_scale is the smallest power of two (up to 16) whose box
// also holds every camera. Throws InputError naming the file and field for a camera model the
// engine cannot represent, an out-of-range focal length or distortion, or a model without points.
ColmapScene colmap_scene(const ColmapModel& model);

}  // namespace nerds
