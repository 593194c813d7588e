// The "frequency" and "none" kinds: NeRF's positional encoding (Mildenhall et al. 2020,
// Eq. 4), L frequencies of sin and cos per coordinate with or without the raw coordinate, and
// the raw coordinates only (NeRF's "no positional encoding" ablation, Table 2).
#include "renderer/techniques/encodings/frequency_encoding.h"

#include "renderer/techniques/encodings/encoding_kinds.h"

namespace nerds {

void FrequencyPositionEncoding::encode(const float* pos, const float*, int n, float* out, int ld) const {
  for (int i = 0; i < n; ++i) {
    float p[3];
    nerf_encoding_coordinates(pos + 3 * i, p);
    frequency_encode(frequency_, p, out + static_cast<size_t>(i) * ld);
  }
}

void FrequencyPositionEncoding::backward_inputs(const float* pos, const float*, const float* d_out, int n, int ld,
                                                float* d_pos, float*) const {
  for (int i = 0; i < n; ++i) {
    float p[3], d_p[3] = {0.f, 0.f, 0.f};
    nerf_encoding_coordinates(pos + 3 * i, p);
    frequency_encode_backward(frequency_, p, d_out + static_cast<size_t>(i) * ld, d_p);
    for (int d = 0; d < 3; ++d) d_pos[3 * i + d] += 2.f * d_p[d];  // chain rule through p = 2 pos - 1
  }
}

void declare_frequency_params(ParamSet& p) {
  if (p.has("encoding.frequencies")) return;
  p.declare("encoding", {"frequencies", ParamType::Int, "frequency encoding: frequencies L (NeRF: 10)", 1, 16},
            int64_t{10});
  p.declare("encoding",
            {"include_input", ParamType::Bool, "frequency encoding: prepend the raw coordinates (NeRF's code does)"},
            true);
}

void configure_frequencies(const ParamSet& p, bool include_input, NetworkConfig& c) {
  c.frequency.dims = 3;
  c.frequency.frequencies = static_cast<int>(p.get_int("encoding.frequencies"));
  c.frequency.include_input = include_input;
}

int frequency_kind_width(const NetworkConfig& c) { return frequency_encoding_width(c.frequency); }

namespace {

void configure_frequency(const ParamSet& p, const Dataset&, NetworkConfig& c) {
  configure_frequencies(p, p.get_bool("encoding.include_input"), c);
}

// No parameters: 0 frequencies, the coordinates alone.
void declare_none(ParamSet&) {}
void configure_none(const ParamSet&, const Dataset&, NetworkConfig& c) {
  c.frequency.dims = 3;
  c.frequency.frequencies = 0;
  c.frequency.include_input = true;
}

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) {
  return std::make_unique<FrequencyPositionEncoding>(c.frequency);
}

}  // namespace

EncodingKind frequency_encoding_kind() {
  return {"frequency", "NeRF's positional encoding: sin and cos of L frequencies per coordinate",
          "Mildenhall et al. 2020 (NeRF), Eq. 4", declare_frequency_params, configure_frequency, frequency_kind_width,
          make};
}

EncodingKind none_encoding_kind() {
  return {"none", "the raw coordinates only, NeRF's no-encoding ablation", "Mildenhall et al. 2020 (NeRF), Table 2",
          declare_none, configure_none, frequency_kind_width, make};
}

}  // namespace nerds
