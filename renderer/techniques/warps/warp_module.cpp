// The space rays are sampled in (warp.kind):
// - none: the engine's scene box;
// - ndc: NeRF's normalized device coordinates for forward-facing scenes (Mildenhall et al.
//   2020, Appendix C, Eq. 25-26; renderer/math/ndc.h): each ray is warped into the NDC of a
//   reference camera (its near plane -> z = -1, infinity -> +1; the reference is
//   renderer/techniques/warps/ndc_reference.h's: NeRF's frame for LLFF, the mean camera otherwise) and the
//   NDC cube (widened to what every training camera sees: warp.ndc_extent) is mapped onto the
//   scene box, where the occupancy grid, the marcher, the
//   hierarchical sampler and the compositing run unchanged (NeRF composites with NDC
//   distances too). The color network still sees the world direction. Rendered depth is
//   taken back to world distance (sampling_ray.h, engine_depth). A dataset with no forward-
//   facing reference (a 360 capture) is an InputError naming warp.kind.
// - contract: Mip-NeRF 360's scene contraction for unbounded scenes (Barron et al. 2022, Eq.
//   10-11; renderer/math/contraction.h): a ball around the scene box's center holds the
//   foreground, all of space beyond it is squeezed into the shell up to twice its radius, and
//   that ball (L2) or cube (L-infinity) is mapped onto the scene box, so the occupancy grid and
//   the encoding cover contracted space. Rays stay straight: the marcher steps along them
//   equally in contracted space (uniform inside the ball, uniform in disparity beyond) up to a
//   far plane, and composites and renders depth at engine distances (contracted_march.h).
//   The marcher (sampler.kind=march) and the proposal sampler (sampler.kind=proposal, in
//   s-space: ray_spacing.h) place contracted samples. Encodings that read a sample's
//   footprint get it carried through the contraction: Mip-NeRF's IPE its Gaussian (Eq. 9),
//   Zip-NeRF's grid its points and their scales (contracted_footprint.h).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "renderer/math/rng.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/samplers/sampler_settings.h"
#include "renderer/techniques/warps/ndc_reference.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("warp",
            {"kind",
             ParamType::Choice,
             "the space rays are sampled in: none (the scene box), ndc (NeRF's normalized device coordinates of a "
             "reference camera, for forward-facing scenes) or contract (Mip-NeRF 360's scene contraction, for "
             "unbounded scenes)",
             0,
             0,
             {"none", "ndc", "contract"}},
            std::string("none"));
  p.declare("warp",
            {"ndc_extent",
             ParamType::Choice,
             "warp.kind=ndc: the block of NDC the scene box holds: cameras (the smallest that holds what every "
             "training camera sees from its near bound to infinity) or reference (NeRF's cube [-1, 1]^3, the "
             "reference camera's frustum alone: the other cameras' views past its sides are clipped away)",
             0,
             0,
             {"cameras", "reference"}},
            std::string("cameras"));
  p.declare("warp",
            {"contract_norm",
             ParamType::Choice,
             "warp.kind=contract: the norm of the contraction, l2 (Mip-NeRF 360: a ball) or linf (nerfstudio, MERF: "
             "a cube, which fills the box)",
             0,
             0,
             {"l2", "linf"}},
            std::string("l2"));
  p.declare("warp",
            {"contract_radius", ParamType::Float,
             "warp.kind=contract: radius of the uncontracted foreground around the scene box's center, in the "
             "dataset's world units; 0 = auto: the farthest training camera (in the contraction's norm), as Mip-NeRF "
             "360 scales its scenes so that the cameras lie within the unit ball",
             0.0, 1e6},
            0.0);
  p.declare("warp",
            {"contract_far", ParamType::Float,
             "warp.kind=contract: where rays end, in foreground radii from the camera (the contracted point is then "
             "within 1/far of the radius-2 sphere)",
             2.0, 1e7},
            1000.0);
}

ContractNorm contract_norm_of(const ParamSet& p) {
  return p.get_string("warp.contract_norm") == "linf" ? ContractNorm::Linf : ContractNorm::L2;
}

