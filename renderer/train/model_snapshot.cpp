#include "renderer/train/model_snapshot.h"

#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/train/non_finite_scan.h"

namespace nerds {

namespace {
const char* kMomentSuffix[2] = {".adam_m", ".adam_v"};
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
    if (first_moment_size(t) > 0)  // an Rmsprop tensor has none (an older build wrote zeros)
      sections.push_back(make_section(t.name + kMomentSuffix[0], moments[i].m.data(), moments[i].m.size()));
    sections.push_back(make_section(t.name + kMomentSuffix[1], moments[i].v.data(), moments[i].v.size()));
  }
  meta["tensors"] = std::move(list);
}

std::vector<ParamTensorInfo> snapshot_tensor_infos(const SnapshotContents& in) {
  json_fields::JsonObject meta(in.meta, in.path, "");
  const nlohmann::json& list = meta.raw("tensors");
  if (!list.is_array()) meta.fail("tensors", "expected a list of tensor descriptions");
  std::vector<ParamTensorInfo> out;
  for (size_t i = 0; i < list.size(); ++i) {
    json_fields::JsonObject d(list[i], in.path, "tensors[" + std::to_string(i) + "]");
    ParamTensorInfo t;
    t.name = d.string("name");
    t.shape = d.integers("shape", 0, std::numeric_limits<int64_t>::max());
    t.column_major = d.boolean("column_major");
    out.push_back(std::move(t));
  }
  return out;
}

void get_tensors(const SnapshotContents& in, const std::vector<ParamTensor>& tensors,
                 std::vector<AdamMoments>& moments) {
  // The descriptions, read through json_fields: a damaged one names its field.
  const std::vector<ParamTensorInfo> infos = snapshot_tensor_infos(in);
  struct Described {
    std::vector<int64_t> shape;
    bool column_major = false;
  };
  std::map<std::string, Described> described;
  std::set<std::string> known;
  for (const ParamTensor& t : tensors) known.insert(t.name);
  for (size_t i = 0; i < infos.size(); ++i) {
    const std::string& name = infos[i].name;
    const std::string field = "tensors[" + std::to_string(i) + "].name";
    if (!known.count(name))
      throw InputError(in.path, field,
                       "the snapshot holds tensor '" + name +
                           "', which this model does not have (a snapshot of a differently configured model?)");
    if (described.count(name)) throw InputError(in.path, field, "tensor '" + name + "' is described twice");
    described[name] = {infos[i].shape, infos[i].column_major};
  }
  moments.resize(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const ParamTensor& t = tensors[i];
    const auto d = described.find(t.name);
    if (d == described.end())
      throw InputError(in.path, t.name,
                       "tensor missing from the snapshot (a snapshot of a differently configured model?)");
    const std::vector<int64_t>& shape = d->second.shape;
    const bool column_major = d->second.column_major;
    if (shape != t.shape || column_major != t.column_major)
      throw InputError(in.path, t.name,
                       "has shape " + shape_text(shape) + (column_major ? " (column-major)" : "") +
                           " in the snapshot, " + shape_text(t.shape) + (t.column_major ? " (column-major)" : "") +
                           " in this model (a snapshot of a differently configured model?)");
    const size_t n = t.size();
    read_section(in, t.name, t.values, n);
    moments[i].m.resize(first_moment_size(t));
    moments[i].v.resize(n);
    if (!moments[i].m.empty()) read_section(in, t.name + kMomentSuffix[0], moments[i].m.data(), n);
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
