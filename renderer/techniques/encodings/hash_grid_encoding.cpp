// The "hash" kind: Instant-NGP's multiresolution hash encoding (Müller et al. 2022, Sec. 3,
// Eq. 2-4). Defaults are the paper's NeRF setting (Table 1 / Sec. 5.4): L=16, F=2, T=2^19,
// N_min=16, N_max=2048*aabb_scale.
#include "renderer/techniques/encodings/hash_grid_encoding.h"

#include <stdexcept>

#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_tensor_names.h"

namespace nerds {

void HashGridEncoding::encode(const float* pos, const float*, int n, float* out, int ld) const {
  grid_.encode(pos, n, out, ld);
}

std::vector<ParamTensor> HashGridEncoding::param_tensors() { return {grid_.param_tensor(kEncodingTableTensor)}; }

std::vector<GradientSlice> HashGridEncoding::gradient_slices() const {
  std::vector<GradientSlice> out;
  const size_t F = static_cast<size_t>(grid_.config().features);
  for (int l = 0; l < grid_.view().n_levels; ++l) {
    const HashGridLevel& lv = grid_.view().levels[l];
    out.push_back({0, lv.offset * F, (static_cast<size_t>(lv.offset) + lv.table_size) * F});
  }
  return out;
}

void HashGridEncoding::backward_slice(int slice, const float* pos, const float* d_enc, int n, float* grad) const {
  grid_.backward_level(slice, pos, d_enc, n, width(), grad);
}

HashGrid& grid_of(PositionEncoding& encoding) {
  auto* grid = dynamic_cast<HashGridEncoding*>(&encoding);
  if (!grid) throw std::invalid_argument("grid_of: the position encoding is not a hash or dense grid");
  return grid->grid();
}

const HashGrid& grid_of(const PositionEncoding& encoding) {
  return grid_of(const_cast<PositionEncoding&>(encoding));
}

void declare_grid_levels(ParamSet& p) {
  if (p.has("encoding.levels")) return;
  p.declare("encoding", {"levels", ParamType::Int, "number of resolution levels L", 1, 32}, int64_t{16});
  p.declare("encoding", {"features", ParamType::Int, "features per level F (1, 2, 4 or 8)", 1, 8}, int64_t{2});
  p.declare("encoding", {"base_resolution", ParamType::Int, "coarsest resolution N_min", 2, 512}, int64_t{16});
}

void configure_grid_levels(const ParamSet& p, HashGridConfig& g) {
  g.levels = static_cast<int>(p.get_int("encoding.levels"));
  g.features = static_cast<int>(p.get_int("encoding.features"));
  if (g.features != 1 && g.features != 2 && g.features != 4 && g.features != 8)
    throw InputError("", "encoding.features", "must be 1, 2, 4 or 8");
  g.base_resolution = static_cast<int>(p.get_int("encoding.base_resolution"));
}

int grid_encoding_width(const NetworkConfig& c) { return c.grid.levels * c.grid.features; }

namespace {

void declare(ParamSet& p) {
  declare_grid_levels(p);
  p.declare("encoding", {"log2_table_size", ParamType::Int, "log2 of the hash table size T per level", 10, 24},
            int64_t{19});
  p.declare("encoding",
            {"max_resolution", ParamType::Int, "finest resolution N_max per unit of scene box (times aabb_scale)", 16,
             65536},
            int64_t{2048});
}

void configure(const ParamSet& p, const Dataset& data, NetworkConfig& c) {
  HashGridConfig& g = c.grid;
  configure_grid_levels(p, g);
  g.log2_table_size = static_cast<int>(p.get_int("encoding.log2_table_size"));
  g.all_dense = false;
  g.max_resolution = static_cast<float>(p.get_int("encoding.max_resolution")) * data.aabb_scale;
  if (g.max_resolution < g.base_resolution)
    throw InputError("", "encoding.max_resolution", "must not be below encoding.base_resolution");
}

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) {
  HashGridConfig g = c.grid;
  g.all_dense = false;
  return std::make_unique<HashGridEncoding>(g);
}

}  // namespace

EncodingKind hash_encoding_kind() {
  return {kHashEncoding, "multiresolution hash grid", "Müller et al. 2022 (Instant-NGP), Sec. 3, Eq. 2-4",
          declare, configure, grid_encoding_width, make};
}

}  // namespace nerds
