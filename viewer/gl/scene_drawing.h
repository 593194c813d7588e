// The viewer's own OpenGL drawing under the panels: the render as a textured rectangle, and
// the overlay lines projected with the render's camera into the same rectangle.
#pragma once

#include <array>

#include "viewer/core/overlay_geometry.h"
#include "viewer/core/view_geometry.h"
#include "viewer/gl/texture.h"

namespace nerds::viewer {

class SceneDrawing {
 public:
  SceneDrawing();  // needs a current OpenGL 3.3 context
  ~SceneDrawing();
  SceneDrawing(const SceneDrawing&) = delete;
  SceneDrawing& operator=(const SceneDrawing&) = delete;

  // Makes `rect` (window pixels, y down) the drawing area; `framebuffer_scale`: framebuffer
  // pixels per window pixel, `framebuffer_height` in framebuffer pixels.
  void set_area(const Rect& rect, float framebuffer_scale, int framebuffer_height);
  void draw_texture(const Texture& texture);
  // Lines through a column-major clip matrix (view_projection).
  void draw_lines(const LineSet& lines, const std::array<float, 16>& clip_from_world, float width);

 private:
  GLuint quad_program_ = 0, line_program_ = 0;
  GLuint quad_vao_ = 0, line_vao_ = 0, line_vbo_ = 0;
  GLint line_matrix_ = -1;
  size_t line_capacity_ = 0;
};

}  // namespace nerds::viewer
