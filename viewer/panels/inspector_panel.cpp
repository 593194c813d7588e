// The ray inspector: for the picked rays (A: click, B: Shift+click) every sample's distance,
// density, alpha, transmittance, weight and color, as curves over the distance along the ray
// (both rays on the same distance axis, side by side), with the composited color and depth
// the engine computes, and every sample in a table. In compare mode the first picked ray is
// inspected in both arms' models: one column, each plot with both arms' curves (legend A/B).
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <memory>
#include <vector>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

constexpr int kBins = 96;
const ImVec4 kRayColor[2] = {ImVec4(0.3f, 1.f, 0.45f, 1.f), ImVec4(1.f, 0.6f, 0.15f, 1.f)};

// One quantity of a ray's samples resampled on kBins bins of distance (a sample falls into
// the bin of its t; empty bins are 0, or carry the last value for transmittance).
struct Binned {
  std::vector<float> sigma, alpha, transmittance, weight;
  std::vector<ImU32> color, weighted_color;
};

Binned bin(const std::vector<RaySample>& samples, float t0, float t1) {
  Binned b;
  b.sigma.assign(kBins, 0.f);
  b.alpha.assign(kBins, 0.f);
  b.weight.assign(kBins, 0.f);
  b.transmittance.assign(kBins, -1.f);
  b.color.assign(kBins, IM_COL32(20, 20, 20, 255));
  b.weighted_color.assign(kBins, IM_COL32(0, 0, 0, 255));
  std::vector<float> best_weight(kBins, -1.f);
  float max_weight = 1e-6f;
  for (const RaySample& s : samples) max_weight = std::max(max_weight, s.weight);
  const float span = std::max(t1 - t0, 1e-6f);
  for (const RaySample& s : samples) {
    const int i = std::clamp(static_cast<int>((s.t - t0) / span * kBins), 0, kBins - 1);
    b.sigma[i] = std::max(b.sigma[i], s.sigma);
    b.alpha[i] = std::max(b.alpha[i], s.alpha);
    b.weight[i] += s.weight;
    b.transmittance[i] = s.transmittance;  // the last sample in the bin
    if (s.weight > best_weight[i]) {
      best_weight[i] = s.weight;
      const ImVec4 c(s.rgb[0], s.rgb[1], s.rgb[2], 1.f);
      b.color[i] = ImGui::ColorConvertFloat4ToU32(c);
      const float f = s.weight / max_weight;
      b.weighted_color[i] = ImGui::ColorConvertFloat4ToU32(ImVec4(c.x * f, c.y * f, c.z * f, 1.f));
    }
  }
  float carry = 1.f;
  for (float& t : b.transmittance) carry = t = t < 0.f ? carry : t;
  return b;
}

void plot(const char* id, const std::vector<float>& v, float lo, float hi) {
  ImGui::PlotLines(id, v.data(), static_cast<int>(v.size()), 0, nullptr, lo, hi,
                   ImVec2(ImGui::GetContentRegionAvail().x, 42.f));
}

// Both arms' curves on one plot (compare mode), each in its arm's colour, over [lo, hi].
void plot_overlay(const char* id, const std::vector<float>* series[2], float lo, float hi) {
  const float w = ImGui::GetContentRegionAvail().x, h = 42.f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg));
  const float span = std::max(hi - lo, 1e-6f);
  for (int k = 0; k < 2; ++k) {
    if (!series[k] || series[k]->size() < 2) continue;
    const std::vector<float>& v = *series[k];
    std::vector<ImVec2> points(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      const float f = std::clamp((v[i] - lo) / span, 0.f, 1.f);
      points[i] = ImVec2(p.x + w * i / (v.size() - 1), p.y + h - 1.f - f * (h - 2.f));
    }
    dl->AddPolyline(points.data(), static_cast<int>(points.size()), ImGui::ColorConvertFloat4ToU32(kRayColor[k]),
                    ImDrawFlags_None, 1.f);
  }
  ImGui::InvisibleButton(id, ImVec2(w, h));
}

