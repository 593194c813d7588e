// NeRF-W's latent appearance (Martin-Brualla et al. 2021, Sec. 4.1): appearance.kind=embedding
// gives every training image a code of appearance.dim numbers (the paper's n^(a) = 48), an
// input of the color MLP (appearance_embeddings.h), trained with the model; none (the
// default) leaves the field as it was. The CUDA backend does not run it (cuda_backend_supports).
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/per_image/per_image_probes.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("appearance",
            {"kind", ParamType::Choice,
             "per-image appearance: none, or embedding (NeRF-W's latent code per training image, a color MLP input)",
             -1, 1, {"none", "embedding"}},
            std::string("none"));
  p.declare("appearance",
            {"dim", ParamType::Int, "appearance.kind=embedding: numbers per image's code (NeRF-W's n^(a): 48)", 1, 256},
            int64_t{48});
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  const bool on = p.get_string("appearance.kind") == "embedding";
  c.network.appearance.dim = on ? static_cast<int>(p.get_int("appearance.dim")) : 0;
  c.network.appearance.images = on ? static_cast<int>(data.frames.size()) : 0;
}

}  // namespace

TechniqueModule appearance_module() {
  return {"appearance", "per-image appearance codes fed to the color MLP (NeRF-W's latent appearance)",
          "Martin-Brualla et al. 2021 (NeRF-W), Sec. 4.1", declare, configure, appearance_probes};
}

}  // namespace nerds
