// The model's tensor list in a snapshot (snapshot_file.h, format version 2): each tensor is
// three sections, "<name>" (its values), "<name>.adam_m" and "<name>.adam_v" (its Adam
// moments), raw floats in the tensor's storage order; the metadata's "tensors" array
// describes them (name, shape, storage order, optimizer group, learning-rate factor). Saving
// and loading iterate the list, so a module with new tensors needs no snapshot code.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/model/param_tensor.h"
#include "renderer/train/snapshot_file.h"

namespace nerds {

// Appends the tensors' sections to `sections` and their descriptions to meta["tensors"].
void put_tensors(const std::vector<ParamTensor>& tensors, const std::vector<AdamMoments>& moments,
                 nlohmann::json& meta, std::vector<SnapshotSection>& sections);

// The tensors' descriptions (name, shape, storage order) the snapshot holds, in its order;
// InputError naming the field when one is damaged.
std::vector<ParamTensorInfo> snapshot_tensor_infos(const SnapshotContents& in);

// Reads every tensor of `tensors` and its moments back from `in`. Throws InputError naming
// the file and the tensor when the snapshot's list differs from the model's: a tensor missing
// or extra, another shape or storage order (a snapshot of a differently configured model);
// TrainingFailure (an InputError) when a tensor or a moment holds NaN or infinity.
void get_tensors(const SnapshotContents& in, const std::vector<ParamTensor>& tensors,
                 std::vector<AdamMoments>& moments);

}  // namespace nerds
