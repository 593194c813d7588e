// Compare mode's part of the window (app.h): the |A - B| difference view, the wipe line's
// drag, the arms' labels over the view, the guided steps' keys and requests, a new toggle
// chosen in the panel, and the scripted layout JSON's "compare" entry.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>  // key codes (the guided steps' keys)
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/paper_cards.h"
#include "viewer/core/guided_step_view.h"
#include "viewer/ui/app.h"

namespace nerds::viewer {

namespace {
constexpr float kSplitGrab = 8.f;  // the wipe line is dragged from this close (window pixels)
}  // namespace

void App::update_difference() {
  const DisplayInfo& a = display_.info();
  const DisplayInfo& b = display_b_.info();
  if (state_.compare.layout != CompareLayout::Difference || !a.image || !b.image) return;
  if (a.image == difference_of_[0] && b.image == difference_of_[1] && state_.view.mode == difference_mode_) return;
  DifferenceImage d = difference_image(display_.main_pixels(), display_b_.main_pixels());
  if (d.image.rgba.empty()) return;  // the arms' images differ in size: wait for the other arm's
  difference_->upload(d.image.width, d.image.height, d.image.rgba.data(), a.image_is_current);
  d.image = ColorImage();
  difference_info_ = std::move(d);
  difference_of_[0] = a.image;
  difference_of_[1] = b.image;
  difference_mode_ = state_.view.mode;
}

void App::handle_split_drag(const ViewTarget& view) {
  const ImGuiIO& io = ImGui::GetIO();
  if (state_.compare.layout != CompareLayout::Split || !view.valid) {
    dragging_split_ = false;
    return;
  }
  const Rect& r = view.image_rect;
  const float x = r.x + state_.compare.split * r.w;
  if (!dragging_split_ && !io.WantCaptureMouse && ImGui::IsMouseClicked(ImGuiMouseButton_Left) &&
      std::fabs(io.MousePos.x - x) <= kSplitGrab && io.MousePos.y >= r.y && io.MousePos.y <= r.y + r.h)
    dragging_split_ = true;
  if (dragging_split_) {
    state_.compare.split = std::clamp((io.MousePos.x - r.x) / std::max(r.w, 1.f), 0.f, 1.f);
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_split_ = false;
  }
}

void App::draw_compare_labels(const Layout& l, const ViewTarget& view) {
  if (!view.valid) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const Rect& r = view.image_rect;
  const ImU32 text = IM_COL32(255, 255, 255, 255), shade = IM_COL32(0, 0, 0, 160);
  auto label = [&](float x, float y, const std::string& s) {
    const ImVec2 size = ImGui::CalcTextSize(s.c_str());
    dl->AddRectFilled(ImVec2(x - 2.f, y - 1.f), ImVec2(x + size.x + 2.f, y + size.y + 1.f), shade);
    dl->AddText(ImVec2(x, y), text, s.c_str());
  };
  auto arm_line = [&](int arm) {
    const WorkerState& w = arm == 0 ? worker_state_ : worker_state_b_;
    return arm_title(*compare_, arm) + "  step " + std::to_string(w.stats.step);
  };
  switch (state_.compare.layout) {
    case CompareLayout::SideBySide:
      label(r.x + 4.f, r.y + 4.f, arm_line(0));
      label(r.x + render_rect(l).w + kSideBySideGap + 4.f, r.y + 4.f, arm_line(1));
      break;
    case CompareLayout::Split: {
      const float x = r.x + state_.compare.split * r.w;
      dl->AddLine(ImVec2(x, r.y), ImVec2(x, r.y + r.h), IM_COL32(255, 255, 255, 230), 2.f);
      label(r.x + 4.f, r.y + 4.f, arm_line(0));
      label(r.x + 4.f, r.y + 22.f, arm_line(1) + "  (right of the line)");
      break;
    }
    case CompareLayout::Difference: {
      char buf[96];
      std::snprintf(buf, sizeof buf, "|A - B|  colour scale 0 .. %.3f  (mean %.4f)", difference_info_.span,
                    difference_info_.mean);
      label(r.x + 4.f, r.y + 4.f, buf);
      break;
    }
  }
}

void App::walk_guided_steps(const SceneInfo& scene, const Rect& view_rect) {
  const PaperCard* card = compare_->plan.card_id.empty() ? nullptr : find_paper_card(compare_->plan.card_id);
  if (!card || card->steps.empty()) return;
  const int n = static_cast<int>(card->steps.size());
  if (!ImGui::GetIO().WantCaptureKeyboard) {  // '.' next, ',' previous
    if (ImGui::IsKeyPressed(GLFW_KEY_PERIOD)) state_.guided_step_request = std::min(state_.guided_step + 1, n - 1);
    if (ImGui::IsKeyPressed(GLFW_KEY_COMMA) && state_.guided_step > 0)
      state_.guided_step_request = state_.guided_step - 1;
  }
  if (state_.guided_step_request < 0) return;
  const int k = state_.guided_step_request;
  state_.guided_step_request = -1;
  if (k >= n) {
    state_.message = "the card has " + std::to_string(n) + " guided steps, not " + std::to_string(k + 1);
    return;
  }
  try {
    if (scene.test) check_guided_step_views(card->steps, *scene.test, card->file);
  } catch (const std::exception& e) {
    state_.message = e.what();
  }
  const GuidedStepEffect effect = apply_guided_step(state_, scene, card->steps, k, compare_->plan, view_rect.w);
  compare_->guided_step = k;
  if (!effect.note.empty()) state_.message = effect.note;
  if (effect.picks_changed) {
    for (int slot = 0; slot < 2; ++slot)
      if (!state_.picks[slot].active) post_all(cmd::ClearInspect{slot});
    picks_pending_ = true;
  }
  if (!effect.toggle.empty()) {
    state_.toggle_request = effect.toggle;
    state_.toggle_requested = true;
  }
}

void App::replan_toggle() {
  state_.toggle_requested = false;
  CompareRequest request = compare_->request;
  request.toggle = state_.toggle_request;
  request.compare.clear();  // a card's toggle replaces a free compare
  try {
    CompareMode mode = prepare_compare(request, "", compare_scene_options(options_), opened_);
    mode.downscale = compare_->downscale;
    mode.guided_step = compare_->guided_step;
    const bool same_data = mode.data_dir == compare_->data_dir;
    compare_ = std::move(mode);
    if (same_data) {  // same scene: retrain both arms from scratch with the new settings
      worker_.post(cmd::Reset{compare_->plan.a.params});
      worker_b_->post(cmd::Reset{compare_->plan.b.params});
    } else {
      worker_.post(cmd::Open{arm_setup(*compare_, compare_->plan.a)});
      worker_b_->post(cmd::Open{arm_setup(*compare_, compare_->plan.b)});
    }
    post_all(cmd::SetTraining{true});
    state_.message = "comparing " + compare_->plan.toggle.param + ": both arms restarted";
  } catch (const std::exception& e) {
    state_.message = e.what();
  }
}

nlohmann::ordered_json App::compare_layout_json() const {
  const CompareMode& m = *compare_;
  nlohmann::ordered_json j;
  j["paper"] = m.plan.card_id;
  j["param"] = m.plan.toggle.param;
  j["data"] = m.data_dir;
  j["layout"] = compare_layout_name(state_.compare.layout);
  j["split"] = state_.compare.split;
  j["guided_step"] = state_.guided_step >= 0 ? nlohmann::ordered_json(state_.guided_step + 1) : nullptr;
  const DatasetView& dv = tracker_.current().dataset_view;
  for (int arm = 0; arm < 2; ++arm) {
    const WorkerState& w = arm == 0 ? worker_state_ : worker_state_b_;
    const DisplayInfo& d = arm == 0 ? display_.info() : display_b_.info();
    const CompareArm& plan = arm == 0 ? m.plan.a : m.plan.b;
    nlohmann::ordered_json a;
    a["toggle"] = plan.setting;
    a["label"] = plan.label;
    a["step"] = w.stats.step;
    a["image_step"] = d.image ? d.image->step : -1;
    // Against the snapped dataset view's ground truth (the newest full-size render), else the
    // test views' mean (scripted runs score them), else the training batches' estimate.
    if (d.has_error && d.error_mse > 0.0) {
      a["psnr"] = psnr_of_mse(d.error_mse);
      a["psnr_of"] = dv.split + ":" + std::to_string(dv.index);
      a["psnr_step"] = d.error_step;
    } else if (w.test_score && w.test_score->views > 0) {
      a["psnr"] = w.test_score->psnr;
      a["psnr_of"] = "test views (" + std::to_string(w.test_score->views) + ")";
      a["psnr_step"] = w.test_score->step;
    } else {
      const double mse = std::isnan(w.stats.last_mse) ? w.stats.last_loss : w.stats.last_mse;
      a["psnr"] = mse > 0.0 ? nlohmann::ordered_json(psnr_of_mse(mse)) : nullptr;
      a["psnr_of"] = "training batches";
    }
    if (const auto& g = w.grid_slice; g && state_.grid_slice.open)  // each arm slices its own grid
      a["grid_slice"] = {{"level", g->slice.level}, {"levels", g->slice.levels}, {"step", g->step}, {"note", g->note}};
    j[arm == 0 ? "a" : "b"] = a;
  }
  return j;
}

}  // namespace nerds::viewer
