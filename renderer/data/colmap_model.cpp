// COLMAP 3.8's sparse model files (src/base/reconstruction.cc: Read/Write*Text, *Binary):
//   cameras.txt   CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]
//   images.txt    IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME, then a line of POINTS2D
//   points3D.txt  POINT3D_ID X Y Z R G B ERROR TRACK[]
// and their little-endian binary forms (a uint64 count, then the records: camera_id uint32,
// model_id int32, width height uint64, params double[]; image_id uint32, qvec double[4], tvec
// double[3], camera_id uint32, name NUL-terminated, num_points2D uint64 then (x y double,
// point3D_id int64)[]; point3D_id uint64, xyz double[3], rgb uint8[3], error double,
// track_length uint64 then (image_id point2D_idx uint32)[]).
#include "renderer/data/colmap_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {
namespace {

namespace fs = std::filesystem;
using json_fields::number_text;
using dataset_loaders::is_file;

struct CameraModelInfo {
  int id;
  const char* name;
  size_t params;
  bool supported;  // representable by the engine's pinhole + OpenCV k1 k2 p1 p2 camera
};
// COLMAP's model ids and parameter counts (src/base/camera_models.h).
constexpr CameraModelInfo kCameraModels[] = {
    {0, "SIMPLE_PINHOLE", 3, true},       {1, "PINHOLE", 4, true},          {2, "SIMPLE_RADIAL", 4, true},
    {3, "RADIAL", 5, true},               {4, "OPENCV", 8, true},           {5, "OPENCV_FISHEYE", 8, false},
    {6, "FULL_OPENCV", 12, false},        {7, "FOV", 5, false},             {8, "SIMPLE_RADIAL_FISHEYE", 4, false},
    {9, "RADIAL_FISHEYE", 5, false},      {10, "THIN_PRISM_FISHEYE", 12, false}};

const char* kSupportedModels = "SIMPLE_PINHOLE, PINHOLE, SIMPLE_RADIAL, RADIAL or OPENCV";

const CameraModelInfo& camera_model(const std::string& name, int id, const std::string& file,
                                    const std::string& field) {
  for (const CameraModelInfo& m : kCameraModels)
    if ((name.empty() && m.id == id) || (!name.empty() && name == m.name)) {
      if (!m.supported)
        throw InputError(file, field,
                         std::string("camera model ") + m.name + " is not supported (the engine's camera is a pinhole "
                         "with OpenCV k1 k2 p1 p2 distortion: " + kSupportedModels + ")");
      return m;
    }
  throw InputError(file, field,
                   "unknown camera model " + (name.empty() ? "id " + std::to_string(id) : "'" + name + "'") +
                       " (expected " + kSupportedModels + ")");
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot be opened");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A binary file read front to back; every read names the record and field it is for, so a
// truncated file says where it ends.
class BinaryReader {
 public:
  BinaryReader(std::string path) : path_(std::move(path)), bytes_(read_all(path_)) {}
  const std::string& path() const { return path_; }
  bool at_end() const { return at_ == bytes_.size(); }
  size_t left() const { return bytes_.size() - at_; }

  template <typename T>
  T read(const std::string& field) {
    need(sizeof(T), field);
    T v;
    std::memcpy(&v, bytes_.data() + at_, sizeof(T));  // little-endian hosts only, as COLMAP itself
    at_ += sizeof(T);
    return v;
  }
  std::string read_name(const std::string& field) {
    const size_t end = bytes_.find('\0', at_);
    if (end == std::string::npos)
      throw InputError(path_, field, "the file is truncated: the name has no terminating NUL byte");
    std::string name = bytes_.substr(at_, end - at_);
    at_ = end + 1;
    return name;
  }
  void skip(uint64_t count, uint64_t size, const std::string& field) {
    if (size != 0 && count > left() / size) need(left() + 1, field);
    at_ += static_cast<size_t>(count * size);
  }
  // A record count: each record takes at least min_record bytes, so a count beyond what the
  // file can hold is a truncated or damaged file, not a reason to reserve petabytes.
  uint64_t read_count(const std::string& field, size_t min_record) {
    const uint64_t n = read<uint64_t>(field);
    if (n > left() / min_record)
      throw InputError(path_, field,
                       "the file is truncated: it announces " + std::to_string(n) + " records but holds only " +
                           std::to_string(left()) + " more bytes");
    return n;
  }

 private:
  void need(size_t n, const std::string& field) const {
    if (n > left())
      throw InputError(path_, field,
                       "the file is truncated: " + std::to_string(n) + " bytes needed at byte " + std::to_string(at_) +
                           ", " + std::to_string(left()) + " left");
  }
  std::string path_, bytes_;
  size_t at_ = 0;
};

// The data lines of a text file (comments and blank lines dropped, except the POINTS2D line
// that follows each image line, which may be empty), with their 1-based line numbers.
struct TextLine {
  int number = 0;
  std::string text;
};

std::vector<TextLine> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot be opened");
  std::vector<TextLine> lines;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    lines.push_back({n, line});
  }
  return lines;
}

