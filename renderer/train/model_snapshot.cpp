#include "renderer/train/model_snapshot.h"

#include <optional>
#include <set>
#include <string>

#include "renderer/error.h"
#include "renderer/train/non_finite_scan.h"

namespace nerds {

namespace {
const char* kMomentSuffix[2] = {".adam_m", ".adam_v"};

// The description of the snapshot's tensor called `name` in meta["tensors"], or null.
const nlohmann::json* described(const nlohmann::json& list, const std::string& name) {
  for (const nlohmann::json& t : list)
    if (t.is_object() && t.contains("name") && t["name"] == name) return &t;
  return nullptr;
}
}  // namespace

void put_tensors(const std::vector<ParamTensor>& tensors, const std::vector<AdamMoments>& moments,
                 nlohmann::json& meta, std::vector<SnapshotSection>& sections) {
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < tensors.size(); ++i) {
    const ParamTensor& t = tensors[i];
    list.push_back({{"name", t.name},
                    {"shape", t.shape},
                    {"column_major", t.column_major},
                    {"group", param_group_name(t.group)},
                    {"lr_factor", t.lr_factor}});
    sections.push_back(make_section(t.name, t.values, t.size()));
    sections.push_back(make_section(t.name + kMomentSuffix[0], moments[i].m.data(), moments[i].m.size()));
    sections.push_back(make_section(t.name + kMomentSuffix[1], moments[i].v.data(), moments[i].v.size()));
  }
  meta["tensors"] = std::move(list);
}

void get_tensors(const SnapshotContents& in, const std::vector<ParamTensor>& tensors,
                 std::vector<AdamMoments>& moments) {
  if (!in.meta.contains("tensors") || !in.meta["tensors"].is_array())
    throw InputError(in.path, "tensors", "missing from the snapshot's metadata (or not a list)");
  const nlohmann::json& list = in.meta["tensors"];
  std::set<std::string> known;
  for (const ParamTensor& t : tensors) known.insert(t.name);
  for (const nlohmann::json& d : list) {
    const std::string name = d.is_object() && d.contains("name") && d["name"].is_string() ? d["name"] : "";
    if (!known.count(name))
      throw InputError(in.path, "tensors",
                       "the snapshot holds tensor '" + name + "', which this model does not have (a snapshot of a "
                       "differently configured model?)");
  }
  moments.resize(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const ParamTensor& t = tensors[i];
    const nlohmann::json* d = described(list, t.name);
    if (!d) throw InputError(in.path, t.name, "tensor missing from the snapshot (a snapshot of a differently configured model?)");
    std::vector<int64_t> shape;
    bool column_major = false;
    try {
      shape = d->at("shape").get<std::vector<int64_t>>();
      column_major = d->at("column_major").get<bool>();
    } catch (const nlohmann::json::exception& e) {
      throw InputError(in.path, t.name, std::string("malformed tensor description: ") + e.what());
    }
    if (shape != t.shape || column_major != t.column_major)
      throw InputError(in.path, t.name,
                       "has shape " + shape_text(shape) + (column_major ? " (column-major)" : "") +
                           " in the snapshot, " + shape_text(t.shape) + (t.column_major ? " (column-major)" : "") +
                           " in this model (a snapshot of a differently configured model?)");
    const size_t n = t.size();
    read_section(in, t.name, t.values, n);
    moments[i].m.resize(n);
    moments[i].v.resize(n);
    read_section(in, t.name + kMomentSuffix[0], moments[i].m.data(), n);
    read_section(in, t.name + kMomentSuffix[1], moments[i].v.data(), n);
  }
  // A diverged model (Engine::save refuses to write one; an older build did not) is refused
  // here, so eval, render and resume all say so instead of printing "PSNR nan".
  if (const std::optional<NonFiniteValues> bad = find_non_finite(tensors, moments))
    throw TrainingFailure(in.path, bad->section,
                          non_finite_text(*bad) +
                              ": the model diverged while training; train it again (e.g. with a lower trainer.lr)");
}

}  // namespace nerds