float max_of(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 1e-6f;
  for (float v : a) m = std::max(m, v);
  for (float v : b) m = std::max(m, v);
  return m;
}

void strip(const std::vector<ImU32>& colors) {
  const float w = ImGui::GetContentRegionAvail().x, h = 12.f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < kBins; ++i)
    dl->AddRectFilled(ImVec2(p.x + w * i / kBins, p.y), ImVec2(p.x + w * (i + 1) / kBins, p.y + h), colors[i]);
  ImGui::Dummy(ImVec2(w, h));
}

void sample_table(const InspectResult& r, int slot, const char* name) {
  const std::string label =
      std::string("samples of ") + name + " (" + std::to_string(r.samples.size()) + ")##table" + std::to_string(slot);
  if (!ImGui::TreeNode(label.c_str())) return;
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV;
  if (ImGui::BeginTable("samples", 7, flags, ImVec2(0.f, 160.f))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* h : {"t", "dt", "sigma", "alpha", "T", "weight", "rgb"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(r.samples.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const RaySample& s = r.samples[i];
        ImGui::TableNextRow();
        const float values[6] = {s.t, s.dt, s.sigma, s.alpha, s.transmittance, s.weight};
        for (int k = 0; k < 6; ++k) {
          ImGui::TableSetColumnIndex(k);
          ImGui::Text(k == 2 ? "%.2f" : "%.4f", values[k]);
        }
        ImGui::TableSetColumnIndex(6);
        ImGui::ColorButton("##c", ImVec4(s.rgb[0], s.rgb[1], s.rgb[2], 1.f), ImGuiColorEditFlags_NoTooltip,
                           ImVec2(28.f, 12.f));
      }
    }
    ImGui::EndTable();
  }
  ImGui::TreePop();
}

}  // namespace

