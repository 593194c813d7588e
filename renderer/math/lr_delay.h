// The learning-rate delay of JaxNeRF's learning_rate_decay, which svox2 (get_expon_lr_func) and
// multinerf (math.learning_rate_decay) keep: the rate times
//   mult + (1 - mult) sin(pi/2 clip(step / steps, 0, 1)),
// a reverse-cosine ease-in from `mult` to 1 over `steps` (none when steps <= 0). Plenoxels'
// density rate and Ref-NeRF's colour-MLP warm-up both use it.
#pragma once

#include <math.h>

#include "renderer/math/hd.h"

namespace nerds {

NERDS_HD float lr_delay_factor(float step, float steps, float mult) {
  if (steps <= 0.f) return 1.f;
  const float u = fminf(fmaxf(step / steps, 0.f), 1.f);
  return mult + (1.f - mult) * sinf(1.5707963267948966f * u);
}

}  // namespace nerds
