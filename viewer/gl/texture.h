// A 2D RGBA8 texture that follows an image's size (reallocated only when it changes).
#pragma once

#include <cstdint>

#include "viewer/gl/gl.h"

namespace nerds::viewer {

class Texture {
 public:
  Texture() = default;
  ~Texture();
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;

  // rgba: width * height * 4 bytes, top row first. nearest: show pixels as blocks.
  void upload(int width, int height, const uint8_t* rgba, bool nearest);
  bool valid() const { return id_ != 0 && width_ > 0; }
  GLuint id() const { return id_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // For ImGui::Image.
  void* imgui_id() const { return reinterpret_cast<void*>(static_cast<intptr_t>(id_)); }

 private:
  GLuint id_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace nerds::viewer
