#include "viewer/ui/window.h"

#include <cstdio>
#include <stdexcept>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "viewer/gl/gl.h"

namespace nerds::viewer {

namespace {
void glfw_error(int code, const char* what) { std::fprintf(stderr, "nerds-view: GLFW error %d: %s\n", code, what); }
}  // namespace

Window::Window(int width, int height, const std::string& title) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) throw std::runtime_error("cannot open a window: GLFW found no display (is DISPLAY set?)");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window_) {
    glfwTerminate();
    throw std::runtime_error("cannot open a window with an OpenGL 3.3 core context");
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);  // vsync where there is one (Xvfb has none: the frame loop paces itself)
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed; nothing to remember in an imgui.ini
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 0.f;
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
}

Window::~Window() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Window::should_close() const { return glfwWindowShouldClose(window_); }
void Window::request_close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

void Window::begin_frame(double wait_seconds) {
  if (wait_seconds > 0.0)
    glfwWaitEventsTimeout(wait_seconds);
  else
    glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void Window::render_imgui() {
  ImGui::Render();
  glViewport(0, 0, framebuffer_width(), framebuffer_height());
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() { glfwSwapBuffers(window_); }

int Window::framebuffer_width() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return w;
}

int Window::framebuffer_height() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return h;
}

float Window::framebuffer_scale() const {
  int ww = 0, wh = 0;
  glfwGetWindowSize(window_, &ww, &wh);
  return ww > 0 ? static_cast<float>(framebuffer_width()) / ww : 1.f;
}

}  // namespace nerds::viewer
