// TensoRF's settings (Chen et al. ECCV 2022; encoding.kind = tensorf, encoding.tensorf_*),
// plain C++ so that network_config.h (which the CUDA backend reads) can hold them.
#pragma once

#include <vector>

namespace nerds {

// The factorisation of the 4D feature grid (Sec. 3-4): VM, per axis a plane (matrix) factor
// times a line (vector) factor on the other axis (Eq. 3); CP, three line factors per
// component (Eq. 2).
enum class TensorfDecomposition : int { VM = 0, CP = 1 };

struct TensorfConfig {
  TensorfDecomposition decomposition = TensorfDecomposition::VM;
  // Components per axis (VM: the paper's 16 density, 48 appearance; 3 axes: VM-192) or in all
  // (CP: 96 density, 288 appearance: CP-384).
  int density_components = 16;
  int appearance_components = 48;
  int appearance_features = 27;  // P: rows of the basis matrix B (the code's data_dim_color)
  // Grid resolution per axis: from the first to the last over the upsampling schedule (the
  // code's N_voxel_init 128^3 -> N_voxel_final 300^3, equal steps in log voxel count).
  int resolution_init = 128;
  int resolution_final = 300;
  // When to upsample, as fractions of the run (the code's upsamp_list 2000, 3000, 4000, 5500,
  // 7000 of 30000 iterations); empty: the initial resolution throughout.
  std::vector<float> upsample_at = {2000.f / 30000.f, 3000.f / 30000.f, 4000.f / 30000.f, 5500.f / 30000.f,
                                    7000.f / 30000.f};
  float l1_weight = 8e-5f;  // L1 on the density factors (the code's L1_weight_inital)
  float init_scale = 0.1f;  // factors ~ init_scale * N(0, 1) (the code: 0.1 VM, 0.2 CP)
  float lr_factor = 20.f;   // the factors' and B's learning rate over the schedule's (0.02 / 1e-3)
  // At each upsampling (the code's train.py builds a new Adam over all its groups,
  // optimizer_restart.h): every tensor's rate back to its initial value, decaying from there
  // (the code's lr_upsample_reset = 1), and every tensor's Adam moments and step count restarted.
  bool lr_upsample_reset = true;
  bool optimizer_upsample_reset = true;
};

// The grid resolution per axis after `upsampled` of the schedule's upsamplings: the voxel
// count log-linear from resolution_init^3 to resolution_final^3 (the code's N_voxel_list),
// its cube root rounded.
int tensorf_resolution(const TensorfConfig& c, int upsampled);

}  // namespace nerds
