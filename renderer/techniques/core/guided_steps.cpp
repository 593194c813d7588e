// The guided steps' reader and writer (papers/README.md, "Guided steps"). Strict: every field
// is checked for type and range, an unknown key is an error, all named by card file and field.
// What needs the card (the toggle a step names) is resolved by paper_cards.cpp; what needs the
// dataset (a view's index, a ray inside its image) by check_guided_step_views.
#include "renderer/techniques/core/guided_steps.h"

#include <algorithm>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {
namespace {

namespace jf = json_fields;
using nlohmann::json;

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// "camera": {"split": "test", "index": 3} or {"transform_matrix": [[...], ...]}.
GuidedStepCamera read_camera(const json& value, const std::string& file, const std::string& field) {
  jf::JsonObject o(value, file, field);
  GuidedStepCamera camera;
  const bool view = o.has("split") || o.has("index");
  const bool pose = o.has("transform_matrix");
  if (view == pose)
    throw InputError(file, field,
                     "give a dataset view (\"split\" and \"index\") or a pose (\"transform_matrix\"), not both "
                     "or neither");
  if (view) {
    camera.split = o.string("split");
    if (!listed(guided_step_splits(), camera.split))
      o.fail("split", "'" + camera.split + "' is not a split (" + joined(guided_step_splits()) + ")");
    camera.index = static_cast<int>(o.integer("index", int64_t{0}, int64_t{1} << 30));
  } else {
    // The same checks as a dataset's camera: finite and rigid.
    jf::read_pose(value, file, field);
    for (const json& row : o.raw("transform_matrix"))
      camera.pose.push_back({row[0].get<double>(), row[1].get<double>(), row[2].get<double>(), row[3].get<double>()});
  }
  o.finish();
  return camera;
}

// "size": "1/8" or {"width": 200, "height": 150}.
GuidedStepSize read_size(const json& value, const std::string& file, const std::string& field) {
  GuidedStepSize size;
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    const std::string digits = s.rfind("1/", 0) == 0 ? s.substr(2) : "";
    // Digits only, no leading zero: the card re-emits the size as it was written.
    const bool whole = !digits.empty() && digits.size() <= 2 && digits[0] != '0' &&
                       digits.find_first_not_of("0123456789") == std::string::npos;
    const int divisor = whole ? std::stoi(digits) : 0;
    if (divisor < 1 || divisor > kMaxGuidedStepDivisor)
      throw InputError(file, field,
                       "'" + s + "' is not an image size 1/N with N in [1, " + std::to_string(kMaxGuidedStepDivisor) +
                           "] (or give {\"width\": W, \"height\": H})");
    size.divisor = divisor;
    return size;
  }
  if (!value.is_object())
    throw InputError(file, field, "expected \"1/N\" or {\"width\": W, \"height\": H}, got " + value.dump());
  jf::JsonObject o(value, file, field);
  size.width = static_cast<int>(o.integer("width", int64_t{1}, int64_t{kMaxGuidedStepSide}));
  size.height = static_cast<int>(o.integer("height", int64_t{1}, int64_t{kMaxGuidedStepSide}));
  o.finish();
  return size;
}

// "rays": [[x, y], ...], pixels (column, row) from the top-left corner; the image's bounds
// are checked against the dataset by check_guided_step_views.
std::vector<std::array<int, 2>> read_rays(const json& value, const std::string& file, const std::string& field) {
  if (!value.is_array() || value.empty() || value.size() > kMaxGuidedStepRays)
    throw InputError(file, field,
                     "expected 1 to " + std::to_string(kMaxGuidedStepRays) + " pixels [x, y], got " + value.dump());
  std::vector<std::array<int, 2>> rays;
  for (size_t i = 0; i < value.size(); ++i) {
    const json& p = value[i];
    const std::string name = field + "[" + std::to_string(i) + "]";
    if (!p.is_array() || p.size() != 2) throw InputError(file, name, "expected a pixel [x, y], got " + p.dump());
    std::array<int, 2> pixel{};
    for (int c = 0; c < 2; ++c) {
      const std::string coordinate = name + "[" + std::to_string(c) + "]";
      const int64_t v = jf::read_integer(p[c], file, coordinate);
      if (v < 0 || v >= kMaxGuidedStepSide)
        throw InputError(file, coordinate,
                         "must be a pixel in [0, " + std::to_string(kMaxGuidedStepSide - 1) + "], got " + p.dump());
      pixel[c] = static_cast<int>(v);
    }
    rays.push_back(pixel);
  }
  return rays;
}

// "toggle": {"param": "encoding.kind" (or "encoding.kind=frequency"), "show": "off" | "on" | "both"}.
GuidedStepToggle read_toggle(jf::JsonObject o) {
  GuidedStepToggle toggle;
  toggle.choice = o.string("param");
  if (toggle.choice.find_first_not_of(" \t\n") == std::string::npos) o.fail("param", "must not be empty");
  toggle.show = o.string("show");
  if (toggle.show != "off" && toggle.show != "on" && toggle.show != "both")
    o.fail("show", "'" + toggle.show + "' is not off, on or both");
  o.finish();
  return toggle;
}

