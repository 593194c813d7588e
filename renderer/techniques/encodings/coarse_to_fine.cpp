#include "renderer/techniques/encodings/coarse_to_fine.h"

#include "renderer/error.h"
#include "renderer/math/positional_encoding.h"

namespace nerds {

void declare_coarse_to_fine(ParamSet& p) {
  p.declare("encoding",
            {"c2f", ParamType::Bool,
             "BARF's coarse-to-fine schedule (Eq. 14): frequency bands (grid levels) fade in between c2f_start and "
             "c2f_end of training"},
            false);
  p.declare("encoding", {"c2f_start", ParamType::Float, "coarse-to-fine: fraction of training where band 1 starts "
                                                        "(BARF: 0.1)", 0.0, 1.0},
            0.1);
  p.declare("encoding", {"c2f_end", ParamType::Float, "coarse-to-fine: fraction of training where every band is on "
                                                      "(BARF: 0.5)", 0.0, 1.0},
            0.5);
}

CoarseToFineSettings read_coarse_to_fine(const ParamSet& p) {
  CoarseToFineSettings c;
  c.enabled = p.get_bool("encoding.c2f");
  c.start = static_cast<float>(p.get_float("encoding.c2f_start"));
  c.end = static_cast<float>(p.get_float("encoding.c2f_end"));
  if (c.enabled && !(c.start < c.end))
    throw InputError("", "encoding.c2f_end", "must be above encoding.c2f_start");
  return c;
}

std::vector<float> coarse_to_fine_feature_weights(const NetworkConfig& network, const CoarseToFineSettings& c2f,
                                                  float progress) {
  if (!c2f.enabled || progress >= c2f.end) return {};
  std::vector<float> w;
  if (encoding_is_grid(network)) {
    const int L = network.grid.levels, F = network.grid.features;
    const float alpha = coarse_to_fine_alpha(progress, c2f.start, c2f.end, static_cast<float>(L - 1));
    for (int l = 0; l < L; ++l) w.insert(w.end(), F, l == 0 ? 1.f : coarse_to_fine_weight(alpha, l - 1));
    return w;
  }
  const FrequencyEncoding& e = network.frequency;
  const float alpha = coarse_to_fine_alpha(progress, c2f.start, c2f.end, static_cast<float>(e.frequencies));
  if (e.include_input) w.insert(w.end(), e.dims, 1.f);
  for (int k = 0; k < e.frequencies; ++k) w.insert(w.end(), 2 * e.dims, coarse_to_fine_weight(alpha, k));
  return w;
}

}  // namespace nerds
