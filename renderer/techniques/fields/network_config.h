// The shape of the Instant-NGP radiance field (Müller et al. 2022, Sec. 5.4), apart from its
// storage, so that code that must not see Eigen (the CUDA backend) can read it.
#pragma once

#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/math/positional_encoding.h"

namespace nerds {

// How positions enter the density MLP: Instant-NGP's trainable hash grid, NeRF's fixed
// frequency encoding (Eq. 4), the raw coordinates (NeRF's "no positional encoding" ablation),
// Mip-NeRF's integrated positional encoding of each sample's conical frustum (Sec. 3.1), or
// Instant-NGP's multiresolution dense grid (its ablation of the hash, Fig. 2/3: every level
// indexed 1:1, no collisions, memory growing with the finest resolution cubed).
enum class EncodingKind : int { Hash = 0, Frequency = 1, None = 2, Ipe = 3, Dense = 4 };

// The kinds stored in a HashGrid (trainable feature tables read by trilinear interpolation).
inline bool encoding_is_grid(EncodingKind kind) { return kind == EncodingKind::Hash || kind == EncodingKind::Dense; }

struct NetworkConfig {
  EncodingKind encoding = EncodingKind::Hash;
  HashGridConfig grid;           // encoding == Hash or Dense (NerfNetwork sets grid.all_dense for Dense)
  FrequencyEncoding frequency;   // encoding == Frequency or Ipe (None: 0 frequencies, the input only)
  int density_hidden = 64;
  int density_layers = 1;
  // NeRF's skip connection (Mildenhall et al. 2020, supplement Fig. 7): 0 none, else the
  // density MLP's input joins hidden layer k's output (MlpConfig::skip_layer).
  int density_skip_layer = 0;
  int geo_features = 16;  // density MLP outputs (the first is log-density)
  int color_hidden = 64;
  int color_layers = 2;
  int sh_degree = 4;      // direction encoding: sh_degree^2 coefficients
};

// The grid's configuration as the network builds it: every level dense exactly for the dense
// encoding, whatever grid.all_dense says (both backends lay the table out from this).
inline HashGridConfig network_grid_config(const NetworkConfig& c) {
  HashGridConfig g = c.grid;
  g.all_dense = c.encoding == EncodingKind::Dense;
  return g;
}

// Width of the position encoding (the density MLP's input) and of the color MLP's input.
inline int network_encoding_width(const NetworkConfig& c) {
  return encoding_is_grid(c.encoding) ? c.grid.levels * c.grid.features : frequency_encoding_width(c.frequency);
}
inline int network_color_input_width(const NetworkConfig& c) { return c.geo_features + c.sh_degree * c.sh_degree; }

}  // namespace nerds
