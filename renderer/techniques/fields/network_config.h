// The shape of the Instant-NGP radiance field (Müller et al. 2022, Sec. 5.4), apart from its
// storage, so that code that must not see Eigen (the CUDA backend) can read it.
#pragma once

#include <string>

#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/math/positional_encoding.h"
#include "renderer/math/integrated_dir_encoding.h"
#include "renderer/techniques/per_image/per_image_config.h"
#include "renderer/techniques/samplers/proposal_network_config.h"
#include "renderer/techniques/plenoxels/plenoxels_config.h"
#include "renderer/techniques/dvgo/dvgo_config.h"
#include "renderer/techniques/tensorf/tensorf_config.h"
#include "renderer/math/sh_color.h"

namespace nerds {

// The two encoding kinds whose encoding is a HashGrid table (encodings/hash_grid_encoding.cpp
// and dense_grid_encoding.cpp register them): named here, in plain C++, because the CUDA
// backend implements exactly these and reads the configuration without the CPU classes.
constexpr const char kHashEncoding[] = "hash";
constexpr const char kDenseEncoding[] = "dense";

// The colour heads (field.color): the standard one ([geometry features, SH(direction)] ->
// sigmoid RGB) and Ref-NeRF's (ref_nerf_head.h: predicted normals, roughness, diffuse colour
// and specular tint from the geometry features; [features, IDE(reflected direction), n'.d]
// -> specular colour).
constexpr const char kStandardColorHead[] = "standard";
constexpr const char kRefNerfColorHead[] = "ref_nerf";
// Plenoxels' (Fridovich-Keil, Yu et al. 2022, Sec. 3.1): no network; the geometry features
// after the density are 3 x sh_degree^2 SH coefficients, colour = the activation
// (field.sh_color_activation, renderer/math/sh_color.h) of SH(d) . coefficients per channel
// (an explicit encoding's: field.density = encoding).
constexpr const char kShColorHead[] = "sh";

// Where the density comes from (field.density): the density MLP's first output (Instant-NGP,
// NeRF), or the encoding's first output with no density MLP at all (the explicit grids:
// TensoRF, Plenoxels, DVGO; the encoding's outputs are then the geometry features).
constexpr const char kDensityFromMlp[] = "mlp";
constexpr const char kDensityFromEncoding[] = "encoding";

// The activation that maps the raw density to sigma (renderer/math/density_activation.h).
enum class DensityActivation : int { TruncExp = 0, Softplus = 1, Relu = 2 };

struct NetworkConfig {
  // How positions enter the density MLP: the name of a kind registered in
  // encodings/encoding_kinds.cpp (hash, frequency, none, ipe, dense, ...), which builds it
  // from the settings below.
  std::string encoding = kHashEncoding;
  HashGridConfig grid;           // the grid kinds (hash, dense: its encoding sets grid.all_dense)
  FrequencyEncoding frequency;   // frequency, ipe (none: 0 frequencies, the input only)
  TensorfConfig tensorf;         // tensorf (renderer/techniques/tensorf/)
  PlenoxelsConfig plenoxels;     // plenoxels (renderer/techniques/plenoxels/)
  DvgoConfig dvgo;               // dvgo (renderer/techniques/dvgo/)
  int density_hidden = 64;
  int density_layers = 1;
  // NeRF's skip connection (Mildenhall et al. 2020, supplement Fig. 7): 0 none, else the
  // density MLP's input joins hidden layer k's output (MlpConfig::skip_layer).
  int density_skip_layer = 0;
  int geo_features = 16;  // density MLP outputs (the first is log-density)
  // field.density and its activation (defaults: the density MLP, trunc_exp, no shift, scale 1).
  // density_shift is added to the raw density first (TensoRF's -10, DVGO's low-density start).
  std::string density_source = kDensityFromMlp;
  DensityActivation density_activation = DensityActivation::TruncExp;
  float density_shift = 0.f;
  float density_scale = 1.f;  // sigma's factor after the activation (TensoRF's distance_scale)
  int color_hidden = 64;
  int color_layers = 2;
  int sh_degree = 4;      // direction encoding: sh_degree^2 coefficients
  std::string color_head = kStandardColorHead;  // field.color
  // The SH colour head's activation (field.sh_color_activation; the official Plenoxels code's
  // clamp(s + 0.5, 0) by default).
  ShColorActivation sh_color_activation = ShColorActivation::Clamp;
  int ide_degree = kMaxIdeDegree;               // Ref-NeRF's IDE: degrees l = 1, 2, ..., 2^(ide_degree-1)
  // Ref-NeRF's reflection about the density normals (field.ref_reflect_normals = density), by
  // central differences of this step in the box's [0,1] units (field.ref_normal_step); 0: about
  // the predicted normals n', the paper's.
  float ref_reflect_step = 0.f;
  // The proposal sampler's density networks, which the model holds beside the field (none
  // unless sampler.kind = proposal).
  ProposalNetworkConfig proposal;
  // NeRF-W's per-image appearance codes (a color MLP input) and transient head (both off by
  // default; renderer/techniques/per_image/).
  AppearanceConfig appearance;
  TransientConfig transient;
};

// Whether the configured encoding is one of the grid kinds (a HashGrid table).
inline bool encoding_is_grid(const NetworkConfig& c) { return c.encoding == kHashEncoding || c.encoding == kDenseEncoding; }

// The grid's configuration as the grid kinds build it: every level dense exactly for the dense
// encoding, whatever grid.all_dense says (both backends lay the table out from this).
inline HashGridConfig network_grid_config(const NetworkConfig& c) {
  HashGridConfig g = c.grid;
  g.all_dense = c.encoding == kDenseEncoding;
  return g;
}

// Whether the density activation is Instant-NGP's plain exp(raw) (the default, whose loops
// stay as they were).
inline bool network_density_is_plain_exp(const NetworkConfig& c) {
  return c.density_activation == DensityActivation::TruncExp && c.density_shift == 0.f && c.density_scale == 1.f;
}

// Whether the density is read from the encoding (no density MLP: the explicit grids).
inline bool network_density_from_encoding(const NetworkConfig& c) { return c.density_source == kDensityFromEncoding; }

inline bool network_uses_ref_nerf(const NetworkConfig& c) { return c.color_head == kRefNerfColorHead; }
inline bool network_uses_sh_color(const NetworkConfig& c) { return c.color_head == kShColorHead; }

// Width of the color MLP's input (the encoding's width: encodings/encoding_kinds.h): the
// geometry features, NeRF-W's appearance code (none by default), the direction's SH; with
// Ref-NeRF's head (which takes no appearance code), the features, the IDE and n'.d.
inline int network_color_input_width(const NetworkConfig& c) {
  if (network_uses_ref_nerf(c)) return c.geo_features + ide_width(ide_term_count(c.ide_degree)) + 1;
  if (network_uses_sh_color(c)) return c.geo_features + c.sh_degree * c.sh_degree;  // the features, SH(d)
  return c.geo_features + c.appearance.dim + c.sh_degree * c.sh_degree;
}

}  // namespace nerds
