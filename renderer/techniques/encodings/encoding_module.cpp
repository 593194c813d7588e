// The position encoding, switchable (encoding.kind) so that a review can compare them. The
// kinds, each in its own file with its paper and equations, are listed once in
// encoding_kinds.cpp: hash (Instant-NGP's multiresolution hash grid), frequency (NeRF Eq. 4),
// none (NeRF's no-encoding ablation), ipe (Mip-NeRF's integrated encoding), dense
// (Instant-NGP's dense-grid ablation). This module declares encoding.kind with their names,
// lets every kind declare its own parameters, and hands the run to the chosen kind.
#include <string>

#include "renderer/techniques/core/kind_list.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/coarse_to_fine.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  declare_kind_choice(p, "encoding", "how positions enter the network:", encoding_kinds());
  for (const EncodingKind& k : encoding_kinds()) k.declare(p);
  declare_coarse_to_fine(p);  // BARF's schedule, over any kind
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  const EncodingKind& kind = encoding_kind(p.get_string("encoding.kind"));
  c.network.encoding = kind.name;
  kind.configure(p, data, c.network);
  c.c2f = read_coarse_to_fine(p);
}

}  // namespace

TechniqueModule encoding_module() {
  return {"encoding", kind_summary("position encoding:", encoding_kinds()), kind_papers(encoding_kinds()), declare,
          configure, encoding_probes};
}

}  // namespace nerds
