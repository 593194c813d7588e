// Occupancy-grid ray marching (Müller et al. 2022, Instant-NGP, Sec. 5.2 and App. E):
// 128^3 bit grid per cascade, EMA decay 0.95, threshold 0.01 optical thickness, updated every
// 16 steps; steps of sqrt(3)/1024 (cone tracing with angle 1/256 for aabb_scale > 1); rays
// terminate once transmittance drops below 1e-4.
#include <cmath>

#include "renderer/techniques/modules.h"

namespace nerds {

namespace {
void declare(ParamSet& p) {
  p.declare("occupancy", {"enabled", ParamType::Bool, "skip empty space with the occupancy grid"}, true);
  p.declare("occupancy", {"resolution", ParamType::Int, "cells per axis of each cascade", 16, 256}, int64_t{128});
  p.declare("occupancy", {"decay", ParamType::Float, "EMA decay of the cell densities per update", 0.0, 1.0}, 0.95);
  p.declare("occupancy", {"threshold", ParamType::Float, "optical thickness above which a cell is occupied", 0.0, 1.0},
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
  p.declare("march", {"steps", ParamType::Int, "steps across the unit cube diagonal (dt_min = sqrt(3)/steps)", 16, 8192},
            int64_t{1024});
  p.declare("march", {"max_samples", ParamType::Int, "samples per ray at most", 1, 8192}, int64_t{1024});
  p.declare("march",
            {"cone_angle", ParamType::Float, "step growth with distance; negative = auto (0, or 1/256 if aabb_scale > 1)",
             -1.0, 1.0},
            -1.0);
  p.declare("march", {"min_transmittance", ParamType::Float, "early ray termination threshold", 0.0, 1.0}, 1e-4);
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
  // One cascade per doubling of the scene box (instant-ngp: log2(aabb_scale) + 1).
  o.cascades = 1;
  while ((1 << (o.cascades - 1)) < data.aabb_scale) ++o.cascades;

  MarchSettings& m = c.march;
  const float sqrt3 = 1.7320508f;
  m.dt_min = sqrt3 / static_cast<float>(p.get_int("march.steps"));
  m.dt_max = sqrt3 * static_cast<float>(1 << (o.cascades - 1)) / static_cast<float>(o.resolution);
  const double cone = p.get_float("march.cone_angle");
  m.cone_angle = cone >= 0.0 ? static_cast<float>(cone) : (data.aabb_scale > 1.f ? 1.f / 256.f : 0.f);
  m.max_samples = static_cast<int>(p.get_int("march.max_samples"));
  m.box_half = 0.5f * static_cast<float>(1 << (o.cascades - 1));
  c.min_transmittance = static_cast<float>(p.get_float("march.min_transmittance"));
}
}  // namespace

TechniqueModule occupancy_sampler_module() {
  return {"occupancy", "occupancy-grid empty-space skipping and early termination",
          "Müller et al. 2022 (Instant-NGP), Sec. 5.2, App. E", declare, configure};
}

}  // namespace nerds