bool is_data(const TextLine& line) {
  const size_t first = line.text.find_first_not_of(" \t");
  return first != std::string::npos && line.text[first] != '#';
}

std::vector<std::string> tokens(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

double parse_number(const std::string& token, const std::string& file, const std::string& field) {
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (token.empty() || *end != '\0') throw InputError(file, field, "expected a number, got '" + token + "'");
  return v;
}

uint64_t parse_id(const std::string& token, const std::string& file, const std::string& field) {
  const double v = parse_number(token, file, field);
  if (!(v >= 0 && v <= 4294967295.0 && v == std::floor(v)))
    throw InputError(file, field, "expected a whole number from 0 to 2^32-1, got '" + token + "'");
  return static_cast<uint64_t>(v);
}

std::string line_field(const TextLine& line, const std::string& what) {
  return "line " + std::to_string(line.number) + " " + what;
}

void check_camera(const ColmapCamera& c, const std::string& file, const std::string& record) {
  if (c.width < 1 || c.height < 1 || c.width > (1 << 16) || c.height > (1 << 16))
    throw InputError(file, record + " WIDTH HEIGHT",
                     "image size " + std::to_string(c.width) + "x" + std::to_string(c.height) +
                         " out of range (1 to 65536 pixels a side)");
  for (size_t i = 0; i < c.params.size(); ++i)
    if (!std::isfinite(c.params[i]))
      throw InputError(file, record + " PARAMS[" + std::to_string(i) + "]", "not a finite number");
}

std::vector<ColmapCamera> read_cameras_text(const std::string& file) {
  std::vector<ColmapCamera> cameras;
  for (const TextLine& line : read_lines(file)) {
    if (!is_data(line)) continue;
    const std::vector<std::string> t = tokens(line.text);
    if (t.size() < 4) throw InputError(file, line_field(line, ""), "expected CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]");
    ColmapCamera c;
    c.id = static_cast<uint32_t>(parse_id(t[0], file, line_field(line, "CAMERA_ID")));
    const std::string record = line_field(line, "(camera " + std::to_string(c.id) + ")");
    const CameraModelInfo& m = camera_model(t[1], -1, file, record + " MODEL");
    c.model = m.name;
    c.width = static_cast<int>(std::min<uint64_t>(parse_id(t[2], file, record + " WIDTH"), 1u << 30));
    c.height = static_cast<int>(std::min<uint64_t>(parse_id(t[3], file, record + " HEIGHT"), 1u << 30));
    if (t.size() != 4 + m.params)
      throw InputError(file, record + " PARAMS",
                       c.model + " takes " + std::to_string(m.params) + " parameters, got " +
                           std::to_string(t.size() - 4));
    for (size_t i = 0; i < m.params; ++i)
      c.params.push_back(parse_number(t[4 + i], file, record + " PARAMS[" + std::to_string(i) + "]"));
    check_camera(c, file, record);
    cameras.push_back(c);
  }
  return cameras;
}

std::vector<ColmapCamera> read_cameras_binary(const std::string& file) {
  BinaryReader in(file);
  const uint64_t n = in.read_count("num_cameras", 24);
  std::vector<ColmapCamera> cameras;
  for (uint64_t i = 0; i < n; ++i) {
    const std::string record = "cameras[" + std::to_string(i) + "]";
    ColmapCamera c;
    c.id = in.read<uint32_t>(record + ".camera_id");
    const std::string named = record + " (camera " + std::to_string(c.id) + ")";
    const CameraModelInfo& m = camera_model("", in.read<int32_t>(named + ".model_id"), file, named + ".model_id");
    c.model = m.name;
    c.width = static_cast<int>(std::min<uint64_t>(in.read<uint64_t>(named + ".width"), 1u << 30));
    c.height = static_cast<int>(std::min<uint64_t>(in.read<uint64_t>(named + ".height"), 1u << 30));
    for (size_t p = 0; p < m.params; ++p) c.params.push_back(in.read<double>(named + ".params[" + std::to_string(p) + "]"));
    check_camera(c, file, named);
    cameras.push_back(c);
  }
  if (!in.at_end()) throw InputError(file, "", std::to_string(in.left()) + " bytes after the last camera");
  return cameras;
}

void check_image(ColmapImage& image, const std::string& file, const std::string& record) {
  double norm2 = 0;
  for (int k = 0; k < 4; ++k) {
    if (!std::isfinite(image.qvec[k])) throw InputError(file, record + " QW QX QY QZ", "not a finite number");
    norm2 += image.qvec[k] * image.qvec[k];
  }
  for (int k = 0; k < 3; ++k)
    if (!std::isfinite(image.tvec[k])) throw InputError(file, record + " TX TY TZ", "not a finite number");
  // COLMAP writes unit quaternions to 17 digits; far from unit is a damaged file.
  if (!(std::fabs(std::sqrt(norm2) - 1.0) <= 1e-3))
    throw InputError(file, record + " QW QX QY QZ",
                     "the rotation quaternion has length " + number_text(std::sqrt(norm2)) + ", not 1");
  for (double& q : image.qvec) q /= std::sqrt(norm2);
  if (image.name.empty()) throw InputError(file, record + " NAME", "empty image name");
}

std::vector<ColmapImage> read_images_text(const std::string& file) {
  const std::vector<TextLine> lines = read_lines(file);
  std::vector<ColmapImage> images;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!is_data(lines[i])) continue;
    const TextLine& line = lines[i];
    const std::vector<std::string> t = tokens(line.text);
    if (t.size() < 10)
      throw InputError(file, line_field(line, ""), "expected IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME");
    ColmapImage image;
    image.id = static_cast<uint32_t>(parse_id(t[0], file, line_field(line, "IMAGE_ID")));
    const std::string record = line_field(line, "(image " + std::to_string(image.id) + ")");
    for (int k = 0; k < 4; ++k) image.qvec[k] = parse_number(t[1 + k], file, record + " QW QX QY QZ");
    for (int k = 0; k < 3; ++k) image.tvec[k] = parse_number(t[5 + k], file, record + " TX TY TZ");
    image.camera_id = static_cast<uint32_t>(parse_id(t[8], file, record + " CAMERA_ID"));
    // The name is the rest of the line: COLMAP allows spaces in it.
    size_t at = 0;
    for (int k = 0; k < 9; ++k) {
      at = line.text.find_first_not_of(" \t", at);
      at = line.text.find_first_of(" \t", at);
    }
    image.name = line.text.substr(line.text.find_first_not_of(" \t", at));
    check_image(image, file, record);
    images.push_back(image);
    ++i;  // the POINTS2D line, possibly empty (COLMAP reads it unconditionally)
  }
  return images;
}

