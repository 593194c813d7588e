// Mip-NeRF's integrated positional encoding (Barron et al. 2021, Sec. 3.1, Eq. 7-14): the
// expected frequency encoding (NeRF Eq. 4) over each sample's conical frustum, approximated
// by a Gaussian (pos its mean, var its covariance diagonal), mapped like the frequency kind
// (p = 2 pos - 1, so the variances times 4); without the raw coordinates (Mip-NeRF's IPE has
// no identity term). Points (var null): the frequency encoding's numbers. The formula is
// renderer/math/positional_encoding.h (integrated_encode, Eq. 14).
#pragma once

#include "renderer/techniques/encodings/frequency_encoding.h"

namespace nerds {

class IntegratedPositionEncoding : public FrequencyPositionEncoding {
 public:
  using FrequencyPositionEncoding::FrequencyPositionEncoding;

  FootprintKind footprint_kind() const override { return FootprintKind::Gaussian; }
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;
  void backward_inputs(const float* pos, const float* var, const float* d_out, int n, int ld, float* d_pos,
                       float* d_var) const override;
};

}  // namespace nerds
