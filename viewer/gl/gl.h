// OpenGL 3.3 core for the viewer's own drawing: the core-profile prototypes, linked directly
// against libGL/libOpenGL (Mesa exports every core function). Dear ImGui's OpenGL3 backend
// loads its own through its embedded loader; the two coexist. GLFW must not include GL.
#pragma once

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/glcorearb.h>