void inspector_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.inspector);
  c.state.view.panels.inspector = ImGui::CollapsingHeader("Ray inspector");
  if (!c.state.view.panels.inspector) return;
  const bool arms = c.arm_b != nullptr;  // compare mode: ray A in arm A's and arm B's model
  const std::array<std::shared_ptr<const InspectResult>, 2> results =
      arms ? std::array<std::shared_ptr<const InspectResult>, 2>{c.worker.inspect[0], c.arm_b->inspect[0]}
           : c.worker.inspect;
  const char* names[2] = {arms ? "arm A" : "ray A", arms ? "arm B" : "ray B"};
  if (!results[0] && !results[1]) {
    ImGui::TextWrapped("Click the view to inspect a ray (A); Shift+click for a second one (B).");
    return;
  }
  // One distance axis for both rays.
  float t0 = FLT_MAX, t1 = -FLT_MAX, sigma_max = 1e-3f;
  for (const auto& r : results) {
    if (!r) continue;
    for (const RaySample& s : r->samples) {
      t0 = std::min(t0, s.t);
      t1 = std::max(t1, s.t + s.dt);
      sigma_max = std::max(sigma_max, s.sigma);
    }
  }
  if (t0 > t1) t0 = t1 = 0.f;
  Binned binned[2];
  for (int k = 0; k < 2; ++k)
    if (results[k]) binned[k] = bin(results[k]->samples, t0, t1);
  ImGui::TextDisabled("along the ray: t = %.3f to %.3f", t0, t1);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "every curve runs over the distance t along the ray (left to right, %d bins,\n"
        "the same for both rays); empty bins are skipped space",
        kBins);
  if (arms) {  // one column: each plot overlays arm A's and arm B's curves
    for (int k = 0; k < 2; ++k) {
      ImGui::PushID(k);
      const auto& r = results[k];
      ImGui::TextColored(kRayColor[k], "%s", names[k]);
      ImGui::SameLine();
      if (!r) {
        ImGui::TextDisabled("waiting for the model");
      } else {
        const float depth = r->opacity > 1e-4f ? r->depth / r->opacity : 0.f;
        ImGui::ColorButton("##rgb", ImVec4(r->rgb[0], r->rgb[1], r->rgb[2], 1.f), 0, ImVec2(14.f, 14.f));
        ImGui::SameLine();
        ImGui::Text("%zu samples, depth %.3f, opacity %.3f (step %d)", r->samples.size(), depth, r->opacity, r->step);
      }
      ImGui::PopID();
    }
    if (ImGui::SmallButton("clear")) {
      c.state.picks[0].active = false;
      c.commands.push(cmd::ClearInspect{0});
    }
    ImGui::SameLine();
    ImGui::TextDisabled("pixel %.0f,%.0f", (results[0] ? results[0] : results[1])->request.px,
                        (results[0] ? results[0] : results[1])->request.py);
    auto pair = [&](std::vector<float> Binned::*field) {
      return std::array<const std::vector<float>*, 2>{results[0] ? &(binned[0].*field) : nullptr,
                                                      results[1] ? &(binned[1].*field) : nullptr};
    };
    ImGui::TextUnformatted("density");  // the legend: each arm's colour
    for (int k = 0; k < 2; ++k) {
      ImGui::SameLine();
      ImGui::TextColored(kRayColor[k], "%s", k ? "B" : "A");
    }
    plot_overlay("##sigma", pair(&Binned::sigma).data(), 0.f, sigma_max);
    ImGui::TextUnformatted("alpha");
    plot_overlay("##alpha", pair(&Binned::alpha).data(), 0.f, 1.f);
    ImGui::TextUnformatted("transmittance");
    plot_overlay("##T", pair(&Binned::transmittance).data(), 0.f, 1.f);
    ImGui::TextUnformatted("weight");
    plot_overlay("##w", pair(&Binned::weight).data(), 0.f, max_of(binned[0].weight, binned[1].weight));
    for (int k = 0; k < 2; ++k) {
      if (!results[k]) continue;
      ImGui::TextColored(kRayColor[k], "%s color / weighted", k ? "B" : "A");
      strip(binned[k].color);
      strip(binned[k].weighted_color);
    }
  } else if (ImGui::BeginTable("rays", 2, ImGuiTableFlags_SizingStretchSame)) {
    for (int k = 0; k < 2; ++k) {
      ImGui::TableNextColumn();
      ImGui::PushID(k);
      const auto& r = results[k];
      ImGui::TextColored(kRayColor[k], "%s", names[k]);
      if (!r) {
        ImGui::TextDisabled(k ? "Shift+click" : "click");
        ImGui::PopID();
        continue;
      }
      ImGui::SameLine();
      if (ImGui::SmallButton("clear")) {
        c.state.picks[k].active = false;
        c.commands.push(cmd::ClearInspect{k});
      }
      ImGui::TextDisabled("pixel %.0f,%.0f", r->request.px, r->request.py);
      ImGui::ColorButton("##rgb", ImVec4(r->rgb[0], r->rgb[1], r->rgb[2], 1.f), 0, ImVec2(18.f, 18.f));
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("composited color %.3f %.3f %.3f (step %d)", r->rgb[0], r->rgb[1], r->rgb[2], r->step);
      ImGui::SameLine();
      ImGui::Text("%zu samples", r->samples.size());
      const float depth = r->opacity > 1e-4f ? r->depth / r->opacity : 0.f;
      ImGui::Text("depth %.3f", depth);
      ImGui::Text("opacity %.3f", r->opacity);
      const Binned& b = binned[k];
      ImGui::TextUnformatted("density");
      plot("##sigma", b.sigma, 0.f, sigma_max);
      ImGui::TextUnformatted("alpha");
      plot("##alpha", b.alpha, 0.f, 1.f);
      ImGui::TextUnformatted("transmittance");
      plot("##T", b.transmittance, 0.f, 1.f);
      ImGui::TextUnformatted("weight");
      plot("##w", b.weight, 0.f, FLT_MAX);
      ImGui::TextUnformatted("color / weighted");
      strip(b.color);
      strip(b.weighted_color);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  for (int k = 0; k < 2; ++k)
    if (results[k]) sample_table(*results[k], k, names[k]);
}

}  // namespace nerds::viewer
