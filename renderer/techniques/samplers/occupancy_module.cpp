// Occupancy-grid ray marching (Müller et al. 2022, Instant-NGP, Sec. 5.4 and App. E):
// 128^3 bit grid per cascade, EMA decay 0.95, threshold 0.01 optical thickness (over the
// paper's minimum step sqrt(3)/1024, whatever march.steps is), updated every
// 16 steps; steps of sqrt(3)/1024 (cone tracing with angle 1/256 for aabb_scale > 1; by default
// coarser where the training pixels are coarser, march_steps below); rays
// terminate once transmittance drops below 1e-4.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "renderer/data/json_fields.h"
#include "renderer/data/pixel_footprint.h"
#include "renderer/error.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace {
void declare(ParamSet& p) {
  p.declare("occupancy", {"enabled", ParamType::Bool, "skip empty space with the occupancy grid"}, true);
  p.declare("occupancy", {"resolution", ParamType::Int, "cells per axis of each cascade", 16, 256}, int64_t{128});
  p.declare("occupancy", {"decay", ParamType::Float, "EMA decay of the cell densities per update", 0.0, 1.0}, 0.95);
  p.declare("occupancy", {"threshold", ParamType::Float, "optical thickness sigma * sqrt(3)/1024 above which a cell is occupied", 0.0, 1.0},
            0.01);
  p.declare("occupancy", {"interval", ParamType::Int, "training steps between grid updates", 1, 10000}, int64_t{16});
  p.declare("occupancy",
            {"warmup_steps", ParamType::Int,
             "steps during which every cell is re-evaluated (instant-ngp: 256; a full update costs ~0.5 s on 2 CPU cores)",
             0, 100000},
            int64_t{16});
  p.declare("occupancy",
            {"update_fraction", ParamType::Float,
             "after warm-up, the fraction of cells re-evaluated at random per update, and as many occupied ones "
             "(instant-ngp: 1/4; 1/16 keeps the update near 5% of CPU training time)",
             0.0, 1.0},
            0.0625);
  p.declare("occupancy",
            {"cull_from_step", ParamType::Int,
             "no cell is marked empty before this training step (the updates still record densities); -1 = auto: "
             "0, and 64 with warp.kind=ndc, where earlier culls leave the rays only the haze in front of the scene",
             -1, 1000000},
            int64_t{-1});
  p.declare("march",
            {"steps", ParamType::Int,
             "steps across the unit cube diagonal (dt_min = sqrt(3)/steps); 0 = auto: the fewest (a power of two "
             "from 256 to the paper's 1024) whose step is no longer than two training pixels' footprints at the "
             "scene's centre (256 for NeRF-synthetic at 100 and 200 px, 512 at 400 px, 1024 at 800 px; in NDC "
             "the NDC footprint: 256 at 100 px, 512 on fern at 1/8)",
             0, 8192},
            int64_t{0});
  p.declare("march", {"max_samples", ParamType::Int, "samples per ray at most", 1, 8192}, int64_t{1024});
  p.declare("march",
            {"cone_angle", ParamType::Float, "step growth with distance; negative = auto (0, or 1/256 if aabb_scale > 1)",
             -1.0, 1.0},
            -1.0);
  p.declare("march", {"min_transmittance", ParamType::Float, "early ray termination threshold", 0.0, 1.0}, 1e-4);
}

