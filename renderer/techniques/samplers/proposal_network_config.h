// The shape of the proposal sampler's density networks (sampler.kind = proposal,
// proposal_sampler.cpp), apart from their storage: plain data, so the network configuration
// (network_config.h, which the CUDA backend reads) can hold it. Mip-NeRF 360 (Barron et al.
// 2022, Sec. 3) uses one proposal MLP of 4 x 256 for both stages; the grid-based followers
// (nerfacto, Zip-NeRF) give each stage a small hash grid and a tiny MLP, which suits this
// engine: nerfacto's 5 levels of 2 features, a hidden layer of 16, finest resolution 128 for
// the first stage and 256 for the second (its table holds 2^17 entries; ours 2^16 by default).
#pragma once

#include "renderer/techniques/encodings/hash_grid.h"

namespace nerds {

struct ProposalNetworkConfig {
  int count = 0;  // networks, one per proposal stage; 0: none (every sampler kind but proposal)
  int levels = 5;
  int features = 2;
  int log2_table_size = 16;
  int base_resolution = 16;
  float max_resolution = 128;  // the first stage's finest level; stage k's is 2^k times it
  int hidden = 16;             // the one hidden layer of the density MLP
};

// Stage k's hash grid.
inline HashGridConfig proposal_grid_config(const ProposalNetworkConfig& c, int stage) {
  HashGridConfig g;
  g.levels = c.levels;
  g.features = c.features;
  g.log2_table_size = c.log2_table_size;
  g.base_resolution = c.base_resolution;
  g.max_resolution = c.max_resolution * static_cast<float>(1 << stage);
  return g;
}

}  // namespace nerds
