// The position encoding, switchable (encoding.kind) so that a review can compare them. The
// kinds, each in its own file with its paper and equations, are listed once in
// encoding_kinds.cpp: hash (Instant-NGP's multiresolution hash grid), frequency (NeRF Eq. 4),
// none (NeRF's no-encoding ablation), ipe (Mip-NeRF's integrated encoding), dense
// (Instant-NGP's dense-grid ablation). This module declares encoding.kind with their names,
// lets every kind declare its own parameters, and hands the run to the chosen kind.
#include <string>

#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  std::vector<std::string> names;
  std::string doc = "how positions enter the network:";
  for (const EncodingKind& k : encoding_kinds()) {
    names.push_back(k.name);
    doc += std::string(names.size() == 1 ? " " : "; ") + k.name + " (" + k.doc + ")";
  }
  p.declare("encoding", {"kind", ParamType::Choice, doc, 0, 0, names}, names.front());
  for (const EncodingKind& k : encoding_kinds()) k.declare(p);
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  const EncodingKind& kind = encoding_kind(p.get_string("encoding.kind"));
  c.network.encoding = kind.name;
  kind.configure(p, data, c.network);
}

// "Müller et al. 2022 (Instant-NGP), Sec. 3, Eq. 2-4; Mildenhall et al. 2020 (NeRF), Eq. 4; ...",
// each paper once.
std::string papers() {
  std::string out;
  for (const EncodingKind& k : encoding_kinds())
    if (out.find(k.paper) == std::string::npos) out += (out.empty() ? "" : "; ") + std::string(k.paper);
  return out;
}

std::string summary() {
  std::string out = "position encoding:";
  for (const EncodingKind& k : encoding_kinds()) out += std::string(out.back() == ':' ? " " : ", ") + k.name;
  return out;
}

}  // namespace

TechniqueModule encoding_module() {
  return {"encoding", summary(), papers(), declare, configure, encoding_probes};
}

}  // namespace nerds