std::vector<ColmapImage> read_images_binary(const std::string& file) {
  BinaryReader in(file);
  const uint64_t n = in.read_count("num_reg_images", 77);
  std::vector<ColmapImage> images;
  for (uint64_t i = 0; i < n; ++i) {
    const std::string record = "images[" + std::to_string(i) + "]";
    ColmapImage image;
    image.id = in.read<uint32_t>(record + ".image_id");
    const std::string named = record + " (image " + std::to_string(image.id) + ")";
    for (double& q : image.qvec) q = in.read<double>(named + ".qvec");
    for (double& t : image.tvec) t = in.read<double>(named + ".tvec");
    image.camera_id = in.read<uint32_t>(named + ".camera_id");
    image.name = in.read_name(named + ".name");
    const uint64_t points2d = in.read<uint64_t>(named + ".num_points2D");
    in.skip(points2d, 24, named + ".points2D");
    check_image(image, file, named);
    images.push_back(image);
  }
  if (!in.at_end()) throw InputError(file, "", std::to_string(in.left()) + " bytes after the last image");
  return images;
}

// `xyz` and `error` name the fields as the file's form does (text: " X Y Z", binary: ".xyz").
void check_point(const ColmapPoint& p, const std::string& file, const std::string& xyz, const std::string& error) {
  for (int k = 0; k < 3; ++k)
    if (!std::isfinite(p.xyz[k])) throw InputError(file, xyz, "not a finite number");
  if (!(std::isfinite(p.error) && p.error >= 0)) throw InputError(file, error, "not a finite, non-negative number");
}

