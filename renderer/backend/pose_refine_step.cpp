#include "renderer/backend/pose_refine_step.h"

#include "renderer/train/optimizer.h"

namespace nerds {

std::vector<RayCorrection> ray_corrections(const PoseRefinement& refine, const std::vector<Pose>& poses) {
  std::vector<RayCorrection> out;
  for (int i = 0; i < refine.cameras(); ++i) out.push_back(ray_correction(poses[i], refine.se3(i)));
  return out;
}

void accumulate_pose_gradients(const NerfNetwork& network, const SampleBuffer& samples, const float* d_enc, int m,
                               const ChunkRays& rays, float box_half, std::vector<float>& d_pos,
                               std::vector<RayCorrectionGrad>& grads) {
  if (m == 0) return;
  d_pos.assign(3 * static_cast<size_t>(m), 0.f);
  network.encoding().backward_inputs(samples.pos.data(), nullptr, d_enc, m, network.encoding_dim(), d_pos.data(),
                                     nullptr);
  const float to_network = 0.5f / box_half;
  for (int r = 0; r < rays.n_rays; ++r) {
    Vec3 g_o = make_vec3(0.f, 0.f, 0.f), g_d = g_o;
    const int b = rays.ray_begin[r];
    for (int i = b; i < b + rays.ray_count[r]; ++i) {
      const Vec3 g = make_vec3(d_pos[3 * i], d_pos[3 * i + 1], d_pos[3 * i + 2]) * to_network;
      g_o = g_o + g;
      g_d = g_d + g * samples.t[i];
    }
    // The samplers start at the ray's entry into the scene box, so a render depends on the
    // ray's line, not on where the origin sits along it: the along-ray part goes (else the
    // cameras would drift along their axes; BARF's samples sit at fixed depths from the camera).
    const Vec3 d = rays.corrected_dir[r];
    g_o = g_o - d * dot(g_o, d);
    g_d = g_d - d * dot(g_d, d);
    accumulate_ray_correction_grad(rays.dir[r], g_d, g_o, &grads[rays.image[r]]);
  }
}

void update_pose_corrections(const ParamTensor& tensor, AdamMoments& moments, const PoseRefinement& refine,
                             const std::vector<Pose>& poses, const std::vector<RayCorrectionGrad>& grads, float lr,
                             int t) {
  std::vector<float> grad(tensor.size(), 0.f);
  for (int i = 0; i < refine.cameras(); ++i) ray_correction_backward(poses[i], refine.se3(i), grads[i], &grad[6 * i]);
  const AdamStep step = make_adam_step(lr, 0.9f, 0.999f, 1e-8f, t, 0.f);
  adam_update_range(tensor, moments, step, grad.data(), 0, tensor.size());
}

}  // namespace nerds
