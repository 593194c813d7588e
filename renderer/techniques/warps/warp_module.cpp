// The space rays are sampled in (warp.kind):
// - none: the engine's scene box;
// - ndc: NeRF's normalized device coordinates for forward-facing scenes (Mildenhall et al.
//   2020, Appendix C, Eq. 25-26; renderer/math/ndc.h): each ray is warped into the NDC of a
//   reference camera (its near plane -> z = -1, infinity -> +1; the reference is
//   renderer/techniques/warps/ndc_reference.h's: NeRF's frame for LLFF, the mean camera otherwise) and the
//   NDC cube is mapped onto the scene box, where the occupancy grid, the marcher, the
//   hierarchical sampler and the compositing run unchanged (NeRF composites with NDC
//   distances too). The color network still sees the world direction. Rendered depth is
//   taken back to world distance (sampling_ray.h, engine_depth). A dataset with no forward-
//   facing reference (a 360 capture) is an InputError naming warp.kind.
#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/warps/ndc_reference.h"
#include "renderer/math/rng.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("warp",
            {"kind",
             ParamType::Choice,
             "the space rays are sampled in: none (the scene box) or ndc (NeRF's normalized device coordinates of a "
             "reference camera, for forward-facing scenes)",
             0,
             0,
             {"none", "ndc"}},
            std::string("none"));
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  c.warp = WarpSettings{};
  if (p.get_string("warp.kind") != "ndc") return;
  const NdcReference ref = ndc_reference(data);
  if (!ref.valid)
    throw InputError("", "warp.kind", "ndc needs a forward-facing dataset (" + data.root + "): " + ref.why_not);
  c.warp.kind = WarpKind::Ndc;
  c.warp.ndc = ref.warp;
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
  } else {
    out.push_back(std::make_unique<IdentityProbe>());
  }
  return out;
}

}  // namespace

TechniqueModule warp_module() {
  return {"warp",
          "the space rays are sampled in: the scene box, or NeRF's NDC for forward-facing scenes",
          "Mildenhall et al. 2020 (NeRF), Appendix C, Eq. 25-26",
          declare,
          configure,
          probes};
}

}  // namespace nerds
