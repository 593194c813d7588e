// Training: start, pause, one step, reset; steps/s, samples/s, loss and PSNR, now and as
// curves over the run.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

void plot(const char* label, const std::vector<float>& v, const char* format) {
  char overlay[64] = "";
  if (!v.empty()) std::snprintf(overlay, sizeof overlay, format, v.back());
  ImGui::PlotLines(label, v.data(), static_cast<int>(v.size()), 0, overlay, FLT_MAX, FLT_MAX,
                   ImVec2(ImGui::GetContentRegionAvail().x - 70.f, 48.f));
}

// Compare mode: a series of both arms on one plot over the training step (A green, B orange),
// each arm's newest value in the overlay.
void plot_arms(const char* label, const std::vector<TrainingPoint>* points[2], const std::vector<float>* values[2],
               const char* format) {
  const ImU32 colors[2] = {IM_COL32(80, 255, 120, 255), IM_COL32(255, 160, 40, 255)};
  float lo = FLT_MAX, hi = -FLT_MAX;
  int last_step = 1;
  for (int arm = 0; arm < 2; ++arm) {
    for (float v : *values[arm]) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (!points[arm]->empty()) last_step = std::max(last_step, points[arm]->back().step);
  }
  const ImVec2 size(ImGui::GetContentRegionAvail().x - 70.f, 48.f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (hi > lo) {
    for (int arm = 0; arm < 2; ++arm) {
      const std::vector<float>& v = *values[arm];
      std::vector<ImVec2> line;
      for (size_t i = 0; i < v.size() && i < points[arm]->size(); ++i) {
        if (!std::isfinite(v[i])) continue;
        line.emplace_back(at.x + size.x * (*points[arm])[i].step / last_step,
                          at.y + size.y * (1.f - (v[i] - lo) / (hi - lo)));
      }
      if (line.size() > 1) dl->AddPolyline(line.data(), static_cast<int>(line.size()), colors[arm], 0, 1.5f);
    }
  }
  char overlay[96] = "";
  std::string fa = std::string("A ") + format + "  B " + format;
  std::snprintf(overlay, sizeof overlay, fa.c_str(), values[0]->empty() ? 0.f : values[0]->back(),
                values[1]->empty() ? 0.f : values[1]->back());
  dl->AddText(ImVec2(at.x + 4.f, at.y + 2.f), ImGui::GetColorU32(ImGuiCol_Text), overlay);
  ImGui::Dummy(size);
  ImGui::SameLine();
  ImGui::TextUnformatted(label);
}

}  // namespace

void training_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.training);
  c.state.view.panels.training = ImGui::CollapsingHeader("Training");
  if (!c.state.view.panels.training) return;
  const WorkerState& w = c.worker;
  if (!w.ready) ImGui::BeginDisabled();
  const bool running = w.training || w.train_to > 0;
  if (ImGui::Button(running ? "Pause" : "Start", ImVec2(70.f, 0.f))) c.commands.push(cmd::SetTraining{!running});
  ImGui::SameLine();
  if (ImGui::Button("Step")) c.commands.push(cmd::StepOnce{});
  ImGui::SameLine();
  if (ImGui::Button("Reset") && w.scene) c.commands.push(cmd::Reset{w.scene->params});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("retrain from scratch with the current parameters");
  if (!w.ready) ImGui::EndDisabled();

  const EngineStats& st = w.stats;
  const TrainingSeries s = training_series(w.history);
  // The PSNR estimate: from the batches' squared error where the backend measures it, else from
  // the loss where it is the L2 loss.
  const bool measured = !std::isnan(st.last_mse);
  const bool l2 = measured || !w.scene || w.scene->loss == "l2";
  const double mse = measured ? st.last_mse : st.last_loss;
  ImGui::Text("step %d   %.1f s training", st.step, st.train_seconds);
  ImGui::Text("%.1f steps/s   %.2f M samples/s", s.steps_per_second.empty() ? 0.f : s.steps_per_second.back(),
              s.samples_per_second.empty() ? 0.f : s.samples_per_second.back() / 1e6f);
  ImGui::Text("loss %.5f   PSNR~%s", st.last_loss,
              l2 && mse > 0 ? (std::to_string(psnr_of_mse(mse)).substr(0, 5) + " dB").c_str() : "-");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("PSNR estimated from the training batches' squared error (random backgrounds, random pixels)");
  const double occupied = st.total_cells ? 100.0 * st.occupied_cells / st.total_cells : 0.0;
  ImGui::Text("lr %.2e   occupied cells %.1f%%   %d thr", w.learning_rate, occupied, w.train_threads);
  if (c.arm_b) {  // compare mode: both arms' curves on one plot
    const EngineStats& sb = c.arm_b->stats;
    const TrainingSeries b = training_series(c.arm_b->history);
    ImGui::Text("arm B: step %d   %.1f s training   loss %.5f", sb.step, sb.train_seconds, sb.last_loss);
    const std::vector<TrainingPoint>* points[2] = {&w.history, &c.arm_b->history};
    const std::vector<float>* loss[2] = {&s.loss, &b.loss};
    plot_arms("loss", points, loss, "%.4f");
    const std::vector<float>* psnr[2] = {&s.psnr, &b.psnr};
    if (l2) plot_arms("PSNR", points, psnr, "%.2f");
  } else {
    plot("loss", s.loss, "%.4f");
    if (l2) plot("PSNR", s.psnr, "%.2f dB");
  }
  plot("steps/s", s.steps_per_second, "%.1f");
  std::vector<float> msamples(s.samples_per_second.size());
  for (size_t i = 0; i < msamples.size(); ++i) msamples[i] = s.samples_per_second[i] / 1e6f;
  plot("M samp/s", msamples, "%.2f");
  if (!s.pose_rotation_deg.empty()) {  // BARF, with true poses: the refined cameras' error over training
    plot("pose rot.", s.pose_rotation_deg, "%.3f deg");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("mean rotation error of the training cameras after aligning them to the true poses\n"
                        "(Umeyama), every few steps");
    plot("pose trans.", s.pose_translation, "%.4f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("mean camera-center error after the alignment, scene units");
  }
}

}  // namespace nerds::viewer
