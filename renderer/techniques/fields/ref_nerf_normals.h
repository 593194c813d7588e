// Ref-NeRF's normals from the density field and its two normal regularizers (Verbin et al.
// 2022, Eq. 3 and Sec. 4; renderer/math/ref_nerf.h):
//   n_i = -grad(tau)/|grad(tau)| at sample i, grad(tau) by CENTRAL FINITE DIFFERENCES of the raw
//   density tau at x_i +- h e_k (6 density evaluations per sample, h = field.ref_normal_step in
//   the network's [0,1]^3 box coordinates): every loss stays first-order (its gradient is the
//   density network's ordinary backward at those 6 points), unlike the paper's analytic
//   gradient, whose losses need second derivatives;
//   R_o = sum_i w_i max(0, n'_i . d)^2 and R_p = sum_i w_i (1 - n_i . n'_i) per ray, weighted by
//   field.ref_orientation_weight and field.ref_normal_weight, mean over rays; R_p's sum runs over
//   the samples whose weight w_i reaches field.ref_normal_min_weight (0: all, as the paper), so
//   the 6 extra density evaluations are paid only where a sample shows in the image; their gradients
//   reach the weights w_i (so the densities), the predicted normals n' (the head) and, for R_p,
//   the density normals n (the density network at the 6 offset points).
// Plain density normals are defined for any model (they are what `nerds eval` measures).
#pragma once

#include <vector>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/fields/ref_nerf_settings.h"

namespace nerds {

// Buffers of the finite differences (per thread).
struct DensityNormalScratch {
  NetworkWorkspace ws;      // the density stage at the 6 offsets of each sample
  std::vector<float> pos;   // 6 offsets per sample (3 each): +x, +y, +z, -x, -y, -z
  std::vector<float> sigma, tau, d_tau;
  std::vector<int> selected;  // ref_nerf_regularizers: the samples R_p reads (ascending)
};

// The 6 offset points of n samples at pos (3 each, box coordinates [0,1]^3), clamped to the box.
void finite_difference_points(const float* pos, int n, float h, std::vector<float>& out);

// Unit normals n_i (3 per sample) of n samples at pos; keeps the offsets' density stage in s
// (for ref_nerf_regularizers' backward). g (3 per sample) receives the unnormalized gradient
// when not null.
void density_normals(const NerfNetwork& network, const float* pos, int n, float h, DensityNormalScratch& s,
                     float* normals, float* g = nullptr);

// The regularizers on m samples (the chunk's used samples: network positions pos, directions
// dir, densities sigma, steps dt; rays [begin[r], begin[r] + count[r])), whose colour stage with
// Ref-NeRF's head is in ws. Writes dL/dn' into ws.ref.d_normal; adds dL/dsigma to d_sigma;
// accumulates the density network's gradient at the offset points into grads and leaves
// dL/d(encoding) of the 6 k offset points in s.ws.d_enc (E x 6k), at positions s.pos (k =
// s.selected.size(), R_p's samples).
// scale: 1 / (rays in the step). Returns sum over the chunk's rays of scale * (weighted R_o + R_p).
double ref_nerf_regularizers(const NerfNetwork& network, NetworkWorkspace& ws, const float* pos, const float* dir,
                             const float* sigma, const float* dt, const int* begin, const int* count, int n_rays,
                             int m, const RefNerfLossWeights& weights, float scale, DensityNormalScratch& s,
                             float* d_sigma, NetworkGradients& grads);

}  // namespace nerds