std::vector<ColmapPoint> read_points_text(const std::string& file) {
  std::vector<ColmapPoint> points;
  for (const TextLine& line : read_lines(file)) {
    if (!is_data(line)) continue;
    const std::vector<std::string> t = tokens(line.text);
    if (t.size() < 8) throw InputError(file, line_field(line, ""), "expected POINT3D_ID X Y Z R G B ERROR TRACK[]");
    const std::string record = line_field(line, "(point " + t[0] + ")");
    ColmapPoint p;
    for (int k = 0; k < 3; ++k) p.xyz[k] = parse_number(t[1 + k], file, record + " X Y Z");
    p.error = parse_number(t[7], file, record + " ERROR");
    check_point(p, file, record + " X Y Z", record + " ERROR");
    points.push_back(p);
  }
  return points;
}

std::vector<ColmapPoint> read_points_binary(const std::string& file) {
  BinaryReader in(file);
  const uint64_t n = in.read_count("num_points", 51);
  std::vector<ColmapPoint> points;
  for (uint64_t i = 0; i < n; ++i) {
    const std::string record = "points[" + std::to_string(i) + "]";
    const uint64_t id = in.read<uint64_t>(record + ".point3D_id");
    const std::string named = record + " (point " + std::to_string(id) + ")";
    ColmapPoint p;
    for (double& x : p.xyz) x = in.read<double>(named + ".xyz");
    in.skip(3, 1, named + ".rgb");
    p.error = in.read<double>(named + ".error");
    const uint64_t track = in.read<uint64_t>(named + ".track_length");
    in.skip(track, 8, named + ".track");
    check_point(p, file, named + ".xyz", named + ".error");
    points.push_back(p);
  }
  if (!in.at_end()) throw InputError(file, "", std::to_string(in.left()) + " bytes after the last point");
  return points;
}

// DIR/NAME.bin, else DIR/NAME.txt; InputError naming both when neither exists.
std::string model_file(const std::string& dir, const std::string& name, bool* binary) {
  const fs::path bin = fs::path(dir) / (name + ".bin"), txt = fs::path(dir) / (name + ".txt");
  *binary = is_file(bin);
  if (*binary) return bin.string();
  if (is_file(txt)) return txt.string();
  throw InputError(dir, name, "missing: neither " + name + ".bin nor " + name + ".txt (a COLMAP sparse model)");
}

