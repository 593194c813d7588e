#include "viewer/ui/view_input.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "viewer/core/dataset_cameras.h"

namespace nerds::viewer {

namespace {
constexpr float kClickSlop = 3.f;  // pixels a click may move and still be a click
}

void send_pick(ViewerState& state, int slot, const ViewTarget& view, CommandQueue& commands) {
  const RayPick& p = state.picks[slot];
  if (!p.active || !view.valid) return;
  cmd::Inspect c;
  c.slot = slot;
  c.pose = view.target.pose;
  c.intrinsics = view.target.intrinsics;
  c.px = p.u * view.target.intrinsics.width;
  c.py = p.v * view.target.intrinsics.height;
  std::memcpy(c.background, view.target.background, sizeof c.background);
  commands.push(c);
}

bool handle_view_input(ViewerState& state, MouseGesture& gesture, const SceneInfo* scene, const ViewTarget& view,
                       const Rect& view_rect, CommandQueue& commands) {
  if (!scene) return false;
  const ImGuiIO& io = ImGui::GetIO();
  CameraInput in;
  in.dt = io.DeltaTime;
  const bool over_view = view_rect.contains(io.MousePos.x, io.MousePos.y);
  if (!io.WantCaptureMouse) {
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && over_view) {
      gesture = {true, false, io.MousePos.x, io.MousePos.y};
    }
    if (gesture.pressed && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      if (std::fabs(io.MousePos.x - gesture.x) + std::fabs(io.MousePos.y - gesture.y) > kClickSlop)
        gesture.dragged = true;
      if (gesture.dragged) {
        in.orbit[0] = io.MouseDelta.x;
        in.orbit[1] = io.MouseDelta.y;
      }
    }
    if (gesture.pressed && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
      float px = 0.f, py = 0.f;
      const Intrinsics& k = view.target.intrinsics;
      if (!gesture.dragged && view.valid &&
          screen_to_image(view.image_rect, k.width, k.height, io.MousePos.x, io.MousePos.y, &px, &py)) {
        const int slot = io.KeyShift ? 1 : 0;
        state.picks[slot] = {true, px / k.width, py / k.height, view.target.version};
        state.view.panels.inspector = true;
        send_pick(state, slot, view, commands);
      }
      gesture = MouseGesture{};
    }
    const bool right = ImGui::IsMouseDown(ImGuiMouseButton_Right), middle = ImGui::IsMouseDown(ImGuiMouseButton_Middle);
    if ((right || middle) && over_view) {
      in.pan[0] = io.MouseDelta.x;
      in.pan[1] = io.MouseDelta.y;
    }
    if (over_view) in.zoom = io.MouseWheel;
  }
  if (!io.WantCaptureKeyboard) {
    in.fly[0] = (ImGui::IsKeyDown(GLFW_KEY_D) ? 1.f : 0.f) - (ImGui::IsKeyDown(GLFW_KEY_A) ? 1.f : 0.f);
    in.fly[1] = (ImGui::IsKeyDown(GLFW_KEY_E) ? 1.f : 0.f) - (ImGui::IsKeyDown(GLFW_KEY_Q) ? 1.f : 0.f);
    in.fly[2] = (ImGui::IsKeyDown(GLFW_KEY_W) ? 1.f : 0.f) - (ImGui::IsKeyDown(GLFW_KEY_S) ? 1.f : 0.f);
    in.fast = io.KeyShift;
    if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET))
      snap_to_dataset_view(state, *scene, step_dataset_view(*scene, state.view.dataset_view, 1));
    if (ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET))
      snap_to_dataset_view(state, *scene, step_dataset_view(*scene, state.view.dataset_view, -1));
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) state.view.dataset_view = DatasetView{};
  }
  const bool moved = state.camera.apply(in, view.valid ? view.image_rect.h : view_rect.h);
  if (moved) state.view.dataset_view = DatasetView{};  // a free camera from here on
  return moved;
}

}  // namespace nerds::viewer
