// The radiance field's networks (Müller et al. 2022, Instant-NGP, Sec. 5.4): a density MLP
// (1 hidden layer of 64, 16 outputs, the first is log-density) and a color MLP (2 hidden
// layers of 64) on [geometry features, SH degree-4 direction encoding].
#include "renderer/techniques/modules.h"

namespace nerds {

namespace {
void declare(ParamSet& p) {
  p.declare("field", {"density_hidden", ParamType::Int, "width of the density MLP's hidden layers", 8, 512}, int64_t{64});
  p.declare("field", {"density_layers", ParamType::Int, "hidden layers of the density MLP", 1, 8}, int64_t{1});
  p.declare("field", {"geo_features", ParamType::Int, "density MLP outputs passed to the color MLP", 1, 64},
            int64_t{16});
  p.declare("field", {"color_hidden", ParamType::Int, "width of the color MLP's hidden layers", 8, 512}, int64_t{64});
  p.declare("field", {"color_layers", ParamType::Int, "hidden layers of the color MLP", 1, 8}, int64_t{2});
  p.declare("field", {"sh_degree", ParamType::Int, "spherical-harmonics degree of the direction encoding", 1, 4},
            int64_t{4});
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  NetworkConfig& n = c.network;
  n.density_hidden = static_cast<int>(p.get_int("field.density_hidden"));
  n.density_layers = static_cast<int>(p.get_int("field.density_layers"));
  n.geo_features = static_cast<int>(p.get_int("field.geo_features"));
  n.color_hidden = static_cast<int>(p.get_int("field.color_hidden"));
  n.color_layers = static_cast<int>(p.get_int("field.color_layers"));
  n.sh_degree = static_cast<int>(p.get_int("field.sh_degree"));
}
}  // namespace

TechniqueModule nerf_field_module() {
  return {"field", "density and color MLPs with SH view encoding", "Müller et al. 2022 (Instant-NGP), Sec. 5.4",
          declare, configure};
}

}  // namespace nerds
