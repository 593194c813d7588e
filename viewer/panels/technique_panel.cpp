// The method's technique modules and every parameter, generated from the parameter
// declarations the engine exposes (type, range, choices, doc line, needs-reset flag): a new
// paper's module shows up here with no viewer change. Edits are collected and applied on
// request: training settings alone (learning rate, loss, ...) go to the running model; any
// other change retrains from scratch after asking. Below them, the model's trained tensors.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

const char* kRetrainPopup = "Retrain from scratch?";

void tooltip(const ParamEntry& e) {
  if (!ImGui::IsItemHovered()) return;
  std::string range;
  if ((e.spec.type == ParamType::Int || e.spec.type == ParamType::Float) &&
      (std::isfinite(e.spec.min) || std::isfinite(e.spec.max)))
    range = "\nrange [" + format_param_value(e.spec.min) + ", " + format_param_value(e.spec.max) + "]";
  ImGui::SetTooltip(
      "%s\n%s (%s)%s\ndefault %s\n%s", e.path().c_str(), e.spec.doc.c_str(), param_type_name(e.spec.type),
      range.c_str(), format_param_value(e.default_value).c_str(),
      e.spec.needs_reset ? "changing it retrains from scratch" : "a training setting (no new model needed)");
}

// One widget, chosen by the declared type; a valid new value goes into `edited`.
void param_widget(ParamEditor& ed, const ParamEntry& e, bool changed) {
  if (changed) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.85f, 0.3f, 1.f));
  const std::string label = e.spec.key + "##" + e.path();
  std::optional<ParamValue> next;
  switch (e.spec.type) {
    case ParamType::Bool: {
      bool v = std::get<bool>(e.value);
      if (ImGui::Checkbox(label.c_str(), &v)) next = v;
      break;
    }
    case ParamType::Int: {
      int64_t v = std::get<int64_t>(e.value);
      const int64_t step = 1;
      if (ImGui::InputScalar(label.c_str(), ImGuiDataType_S64, &v, &step, nullptr, "%lld",
                             ImGuiInputTextFlags_EnterReturnsTrue) ||
          ImGui::IsItemDeactivatedAfterEdit())
        next = static_cast<int64_t>(std::clamp<double>(static_cast<double>(v), e.spec.min, e.spec.max));
      break;
    }
    case ParamType::Float: {
      double v = std::get<double>(e.value);
      if (ImGui::InputDouble(label.c_str(), &v, 0.0, 0.0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue) ||
          ImGui::IsItemDeactivatedAfterEdit())
        next = std::clamp(v, e.spec.min, e.spec.max);
      break;
    }
    case ParamType::Choice: {
      const std::string& current = std::get<std::string>(e.value);
      if (ImGui::BeginCombo(label.c_str(), current.c_str())) {
        for (const std::string& choice : e.spec.choices)
          if (ImGui::Selectable(choice.c_str(), choice == current)) next = choice;
        ImGui::EndCombo();
      }
      break;
    }
    case ParamType::String: {
      std::string v = std::get<std::string>(e.value);
      if (ImGui::InputText(label.c_str(), &v, ImGuiInputTextFlags_EnterReturnsTrue)) next = v;
      break;
    }
  }
  if (changed) ImGui::PopStyleColor();
  tooltip(e);
  if (next && !(*next == e.value)) {
    try {
      ed.edited.set(e.path(), *next, "viewer");
      ed.error.clear();
    } catch (const InputError& err) {
      ed.error = err.what();
    }
  }
}

void retrain_modal(PanelContext& c, const SceneInfo& scene) {
  ParamEditor& ed = c.state.params;
  if (!ImGui::BeginPopupModal(kRetrainPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Applying these changes trains a new model from scratch:");
  for (const std::string& path : ed.reset_paths) {
    const ParamEntry& e = ed.edited.entry(path);
    ImGui::BulletText("%s: %s -> %s%s", path.c_str(), format_param_value(scene.params.entry(path).value).c_str(),
                      format_param_value(e.value).c_str(),
                      e.spec.needs_reset ? "" : "  (a training setting: this engine applies it on a reset)");
  }
  ImGui::Text("The current run (step %d) is discarded.", c.worker.stats.step);
  if (ImGui::Button("Reset and retrain")) {
    c.commands.push(cmd::Reset{ed.edited});
    ed.reset_paths.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    ed.reset_paths.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// What the model trains: its tensor list (name, shape, size, optimizer group), read only.
void tensor_list(const SceneInfo& scene) {
  size_t total = 0;
  for (const PackedTensor& t : scene.tensors) total += t.info.size();
  const std::string label = "trained tensors (" + std::to_string(scene.tensors.size()) + ", " +
                            std::to_string(total) + " values)";
  if (!ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  for (const PackedTensor& t : scene.tensors)
    ImGui::TextDisabled("%s  %s  %zu  %s", t.info.name.c_str(), shape_text(t.info.shape).c_str(), t.info.size(),
                        param_group_name(t.info.group));
  ImGui::TreePop();
}

}  // namespace

void technique_panel(PanelContext& c) {
  const SceneInfo* scene = c.worker.scene.get();
  ParamEditor& ed = c.state.params;
  if (scene && ed.scene_version != c.worker.scene_version) {
    ed.edited = scene->params;  // a new run: the panel shows its values
    ed.scene_version = c.worker.scene_version;
    ed.error.clear();
  }
  if (scene) retrain_modal(c, *scene);
  ImGui::SetNextItemOpen(c.state.view.panels.technique);
  c.state.view.panels.technique = ImGui::CollapsingHeader("Technique");
  if (!c.state.view.panels.technique || !scene) return;
  ImGui::Text("method: %s", scene->method_name.c_str());
  const std::vector<std::string> changed = ed.edited.changed_since(scene->params);
  ImGui::PushItemWidth(-150.f);
  const std::vector<ModuleSummary> summaries = module_summaries();
  for (const std::string& module : ed.edited.modules()) {
    const ModuleSummary* info = nullptr;
    for (const ModuleSummary& m : summaries)
      if (m.name == module) info = &m;
    if (!ImGui::TreeNodeEx(module.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      if (info && ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", info->summary.c_str(), info->paper.c_str());
      continue;
    }
    if (info) ImGui::TextDisabled("%s (%s)", info->summary.c_str(), info->paper.c_str());
    for (const ParamEntry& e : ed.edited.entries_of(module))
      param_widget(ed, e, std::find(changed.begin(), changed.end(), e.path()) != changed.end());
    ImGui::TreePop();
  }
  ImGui::PopItemWidth();
  if (!ed.error.empty()) ImGui::TextColored(ImVec4(1.f, 0.45f, 0.4f, 1.f), "%s", ed.error.c_str());
  if (changed.empty()) ImGui::BeginDisabled();
  if (ImGui::Button("Apply")) {
    const bool live = std::all_of(changed.begin(), changed.end(),
                                  [&](const std::string& path) { return !ed.edited.entry(path).spec.needs_reset; });
    if (live) {  // training settings only: the running model keeps training with them
      c.commands.push(cmd::ApplyParams{ed.edited});
    } else {
      ed.reset_paths = changed;
      ImGui::OpenPopup(kRetrainPopup);
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Revert")) ed.edited = scene->params;
  if (changed.empty()) ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("%zu changed", changed.size());
  tensor_list(*scene);
}

}  // namespace nerds::viewer