// Doubles for the conversion: poses multiply.
struct D3 {
  double v[3] = {0, 0, 0};
};
double dot(const D3& a, const D3& b) { return a.v[0] * b.v[0] + a.v[1] * b.v[1] + a.v[2] * b.v[2]; }
D3 cross(const D3& a, const D3& b) {
  return D3{{a.v[1] * b.v[2] - a.v[2] * b.v[1], a.v[2] * b.v[0] - a.v[0] * b.v[2], a.v[0] * b.v[1] - a.v[1] * b.v[0]}};
}
struct M3 {
  double m[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  D3 operator*(const D3& x) const {
    D3 y;
    for (int r = 0; r < 3; ++r) y.v[r] = m[r][0] * x.v[0] + m[r][1] * x.v[1] + m[r][2] * x.v[2];
    return y;
  }
};

// The world-to-camera rotation of a unit quaternion (w, x, y, z), COLMAP's QuaternionToRotationMatrix.
M3 rotation_of(const double q[4]) {
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  M3 r;
  r.m[0][0] = 1 - 2 * (y * y + z * z), r.m[0][1] = 2 * (x * y - w * z), r.m[0][2] = 2 * (x * z + w * y);
  r.m[1][0] = 2 * (x * y + w * z), r.m[1][1] = 1 - 2 * (x * x + z * z), r.m[1][2] = 2 * (y * z - w * x);
  r.m[2][0] = 2 * (x * z - w * y), r.m[2][1] = 2 * (y * z + w * x), r.m[2][2] = 1 - 2 * (x * x + y * y);
  return r;
}

// The rotation taking unit vector a onto unit vector b (Rodrigues' formula about a x b), as
// colmap2nerf's rotmat(up, [0, 0, 1]); identity when they already agree, a half turn about x
// when they are opposite.
M3 rotation_between(const D3& a, const D3& b) {
  const D3 axis = cross(a, b);
  const double s = std::sqrt(dot(axis, axis)), c = dot(a, b);
  M3 r;
  if (s < 1e-12) {
    if (c < 0) r.m[1][1] = r.m[2][2] = -1;
    return r;
  }
  const double k[3] = {axis.v[0] / s, axis.v[1] / s, axis.v[2] / s};
  const double K[3][3] = {{0, -k[2], k[1]}, {k[2], 0, -k[0]}, {-k[1], k[0], 0}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double kk = 0;
      for (int l = 0; l < 3; ++l) kk += K[i][l] * K[l][j];
      r.m[i][j] = (i == j ? 1.0 : 0.0) + s * K[i][j] + (1 - c) * kk;
    }
  return r;
}

Intrinsics intrinsics_of(const ColmapCamera& c, const std::string& file) {
  const std::vector<double>& p = c.params;
  Intrinsics k;
  k.width = c.width;
  k.height = c.height;
  double fx = p[0], fy = p[0], cx = p[1], cy = p[2];
  double k1 = 0, k2 = 0, p1 = 0, p2 = 0;
  if (c.model == "PINHOLE" || c.model == "OPENCV") fy = p[1], cx = p[2], cy = p[3];
  if (c.model == "SIMPLE_RADIAL") k1 = p[3];
  if (c.model == "RADIAL") k1 = p[3], k2 = p[4];
  if (c.model == "OPENCV") k1 = p[4], k2 = p[5], p1 = p[6], p2 = p[7];
  const std::string field = "camera " + std::to_string(c.id) + " (" + c.model + ") PARAMS";
  check_focal_length(fx, c.width, file, field);
  check_focal_length(fy, c.height, file, field);
  check_principal_point(cx, c.width, file, field);
  check_principal_point(cy, c.height, file, field);
  k.fx = static_cast<float>(fx), k.fy = static_cast<float>(fy);
  k.cx = static_cast<float>(cx), k.cy = static_cast<float>(cy);
  k.k1 = static_cast<float>(k1), k.k2 = static_cast<float>(k2), k.p1 = static_cast<float>(p1), k.p2 = static_cast<float>(p2);
  check_distortion(k, file, field);
  return k;
}

// The value at fraction q of the sorted values (nearest rank).
double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(std::lround(q * static_cast<double>(values.size() - 1)))];
}

constexpr double kLowPercentile = 0.02, kHighPercentile = 0.98, kBoxMargin = 1.1;
constexpr float kMaxColmapAabbScale = 16.f;

}  // namespace

double ColmapModel::mean_reprojection_error() const {
  double sum = 0;
  for (const ColmapPoint& p : points) sum += p.error;
  return points.empty() ? 0.0 : sum / static_cast<double>(points.size());
}

const ColmapCamera& ColmapModel::camera(uint32_t id) const {
  for (const ColmapCamera& c : cameras)
    if (c.id == id) return c;
  throw InputError(images_file, "CAMERA_ID " + std::to_string(id), "no such camera in " + cameras_file);
}

bool is_colmap_model_dir(const std::string& dir) {
  return is_file(fs::path(dir) / "cameras.bin") || is_file(fs::path(dir) / "cameras.txt");
}

ColmapModel read_colmap_model(const std::string& dir) {
  ColmapModel model;
  bool binary = false;
  model.cameras_file = model_file(dir, "cameras", &binary);
  model.cameras = binary ? read_cameras_binary(model.cameras_file) : read_cameras_text(model.cameras_file);
  model.images_file = model_file(dir, "images", &binary);
  model.images = binary ? read_images_binary(model.images_file) : read_images_text(model.images_file);
  model.points_file = model_file(dir, "points3D", &binary);
  model.points = binary ? read_points_binary(model.points_file) : read_points_text(model.points_file);
  std::map<std::string, uint32_t> names;
  for (const ColmapImage& image : model.images) {
    model.camera(image.camera_id);
    if (!names.emplace(image.name, image.id).second)
      throw InputError(model.images_file, "image " + std::to_string(image.id) + " NAME",
                       "'" + image.name + "' is also image " + std::to_string(names[image.name]) + "'s");
  }
  if (model.images.empty()) throw InputError(model.images_file, "", "no registered image");
  std::sort(model.images.begin(), model.images.end(),
            [](const ColmapImage& a, const ColmapImage& b) { return a.name < b.name; });
  return model;
}

