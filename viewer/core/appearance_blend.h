// NeRF-W's appearance for the viewer's renders (Martin-Brualla et al. 2021, Sec. 4.1 and
// Fig. 8: interpolating two images' embeddings): the code of the choice's image a blended
// linearly towards image b's, handed to Engine::set_view_appearance.
#pragma once

#include <vector>

#include "renderer/engine.h"
#include "viewer/core/viewer_state.h"

namespace nerds::viewer {

// (1 - t) a + t b, element by element (t clamped to [0, 1]); a at t = 0 and b at t = 1 exactly.
std::vector<float> blend_codes(const std::vector<float>& a, const std::vector<float>& b, float t);

// The code `choice` names, from the engine's trained codes (Engine::appearance_code; -1 the
// mean); empty when the model has no appearance codes.
std::vector<float> chosen_appearance(const Engine& engine, const AppearanceChoice& choice);

}  // namespace nerds::viewer
