// The radiance field's networks (Müller et al. 2022, Instant-NGP, Sec. 5.4): a density MLP
// (1 hidden layer of 64, 16 outputs, the first is log-density) and a color MLP (2 hidden
// layers of 64) on [geometry features, SH degree-4 direction encoding].
// NeRF's MLP (Mildenhall et al. 2020, Sec. 6 / supplement Fig. 7) is the same structure at
// another size: 8 ReLU layers of 256 with the encoded input concatenated to the 5th layer's
// input (skip_layer = 4), sigma and a 256-wide feature from the trunk (geo_features = 257),
// one 128-wide ReLU layer for color (color_layers = 1, color_hidden = 128).
#include <string>

#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {
void declare(ParamSet& p) {
  p.declare("field", {"density_hidden", ParamType::Int, "width of the density MLP's hidden layers", 8, 512}, int64_t{64});
  p.declare("field", {"density_layers", ParamType::Int, "hidden layers of the density MLP", 1, 8}, int64_t{1});
  p.declare("field",
            {"skip_layer", ParamType::Int,
             "density MLP: 0 no skip, k: the input joins hidden layer k's output (NeRF: 4 of 8 layers)", 0, 7},
            int64_t{0});
  p.declare("field",
            {"geo_features", ParamType::Int, "density MLP outputs passed to the color MLP (NeRF: 1 + 256)", 1, 512},
            int64_t{16});
  p.declare("field", {"color_hidden", ParamType::Int, "width of the color MLP's hidden layers", 8, 512}, int64_t{64});
  p.declare("field", {"color_layers", ParamType::Int, "hidden layers of the color MLP", 1, 8}, int64_t{2});
  p.declare("field", {"sh_degree", ParamType::Int, "spherical-harmonics degree of the direction encoding", 1, 4},
            int64_t{4});
  // The explicit grids (TensoRF, Plenoxels, DVGO): the density straight from the encoding.
  p.declare("field",
            {"density", ParamType::Choice,
             "where the density comes from: mlp (the density MLP's first output); encoding (the encoding's first "
             "output, no density MLP: the explicit grids, whose outputs are the geometry features)",
             -1, 1, {kDensityFromMlp, kDensityFromEncoding}},
            std::string(kDensityFromMlp));
  p.declare("field",
            {"density_activation", ParamType::Choice,
             "raw density -> sigma: trunc_exp (Instant-NGP), softplus (TensoRF, DVGO), relu (Plenoxels)", -1, 1,
             {"trunc_exp", "softplus", "relu"}},
            std::string("trunc_exp"));
  p.declare("field",
            {"density_shift", ParamType::Float,
             "added to the raw density before the activation (TensoRF: -10, a near-empty start)", -100, 100},
            0.0);
  p.declare("field",
            {"density_scale", ParamType::Float,
             "sigma's factor after the activation (TensoRF's distance_scale 25 per Blender unit: 75 in the engine's "
             "frame of NeRF-synthetic scenes, 0.33 Blender units per unit)",
             1e-3, 1e4},
            1.0);
  // Ref-NeRF (Verbin et al. 2022): the colour head and its regularizers (ref_nerf_head.h,
  // ref_nerf_normals.h); the ref_* keys act with field.color = ref_nerf only.
  p.declare("field",
            {"color", ParamType::Choice,
             "colour head: standard ([features, SH(direction)] -> RGB); ref_nerf (Ref-NeRF: predicted normals, "
             "IDE of the reflected direction with roughness, diffuse + tinted specular, sRGB tone map); sh (Plenoxels: "
             "no network, field.sh_color_activation of SH(direction) . the explicit encoding's coefficients, with "
             "field.density=encoding)",
             -1, 1, {kStandardColorHead, kRefNerfColorHead, kShColorHead}},
            std::string(kStandardColorHead));
  // Plenoxels' colour activation (renderer/math/sh_color.h); acts with field.color = sh only.
  p.declare("field",
            {"sh_color_activation", ParamType::Choice,
             "field.color=sh: SH(direction) . coefficients -> colour: clamp (the official Plenoxels code's max(s + 0.5, "
             "0): slope 1) or sigmoid (slope at most 1/4)",
             -1, 1, {"clamp", "sigmoid"}},
            std::string("clamp"));
  p.declare("field",
            {"ref_ide_degree", ParamType::Int,
             "Ref-NeRF's integrated directional encoding: degrees l = 1, 2, 4, ..., 2^(n-1) (the paper's 5: l up to 16)",
             1, kMaxIdeDegree},
            int64_t{kMaxIdeDegree});
  p.declare("field",
            {"ref_orientation_weight", ParamType::Float,
             "Ref-NeRF's orientation loss R_o on the predicted normals (the paper's code: 0.1; 0 = off)", 0, 100},
            0.1);
  p.declare("field",
            {"ref_normal_weight", ParamType::Float,
             "Ref-NeRF's R_p tying predicted to density normals (the paper's code: 3e-4; 0 = off)", 0, 100},
            3e-4);
  p.declare("field",
            {"ref_normal_step", ParamType::Float,
             "step of the central differences of the raw density that give the density normals, in the box's [0,1] units",
             1e-5, 0.1},
            2e-3);
  p.declare("field",
            {"ref_normal_min_weight", ParamType::Float,
             "Ref-NeRF's R_p (and its 6 finite-difference densities per sample) only on samples whose compositing weight "
             "reaches this (0 = every sample, as the paper)",
             0, 1},
            0.0);
  p.declare("field",
            {"ref_normal_detach_steps", ParamType::Int,
             "Ref-NeRF: for this many first steps the colour loss does not reach the predicted normals (a stop-gradient "
             "on n' in the reflection and n'.d), so only R_o and R_p fit them to the density normals (0 = never, as the "
             "paper)",
             0, 100000000},
            int64_t{0});
  p.declare("field",
            {"ref_reflect_normals", ParamType::Choice,
             "Ref-NeRF: the normals the view direction is reflected about (Eq. 4) and n.d reads: predicted (n' of the "
             "linear head, the paper's), density (the density field's normals by central differences, stop-gradient: "
             "6 more density evaluations per coloured sample in training and rendering; the paper's 'no predicted "
             "normals' ablation differentiates through them)",
             -1, 1, {"predicted", "density"}},
            std::string("predicted"));
  p.declare("field",
            {"ref_orientation_detach_weights", ParamType::Bool,
             "Ref-NeRF: the orientation loss R_o trains only the predicted normals, not the compositing weights "
             "(densities) it is weighted by (false: both, the paper's)"},
            false);
  p.declare("field",
            {"ref_color_warmup_steps", ParamType::Int,
             "Ref-NeRF: the colour MLP's learning rate eases in from 1% over this many steps (multinerf's lr_delay_steps "
             "512 with lr_delay_mult 0.01, there for every parameter), so the specular output's sigmoid does not "
             "saturate in the first steps (0 = none)",
             0, 100000000},
            int64_t{0});
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  NetworkConfig& n = c.network;
  n.density_hidden = static_cast<int>(p.get_int("field.density_hidden"));
  n.density_layers = static_cast<int>(p.get_int("field.density_layers"));
  n.density_skip_layer = static_cast<int>(p.get_int("field.skip_layer"));
  if (n.density_skip_layer >= n.density_layers)
    throw InputError("", "field.skip_layer", "must be below field.density_layers (0: no skip connection)");
  n.geo_features = static_cast<int>(p.get_int("field.geo_features"));
  n.color_hidden = static_cast<int>(p.get_int("field.color_hidden"));
  n.color_layers = static_cast<int>(p.get_int("field.color_layers"));
  n.sh_degree = static_cast<int>(p.get_int("field.sh_degree"));
  n.color_head = p.get_string("field.color");
  n.sh_color_activation =
      p.get_string("field.sh_color_activation") == "sigmoid" ? ShColorActivation::Sigmoid : ShColorActivation::Clamp;
  n.density_source = p.get_string("field.density");
  const std::string activation = p.get_string("field.density_activation");
  n.density_activation = activation == "softplus" ? DensityActivation::Softplus
                         : activation == "relu"   ? DensityActivation::Relu
                                                  : DensityActivation::TruncExp;
  n.density_shift = static_cast<float>(p.get_float("field.density_shift"));
  n.density_scale = static_cast<float>(p.get_float("field.density_scale"));
  n.ide_degree = static_cast<int>(p.get_int("field.ref_ide_degree"));
  c.ref_nerf.orientation = static_cast<float>(p.get_float("field.ref_orientation_weight"));
  c.ref_nerf.predicted_normal = static_cast<float>(p.get_float("field.ref_normal_weight"));
  c.ref_nerf.normal_step = static_cast<float>(p.get_float("field.ref_normal_step"));
  c.ref_nerf.normal_min_weight = static_cast<float>(p.get_float("field.ref_normal_min_weight"));
  c.ref_nerf.normal_detach_steps = static_cast<int>(p.get_int("field.ref_normal_detach_steps"));
  c.ref_nerf.color_warmup_steps = static_cast<int>(p.get_int("field.ref_color_warmup_steps"));
  c.ref_nerf.orientation_detach_weights = p.get_bool("field.ref_orientation_detach_weights");
  n.ref_reflect_step = p.get_string("field.ref_reflect_normals") == "density" ? c.ref_nerf.normal_step : 0.f;
}
}  // namespace

TechniqueModule field_module() {
  return {"field", "density and color MLPs with SH view encoding (and NeRF's skip connection; Ref-NeRF's colour head)",
          "Müller et al. 2022 (Instant-NGP), Sec. 5.4; Mildenhall et al. 2020 (NeRF), supplement Fig. 7; "
          "Verbin et al. 2022 (Ref-NeRF), Sec. 3-4",
          declare, configure, field_probes};
}

}  // namespace nerds
