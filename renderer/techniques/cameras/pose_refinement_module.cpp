// BARF: Bundle-Adjusting Neural Radiance Fields (Lin et al. 2021): the training cameras' poses
// are optimized with the field. Each camera i gets a correction xi_i in se(3) (Sec. 4; the
// refined pose is P_i exp(xi_i), renderer/math/se3.h), zero at the start, moved by Adam with
// its own rate (lr 1e-3 down to 1e-5, exponential: the official options/barf_blender.yaml);
// the loss reaches xi_i through every sample of camera i's rays: dL/dpos of the position
// encoding (frequency: analytic; hash/dense grids: the trilinear interpolation's derivative),
// then dpos/d(origin, direction), then the se(3) exponential's derivative. Its partner, the
// coarse-to-fine schedule on the encoding (Eq. 14), is encoding.c2f.
//
// Departures from the paper: the gradient reaches the rays through the sample positions only,
// not through the color network's view direction (SH); sample distances are constants of the
// ray (as BARF's fixed depth samples are). Points-only encodings and no warp: the IPE's and
// Zip-NeRF's footprints and the NDC / contraction warps are refused. The CUDA backend refuses
// it (cuda_backend_supports names camera.pose_refine).
#include <cmath>
#include <memory>

#include "renderer/error.h"
#include "renderer/math/camera.h"
#include "renderer/math/rng.h"
#include "renderer/math/se3.h"
#include "renderer/techniques/cameras/pose_refinement.h"
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("camera",
            {"pose_refine", ParamType::Bool,
             "BARF's pose refinement: a 6-DoF se(3) correction per training camera, optimized with the field"},
            false);
  p.declare("camera", {"pose_lr", ParamType::Float, "pose refinement: the corrections' Adam rate at the start "
                                                    "(BARF: 1e-3)", 0.0, 1.0},
            1e-3);
  p.declare("camera", {"pose_lr_final", ParamType::Float,
                       "pose refinement: their rate at the end of training, reached exponentially (BARF: 1e-5)", 0.0,
                       1.0},
            1e-5);
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  PoseRefineSettings& s = c.pose_refine;
  s.enabled = p.get_bool("camera.pose_refine");
  s.lr = static_cast<float>(p.get_float("camera.pose_lr"));
  s.lr_final = static_cast<float>(p.get_float("camera.pose_lr_final"));
  if (!s.enabled) return;
  if (c.warp.kind != WarpKind::None)
    throw InputError("", "camera.pose_refine", "needs warp.kind=none (rays are corrected in the scene box)");
  const std::string& e = c.network.encoding;
  if (e != "hash" && e != "dense" && e != "frequency" && e != "none")
    throw InputError("", "camera.pose_refine",
                     "needs a point encoding with a position gradient (hash, dense, frequency, none), not "
                     "encoding.kind=" + e);
  if (c.network.grid.zip_downweight || c.network.grid.zip_multisample)
    throw InputError("", "camera.pose_refine", "does not send gradients through encoding.zip_* footprints");
}

// The correction of one camera's ray: (xi, world direction d) -> (corrected origin, direction).
class PoseCorrectionProbe : public ModuleProbe {
 public:
  PoseCorrectionProbe() {
    pose_ = look_at(make_vec3(1.2f, 0.9f, 1.6f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 1.f, 0.f));
  }
  std::string name() const override { return "camera (pose correction of a ray)"; }
  int input_dim() const override { return 9; }
  int output_dim() const override { return 6; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 3);
    std::vector<float> in;
    for (int i = 0; i < n; ++i) {
      for (int k = 0; k < 6; ++k) in.push_back(0.6f * (rng.next_float() - 0.5f));
      const Vec3 d = normalize(make_vec3(rng.next_float() - 0.5f, rng.next_float() - 0.5f, rng.next_float() - 0.5f) +
                               make_vec3(0.f, 0.f, 0.1f));
      in.insert(in.end(), {d.x, d.y, d.z});
    }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int i = 0; i < n; ++i) {
      const float* x = in + 9 * i;
      const RayCorrection c = ray_correction(pose_, x);
      const Vec3 o = pose_.origin() + c.shift;
      const Vec3 d = correct_direction(c, make_vec3(x[6], x[7], x[8]));
      for (int k = 0; k < 3; ++k) {
        out[6 * i + k] = o[k];
        out[6 * i + 3 + k] = d[k];
      }
    }
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    for (int i = 0; i < n; ++i) {
      const float* x = in + 9 * i;
      const float* g = d_out + 6 * i;
      const Vec3 d = make_vec3(x[6], x[7], x[8]);
      RayCorrectionGrad acc;
      accumulate_ray_correction_grad(d, make_vec3(g[3], g[4], g[5]), make_vec3(g[0], g[1], g[2]), &acc);
      ray_correction_backward(pose_, x, acc, d_in + 9 * i);
      const RayCorrection c = ray_correction(pose_, x);
      for (int j = 0; j < 3; ++j)  // d' = turn d: dL/dd = turn^T g_d
        d_in[9 * i + 6 + j] = c.turn[0][j] * g[3] + c.turn[1][j] * g[4] + c.turn[2][j] * g[5];
    }
  }
  float finite_difference_step() const override { return 1e-3f; }

 private:
  Pose pose_;
};

ModuleProbes probes(const ParamSet&, const Dataset&) {
  ModuleProbes out;
  out.push_back(std::make_unique<PoseCorrectionProbe>());
  return out;
}

}  // namespace

TechniqueModule pose_refinement_module() {
  return {"camera", "per-camera pose refinement: a 6-DoF se(3) correction per training camera",
          "Lin et al. 2021 (BARF), Sec. 4", declare, configure, probes};
}

}  // namespace nerds
