#include "scenes/generator/default_scene.h"

#include <memory>

namespace nerds::scenes {

namespace {
Vec3 rgb(float r, float g, float b) { return make_vec3(r, g, b); }
}  // namespace

Scene build_default_scene() {
  // World z is up. Everything sits on a plate whose top is z = -0.5 and stays within a
  // radius of 1.2 of the z axis, so every camera of the rig frames the whole scene and
  // the content fits the NeRF-synthetic cube [-1.5, 1.5]^3 with room to spare.
  Scene scene;

  Material plate;
  // Cells of 0.3 shifted by half a cell so no cell boundary lies on the plate's top face.
  plate.albedo = Texture::checker(rgb(0.85f, 0.84f, 0.80f), rgb(0.25f, 0.30f, 0.36f), 0.3f,
                                  make_vec3(0.15f, 0.15f, 0.15f));
  scene.add(std::make_unique<Cylinder>(0.f, 0.f, 1.2f, -0.6f, -0.5f), scene.add_material(plate));

  Material glossy_red;  // the view-dependent one: a small, bright Blinn-Phong highlight
  glossy_red.albedo = Texture::solid(rgb(0.80f, 0.12f, 0.10f));
  glossy_red.specular = make_vec3(0.9f, 0.9f, 0.9f);
  glossy_red.shininess = 80.f;
  scene.add(std::make_unique<Sphere>(make_vec3(0.45f, 0.30f, -0.05f), 0.45f), scene.add_material(glossy_red));

  Material striped;
  striped.albedo = Texture::stripes(rgb(0.15f, 0.35f, 0.80f), rgb(0.92f, 0.92f, 0.88f),
                                    make_vec3(1.f, 0.f, 1.f), 0.2f);
  scene.add(std::make_unique<Box>(make_vec3(-0.85f, -0.75f, -0.5f), make_vec3(-0.25f, -0.15f, 0.1f)),
            scene.add_material(striped));

  Material satin_green;
  satin_green.albedo = Texture::solid(rgb(0.20f, 0.65f, 0.25f));
  satin_green.specular = make_vec3(0.15f, 0.15f, 0.15f);
  satin_green.shininess = 20.f;
  scene.add(std::make_unique<Cylinder>(-0.35f, 0.55f, 0.22f, -0.5f, 0.55f), scene.add_material(satin_green));

  Material matte_yellow;
  matte_yellow.albedo = Texture::solid(rgb(0.95f, 0.78f, 0.15f));
  scene.add(std::make_unique<Sphere>(make_vec3(0.35f, -0.60f, -0.28f), 0.22f), scene.add_material(matte_yellow));

  // A warm sun from the upper right casts the main shadows; a dim cool point light from the
  // other side keeps the shadowed sides from being flat ambient.
  scene.add_light(Light::directional(make_vec3(0.5f, -0.35f, 1.f), make_vec3(1.0f, 0.96f, 0.90f)));
  scene.add_light(Light::point(make_vec3(-1.5f, -1.2f, 1.8f), make_vec3(1.8f, 2.1f, 3.0f)));
  scene.set_ambient(make_vec3(0.10f, 0.10f, 0.12f));
  return scene;
}

SceneRecipe default_scene_recipe() {
  SceneRecipe recipe;
  recipe.info.name = "default";
  recipe.info.purpose =
      "Small bounded object scene in the NeRF-synthetic layout: diffuse, textured (checker, "
      "stripes) and glossy surfaces with hard shadows on a transparent background; the "
      "baseline for training, evaluation and smoke tests.";
  recipe.info.papers =
      "NeRF (Mildenhall et al. 2020); Instant-NGP (Mueller et al. 2022); Plenoxels (Fridovich-Keil et al. 2022)";
  recipe.build = build_default_scene;
  return recipe;
}

}  // namespace nerds::scenes
