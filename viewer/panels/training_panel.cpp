// Training: start, pause, one step, reset; steps/s, samples/s, loss and PSNR, now and as
// curves over the run.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

void plot(const char* label, const std::vector<float>& v, const char* format) {
  char overlay[64] = "";
  if (!v.empty()) std::snprintf(overlay, sizeof overlay, format, v.back());
  ImGui::PlotLines(label, v.data(), static_cast<int>(v.size()), 0, overlay, FLT_MAX, FLT_MAX,
                   ImVec2(ImGui::GetContentRegionAvail().x - 70.f, 48.f));
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
  plot("loss", s.loss, "%.4f");
  if (l2) plot("PSNR", s.psnr, "%.2f dB");
  plot("steps/s", s.steps_per_second, "%.1f");
  std::vector<float> msamples(s.samples_per_second.size());
  for (size_t i = 0; i < msamples.size(); ++i) msamples[i] = s.samples_per_second[i] / 1e6f;
  plot("M samp/s", msamples, "%.2f");
}

}  // namespace nerds::viewer
