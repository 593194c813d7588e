// NeRF's positional encoding (Mildenhall et al. 2020, Eq. 4) as a position encoding: L
// frequencies of sin and cos per coordinate of 2 pos - 1 (Eq. 4's f_0 = pi expects [-1,1]),
// with or without the raw coordinates; 0 frequencies with the input is NeRF's "no positional
// encoding" ablation (Table 2). The formula is renderer/math/positional_encoding.h.
#pragma once

#include "renderer/math/positional_encoding.h"
#include "renderer/techniques/core/params.h"
#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/fields/network_config.h"

namespace nerds {

class FrequencyPositionEncoding : public PositionEncoding {
 public:
  explicit FrequencyPositionEncoding(const FrequencyEncoding& frequency) : frequency_(frequency) {}

  int width() const override { return frequency_encoding_width(frequency_); }
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;
  bool differentiable_inputs() const override { return true; }
  void backward_inputs(const float* pos, const float* var, const float* d_out, int n, int ld, float* d_pos,
                       float* d_var) const override;

 protected:
  FrequencyEncoding frequency_;
};

// Network positions in [0,1]^3 as NeRF's Eq. 4 reads them: p = 2 pos - 1.
inline void nerf_encoding_coordinates(const float* pos, float* p) {
  for (int d = 0; d < 3; ++d) p[d] = 2.f * pos[d] - 1.f;
}

// The frequency parameters (frequencies, include_input), shared with the ipe kind, declared
// once whichever kind declares them first.
void declare_frequency_params(ParamSet& params);
// Reads encoding.frequencies into config.frequency (3 coordinates), with or without the input.
void configure_frequencies(const ParamSet& params, bool include_input, NetworkConfig& config);
// frequency_encoding_width(config.frequency), the fixed kinds' width.
int frequency_kind_width(const NetworkConfig& config);

}  // namespace nerds
