// The "plenoxels" encoding kind (encoding.kind = plenoxels): Plenoxels' sparse voxel grid of
// density and SH coefficients (plenoxels_encoding.h), its parameters under
// "encoding.plenoxels_*", the defaults the official code's (sxyu/svox2 opt/opt.py and
// opt/configs/syn.json). scenes/methods/plenoxels.json pairs it with field.density = encoding
// (ReLU), field.color = sh (no network) and the rmsprop learning rates; papers/plenoxels.json
// holds its toggles.
#include <cmath>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/encodings/schedule_steps.h"
#include "renderer/techniques/plenoxels/plenoxels_encoding.h"

namespace nerds {

namespace {

constexpr const char kPlenoxelsEncoding[] = "plenoxels";
// The index is stored as floats (exact integers below 2^24), so the grid holds at most 2^24
// voxels (svox2's max_grid_elements is 44M on a 24 GB GPU).
constexpr int64_t kMaxVoxels = int64_t{1} << 24;

void declare_float(ParamSet& p, const char* name, const char* doc, double lo, double hi, double def) {
  p.declare("encoding", {name, ParamType::Float, doc, lo, hi}, def);
}

void declare(ParamSet& p) {
  p.declare("encoding",
            {"plenoxels_resolution_init", ParamType::Int,
             "Plenoxels: grid nodes per axis at the start, every node a voxel (the code's 256; here 128 for a CPU's "
             "memory)",
             2, 1024},
            int64_t{128});
  p.declare("encoding",
            {"plenoxels_resolution_final", ParamType::Int,
             "Plenoxels: grid nodes per axis after the last upsampling (the code's 512; here 256)", 2, 1024},
            int64_t{256});
  p.declare("encoding",
            {"plenoxels_upsample_steps", ParamType::String,
             "Plenoxels: the steps of encoding.plenoxels_schedule_steps at which the grid is upsampled and pruned, "
             "comma-separated (the code's upsamp_every 38400 of 128000); empty: none"},
            std::string("38400"));
  p.declare("encoding",
            {"plenoxels_schedule_steps", ParamType::Int,
             "Plenoxels: the run length the upsampling and learning-rate steps refer to (the code's n_iters 128000); "
             "scaled to the run's budget",
             1, 100000000},
            int64_t{128000});
  p.declare("encoding",
            {"plenoxels_interpolation", ParamType::Choice,
             "Plenoxels: trilinear interpolation of the 8 nodes around a sample (the paper's), or the nearest node "
             "(the paper's ablation)",
             -1, 1, {"trilinear", "nearest"}},
            std::string("trilinear"));
  declare_float(p, "plenoxels_tv_density", "Plenoxels: total-variation weight on the density (the code's lambda_tv 1e-5)",
                0, 10, 1e-5);
  declare_float(p, "plenoxels_tv_sh",
                "Plenoxels: total-variation weight on the SH coefficients (the code's lambda_tv_sh 1e-3)", 0, 10, 1e-3);
  declare_float(p, "plenoxels_tv_fraction",
                "Plenoxels: the fraction of the grid's cells whose TV a step adds, drawn anew each step (the code's "
                "tv_sparsity 0.01; 1: every cell)",
                1e-6, 1, 0.01);
  p.declare("encoding",
            {"plenoxels_tv_early_only", ParamType::Bool,
             "Plenoxels: total variation only until the first upsampling (the code's default tv_early_only 1); false: "
             "throughout the run"},
            true);
  p.declare("encoding",
            {"plenoxels_tv_ray_voxels_only", ParamType::Bool,
             "Plenoxels: total variation's gradient only on the voxels this step's rays reached (RMSProp would move a "
             "voxel with TV's gradient alone by the full rate; false: the code's, every voxel of the drawn cells)"},
            false);
  declare_float(p, "plenoxels_prune_density",
                "Plenoxels: at an upsampling, nodes are kept within plenoxels_prune_dilation of a node whose raw "
                "density exceeds this (the code's density_thresh 5)",
                0, 1e4, 5.0);
  p.declare("encoding",
            {"plenoxels_prune_dilation", ParamType::Int,
             "Plenoxels: nodes per axis around a dense node that pruning keeps (the code's dilate 2)", 0, 16},
            int64_t{2});
  p.declare("encoding",
            {"plenoxels_max_voxels", ParamType::Int,
             "Plenoxels: the most voxels the grid holds, an upsampling keeping the densest (the code's 44M on a 24 GB "
             "GPU; here 4M, 1.8 GB with gradients and optimizer state; the index is floats: at most 2^24)",
             1, kMaxVoxels},
            int64_t{4000000});
  declare_float(p, "plenoxels_init_density", "Plenoxels: every voxel's raw density at the start (the code's init_sigma 0.1)",
                -100, 100, 0.1);
  declare_float(p, "plenoxels_lr_density",
                "Plenoxels: RMSProp learning rate of the density at step 0 (the code's lr_sigma 30), times trainer.lr", 0,
                1e4, 30.0);
  declare_float(p, "plenoxels_lr_density_final",
                "Plenoxels: the density's learning rate at plenoxels_lr_decay_steps (the code's lr_sigma_final 5e-2)", 0,
                1e4, 5e-2);
  declare_float(p, "plenoxels_lr_sh",
                "Plenoxels: RMSProp learning rate of the SH coefficients at step 0 (the code's lr_sh 1e-2), times "
                "trainer.lr",
                0, 1e4, 1e-2);
  declare_float(p, "plenoxels_lr_sh_final",
                "Plenoxels: the coefficients' learning rate at plenoxels_lr_decay_steps (the code's lr_sh_final 5e-6)", 0,
                1e4, 5e-6);
  declare_float(p, "plenoxels_lr_decay_steps",
                "Plenoxels: steps (of plenoxels_schedule_steps) of the log-linear decay to the final rates (the code's "
                "250000, past its 128000-step run)",
                1, 1e9, 250000.0);
  declare_float(p, "plenoxels_lr_density_delay_steps",
                "Plenoxels: steps over which the density's rate eases in (the code's lr_sigma_delay_steps 15000; 0: none)",
                0, 1e9, 15000.0);
  declare_float(p, "plenoxels_lr_density_delay_mult",
                "Plenoxels: the density's rate at step 0 over its undelayed one (the code's lr_sigma_delay_mult 1e-2)",
                1e-6, 1, 1e-2);
}

void configure(const ParamSet& p, const Dataset&, NetworkConfig& c) {
  PlenoxelsConfig& x = c.plenoxels;
  x.resolution_init = static_cast<int>(p.get_int("encoding.plenoxels_resolution_init"));
  x.resolution_final = static_cast<int>(p.get_int("encoding.plenoxels_resolution_final"));
  const int total = static_cast<int>(p.get_int("encoding.plenoxels_schedule_steps"));
  x.schedule_steps = static_cast<float>(total);
  x.upsample_at = read_schedule_steps(p.get_string("encoding.plenoxels_upsample_steps"), total,
                                      "encoding.plenoxels_upsample_steps", "encoding.plenoxels_schedule_steps");
  x.interpolation = p.get_string("encoding.plenoxels_interpolation") == "nearest" ? PlenoxelsInterpolation::Nearest
                                                                                 : PlenoxelsInterpolation::Trilinear;
  x.tv_density = static_cast<float>(p.get_float("encoding.plenoxels_tv_density"));
  x.tv_sh = static_cast<float>(p.get_float("encoding.plenoxels_tv_sh"));
  x.tv_fraction = static_cast<float>(p.get_float("encoding.plenoxels_tv_fraction"));
  x.tv_early_only = p.get_bool("encoding.plenoxels_tv_early_only");
  x.tv_ray_voxels_only = p.get_bool("encoding.plenoxels_tv_ray_voxels_only");
  x.prune_density = static_cast<float>(p.get_float("encoding.plenoxels_prune_density"));
  x.prune_dilation = static_cast<int>(p.get_int("encoding.plenoxels_prune_dilation"));
  x.max_voxels = static_cast<long long>(p.get_int("encoding.plenoxels_max_voxels"));
  x.init_density = static_cast<float>(p.get_float("encoding.plenoxels_init_density"));
  x.lr_density = static_cast<float>(p.get_float("encoding.plenoxels_lr_density"));
  x.lr_density_final = static_cast<float>(p.get_float("encoding.plenoxels_lr_density_final"));
  x.lr_sh = static_cast<float>(p.get_float("encoding.plenoxels_lr_sh"));
  x.lr_sh_final = static_cast<float>(p.get_float("encoding.plenoxels_lr_sh_final"));
  x.lr_decay_steps = static_cast<float>(p.get_float("encoding.plenoxels_lr_decay_steps"));
  x.lr_density_delay_steps = static_cast<float>(p.get_float("encoding.plenoxels_lr_density_delay_steps"));
  x.lr_density_delay_mult = static_cast<float>(p.get_float("encoding.plenoxels_lr_density_delay_mult"));
  if (x.lr_density_final > x.lr_density || x.lr_sh_final > x.lr_sh)
    throw InputError("", "encoding.plenoxels_lr_density_final",
                     "the final learning rates must not exceed the initial ones (as the code asserts)");
  // The dense start holds every node: bounded as the pruned grid is.
  const double start = std::pow(static_cast<double>(x.resolution_init), 3.0);
  if (start > static_cast<double>(x.max_voxels))
    throw InputError("", "encoding.plenoxels_resolution_init",
                     "the dense start would hold " + std::to_string(static_cast<long long>(start)) +
                         " voxels, more than encoding.plenoxels_max_voxels (" + std::to_string(x.max_voxels) + ")");
}

int width(const NetworkConfig& c) { return 1 + 3 * c.sh_degree * c.sh_degree; }

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) {
  return std::make_unique<PlenoxelsEncoding>(c.plenoxels, c.sh_degree * c.sh_degree);
}

}  // namespace

EncodingKind plenoxels_encoding_kind() {
  return {kPlenoxelsEncoding,
          "Plenoxels' sparse voxel grid of density and SH coefficients (1 + 3 field.sh_degree^2 outputs), read by "
          "field.density=encoding and field.color=sh",
          "Fridovich-Keil, Yu et al. 2022 (Plenoxels), Sec. 3, Eq. 1-4", declare, configure, width, make};
}

}  // namespace nerds
