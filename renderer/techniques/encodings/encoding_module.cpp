// The position encoding, switchable (encoding.kind) so that a review can compare:
// - hash: the multiresolution hash encoding (Müller et al. 2022, Instant-NGP, Sec. 3). Defaults
//   are the paper's NeRF setting (Table 1 / Sec. 5.4): L=16, F=2, T=2^19, N_min=16,
//   N_max=2048*scale;
// - frequency: NeRF's positional encoding (Mildenhall et al. 2020, Eq. 4), L frequencies of
//   sin and cos per coordinate, with or without the raw coordinate;
// - none: the raw coordinates only (NeRF's "no positional encoding" ablation, Table 4);
// - ipe: Mip-NeRF's integrated positional encoding (Barron et al. 2021, Sec. 3.1, Eq. 7-14):
//   the expected frequency encoding over each sample's conical frustum, without the raw
//   coordinates (Mip-NeRF's IPE has no identity term), so include_input does not apply;
// - dense: Instant-NGP's "multiresolution dense grid" (Müller et al. 2022, Fig. 2/3), the
//   hash grid's ablation: the same levels (N_l = floor(N_min b^l), Eq. 2-3) up to
//   dense_max_resolution, each indexed 1:1 ((N_l+1)^3 entries, no hashing, no collisions),
//   trained like the hash table. Its memory grows with the finest resolution cubed, which is
//   the paper's point.
#include <stdexcept>
#include <string>

#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {
// The dense grid's refusal bound: its table, gradient and two Adam moments are 16 bytes per
// parameter, so 2^28 parameters already need 4 GiB.
constexpr size_t kMaxDenseGridParams = size_t{1} << 28;

void declare(ParamSet& p) {
  p.declare("encoding",
            {"kind", ParamType::Choice,
             "how positions enter the network: hash grid, NeRF frequencies, none, Mip-NeRF's integrated encoding, "
             "or a multiresolution dense grid",
             0, 0, {"hash", "frequency", "none", "ipe", "dense"}},
            std::string("hash"));
  p.declare("encoding", {"levels", ParamType::Int, "number of resolution levels L", 1, 32}, int64_t{16});
  p.declare("encoding", {"features", ParamType::Int, "features per level F (1, 2, 4 or 8)", 1, 8}, int64_t{2});
  p.declare("encoding", {"log2_table_size", ParamType::Int, "log2 of the hash table size T per level", 10, 24},
            int64_t{19});
  p.declare("encoding", {"base_resolution", ParamType::Int, "coarsest resolution N_min", 2, 512}, int64_t{16});
  p.declare("encoding",
            {"max_resolution", ParamType::Int, "finest resolution N_max per unit of scene box (times aabb_scale)", 16,
             65536},
            int64_t{2048});
  p.declare("encoding",
            {"dense_max_resolution", ParamType::Int,
             "dense grid: the finest level's resolution over the whole scene box; memory grows with its cube", 2,
             4096},
            int64_t{128});
  p.declare("encoding", {"frequencies", ParamType::Int, "frequency encoding: frequencies L (NeRF: 10)", 1, 16},
            int64_t{10});
  p.declare("encoding",
            {"include_input", ParamType::Bool, "frequency encoding: prepend the raw coordinates (NeRF's code does)"},
            true);
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  const std::string& kind = p.get_string("encoding.kind");
  c.network.encoding = kind == "hash"        ? EncodingKind::Hash
                       : kind == "frequency" ? EncodingKind::Frequency
                       : kind == "ipe"       ? EncodingKind::Ipe
                       : kind == "dense"     ? EncodingKind::Dense
                                             : EncodingKind::None;
  c.network.frequency.dims = 3;
  c.network.frequency.frequencies = kind == "none" ? 0 : static_cast<int>(p.get_int("encoding.frequencies"));
  // Mip-NeRF's IPE drops the identity term (Sec. 3.1: the Gaussian's mean is not encoded raw).
  c.network.frequency.include_input = kind == "none" || (kind != "ipe" && p.get_bool("encoding.include_input"));
  HashGridConfig& g = c.network.grid;
  g.levels = static_cast<int>(p.get_int("encoding.levels"));
  g.features = static_cast<int>(p.get_int("encoding.features"));
  if (g.features != 1 && g.features != 2 && g.features != 4 && g.features != 8)
    throw InputError("", "encoding.features", "must be 1, 2, 4 or 8");
  g.log2_table_size = static_cast<int>(p.get_int("encoding.log2_table_size"));
  g.base_resolution = static_cast<int>(p.get_int("encoding.base_resolution"));
  g.all_dense = kind == "dense";
  if (g.all_dense) {
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
    return;
  }
  g.max_resolution = static_cast<float>(p.get_int("encoding.max_resolution")) * data.aabb_scale;
  if (g.max_resolution < g.base_resolution)
    throw InputError("", "encoding.max_resolution", "must not be below encoding.base_resolution");
}
}  // namespace

TechniqueModule encoding_module() {
  return {"encoding",
          "position encoding: multiresolution hash grid, NeRF frequencies, none, Mip-NeRF's IPE, or a dense grid",
          "Müller et al. 2022 (Instant-NGP), Sec. 3, Eq. 2-4, Fig. 2/3 (dense grid); "
          "Mildenhall et al. 2020 (NeRF), Eq. 4; "
          "Barron et al. 2021 (Mip-NeRF), Sec. 3.1, Eq. 7-14",
          declare, configure, encoding_probes};
}

}  // namespace nerds
