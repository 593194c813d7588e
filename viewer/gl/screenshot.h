// Writing what the window shows to a PNG (read back from the framebuffer being drawn, before
// it is swapped), for the screenshot button and the scripted mode.
#pragma once

#include <string>

namespace nerds::viewer {

// Reads the current framebuffer (width x height framebuffer pixels) and writes it to `path`
// (its folder is created). Throws InputError when the file cannot be written.
void write_screenshot(const std::string& path, int width, int height);

}  // namespace nerds::viewer
