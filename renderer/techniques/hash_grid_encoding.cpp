// The position encoding, switchable (encoding.kind) so that a review can compare:
// - hash: the multiresolution hash encoding (Müller et al. 2022, Instant-NGP, Sec. 3). Defaults
//   are the paper's NeRF setting (Table 1 / Sec. 5.4): L=16, F=2, T=2^19, N_min=16,
//   N_max=2048*scale;
// - frequency: NeRF's positional encoding (Mildenhall et al. 2020, Eq. 4), L frequencies of
//   sin and cos per coordinate, with or without the raw coordinate;
// - none: the raw coordinates only (NeRF's "no positional encoding" ablation, Table 4);
// - ipe: Mip-NeRF's integrated positional encoding (Barron et al. 2021, Sec. 3.1, Eq. 7-14):
//   the expected frequency encoding over each sample's conical frustum, without the raw
//   coordinates (Mip-NeRF's IPE has no identity term), so include_input does not apply.
#include "renderer/techniques/modules.h"

namespace nerds {

namespace {
void declare(ParamSet& p) {
  p.declare("encoding",
            {"kind", ParamType::Choice,
             "how positions enter the network: hash grid, NeRF frequencies, none, or Mip-NeRF's integrated encoding",
             0, 0, {"hash", "frequency", "none", "ipe"}},
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
  g.max_resolution = static_cast<float>(p.get_int("encoding.max_resolution")) * data.aabb_scale;
  if (g.max_resolution < g.base_resolution)
    throw InputError("", "encoding.max_resolution", "must not be below encoding.base_resolution");
}
}  // namespace

TechniqueModule hash_grid_encoding_module() {
  return {"encoding", "position encoding: multiresolution hash grid, NeRF frequencies, none, or Mip-NeRF's IPE",
          "Müller et al. 2022 (Instant-NGP), Sec. 3, Eq. 2-4; Mildenhall et al. 2020 (NeRF), Eq. 4; "
          "Barron et al. 2021 (Mip-NeRF), Sec. 3.1, Eq. 7-14",
          declare, configure};
}

}  // namespace nerds
