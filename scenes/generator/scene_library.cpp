#include "scenes/generator/scene_library.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "scenes/generator/embedded_files.h"

namespace nerds::scenes {

namespace {

namespace fs = std::filesystem;

constexpr const char* kListingOrder[] = {"default", "glossy",     "multiscale",  "unbounded", "forward",
                                         "fine",    "appearance", "noisy-poses", "sparse"};
constexpr int kMaxExtendsDepth = 4;

const EmbeddedFile* find_embedded(const std::string& path) {
  const std::string wanted = fs::path(path).lexically_normal().generic_string();
  for (const EmbeddedFile& file : embedded_library_files()) {
    if (wanted == file.path) return &file;
  }
  return nullptr;
}

std::string library_label(const std::string& name) { return "scenes/library/" + name + ".json"; }

nlohmann::json library_json(const std::string& name) {
  const EmbeddedFile* file = find_embedded(name + ".json");
  if (!file) throw InputError("unknown library scene '" + name + "'");
  return json_fields::parse_json(file->text, library_label(name), json_fields::RepeatedKeys::refuse);
}

// The base named by "extends" with this document's fields laid over it.
nlohmann::json resolve_extends(nlohmann::json doc, const std::string& label, int depth) {
  if (!doc.is_object()) throw InputError(label, "(top level)", "must be a JSON object");
  auto it = doc.find("extends");
  if (it == doc.end()) return doc;
  if (!it->is_string()) throw InputError(label, "extends", "must be the name of a library scene");
  const std::string base_name = it->get<std::string>();
  if (depth >= kMaxExtendsDepth || !find_embedded(base_name + ".json"))
    throw InputError(label, "extends", "'" + base_name + "' is not a library scene (or extends too deeply)");
  for (const char* own : {"name", "purpose", "papers"}) {
    if (!doc.contains(own))
      throw InputError(label, own, "is required (a scene that extends another says what it is for)");
  }
  nlohmann::json merged = resolve_extends(library_json(base_name), library_label(base_name), depth + 1);
  for (auto field = doc.begin(); field != doc.end(); ++field) {
    if (field.key() != "extends") merged[field.key()] = field.value();
  }
  return merged;
}

std::string read_disk_file(const fs::path& path, const std::string& label, const std::string& field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(label, field, "cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Library scenes read their meshes from the compiled-in files; a scene on disk reads them
// next to itself first, then from the library (so it can extend a library scene).
FileReader reader_for(const std::string& label, const fs::path& folder, bool on_disk) {
  return [label, folder, on_disk](const std::string& path, const std::string& field) {
    std::error_code ec;
    if (on_disk && fs::is_regular_file(folder / path, ec)) return read_disk_file(folder / path, label, field);
    if (const EmbeddedFile* file = find_embedded(path)) return std::string(file->text);
    throw InputError(
        label, field,
        "mesh file not found: " + path + (on_disk ? " (looked in " + folder.string() + " and scenes/library/)" : ""));
  };
}

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
         (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0);
}

}  // namespace

std::vector<std::string> library_scene_names() {
  std::vector<std::string> names, others;
  for (const EmbeddedFile& file : embedded_library_files()) {
    std::string path = file.path;
    if (path.find('/') != std::string::npos || path.size() < 6 || path.compare(path.size() - 5, 5, ".json") != 0)
      continue;
    others.push_back(path.substr(0, path.size() - 5));
  }
  for (const char* name : kListingOrder) {
    auto it = std::find(others.begin(), others.end(), name);
    if (it == others.end()) continue;
    names.push_back(name);
    others.erase(it);
  }
  names.insert(names.end(), others.begin(), others.end());  // embedded in path order
  return names;
}

nlohmann::json library_scene_document(const std::string& name) {
  return resolve_extends(library_json(name), library_label(name), 0);
}

SceneInfo library_scene_info(const std::string& name) {
  const nlohmann::json doc = library_scene_document(name);
  SceneInfo info;
  info.name = doc.value("name", name);
  info.purpose = doc.value("purpose", "");
  info.papers = doc.value("papers", "");
  return info;
}

SceneDescription load_scene(const std::string& name_or_path) {
  if (!looks_like_path(name_or_path) && find_embedded(name_or_path + ".json")) {
    const std::string label = library_label(name_or_path);
    SceneDescription d =
        parse_scene_description(library_scene_document(name_or_path), label, reader_for(label, {}, false));
    if (d.info.name != name_or_path) throw InputError(label, "name", "must match the file name '" + name_or_path + "'");
    return d;
  }
  std::error_code ec;
  if (!looks_like_path(name_or_path) || !fs::is_regular_file(name_or_path, ec)) {
    std::string known;
    for (const std::string& name : library_scene_names()) known += (known.empty() ? "" : ", ") + name;
    if (looks_like_path(name_or_path)) throw InputError(name_or_path, "", "scene file not found");
    throw InputError("unknown scene '" + name_or_path + "' (known: " + known +
                     "; or give the path of a scene .json file; see nerds scene list)");
  }
  const fs::path path(name_or_path);
  const nlohmann::json doc =
      json_fields::parse_json(read_disk_file(path, name_or_path, ""), name_or_path, json_fields::RepeatedKeys::refuse);
  return parse_scene_description(resolve_extends(doc, name_or_path, 0), name_or_path,
                                 reader_for(name_or_path, path.parent_path(), true));
}

}  // namespace nerds::scenes
