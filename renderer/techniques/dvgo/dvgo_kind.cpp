// The "dvgo" encoding kind (encoding.kind = dvgo): DVGO's density and feature voxel grids with
// the coarse and fine stages (dvgo_encoding.h), its parameters under "encoding.dvgo_*" (defaults:
// the official code's configs/default.py). The method file scenes/methods/dvgo.json pairs it with
// field.density = encoding (trunc_exp of the encoding's log sigma), the 2x128 colour MLP and the
// learning rates; papers/dvgo.json holds its post- against pre-activation ablation.
#include <cmath>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/dvgo/dvgo_encoding.h"
#include "renderer/techniques/dvgo/near_camera_mask.h"
#include "renderer/techniques/dvgo/view_count.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/encodings/schedule_steps.h"

namespace nerds {

namespace {

constexpr const char kDvgoEncoding[] = "dvgo";

void declare(ParamSet& p) {
  p.declare("encoding",
            {"dvgo_interpolation", ParamType::Choice,
             "DVGO: post (interpolate the raw density, then softplus and alpha: the paper's Sec. 4.1), pre "
             "(interpolate each voxel's alpha) or in (interpolate each voxel's softplus density)",
             -1, 1, {"post", "pre", "in"}},
            std::string("post"));
  p.declare("encoding",
            {"dvgo_coarse_resolution", ParamType::Int,
             "DVGO: coarse grid nodes per axis over the scene box (the code's 1024000 voxels: 100)", 2, 512},
            int64_t{100});
  p.declare("encoding",
            {"dvgo_fine_resolution", ParamType::Int,
             "DVGO: the fine grid holds this cubed voxels inside the coarse geometry's box (the code's 160^3)", 2, 512},
            int64_t{160});
  p.declare("encoding",
            {"dvgo_coarse_alpha_init", ParamType::Float,
             "DVGO: every voxel's alpha at the start of the coarse stage (Eq. 4's low-density start; the code's 1e-6)",
             1e-12, 0.5},
            1e-6);
  p.declare("encoding",
            {"dvgo_fine_alpha_init", ParamType::Float, "DVGO: the same for the fine stage (the code's 1e-2)", 1e-12, 0.5},
            1e-2);
  p.declare("encoding",
            {"dvgo_bbox_threshold", ParamType::Float,
             "DVGO: a coarse voxel above this alpha belongs to the fine stage's box (the code's bbox_thres 1e-3)", 0, 1},
            1e-3);
  p.declare("encoding",
            {"dvgo_world_bound_scale", ParamType::Float,
             "DVGO: the fine box is the coarse geometry's grown by this factor about its centre (the code's 1.05)", 1,
             4},
            1.05);
  p.declare("encoding",
            {"dvgo_coarse_steps", ParamType::Int,
             "DVGO: the coarse stage's iterations (5000 in the code); with dvgo_fine_steps it sets the stage's share "
             "of the run",
             1, 10000000},
            int64_t{5000});
  p.declare("encoding",
            {"dvgo_fine_steps", ParamType::Int, "DVGO: the fine stage's iterations (20000 in the code)", 1, 10000000},
            int64_t{20000});
  p.declare("encoding",
            {"dvgo_scale_steps", ParamType::String,
             "DVGO: the fine steps at which the fine grid doubles its voxels (progressive scaling, the code's pg_scale "
             "1000,2000,3000,4000; it starts at 1/2^count of them), comma-separated; empty: none"},
            std::string("1000,2000,3000,4000"));
  p.declare("encoding", {"dvgo_features", ParamType::Int, "DVGO: the feature grid's channels (rgbnet_dim 12)", 1, 128},
            int64_t{12});
  p.declare("encoding",
            {"dvgo_step_voxels", ParamType::Float,
             "DVGO: the sampling step in voxels that alpha refers to (stepsize 0.5): pre-activation's interval", 0.01,
             4},
            0.5);
  p.declare("encoding",
            {"dvgo_lr_factor", ParamType::Float,
             "DVGO: the grids' learning rate over trainer.lr (the code's lrate_density 0.1 over lrate_rgbnet 1e-3)",
             1e-3, 1e5},
            100.0);
  p.declare("encoding",
            {"dvgo_coarse_lr_factor", ParamType::Float,
             "DVGO: the coarse stage's grid learning rate over trainer.lr; 0: dvgo_lr_factor (the code uses the same "
             "lrate_density and lrate_k0 in both stages)",
             0, 1e5},
            0.0);
  p.declare("encoding",
            {"dvgo_fine_from_coarse", ParamType::Bool,
             "DVGO: start the fine grids from the coarse ones resampled into the fine box (same sigma and features) "
             "instead of from zero as the code (a departure for short budgets)"},
            false);
  p.declare("encoding",
            {"dvgo_view_count_lr", ParamType::Bool,
             "DVGO: scale each coarse voxel's learning rate by the training views that see it (pervoxel_lr)"},
            true);
  p.declare("encoding",
            {"dvgo_mask_min_views", ParamType::Int,
             "DVGO: with dvgo_view_count_lr, the coarse stage skips the voxels seen by at most this many training "
             "views (run.py's per_voxel_init: cnt <= 2); -1: none",
             -1, 100000},
            int64_t{2});
  p.declare("encoding",
            {"dvgo_maskout_near_cam", ParamType::Bool,
             "DVGO: the coarse voxels within dvgo_near_clip of a training camera start empty (raw density -100: the "
             "code's maskout_near_cam_vox, on in its coarse stage)"},
            true);
  p.declare("encoding",
            {"dvgo_near_clip", ParamType::Float,
             "DVGO: the near distance of dvgo_maskout_near_cam in world units (the code's near for NeRF-synthetic: 2)",
             0, 1e6},
            2.0);
  p.declare("encoding",
            {"dvgo_mask_cache_threshold", ParamType::Float,
             "DVGO: the fine stage samples only where the nearest coarse voxel's 3x3x3 max-pooled alpha is at least "
             "this (the code's mask_cache_thres 1e-3); 0: everywhere in the fine box",
             0, 1},
            1e-3);
}

void configure(const ParamSet& p, const Dataset& data, NetworkConfig& c) {
  DvgoConfig& d = c.dvgo;
  const std::string mode = p.get_string("encoding.dvgo_interpolation");
  d.interpolation = mode == "pre" ? DvgoInterpolation::Pre : mode == "in" ? DvgoInterpolation::In : DvgoInterpolation::Post;
  d.coarse_resolution = static_cast<int>(p.get_int("encoding.dvgo_coarse_resolution"));
  const double fine = static_cast<double>(p.get_int("encoding.dvgo_fine_resolution"));
  d.fine_voxels = static_cast<int>(fine * fine * fine);
  d.coarse_alpha_init = static_cast<float>(p.get_float("encoding.dvgo_coarse_alpha_init"));
  d.fine_alpha_init = static_cast<float>(p.get_float("encoding.dvgo_fine_alpha_init"));
  d.bbox_threshold = static_cast<float>(p.get_float("encoding.dvgo_bbox_threshold"));
  d.world_bound_scale = static_cast<float>(p.get_float("encoding.dvgo_world_bound_scale"));
  const int coarse = static_cast<int>(p.get_int("encoding.dvgo_coarse_steps"));
  const int fine_steps = static_cast<int>(p.get_int("encoding.dvgo_fine_steps"));
  d.coarse_fraction = static_cast<float>(coarse) / static_cast<float>(coarse + fine_steps);
  d.fine_scale_at = read_schedule_steps(p.get_string("encoding.dvgo_scale_steps"), fine_steps, "encoding.dvgo_scale_steps",
                                          "encoding.dvgo_fine_steps");
  d.features = static_cast<int>(p.get_int("encoding.dvgo_features"));
  d.step_voxels = static_cast<float>(p.get_float("encoding.dvgo_step_voxels"));
  d.lr_factor = static_cast<float>(p.get_float("encoding.dvgo_lr_factor"));
  d.coarse_lr_factor = static_cast<float>(p.get_float("encoding.dvgo_coarse_lr_factor"));
  d.view_count_lr = p.get_bool("encoding.dvgo_view_count_lr");
  d.fine_from_coarse = p.get_bool("encoding.dvgo_fine_from_coarse");
  d.box_side = data.aabb_scale > 0.f ? data.aabb_scale : 1.f;
  d.mask_min_views = static_cast<int>(p.get_int("encoding.dvgo_mask_min_views"));
  d.maskout_near_cam = p.get_bool("encoding.dvgo_maskout_near_cam");
  d.mask_cache_threshold = static_cast<float>(p.get_float("encoding.dvgo_mask_cache_threshold"));
  d.coarse_view_lr.clear();
  d.coarse_seen.clear();
  d.coarse_near_cam.clear();
  if (d.view_count_lr && !data.frames.empty()) {
    std::vector<float> views;
    d.coarse_view_lr = dvgo_view_counts(data, d.coarse_resolution, d.box_side, d.step_voxels, 64, &views);
    if (d.mask_min_views >= 0) {  // the code masks these only together with its pervoxel_lr
      d.coarse_seen.resize(views.size());
      bool any = false;
      for (size_t k = 0; k < views.size(); ++k) {
        d.coarse_seen[k] = views[k] > d.mask_min_views ? 1.f : 0.f;
        any |= d.coarse_seen[k] > 0.f;
      }
      // A scene of at most mask_min_views views would leave the coarse stage no voxel to train
      // (the code's run would learn nothing): the mask is off there.
      if (!any) d.coarse_seen.clear();
    }
  }
  // The near distance in the engine's frame (world units times the dataset's scale).
  if (d.maskout_near_cam && !data.frames.empty())
    d.coarse_near_cam = dvgo_near_camera_nodes(data, d.coarse_resolution, d.box_side,
                                               static_cast<float>(p.get_float("encoding.dvgo_near_clip")) * data.scale);
}

int width(const NetworkConfig& c) { return 1 + c.dvgo.features; }

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) { return std::make_unique<DvgoEncoding>(c.dvgo); }

}  // namespace

EncodingKind dvgo_encoding_kind() {
  return {kDvgoEncoding,
          "DVGO's dense density and feature voxel grids, post-activated, coarse then fine stage, read by "
          "field.density=encoding",
          "Sun, Sun, Chen 2022 (DVGO), Sec. 3-5, Eq. 4-5", declare, configure, width, make};
}

}  // namespace nerds
