// The "dense" kind: Instant-NGP's multiresolution dense grid (Müller et al. 2022, Fig. 2/3),
// the hash encoding's ablation: the same levels (N_l = floor(N_min b^l), Eq. 2-3) up to
// dense_max_resolution, each indexed 1:1 ((N_l+1)^3 entries, no hashing, no collisions),
// trained like the hash table. Its memory grows with the finest resolution cubed, which is
// the paper's point. It is the hash kind's HashGridEncoding with every level dense.
#include <stdexcept>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"

namespace nerds {

namespace {

// The refusal bound: the table, its gradient and two Adam moments are 16 bytes per
// parameter, so 2^28 parameters already need 4 GiB.
constexpr size_t kMaxDenseGridParams = size_t{1} << 28;

void declare(ParamSet& p) {
  declare_grid_levels(p);
  p.declare("encoding",
            {"dense_max_resolution", ParamType::Int,
             "dense grid: the finest level's resolution over the whole scene box; memory grows with its cube", 2,
             4096},
            int64_t{128});
}

void configure(const ParamSet& p, const Dataset&, NetworkConfig& c) {
  HashGridConfig& g = c.grid;
  configure_grid_levels(p, g);
  g.all_dense = true;
  // The whole box, not per unit of it as max_resolution: the size a reader sets is the size allocated.
  g.max_resolution = static_cast<float>(p.get_int("encoding.dense_max_resolution"));
  if (g.max_resolution < g.base_resolution)
    throw InputError("", "encoding.dense_max_resolution", "must not be below encoding.base_resolution");
  std::string size;
  try {
    const size_t count = hash_grid_param_count(hash_grid_layout(g));
    if (count > kMaxDenseGridParams) size = std::to_string(count) + " parameters";
  } catch (const std::invalid_argument&) {  // more entries than a 32-bit offset addresses
    size = "more than 2^32 entries";
  }
  if (!size.empty())
    throw InputError("", "encoding.dense_max_resolution",
                     "the dense grid would hold " + size +
                         ", more than 2^28 parameters (1 GiB, 4 GiB with gradients and Adam moments); lower it, "
                         "encoding.levels or encoding.features");
}

// Every level dense whatever config.grid.all_dense says (network_grid_config: the CUDA
// backend lays the table out the same way).
std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) {
  return std::make_unique<HashGridEncoding>(network_grid_config(c));
}

}  // namespace

EncodingKind dense_encoding_kind() {
  return {kDenseEncoding, "multiresolution dense grid, the hash grid's ablation",
          "Müller et al. 2022 (Instant-NGP), Fig. 2/3 (dense grid)", declare, configure, grid_encoding_width, make};
}

}  // namespace nerds
