// Compiling and linking a GLSL program; a failure throws std::runtime_error with the log.
#pragma once

#include "viewer/gl/gl.h"

namespace nerds::viewer {

GLuint make_program(const char* vertex_source, const char* fragment_source);

}  // namespace nerds::viewer
