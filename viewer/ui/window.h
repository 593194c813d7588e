// The window: GLFW with an OpenGL 3.3 core context, Dear ImGui with its GLFW and OpenGL3
// backends (Debian's 1.86 builds them into libimgui). One per program.
#pragma once

#include <string>

struct GLFWwindow;

namespace nerds::viewer {

class Window {
 public:
  // Throws std::runtime_error when there is no display or no OpenGL 3.3.
  Window(int width, int height, const std::string& title);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  bool should_close() const;
  void request_close();
  // Events, then a new ImGui frame. wait_seconds > 0: sleep until an event or that long.
  void begin_frame(double wait_seconds);
  // ImGui's draw data on top of what was drawn; the caller may read the framebuffer before present().
  void render_imgui();
  void present();
  int framebuffer_width() const;
  int framebuffer_height() const;
  float framebuffer_scale() const;  // framebuffer pixels per window pixel
  GLFWwindow* handle() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
};

}  // namespace nerds::viewer
