#include "viewer/gl/screenshot.h"

#include <stb_image_write.h>

#include <cstring>
#include <filesystem>
#include <vector>

#include "renderer/error.h"
#include "viewer/gl/gl.h"

namespace nerds::viewer {

void write_screenshot(const std::string& path, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL's rows start at the bottom; PNG's at the top.
  const size_t row = static_cast<size_t>(width) * 3;
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) std::memcpy(&flipped[y * row], &pixels[(height - 1 - y) * row], row);
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (!stbi_write_png(path.c_str(), width, height, 3, flipped.data(), static_cast<int>(row)))
    throw InputError(path, "", "cannot write the screenshot");
}

}  // namespace nerds::viewer
