#include "viewer/gl/scene_drawing.h"

#include <cmath>
#include <cstddef>
#include <vector>

#include "viewer/gl/shader.h"

namespace nerds::viewer {

namespace {

// A rectangle covering the viewport, from the vertex index alone (no vertex buffer).
const char* kQuadVertex = R"(#version 330 core
out vec2 uv;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  uv = vec2(corner.x, 1.0 - corner.y);  // texture rows are stored top row first
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
})";
const char* kQuadFragment = R"(#version 330 core
in vec2 uv;
uniform sampler2D image;
out vec4 color;
void main() { color = vec4(texture(image, uv).rgb, 1.0); })";

const char* kLineVertex = R"(#version 330 core
layout(location = 0) in vec3 position;
layout(location = 1) in vec4 rgba;
uniform mat4 clip_from_world;
out vec4 line_color;
void main() {
  line_color = rgba;
  gl_Position = clip_from_world * vec4(position, 1.0);
})";
const char* kLineFragment = R"(#version 330 core
in vec4 line_color;
out vec4 color;
void main() { color = line_color; })";

}  // namespace

SceneDrawing::SceneDrawing() {
  quad_program_ = make_program(kQuadVertex, kQuadFragment);
  line_program_ = make_program(kLineVertex, kLineFragment);
  line_matrix_ = glGetUniformLocation(line_program_, "clip_from_world");
  glGenVertexArrays(1, &quad_vao_);
  glGenVertexArrays(1, &line_vao_);
  glGenBuffers(1, &line_vbo_);
  glBindVertexArray(line_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, line_vbo_);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
}

SceneDrawing::~SceneDrawing() {
  glDeleteBuffers(1, &line_vbo_);
  glDeleteVertexArrays(1, &line_vao_);
  glDeleteVertexArrays(1, &quad_vao_);
  glDeleteProgram(line_program_);
  glDeleteProgram(quad_program_);
}

void SceneDrawing::set_area(const Rect& r, float scale, int framebuffer_height) {
  const GLint x = static_cast<GLint>(std::lround(r.x * scale));
  const GLint w = static_cast<GLint>(std::lround(r.w * scale)), h = static_cast<GLint>(std::lround(r.h * scale));
  const GLint y = framebuffer_height - static_cast<GLint>(std::lround(r.y * scale)) - h;  // GL counts from the bottom
  glViewport(x, y, w, h);
}

void SceneDrawing::draw_texture(const Texture& texture) {
  if (!texture.valid()) return;
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glUseProgram(quad_program_);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, texture.id());
  glUniform1i(glGetUniformLocation(quad_program_, "image"), 0);
  glBindVertexArray(quad_vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
}

void SceneDrawing::draw_lines(const LineSet& lines, const std::array<float, 16>& clip_from_world, float width) {
  const size_t n = lines.vertex_count();
  if (n == 0) return;
  // Interleaved: 3 floats of position, 4 bytes of color.
  struct Vertex {
    float xyz[3];
    uint8_t rgba[4];
  };
  std::vector<Vertex> v(n);
  for (size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) v[i].xyz[k] = lines.xyz[3 * i + k];
    for (int k = 0; k < 4; ++k) v[i].rgba[k] = lines.rgba[4 * i + k];
  }
  glBindVertexArray(line_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, line_vbo_);
  const size_t bytes = n * sizeof(Vertex);
  if (bytes > line_capacity_) {
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(bytes), v.data(), GL_STREAM_DRAW);
    line_capacity_ = bytes;
  } else {
    glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(bytes), v.data());
  }
  glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, sizeof(Vertex), reinterpret_cast<void*>(0));
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Vertex),
                        reinterpret_cast<void*>(offsetof(Vertex, rgba)));
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  glLineWidth(width);  // core profile: widths above 1 may be clamped; Mesa draws them
  glUseProgram(line_program_);
  glUniformMatrix4fv(line_matrix_, 1, GL_FALSE, clip_from_world.data());
  glDrawArrays(GL_LINES, 0, static_cast<GLsizei>(n));
  glUseProgram(0);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  glDisable(GL_BLEND);
}

}  // namespace nerds::viewer