// The contraction's foreground radius in engine units: warp.contract_radius (world units)
// scaled into the engine's frame, or the farthest training camera from the box's center.
float contract_radius(const ParamSet& p, const Dataset& data, const ContractWarp& w) {
  const double set = p.get_float("warp.contract_radius");
  if (set > 0.0) return static_cast<float>(set) * data.scale;
  float farthest = 0.f;
  for (const Frame& f : data.frames)
    farthest = std::max(farthest, contraction_norm(w.norm, f.pose.origin() - w.center));
  if (!(farthest > 0.f))
    throw InputError("", "warp.contract_radius",
                     "contract needs a radius: the dataset (" + data.root +
                         ") has no camera away from the scene box's center; set warp.contract_radius");
  return farthest;
}

void configure_contract(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  // The marcher steps along contracted rays and the proposal sampler places its intervals in
  // s-space (ray_spacing.h); NeRF's stratified and hierarchical samplers place theirs in a box.
  if (c.sampler.kind != kMarchSamplerKind && c.sampler.kind != kProposalSamplerKind)
    throw InputError("", "warp.kind",
                     "contract places samples with the occupancy-grid marcher (sampler.kind=" +
                         std::string(kMarchSamplerKind) + ") or the proposal sampler (sampler.kind=" +
                         std::string(kProposalSamplerKind) + "), not sampler.kind=" + c.sampler.kind);
  ContractWarp& w = c.warp.contract;
  w.norm = contract_norm_of(p);
  w.center = make_vec3(0.5f, 0.5f, 0.5f);
  w.radius = contract_radius(p, data, w);
  w.far = static_cast<float>(p.get_float("warp.contract_far")) * w.radius;
  c.warp.kind = WarpKind::Contract;
  // The occupancy grid (configured before) holds contracted space: its thickness follows the
  // march's span there (OccupancyConfig::contracted).
  c.occupancy.contracted = true;
  c.occupancy.contract_norm = w.norm;
  c.occupancy.contract_engine_per_box = 2.f * w.radius / c.march.box_half;
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  c.warp = WarpSettings{};
  const std::string kind = p.get_string("warp.kind");
  if (kind == "contract") return configure_contract(p, data, c);
  if (kind != "ndc") return;
  const NdcReference ref = ndc_reference(data);
  if (!ref.valid)
    throw InputError("", "warp.kind", "ndc needs a forward-facing dataset (" + data.root + "): " + ref.why_not);
  c.warp.kind = WarpKind::Ndc;
  c.warp.ndc = ref.warp;
  if (p.get_string("warp.ndc_extent") == "reference") c.warp.ndc.extent_x = c.warp.ndc.extent_y = 1.f;
}

// warp.kind = ndc: a point in the reference camera's frame -> its NDC position (ndc_point).
class NdcPointProbe : public ModuleProbe {
 public:
  explicit NdcPointProbe(const NdcCamera& c) : c_(c) {}
  std::string name() const override { return "warp (kind=ndc): a point in the reference camera's frame -> NDC"; }
  int input_dim() const override { return 3; }
  int output_dim() const override { return 3; }
  // Points in the reference frustum, from just beyond the near plane to 6 times as deep.
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 73);
    std::vector<float> in;
    for (int k = 0; k < n; ++k) {
      const float depth = c_.near * (1.2f + 4.8f * rng.next_float());
      const float u = 1.8f * rng.next_float() - 0.9f, v = 1.8f * rng.next_float() - 0.9f;
      in.insert(in.end(), {u * depth * 0.5f * c_.width / c_.fx, v * depth * 0.5f * c_.height / c_.fy, -depth});
    }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int k = 0; k < n; ++k) {
      const Vec3 q = ndc_point(c_, make_vec3(in[3 * k], in[3 * k + 1], in[3 * k + 2]));
      for (int a = 0; a < 3; ++a) out[3 * k + a] = q[a];
    }
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    for (int k = 0; k < n; ++k) {
      const Vec3 g = ndc_point_vjp(c_, make_vec3(in[3 * k], in[3 * k + 1], in[3 * k + 2]),
                                   make_vec3(d_out[3 * k], d_out[3 * k + 1], d_out[3 * k + 2]));
      for (int a = 0; a < 3; ++a) d_in[3 * k + a] = g[a];
    }
  }
  float finite_difference_step() const override { return 1e-3f * c_.near; }

 private:
  NdcCamera c_;
};

