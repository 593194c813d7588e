#include "renderer/data/dataset_fingerprint.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "renderer/error.h"

namespace nerds {

namespace fs = std::filesystem;

namespace {

constexpr int kFingerprintVersion = 1;

// FNV-1a, 64 bits: a fast hash of a few hundred bytes per frame (not a security measure).
class Fnv1a {
 public:
  void bytes(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < n; ++i) h_ = (h_ ^ p[i]) * 1099511628211ull;
  }
  void f32(float v) { bytes(&v, sizeof v); }
  void i64(int64_t v) { bytes(&v, sizeof v); }
  void u64(uint64_t v) { bytes(&v, sizeof v); }
  void text(const std::string& s) {
    i64(static_cast<int64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ull;
};

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

uint64_t from_hex(const nlohmann::json& j) {
  const std::string s = j.get<std::string>();
  if (s.size() != 16 || s.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw std::invalid_argument("not a 16-digit hex hash: " + s);
  return std::stoull(s, nullptr, 16);
}

std::string relative_name(const std::string& image_path, const std::string& root) {
  const fs::path rel = fs::path(image_path).lexically_normal().lexically_relative(fs::path(root).lexically_normal());
  return rel.empty() ? fs::path(image_path).filename().string() : rel.string();
}

uint64_t frame_hash(const FrameFingerprint& f) {
  Fnv1a h;
  h.text(f.file);
  h.i64(f.bytes);
  h.i64(f.width);
  h.i64(f.height);
  h.u64(f.pose);
  h.u64(f.intrinsics);
  return h.value();
}

uint64_t total_hash(const DatasetFingerprint& f) {
  Fnv1a h;
  h.text(f.format);
  h.u64(f.scene);
  h.i64(static_cast<int64_t>(f.frames.size()));
  for (const FrameFingerprint& frame : f.frames) h.u64(frame_hash(frame));
  return h.value();
}

std::string size_text(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

}  // namespace

DatasetFingerprint fingerprint_dataset(const Dataset& data) {
  DatasetFingerprint f;
  f.format = data.format;
  Fnv1a scene;
  scene.f32(data.aabb_scale);
  scene.f32(data.scale);
  scene.f32(data.offset.x);
  scene.f32(data.offset.y);
  scene.f32(data.offset.z);
  scene.f32(data.near_bound);
  scene.f32(data.far_bound);
  f.scene = scene.value();
  for (const Frame& frame : data.frames) {
    FrameFingerprint ff;
    ff.file = relative_name(frame.image_path, data.root);
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(frame.image_path, ec);
    ff.bytes = ec ? -1 : static_cast<int64_t>(size);
    ff.width = frame.intrinsics.width;
    ff.height = frame.intrinsics.height;
    Fnv1a pose;
    for (const auto& row : frame.pose.m)
      for (float v : row) pose.f32(v);
    ff.pose = pose.value();
    const Intrinsics& k = frame.intrinsics;
    Fnv1a intrinsics;
    for (float v : {k.fx, k.fy, k.cx, k.cy, k.k1, k.k2, k.p1, k.p2, frame.lossmult}) intrinsics.f32(v);
    ff.intrinsics = intrinsics.value();
    f.frames.push_back(ff);
  }
  f.hash = total_hash(f);
  return f;
}

nlohmann::json fingerprint_to_json(const DatasetFingerprint& f) {
  nlohmann::json frames = nlohmann::json::array();
  for (const FrameFingerprint& ff : f.frames)
    frames.push_back({ff.file, ff.bytes, ff.width, ff.height, hex(ff.pose), hex(ff.intrinsics)});
  return {{"version", kFingerprintVersion},
          {"hash", hex(f.hash)},
          {"format", f.format},
          {"scene", hex(f.scene)},
          {"frames", frames},
          {"frame_fields", {"file", "bytes", "width", "height", "pose", "intrinsics"}}};
}

DatasetFingerprint fingerprint_from_json(const nlohmann::json& j, const std::string& file) {
  DatasetFingerprint f;
  try {
    if (j.at("version").get<int>() != kFingerprintVersion)
      throw std::invalid_argument("version " + j.at("version").dump() + " (this build reads " +
                                  std::to_string(kFingerprintVersion) + ")");
    f.format = j.at("format").get<std::string>();
    f.scene = from_hex(j.at("scene"));
    for (const nlohmann::json& e : j.at("frames")) {
      if (!e.is_array() || e.size() != 6) throw std::invalid_argument("a frame is not [file, bytes, w, h, pose, intrinsics]");
      FrameFingerprint ff;
      ff.file = e[0].get<std::string>();
      ff.bytes = e[1].get<int64_t>();
      ff.width = e[2].get<int>();
      ff.height = e[3].get<int>();
      ff.pose = from_hex(e[4]);
      ff.intrinsics = from_hex(e[5]);
      f.frames.push_back(ff);
    }
    f.hash = from_hex(j.at("hash"));
  } catch (const std::exception& e) {  // nlohmann's type/out-of-range errors and the checks above
    throw InputError(file, "dataset_fingerprint", std::string("malformed: ") + e.what());
  }
  return f;
}

std::string fingerprint_difference(const DatasetFingerprint& saved, const DatasetFingerprint& now) {
  if (saved.hash == now.hash && saved.hash == total_hash(saved)) return "";
  if (saved.format != now.format) return "the dataset format (" + saved.format + " -> " + now.format + ")";
  if (saved.frames.size() != now.frames.size())
    return "the number of training frames (" + std::to_string(saved.frames.size()) + " -> " +
           std::to_string(now.frames.size()) + ")";
  const std::string box = saved.scene != now.scene ? "the scene box (aabb_scale, scale, offset or depth bounds)" : "";
  std::string first;
  size_t differing = 0;
  for (size_t i = 0; i < saved.frames.size(); ++i) {
    const FrameFingerprint &a = saved.frames[i], &b = now.frames[i];
    std::string what;
    if (a.file != b.file)
      what = "its image file (" + a.file + " -> " + b.file + ")";
    else if (a.width != b.width || a.height != b.height)
      what = "its image size (" + size_text(a.width, a.height) + " -> " + size_text(b.width, b.height) + ")";
    else if (a.bytes != b.bytes)
      what = "the image file's size (" + std::to_string(a.bytes) + " -> " + std::to_string(b.bytes) + " bytes)";
    else if (a.pose != b.pose)
      what = "the pose";
    else if (a.intrinsics != b.intrinsics)
      what = "the intrinsics (focal length, principal point, distortion or lossmult)";
    if (what.empty()) continue;
    if (differing++ == 0) first = "frame " + std::to_string(i) + " (" + a.file + "): " + what;
  }
  if (differing == 0) return box.empty() ? "the fingerprint's hash (the stored fingerprint is damaged)" : box;
  if (differing > 1) first += ", and " + std::to_string(differing - 1) + " more frame" + (differing > 2 ? "s" : "");
  return box.empty() ? first : first + "; and " + box;
}

void check_dataset_fingerprint(const nlohmann::json& meta, const DatasetFingerprint& now, const std::string& data_dir,
                               const std::string& snapshot_path, bool accept_other) {
  if (!meta.is_object() || !meta.contains("dataset_fingerprint")) {
    std::fprintf(stderr,
                 "nerds: note: %s was saved without a dataset fingerprint (by an older build): "
                 "its dataset %s is not checked against the one it was trained on\n",
                 snapshot_path.c_str(), data_dir.c_str());
    return;
  }
  const DatasetFingerprint saved = fingerprint_from_json(meta.at("dataset_fingerprint"), snapshot_path);
  const std::string difference = fingerprint_difference(saved, now);
  if (difference.empty()) return;
  const std::string what = "the training split of " + data_dir + " differs from the one this run was trained on: " +
                           difference;
  if (accept_other) {
    std::fprintf(stderr, "nerds: note: %s (%s); using it as asked\n", what.c_str(), snapshot_path.c_str());
    return;
  }
  throw InputError(snapshot_path, "dataset_fingerprint",
                   what + "; use the dataset the run was trained on, or pass --allow-other-data to use this one "
                          "anyway");
}

}  // namespace nerds
