// The shape of the Instant-NGP radiance field (Müller et al. 2022, Sec. 5.4), apart from its
// storage, so that code that must not see Eigen (the CUDA backend) can read it.
#pragma once

#include "renderer/backend/hash_grid.h"

namespace nerds {

struct NetworkConfig {
  HashGridConfig grid;
  int density_hidden = 64;
  int density_layers = 1;
  int geo_features = 16;  // density MLP outputs (the first is log-density)
  int color_hidden = 64;
  int color_layers = 2;
  int sh_degree = 4;      // direction encoding: sh_degree^2 coefficients
};

}  // namespace nerds
