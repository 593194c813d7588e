// The shape of the Instant-NGP radiance field (Müller et al. 2022, Sec. 5.4), apart from its
// storage, so that code that must not see Eigen (the CUDA backend) can read it.
#pragma once

#include "renderer/backend/hash_grid.h"
#include "renderer/math/positional_encoding.h"

namespace nerds {

// How positions enter the density MLP: Instant-NGP's trainable hash grid, NeRF's fixed
// frequency encoding (Eq. 4), the raw coordinates (NeRF's "no positional encoding" ablation),
// or Mip-NeRF's integrated positional encoding of each sample's conical frustum (Sec. 3.1).
enum class EncodingKind : int { Hash = 0, Frequency = 1, None = 2, Ipe = 3 };

struct NetworkConfig {
  EncodingKind encoding = EncodingKind::Hash;
  HashGridConfig grid;           // encoding == Hash
  FrequencyEncoding frequency;   // encoding == Frequency or Ipe (None: 0 frequencies, the input only)
  int density_hidden = 64;
  int density_layers = 1;
  int geo_features = 16;  // density MLP outputs (the first is log-density)
  int color_hidden = 64;
  int color_layers = 2;
  int sh_degree = 4;      // direction encoding: sh_degree^2 coefficients
};

}  // namespace nerds
