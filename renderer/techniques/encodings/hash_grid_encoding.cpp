// The "hash" kind: Instant-NGP's multiresolution hash encoding (Müller et al. 2022, Sec. 3,
// Eq. 2-4). Defaults are the paper's NeRF setting (Table 1 / Sec. 5.4): L=16, F=2, T=2^19,
// N_min=16, N_max=2048*aabb_scale.
#include "renderer/techniques/encodings/hash_grid_encoding.h"

#include <stdexcept>

#include "renderer/data/pixel_footprint.h"
#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_tensor_names.h"

namespace nerds {

FootprintKind HashGridEncoding::footprint_kind() const {
  const HashGridConfig& c = grid_.config();
  return c.zip_multisample ? FootprintKind::ZipMultisample
                           : c.zip_downweight ? FootprintKind::ZipPoint : FootprintKind::None;
}

void HashGridEncoding::encode(const float* pos, const float* var, int n, float* out, int ld) const {
  const int K = zip_points_per_sample(footprint_kind());
  if (K > 0 && var)
    grid_.encode_zip(var, K, n, out, ld);
  else
    grid_.encode(pos, n, out, ld);
}

void HashGridEncoding::backward_inputs(const float* pos, const float*, const float* d_out, int n, int ld,
                                       float* d_pos, float*) const {
  if (!position_gradient())
    throw std::logic_error("HashGridEncoding::backward_inputs: no position gradient through the zip_* footprints");
  const HashGridView& view = grid_.view();
  const float* params = grid_.params().data();
  for (int i = 0; i < n; ++i)
    for (int l = 0; l < view.n_levels; ++l)
      hash_grid_position_backward_level(view, l, params, pos + 3 * i, d_out + static_cast<size_t>(i) * ld,
                                        d_pos + 3 * i);
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

void HashGridEncoding::backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                                      float* grad) const {
  const int K = zip_points_per_sample(footprint_kind());
  if (K > 0 && var)
    grid_.backward_level_zip(slice, var, K, d_enc, n, width(), grad);
  else
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
            {"max_resolution", ParamType::Int,
             "finest resolution N_max per unit of scene box (times aabb_scale); 0 = auto: the paper's 2048, or for "
             "coarser training pixels the smallest power of two (at least 4 cells per pixel footprint at the "
             "scene's centre) no coarser than that (512 for NeRF-synthetic at 100 px)",
             0, 65536},
            int64_t{0});
  // Zip-NeRF (Barron et al. 2023), renderer/math/zip_hash_grid.h; off: Instant-NGP's point samples.
  p.declare("encoding",
            {"zip_downweight", ParamType::Bool,
             "Zip-NeRF's downweighting (hash kind): each level's features times erf(1 / (sqrt(8) sigma n_l)), sigma "
             "the sample's footprint scale, n_l the level's cells per unit"},
            false);
  p.declare("encoding",
            {"zip_multisample", ParamType::Bool,
             "Zip-NeRF's multisampling (hash kind): each sample's conical frustum as 6 points on a spiral around "
             "the ray, their features averaged"},
            false);
}

// encoding.max_resolution = 0: the paper's N_max = 2048 (x aabb_scale) sets the finest level for
// its 800-px NeRF-synthetic images; training pixels much coarser than that level's cells cannot
// pin its features down. Halve it while the finest cell stays 1/4 of a pixel's footprint
// (pixel_footprint.h) or less: on lego_100 (footprint sqrt(3)/181) 512 reached 31.46 dB after
// 2900 steps where 2048 reached 31.34 (issue 14's A/Bs; 1024: +0.04). Larger boxes
// (aabb_scale > 1) and NDC scenes keep the paper's.
float max_resolution(const ParamSet& p, const Dataset& data, int base_resolution) {
  const int64_t set = p.get_int("encoding.max_resolution");
  if (set > 0) return static_cast<float>(set) * data.aabb_scale;
  constexpr int kPaperMax = 2048;
  constexpr float kCellsPerFootprint = 4.f;
  const float footprint = auto_settings_footprint(data, p.get_string("warp.kind") != "none");
  if (footprint == 0.f) return static_cast<float>(kPaperMax) * data.aabb_scale;
  int n = kPaperMax;
  while (n / 2 >= base_resolution && static_cast<float>(n / 2) * footprint >= kCellsPerFootprint) n /= 2;
  return static_cast<float>(n);
}

void configure(const ParamSet& p, const Dataset& data, NetworkConfig& c) {
  HashGridConfig& g = c.grid;
  configure_grid_levels(p, g);
  g.log2_table_size = static_cast<int>(p.get_int("encoding.log2_table_size"));
  g.all_dense = false;
  g.max_resolution = max_resolution(p, data, g.base_resolution);
  g.zip_downweight = p.get_bool("encoding.zip_downweight");
  g.zip_multisample = p.get_bool("encoding.zip_multisample");
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
