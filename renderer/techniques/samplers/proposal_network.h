// One proposal stage's density network (sampler.kind = proposal; Mip-NeRF 360, Barron et al.
// 2022, Sec. 3, in the grid-based followers' form, proposal_network_config.h): a small hash
// grid (Instant-NGP's encoding, HashGrid) and an MLP of one hidden layer whose one output is
// log-density, density = trunc_exp as the radiance field's. It only places samples: L_prop
// trains it (proposal_loss.h), nothing else reads its output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "renderer/backend/mlp.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/samplers/proposal_network_config.h"

namespace nerds {

// Per-thread buffers of one stage's batch: the activations kept for backward().
struct ProposalWorkspace {
  int capacity = 0;
  std::vector<float> enc, hidden, raw, d_raw, d_enc, scratch0, scratch1;
};

class ProposalNetwork {
 public:
  ProposalNetwork(const ProposalNetworkConfig& config, int stage);

  const HashGrid& grid() const { return grid_; }
  HashGrid& grid() { return grid_; }
  const Mlp& mlp() const { return mlp_; }
  int encoding_dim() const { return grid_.output_dim(); }

  // The grid as Instant-NGP initializes it, the MLP Xavier-uniform.
  void initialize(uint64_t seed);
  // The trained tensors: "<prefix>.grid" (sparse group) and "<prefix>.mlp.<layer>" (dense).
  std::vector<ParamTensor> param_tensors(const std::string& prefix);

  // n positions (3 each, [0,1]^3 of the grid) -> sigma[n]; keeps the activations in ws.
  void density(const float* pos, int n, ProposalWorkspace& ws, float* sigma) const;
  // Given dL/dsigma of the n samples of the last density() in ws: adds dL/dW into d_weights
  // (the MLP's shapes, zero_gradients()) and leaves dL/d(encoding) in ws.d_enc (E x n).
  void backward(ProposalWorkspace& ws, int n, const float* d_sigma, std::vector<Eigen::MatrixXf>& d_weights) const;
  std::vector<Eigen::MatrixXf> zero_gradients() const { return mlp_.zero_like(); }

 private:
  void reserve(ProposalWorkspace& ws, int n) const;

  HashGrid grid_;
  Mlp mlp_;
};

}  // namespace nerds
