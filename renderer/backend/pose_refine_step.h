// The CPU backend's part of BARF's pose refinement (Lin et al. 2021; the formulas are
// renderer/math/se3.h, the tensor techniques/cameras/pose_refinement.h): the step's ray
// corrections, the gradient the loss sends back into each camera's rays through the position
// encoding's dL/dpos, and the corrections' Adam update with the pose schedule. Called only
// when camera.pose_refine is on.
#pragma once

#include <vector>

#include "renderer/backend/sample_buffer.h"
#include "renderer/math/se3.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/cameras/pose_refinement.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

// Every camera's correction exp(xi_i) as it moves its rays (one per pose).
std::vector<RayCorrection> ray_corrections(const PoseRefinement& refine, const std::vector<Pose>& poses);

// The rays of one chunk, after the network's backward left dL/d(encoding) of its m used
// samples in d_enc (E x m): adds to grads[image] each ray's sum of g_d d^T and g_o (se3.h's
// RayCorrectionGrad), with dL/dpos from the encoding (d_pos: scratch), pos = network
// position of o' + t d' (dpos/do' = 0.5 / box_half, dpos/dd' = t 0.5 / box_half), less the
// part along d' (the samples hang on the ray's line from its entry into the box).
struct ChunkRays {
  const int* ray_begin;
  const int* ray_count;
  const int* image;      // the training frame of each ray
  const Vec3* dir;            // each ray's world direction before its correction
  const Vec3* corrected_dir;  // and after it (unit)
  int n_rays;
};
void accumulate_pose_gradients(const NerfNetwork& network, const SampleBuffer& samples, const float* d_enc, int m,
                               const ChunkRays& rays, float box_half, std::vector<float>& d_pos,
                               std::vector<RayCorrectionGrad>& grads);

// Adam on the corrections (BARF trains them with PyTorch's Adam defaults: beta1 0.9, beta2
// 0.999, eps 1e-8, no decay) at rate lr, step t (1-based), from the cameras' summed ray gradients.
void update_pose_corrections(const ParamTensor& tensor, AdamMoments& moments, const PoseRefinement& refine,
                             const std::vector<Pose>& poses, const std::vector<RayCorrectionGrad>& grads, float lr,
                             int t);

}  // namespace nerds