ColmapScene colmap_scene(const ColmapModel& model) {
  if (model.points.size() < 2)
    throw InputError(model.points_file, "", "the scene box comes from the sparse points: at least 2 are needed, got " +
                                                std::to_string(model.points.size()));
  // Camera-to-world in OpenGL axes: R^T's columns, y and z negated (COLMAP's camera looks
  // down +z with +y down); the centre -R^T t.
  struct Camera {
    D3 axis[3], centre;
  };
  std::vector<Camera> cams;
  D3 up_sum;
  for (const ColmapImage& image : model.images) {
    const M3 r = rotation_of(image.qvec);
    Camera c;
    for (int a = 0; a < 3; ++a) {
      const double sign = a == 0 ? 1.0 : -1.0;
      for (int k = 0; k < 3; ++k) c.axis[a].v[k] = sign * r.m[a][k];
    }
    for (int k = 0; k < 3; ++k)
      c.centre.v[k] = -(r.m[0][k] * image.tvec[0] + r.m[1][k] * image.tvec[1] + r.m[2][k] * image.tvec[2]);
    for (int k = 0; k < 3; ++k) up_sum.v[k] += c.axis[1].v[k];
    cams.push_back(c);
  }
  // colmap2nerf: rotate the world so that the cameras' mean up is +z (kept as is when the
  // cameras' ups cancel out, e.g. a rig that rolls all around).
  M3 world;
  const double up_length = std::sqrt(dot(up_sum, up_sum));
  if (up_length > 1e-2 * static_cast<double>(cams.size())) {
    const D3 up{{up_sum.v[0] / up_length, up_sum.v[1] / up_length, up_sum.v[2] / up_length}};
    world = rotation_between(up, D3{{0, 0, 1}});
  }
  std::vector<double> axis_values[3];
  for (const ColmapPoint& p : model.points) {
    const D3 q = world * D3{{p.xyz[0], p.xyz[1], p.xyz[2]}};
    for (int k = 0; k < 3; ++k) axis_values[k].push_back(q.v[k]);
  }
  double lo[3], hi[3], side = 0;
  for (int k = 0; k < 3; ++k) {
    lo[k] = percentile(axis_values[k], kLowPercentile);
    hi[k] = percentile(axis_values[k], kHighPercentile);
    side = std::max(side, (hi[k] - lo[k]) * kBoxMargin);
  }
  const double scale = 1.0 / side;
  if (!(scale >= kMinSceneScale && scale <= kMaxSceneScale))
    throw InputError(model.points_file, "X Y Z",
                     "the points' robust extent is " + number_text(side) + " world units: a scene box the engine "
                     "cannot hold");
  ColmapScene scene;
  scene.scale = static_cast<float>(scale);
  double offset[3];
  for (int k = 0; k < 3; ++k) {
    offset[k] = 0.5 - 0.5 * (lo[k] + hi[k]) * scale;
    scene.offset[k] = static_cast<float>(offset[k]);
  }
  double reach = 0.5;  // the half side the box needs to hold every camera
  for (size_t i = 0; i < cams.size(); ++i) {
    const ColmapImage& image = model.images[i];
    ColmapView view;
    view.name = image.name;
    view.image_id = image.id;
    view.intrinsics = intrinsics_of(model.camera(image.camera_id), model.cameras_file);
    const D3 centre = world * cams[i].centre;
    for (int a = 0; a < 3; ++a) {
      const D3 axis = world * cams[i].axis[a];
      for (int k = 0; k < 3; ++k) view.pose.m[k][a] = static_cast<float>(axis.v[k]);
    }
    for (int k = 0; k < 3; ++k) {
      view.pose.m[k][3] = static_cast<float>(centre.v[k]);
      reach = std::max(reach, std::fabs(centre.v[k] * scale + offset[k] - 0.5));
    }
    scene.views.push_back(view);
  }
  while (scene.aabb_scale < kMaxColmapAabbScale && 0.5 * scene.aabb_scale < reach) scene.aabb_scale *= 2.f;
  return scene;
}

}  // namespace nerds
