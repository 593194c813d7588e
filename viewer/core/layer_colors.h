// The picture of a render mode that shows an engine layer (render_mode_layers.h): normals as
// colour n * 0.5 + 0.5 (faded into the background where the ray hit nothing), Ref-NeRF's
// diffuse and specular parts and NeRF-W's static and transient parts as rendered, and NeRF-W's
// uncertainty beta through the Turbo colour map.
#pragma once

#include <vector>

#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// RGB floats in [0, 1] (3 per pixel) of image.buffers.layer for `mode`; range: what the colour
// map spans (the uncertainty's lowest and highest beta; else 0 to 1). Empty when the image has
// no layer.
std::vector<float> layer_rgb(const RenderedImage& image, RenderMode mode, float range[2]);

}  // namespace nerds::viewer