GuidedStep read_step(const json& value, const std::string& file, const std::string& where) {
  jf::JsonObject o(value, file, where);
  GuidedStep step;
  step.text = o.string("text");
  if (step.text.find_first_not_of(" \t") == std::string::npos) o.fail("text", "must not be empty");
  if (step.text.find('\n') != std::string::npos) o.fail("text", "must be one line");
  if (o.has("camera")) step.camera = read_camera(o.raw("camera"), file, o.field("camera"));
  if (o.has("mode")) {
    step.mode = o.string("mode");
    if (!listed(guided_step_modes(), step.mode))
      o.fail("mode", "'" + step.mode + "' is not a render mode (" + joined(guided_step_modes()) + ")");
  }
  if (o.has("size")) step.size = read_size(o.raw("size"), file, o.field("size"));
  if (o.has("rays")) {
    step.rays = read_rays(o.raw("rays"), file, o.field("rays"));
    if (!step.camera || !step.camera->is_dataset_view())
      o.fail("rays", "pixels need a dataset view to lie in: give the step a camera {\"split\", \"index\"}");
  }
  if (o.has("toggle")) step.toggle = read_toggle(o.object("toggle"));
  o.finish();
  return step;
}

}  // namespace

const std::vector<std::string>& guided_step_modes() {
  static const std::vector<std::string> modes = {"rgb", "depth", "opacity", "samples", "error"};
  return modes;
}

const std::vector<std::string>& guided_step_splits() {
  static const std::vector<std::string> splits = {"train", "val", "test"};
  return splits;
}

std::vector<GuidedStep> read_guided_steps(const json& steps, const std::string& file) {
  if (!steps.is_array() || steps.empty()) throw InputError(file, "steps", "must be a non-empty array of steps");
  std::vector<GuidedStep> out;
  for (size_t i = 0; i < steps.size(); ++i)
    out.push_back(read_step(steps[i], file, "steps[" + std::to_string(i) + "]"));
  return out;
}

nlohmann::ordered_json guided_step_json(const GuidedStep& s) {
  using ojson = nlohmann::ordered_json;
  ojson j = {{"text", s.text}};
  if (s.camera) {
    if (s.camera->is_dataset_view()) {
      j["camera"] = {{"split", s.camera->split}, {"index", s.camera->index}};
    } else {
      ojson rows = ojson::array();
      for (const std::array<double, 4>& r : s.camera->pose) rows.push_back({r[0], r[1], r[2], r[3]});
      j["camera"] = {{"transform_matrix", rows}};
    }
  }
  if (!s.mode.empty()) j["mode"] = s.mode;
  if (s.size) {
    if (s.size->divisor > 0) {
      j["size"] = "1/" + std::to_string(s.size->divisor);
    } else {
      j["size"] = {{"width", s.size->width}, {"height", s.size->height}};
    }
  }
  if (!s.rays.empty()) {
    j["rays"] = ojson::array();
    for (const std::array<int, 2>& p : s.rays) j["rays"].push_back({p[0], p[1]});
  }
  if (s.toggle) j["toggle"] = {{"param", s.toggle->choice}, {"show", s.toggle->show}};
  return j;
}

void check_guided_step_views(const std::vector<GuidedStep>& steps, const Dataset& split_views,
                             const std::string& file) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const GuidedStep& s = steps[i];
    if (!s.camera || s.camera->split != split_views.split) continue;
    const std::string where = "steps[" + std::to_string(i) + "]";
    const size_t index = static_cast<size_t>(s.camera->index);
    if (index >= split_views.frames.size())
      throw InputError(file, where + ".camera.index",
                       "view " + std::to_string(index) + " of the " + split_views.split + " split, which has " +
                           std::to_string(split_views.frames.size()) + " views (" + split_views.root + ")");
    const Intrinsics& in = split_views.frames[index].intrinsics;
    for (size_t r = 0; r < s.rays.size(); ++r)
      if (s.rays[r][0] >= in.width || s.rays[r][1] >= in.height)
        throw InputError(file, where + ".rays[" + std::to_string(r) + "]",
                         "pixel (" + std::to_string(s.rays[r][0]) + ", " + std::to_string(s.rays[r][1]) +
                             ") is outside " + split_views.split + " view " + std::to_string(index) + " (" +
                             std::to_string(in.width) + "x" + std::to_string(in.height) + ")");
  }
}

Pose guided_step_pose(const GuidedStepCamera& camera, const Dataset& views) {
  if (camera.is_dataset_view()) return views.frames.at(static_cast<size_t>(camera.index)).pose;
  Pose pose;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      pose.m[r][c] = static_cast<float>(camera.pose[static_cast<size_t>(r)][static_cast<size_t>(c)]);
  return to_engine_frame(pose, views.scale, views.offset);
}

std::array<float, 2> guided_ray_view_point(const std::array<int, 2>& pixel, int width, int height) {
  return {static_cast<float>((pixel[0] + 0.5) / width), static_cast<float>((pixel[1] + 0.5) / height)};
}

}  // namespace nerds
