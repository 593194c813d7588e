// The content of a scene file: "materials", "objects", "lights", "ambient", "environment".
// Colors named albedo, emission and the environment's are sRGB in [0, 1] (as a PNG holds
// them); light colors, "specular" and "ambient" are linear (they add up as light does).
#include <map>
#include <memory>

#include "renderer/error.h"
#include "scenes/generator/color.h"
#include "scenes/generator/mesh_builders.h"
#include "scenes/generator/scene_description.h"

namespace nerds::scenes {

namespace {

constexpr float kBig = 1e4f;  // bound on coordinates and sizes: catches unit slips
constexpr size_t kMaxTriangles = 20000000;  // per object, copies included: a few GB at most

std::string index_name(const std::string& base, size_t i) { return base + "[" + std::to_string(i) + "]"; }

Vec3 srgb_color(const nlohmann::json& value, const std::string& file, const std::string& field) {
  Vec3 c = json_fields::read_vec3(value, file, field);
  for (int i = 0; i < 3; ++i) {
    if (c[i] < 0.f || c[i] > 1.f) throw InputError(file, field, "sRGB components must be in [0, 1]");
  }
  return c;
}

Vec3 linear_color(JsonObject& o, const std::string& key, Vec3 fallback) {
  Vec3 c = o.vec3(key, fallback);
  for (int i = 0; i < 3; ++i) {
    if (c[i] < 0.f || c[i] > 1000.f) o.fail(key, "components must be in [0, 1000]");
  }
  return c;
}

// A color [r, g, b] or a texture object {"type": "checker" | "stripes", ...}.
Texture parse_texture(const nlohmann::json& value, const std::string& file, const std::string& field) {
  if (value.is_array()) return Texture::solid(srgb_color(value, file, field));
  JsonObject t(value, file, field);
  const std::string type = t.string("type");
  const nlohmann::json& colors = t.raw("colors");
  if (!colors.is_array() || colors.size() != 2) t.fail("colors", "must be two sRGB colors [[r,g,b], [r,g,b]]");
  Vec3 a = srgb_color(colors[0], file, t.field("colors[0]")), b = srgb_color(colors[1], file, t.field("colors[1]"));
  Texture texture = Texture::solid(a);
  if (type == "checker") {
    float cell = static_cast<float>(t.number("cell", 1e-4, kBig));
    texture = Texture::checker(a, b, cell, t.vec3("offset", {}));
  } else if (type == "stripes") {
    Vec3 axis = t.vec3("axis");
    if (length(axis) < 1e-6f) t.fail("axis", "must not be zero");
    texture = Texture::stripes(a, b, axis, static_cast<float>(t.number("period", 1e-4, kBig)));
  } else {
    t.fail("type", "unknown texture '" + type + "' (known: checker, stripes)");
  }
  t.finish();
  return texture;
}

Material parse_material(JsonObject& m) {
  Material material;
  if (m.has("albedo")) material.albedo = parse_texture(m.raw("albedo"), m.file(), m.field("albedo"));
  if (m.has("specular")) {
    const nlohmann::json& s = m.raw("specular");
    if (s.is_number()) {
      float k = static_cast<float>(m.number("specular", 0.0, 100.0));
      material.specular = make_vec3(k, k, k);
    } else {
      material.specular = linear_color(m, "specular", {});
    }
  }
  material.shininess = static_cast<float>(m.number("shininess", material.shininess, 1.0, 1e5));
  material.mirror = static_cast<float>(m.number("mirror", 0.0, 0.0, 1.0));
  if (m.has("emission")) {
    material.emissive = true;
    material.emission = parse_texture(m.raw("emission"), m.file(), m.field("emission"));
  }
  m.finish();
  return material;
}

MeshTransform parse_transform(JsonObject t) {
  MeshTransform transform;
  if (t.has("scale")) {
    const nlohmann::json& s = t.raw("scale");
    transform.scale =
        s.is_number() ? make_vec3(1.f, 1.f, 1.f) * static_cast<float>(t.number("scale", -kBig, kBig)) : t.vec3("scale");
    for (int a = 0; a < 3; ++a) {
      if (transform.scale[a] == 0.f) t.fail("scale", "must not be zero");
    }
  }
  transform.rotate_deg = t.vec3("rotate_deg", {});
  transform.translate = t.vec3("translate", {});
  t.finish();
  return transform;
}

std::vector<Vec3> parse_points(JsonObject& o, const std::string& key) {
  const nlohmann::json& list = o.array(key);
  if (list.size() < 2) o.fail(key, "needs at least two points");
  std::vector<Vec3> points;
  for (size_t i = 0; i < list.size(); ++i) points.push_back(json_fields::read_vec3(list[i], o.file(), o.field(index_name(key, i))));
  return points;
}

// The mesh shapes: built as MeshData, then placed by "transform" and copied by "repeat".
bool is_mesh_shape(const std::string& shape) {
  return shape == "torus" || shape == "tube" || shape == "helix" || shape == "obj";
}

MeshData parse_mesh(const std::string& shape, JsonObject& o, const FileReader& read_file) {
  const int segments = shape == "obj" ? 0 : o.integer("segments", 12, 3, 256);  // around a tube
  if (shape == "torus") {
    return make_torus(static_cast<float>(o.number("major_radius", 1e-4, kBig)),
                      static_cast<float>(o.number("minor_radius", 1e-5, kBig)),
                      o.integer("major_segments", 64, 3, 4096), segments);
  }
  if (shape == "tube") {
    return make_tube(parse_points(o, "points"), static_cast<float>(o.number("radius", 1e-5, kBig)), segments);
  }
  if (shape == "helix") {
    return make_helix(static_cast<float>(o.number("radius", 1e-4, kBig)),
                      static_cast<float>(o.number("height", 0.0, kBig)),
                      static_cast<float>(o.number("turns", 0.05, 1000.0)),
                      static_cast<float>(o.number("wire_radius", 1e-5, kBig)), segments);
  }
  const std::string path = o.string("file");
  MeshData mesh = parse_obj(read_file(path, o.field("file")), o.file() + ": " + o.field("file") + " (" + path + ")");
  if (o.boolean("smooth", false)) compute_vertex_normals(&mesh);
  return mesh;
}

void add_object(JsonObject& o, const std::map<std::string, int>& materials, const FileReader& read_file, Scene* scene) {
  const std::string shape = o.string("shape");
  const std::string material_name = o.string("material");
  auto found = materials.find(material_name);
  if (found == materials.end()) o.fail("material", "no material named '" + material_name + "' in \"materials\"");
  const int material = found->second;
  const bool casts_shadow = o.boolean("casts_shadow", true);
  if (is_mesh_shape(shape)) {
    MeshData mesh = parse_mesh(shape, o, read_file);
    if (o.has("transform")) apply_transform(parse_transform(o.object("transform")), &mesh);
    int copies = 1;
    MeshTransform step;
    if (o.has("repeat")) {
      JsonObject r = o.object("repeat");
      copies = r.integer("count", 1, 1, 1000);
      step = parse_transform(r.object("transform"));
      r.finish();
    }
    if (mesh.triangles.size() * static_cast<size_t>(copies) > kMaxTriangles)
      o.fail("shape", "more than " + std::to_string(kMaxTriangles) + " triangles (fewer segments or copies)");
    for (int k = 0; k < copies; ++k) {
      scene->add(std::make_shared<TriangleMesh>(mesh, o.file() + ": " + o.field("shape")), material, casts_shadow);
      apply_transform(step, &mesh);
    }
    o.finish();
    return;
  }
  if (o.has("transform") || o.has("repeat"))
    o.fail("transform", "transform and repeat apply to the mesh shapes (torus, tube, helix, obj) only");
  std::shared_ptr<Shape> made;
  if (shape == "sphere") {
    made = std::make_shared<Sphere>(o.vec3("center"), static_cast<float>(o.number("radius", 1e-5, kBig)));
  } else if (shape == "box") {
    Vec3 lo = o.vec3("min"), hi = o.vec3("max");
    if (!(lo.x < hi.x && lo.y < hi.y && lo.z < hi.z)) o.fail("max", "must be above \"min\" on every axis");
    made = std::make_shared<Box>(lo, hi);
  } else if (shape == "cylinder") {
    std::vector<double> c = o.numbers("center", 2, -kBig, kBig), z = o.numbers("z", 2, -kBig, kBig);
    if (!(z[0] < z[1])) o.fail("z", "must be [bottom, top] with bottom < top");
    made = std::make_shared<Cylinder>(static_cast<float>(c[0]), static_cast<float>(c[1]),
                                      static_cast<float>(o.number("radius", 1e-5, kBig)), static_cast<float>(z[0]),
                                      static_cast<float>(z[1]));
  } else if (shape == "plane" || shape == "disk") {
    Vec3 n = o.vec3("normal");
    if (length(n) < 1e-6f) o.fail("normal", "must not be zero");
    if (shape == "plane") {
      made = std::make_shared<Plane>(o.vec3("point"), n);
    } else {
      made = std::make_shared<Disk>(o.vec3("center"), n, static_cast<float>(o.number("radius", 1e-5, kBig)));
    }
  } else {
    o.fail("shape",
           "unknown shape '" + shape + "' (known: sphere, box, cylinder, plane, disk, torus, tube, helix, obj)");
  }
  o.finish();
  scene->add(made, material, casts_shadow);
}

Light parse_light(JsonObject& l) {
  const std::string type = l.string("type");
  const Vec3 color = linear_color(l, "color", make_vec3(1.f, 1.f, 1.f));
  Light light;
  if (type == "directional") {
    Vec3 d = l.vec3("direction");
    if (length(d) < 1e-6f) l.fail("direction", "must not be zero");
    light = Light::directional(d, color);
  } else if (type == "point") {
    light = Light::point(l.vec3("position"), color);
  } else {
    l.fail("type", "unknown light '" + type + "' (known: directional, point)");
  }
  l.finish();
  return light;
}

}  // namespace

void parse_scene_content(JsonObject& top, const FileReader& read_file, Scene* scene) {
  std::map<std::string, int> materials;
  JsonObject material_list = top.object("materials");
  for (const auto& [name, value] : top.raw("materials").items()) {
    JsonObject m = material_list.object(name);
    materials[name] = scene->add_material(parse_material(m));
  }
  material_list.finish();

  const nlohmann::json& objects = top.array("objects");
  for (size_t i = 0; i < objects.size(); ++i) {
    JsonObject o(objects[i], top.file(), index_name("objects", i));
    add_object(o, materials, read_file, scene);
  }
  if (top.has("lights")) {
    const nlohmann::json& lights = top.raw("lights");
    if (!lights.is_array()) top.fail("lights", "must be an array");
    for (size_t i = 0; i < lights.size(); ++i) {
      JsonObject l(lights[i], top.file(), index_name("lights", i));
      scene->add_light(parse_light(l));
    }
  }
  scene->set_ambient(linear_color(top, "ambient", {}));
  if (top.has("environment")) {
    JsonObject e = top.object("environment");
    Environment environment;
    environment.enabled = true;
    environment.zenith = srgb_to_linear(srgb_color(e.raw("zenith"), e.file(), e.field("zenith")));
    environment.horizon = srgb_to_linear(srgb_color(e.raw("horizon"), e.file(), e.field("horizon")));
    environment.nadir = srgb_to_linear(srgb_color(e.raw("nadir"), e.file(), e.field("nadir")));
    e.finish();
    scene->set_environment(environment);
  }
}

}  // namespace nerds::scenes
