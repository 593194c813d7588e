// The render modes that show an engine layer beyond colour (normals, Ref-NeRF's diffuse and
// specular parts, NeRF-W's static and transient parts and uncertainty: RenderLayer in
// renderer/backend/render_types.h), whether the opened model has each, and why not.
#pragma once

#include <string>

#include "renderer/engine.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// The layer a mode shows; RenderLayer::None for the modes the colour render's buffers give.
RenderLayer mode_render_layer(RenderMode mode);
// Empty when the opened model can show `mode`; else why not (for the mode's tooltip).
std::string mode_unavailable(RenderMode mode, const SceneInfo& scene);
// The layer the view's mode asks the worker for: none when the mode needs none or the model
// lacks it (the colour is then shown, with the reason). NeRF-W's layers use the transient
// code of the appearance's image a (the first image's when a is the mean).
LayerRequest mode_layer(const ViewSettings& view, const SceneInfo& scene);

// Fills scene.layer_unavailable from the engine (at open and reset).
void describe_model_layers(const Engine& engine, SceneInfo& scene);

}  // namespace nerds::viewer
