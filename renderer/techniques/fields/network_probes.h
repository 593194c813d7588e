// The module probes (module_probe.h) of the network's two technique modules, as configured
// by the parameters: the position encoding of the chosen kind ("encoding") and the density
// and color MLPs ("field"). Each probe owns a small model of its own (random table or
// weights), never the trainer's.
#pragma once

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/core/params.h"
#include "renderer/techniques/fields/network_config.h"

namespace nerds {

// The position encoding of the chosen kind, built by its registered factory: positions in
// [0.05, 0.95]^3 (and their variances, for a kind that reads footprints) -> the encoding, as
// the density MLP reads it. One probe per trained tensor of the kind (the hash and dense
// grids: their table; inputs not differentiable), or one of its fixed function
// (frequency/none/ipe: differentiable in the inputs, no parameters).
ModuleProbes encoding_probes(const ParamSet& params, const Dataset& data);

// Two probes: the density MLP (encoding -> geometry features, first = log-density, with the
// skip connection when set) and the color MLP ([geometry features, SH(direction)] -> RGB
// before the sigmoid); differentiable in inputs and weights.
// With field.color = ref_nerf the color MLP's probe is Ref-NeRF's whole colour head instead
// (ref_nerf_head_probe).
ModuleProbes field_probes(const ParamSet& params, const Dataset& data);

// Ref-NeRF's colour head (ref_nerf_probes.cpp): geometry features -> [rgb, predicted normal].
std::unique_ptr<ModuleProbe> ref_nerf_head_probe(const NetworkConfig& config);

}  // namespace nerds