// warp.kind = contract: a point of the contraction's frame (in foreground radii) -> its
// contracted point (Eq. 10), differentiated through contract_vjp.
class ContractProbe : public ModuleProbe {
 public:
  explicit ContractProbe(ContractNorm norm) : norm_(norm) {}
  std::string name() const override {
    return std::string("warp (kind=contract, contract_norm=") + (norm_ == ContractNorm::Linf ? "linf" : "l2") +
           "): a point in foreground radii -> its contracted point";
  }
  int input_dim() const override { return 3; }
  int output_dim() const override { return 3; }
  // Points inside the unit ball and out to 8 radii, none near the edge |x| = 1 where the
  // derivative of the radial part changes.
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 76);
    std::vector<float> in;
    for (int k = 0; k < n; ++k) {
      const Vec3 dir =
          make_vec3(2.f * rng.next_float() - 1.f, 2.f * rng.next_float() - 1.f, 2.f * rng.next_float() - 1.f);
      const float r = k % 2 == 0 ? 0.1f + 0.7f * rng.next_float() : 1.3f + 6.7f * rng.next_float();
      const Vec3 x = dir * (r / max_f(contraction_norm(norm_, dir), 1e-3f));
      in.insert(in.end(), {x.x, x.y, x.z});
    }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int k = 0; k < n; ++k) {
      const Vec3 y = contract(norm_, make_vec3(in[3 * k], in[3 * k + 1], in[3 * k + 2]));
      for (int a = 0; a < 3; ++a) out[3 * k + a] = y[a];
    }
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    for (int k = 0; k < n; ++k) {
      const ContractJacobian j = contract_jacobian(norm_, make_vec3(in[3 * k], in[3 * k + 1], in[3 * k + 2]));
      const Vec3 g = contract_vjp(j, make_vec3(d_out[3 * k], d_out[3 * k + 1], d_out[3 * k + 2]));
      for (int a = 0; a < 3; ++a) d_in[3 * k + a] = g[a];
    }
  }
  float finite_difference_step() const override { return 1e-3f; }

 private:
  ContractNorm norm_;
};

// warp.kind = none: positions are used as they are.
class IdentityProbe : public ModuleProbe {
 public:
  std::string name() const override { return "warp (kind=none): a point -> itself"; }
  int input_dim() const override { return 3; }
  int output_dim() const override { return 3; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 74);
    std::vector<float> in(3 * static_cast<size_t>(n));
    for (float& x : in) x = rng.next_float();
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    std::copy(in, in + 3 * static_cast<size_t>(n), out);
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float*, const float* d_out, int n, float* d_in, float*) const override {
    std::copy(d_out, d_out + 3 * static_cast<size_t>(n), d_in);
  }
};

ModuleProbes probes(const ParamSet& p, const Dataset& data) {
  TrainConfig c;
  configure(p, data, c);
  ModuleProbes out;
  if (c.warp.kind == WarpKind::Ndc) {
    out.push_back(std::make_unique<NdcPointProbe>(c.warp.ndc.camera));
  } else if (c.warp.kind == WarpKind::Contract) {
    out.push_back(std::make_unique<ContractProbe>(c.warp.contract.norm));
  } else {
    out.push_back(std::make_unique<IdentityProbe>());
  }
  return out;
}

}  // namespace

TechniqueModule warp_module() {
  return {"warp",
          "the space rays are sampled in: the scene box, NeRF's NDC for forward-facing scenes, or Mip-NeRF 360's "
          "contracted space for unbounded ones",
          "Mildenhall et al. 2020 (NeRF), Appendix C, Eq. 25-26; Barron et al. 2022 (Mip-NeRF 360), Eq. 10-11",
          declare,
          configure,
          probes};
}

}  // namespace nerds
