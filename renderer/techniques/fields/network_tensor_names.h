// The names under which the radiance field lists its trained tensors
// (NerfNetwork::param_tensors): shared with the CUDA backend, which keeps the same tensors,
// so both sides of a transfer and every snapshot agree on them.
#pragma once

#include <string>

namespace nerds {

constexpr const char* kEncodingTableTensor = "encoding.grid";  // the hash or dense grid's feature table
constexpr const char* kDensityMlpTensors = "field.density";    // + ".<layer>"
constexpr const char* kColorMlpTensors = "field.color";        // + ".<layer>"

// The proposal sampler's stage k: "sampler.proposal.<k>" + ".grid" / ".mlp.<layer>".
inline std::string proposal_tensor_prefix(int stage) { return "sampler.proposal." + std::to_string(stage); }

inline std::string mlp_layer_tensor_name(const char* mlp, int layer) { return std::string(mlp) + "." + std::to_string(layer); }

}  // namespace nerds
