// The "ipe" kind: Mip-NeRF's integrated positional encoding (Barron et al. 2021, Sec. 3.1,
// Eq. 7-14) of each sample's frustum Gaussian.
#include "renderer/techniques/encodings/integrated_encoding.h"

#include "renderer/techniques/encodings/encoding_kinds.h"

namespace nerds {

void IntegratedPositionEncoding::encode(const float* pos, const float* var, int n, float* out, int ld) const {
  if (!var) {
    FrequencyPositionEncoding::encode(pos, var, n, out, ld);
    return;
  }
  for (int i = 0; i < n; ++i) {
    float p[3];
    nerf_encoding_coordinates(pos + 3 * i, p);
    // p = 2 pos - 1 scales the variances by 4. Zero variance: the same numbers as frequency_encode.
    const float* vi = var + 3 * i;
    const float v[3] = {4.f * vi[0], 4.f * vi[1], 4.f * vi[2]};
    integrated_encode(frequency_, p, v, out + static_cast<size_t>(i) * ld);
  }
}

void IntegratedPositionEncoding::backward_inputs(const float* pos, const float* var, const float* d_out, int n,
                                                 int ld, float* d_pos, float* d_var) const {
  if (!var) {
    FrequencyPositionEncoding::backward_inputs(pos, var, d_out, n, ld, d_pos, d_var);
    return;
  }
  for (int i = 0; i < n; ++i) {
    float p[3], d_p[3] = {0.f, 0.f, 0.f}, d_v[3] = {0.f, 0.f, 0.f};
    nerf_encoding_coordinates(pos + 3 * i, p);
    const float* vi = var + 3 * i;
    const float v[3] = {4.f * vi[0], 4.f * vi[1], 4.f * vi[2]};
    integrated_encode_backward(frequency_, p, v, d_out + static_cast<size_t>(i) * ld, d_p, d_v);
    // Chain rule through p = 2 pos - 1 and v = 4 var.
    for (int d = 0; d < 3; ++d) {
      d_pos[3 * i + d] += 2.f * d_p[d];
      if (d_var) d_var[3 * i + d] += 4.f * d_v[d];
    }
  }
}

namespace {

// Mip-NeRF's IPE drops the identity term (Sec. 3.1: the Gaussian's mean is not encoded raw),
// so encoding.include_input does not apply.
void configure(const ParamSet& p, const Dataset&, NetworkConfig& c) { configure_frequencies(p, false, c); }

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) {
  return std::make_unique<IntegratedPositionEncoding>(c.frequency);
}

}  // namespace

EncodingKind ipe_encoding_kind() {
  return {"ipe", "Mip-NeRF's integrated positional encoding of each sample's conical frustum",
          "Barron et al. 2021 (Mip-NeRF), Sec. 3.1, Eq. 7-14", declare_frequency_params, configure,
          frequency_kind_width, make};
}

}  // namespace nerds