// march.steps, with 0 (auto) resolved from the training pixels' footprint (pixel_footprint.h):
// the fewest power-of-two steps no longer than two footprints, at least 256 and at most the
// paper's 1024. Steps finer than the pixels only spend the batch's samples on fewer rays: on
// lego_400 (footprint sqrt(3)/723) 512 steps reached 31.37 dB after 3000 steps where 1024
// reached 30.55; on lego_100 (sqrt(3)/181) 256 steps reached 29.85 dB after 800 steps where
// 1024 reached 29.16 (issue 14's A/Bs). Coarser than 256 loses the scene's own detail: on
// lego_100 128 steps lost 0.27 dB to 256 after 2900 steps. In NDC the footprint is NDC's
// (ndc_pixel_footprint, the same at every depth): 256 steps on the 100 px forward scene,
// where 1024 put ~600 samples on each ray and 50-130 rays in a batch (25.15 against 26.08 dB
// after 300 steps, issue 20); 512 on fern at 1/8 (504 px). Scenes with a larger box
// (aabb_scale > 1, cone-traced) or contracted keep the paper's 1024.
int march_steps(const ParamSet& p, const Dataset& data) {
  const int64_t steps = p.get_int("march.steps");
  if (steps > 0) return static_cast<int>(steps);
  constexpr int kPaperSteps = 1024, kFewestSteps = 256;
  constexpr float kFootprintsPerStep = 2.f;
  const std::string warp = p.get_string("warp.kind");
  const float footprint = warp == "ndc" ? ndc_pixel_footprint(data) : auto_settings_footprint(data, warp != "none");
  if (footprint == 0.f) return kPaperSteps;
  int n = kFewestSteps;
  while (n < kPaperSteps && 1.7320508f / static_cast<float>(n) > kFootprintsPerStep * footprint) n *= 2;
  return n;
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  OccupancyConfig& o = c.occupancy;
  o.enabled = p.get_bool("occupancy.enabled");
  o.resolution = static_cast<int>(p.get_int("occupancy.resolution"));
  o.decay = static_cast<float>(p.get_float("occupancy.decay"));
  o.threshold = static_cast<float>(p.get_float("occupancy.threshold"));
  o.interval = static_cast<int>(p.get_int("occupancy.interval"));
  o.warmup_steps = static_cast<int>(p.get_int("occupancy.warmup_steps"));
  o.update_fraction = static_cast<float>(p.get_float("occupancy.update_fraction"));
  // In NDC the first steps grow density fastest in front of the scene (every ray's first
  // samples): the mean rule's culls at step 0 or 16 keep only that front and the rays end in a
  // haze there (forward at 300 steps: 16.6 dB; culling from step 64: see docs/ablations).
  constexpr int64_t kNdcCullFromStep = 64;
  const int64_t cull_from = p.get_int("occupancy.cull_from_step");
  o.cull_from_step = static_cast<int>(cull_from >= 0 ? cull_from : (p.get_string("warp.kind") == "ndc" ? kNdcCullFromStep : 0));
  // One cascade per doubling of the scene box (instant-ngp: log2(aabb_scale) + 1), at most
  // kMaxOccupancyCascades (instant-ngp's 8, aabb_scale 128): refused beyond, not looped on.
  if (!(data.aabb_scale > 0.f && data.aabb_scale <= static_cast<float>(1 << (kMaxOccupancyCascades - 1))))
    throw InputError(data.root, "aabb_scale",
                     "the occupancy grid holds at most " + std::to_string(kMaxOccupancyCascades) +
                         " cascades, i.e. a scene box up to aabb_scale " +
                         std::to_string(1 << (kMaxOccupancyCascades - 1)) + "; got " +
                         json_fields::number_text(data.aabb_scale));
  o.cascades = 1;
  while ((1 << (o.cascades - 1)) < data.aabb_scale) ++o.cascades;

  MarchSettings& m = c.march;
  const float sqrt3 = 1.7320508f;
  m.dt_min = sqrt3 / static_cast<float>(march_steps(p, data));
  m.dt_max = sqrt3 * static_cast<float>(1 << (o.cascades - 1)) / static_cast<float>(o.resolution);
  const double cone = p.get_float("march.cone_angle");
  m.cone_angle = cone >= 0.0 ? static_cast<float>(cone) : (data.aabb_scale > 1.f ? 1.f / 256.f : 0.f);
  m.max_samples = static_cast<int>(p.get_int("march.max_samples"));
  m.box_half = 0.5f * static_cast<float>(1 << (o.cascades - 1));
  c.min_transmittance = static_cast<float>(p.get_float("march.min_transmittance"));
}
// The grid as training starts with it: a point of the scene box -> the cascade the marcher
// reads there and whether that cell is occupied (1) or skipped (0). Before the first update
// every cell is occupied except those no training camera sees (with occupancy.enabled =
// false, or in NDC or contracted space, every cell stays occupied: the marcher skips
// nothing). Piecewise constant, so not differentiated.
class OccupancyCellProbe : public ModuleProbe {
 public:
  OccupancyCellProbe(const TrainConfig& c, const Dataset& data)
      : grid_(c.occupancy), box_half_(c.march.box_half), enabled_(c.occupancy.enabled) {
    if (c.occupancy.enabled && c.warp.kind == WarpKind::None) grid_.mark_unseen(data.frames);
  }
  std::string name() const override {
    return std::string("occupancy (enabled=") + (enabled_ ? "true" : "false") +
           "): a point -> its cascade and its cell's occupied flag at the start of training";
  }
  int input_dim() const override { return 3; }
  int output_dim() const override { return 2; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 75);
    std::vector<float> in(3 * static_cast<size_t>(n));
    for (float& x : in) x = 0.5f + box_half_ * (2.f * rng.next_float() - 1.f);
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    const OccupancyView view = grid_.view();
    for (int k = 0; k < n; ++k) {
      const Vec3 p = make_vec3(in[3 * k], in[3 * k + 1], in[3 * k + 2]);
      out[2 * k] = static_cast<float>(occupancy_cascade(p, view.cascades));
      out[2 * k + 1] = occupancy_test(view, p) ? 1.f : 0.f;
    }
  }

 private:
  OccupancyGrid grid_;
  float box_half_;
  bool enabled_;
};

ModuleProbes probes(const ParamSet& p, const Dataset& data) {
  TrainConfig c;
  configure(p, data, c);
  if (p.has("warp.kind") && p.get_string("warp.kind") == "ndc") c.warp.kind = WarpKind::Ndc;
  if (p.has("warp.kind") && p.get_string("warp.kind") == "contract") c.warp.kind = WarpKind::Contract;
  ModuleProbes out;
  out.push_back(std::make_unique<OccupancyCellProbe>(c, data));
  return out;
}
}  // namespace

TechniqueModule occupancy_module() {
  return {"occupancy", "occupancy-grid empty-space skipping and early termination",
          "Müller et al. 2022 (Instant-NGP), Sec. 5.4, App. E", declare, configure, probes};
}

}  // namespace nerds
