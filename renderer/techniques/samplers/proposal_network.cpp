#include "renderer/techniques/samplers/proposal_network.h"

#include <algorithm>

#include "renderer/math/activations.h"

namespace nerds {

ProposalNetwork::ProposalNetwork(const ProposalNetworkConfig& config, int stage)
    : grid_(proposal_grid_config(config, stage)) {
  mlp_ = Mlp({grid_.output_dim(), config.hidden, 1, 1});
}

void ProposalNetwork::initialize(uint64_t seed) {
  grid_.initialize(seed);
  mlp_.initialize(seed + 1);
}

std::vector<ParamTensor> ProposalNetwork::param_tensors(const std::string& prefix) {
  std::vector<ParamTensor> out = {grid_.param_tensor(prefix + ".grid")};
  for (ParamTensor& t : mlp_.param_tensors((prefix + ".mlp").c_str())) out.push_back(std::move(t));
  return out;
}

void ProposalNetwork::reserve(ProposalWorkspace& ws, int n) const {
  if (n <= ws.capacity) return;
  n = std::max(n, ws.capacity + ws.capacity / 2);
  const size_t N = static_cast<size_t>(n), E = static_cast<size_t>(encoding_dim());
  const size_t H = static_cast<size_t>(mlp_.config().hidden);
  ws.enc.resize(E * N);
  ws.hidden.resize(H * N);
  ws.raw.resize(N);
  ws.d_raw.resize(N);
  ws.d_enc.resize(E * N);
  ws.scratch0.resize(H * N);
  ws.scratch1.resize(H * N);
  ws.capacity = n;
}

void ProposalNetwork::density(const float* pos, int n, ProposalWorkspace& ws, float* sigma) const {
  if (n <= 0) return;
  reserve(ws, n);
  const int E = encoding_dim();
  grid_.encode(pos, n, ws.enc.data(), E);
  float* hidden = ws.hidden.data();
  mlp_.forward(ws.enc.data(), E, n, &hidden, ws.raw.data(), 1);
  for (int i = 0; i < n; ++i) sigma[i] = trunc_exp(ws.raw[i]);
}

void ProposalNetwork::backward(ProposalWorkspace& ws, int n, const float* d_sigma,
                               std::vector<Eigen::MatrixXf>& d_weights) const {
  if (n <= 0) return;
  const int E = encoding_dim();
  for (int i = 0; i < n; ++i) ws.d_raw[i] = d_sigma[i] * trunc_exp_grad(ws.raw[i]);
  const float* hidden = ws.hidden.data();
  mlp_.backward(ws.enc.data(), E, n, &hidden, ws.d_raw.data(), ws.d_enc.data(), E, E, d_weights, ws.scratch0.data(),
                ws.scratch1.data());
}

}  // namespace nerds
