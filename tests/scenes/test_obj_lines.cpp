// parse_obj is strict: a vertex or face line it cannot use is an InputError naming the file
// and the line (tinyobjloader alone reads "abc" as 0 and skips what it cannot parse), and a
// mesh whose triangles all have zero area is an error, not an invisible object.
#include <doctest/doctest.h>

#include <string>

#include "renderer/error.h"
#include "scenes/generator/mesh_builders.h"

using nerds::InputError;
using nerds::scenes::MeshData;
using nerds::scenes::parse_obj;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_obj(text, "mesh.obj");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
const std::string kTriangle = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
}  // namespace

TEST_CASE("parse_obj: unusable vertex and face lines name the file and the line") {
  const struct {
    std::string text, expected;
  } cases[] = {
      {"v 0 0 0\nv 1 0 0\nv abc 1 0\nf 1 2 3\n", "mesh.obj: line 3: vertex coordinate 'abc'"},
      {"v 0 0 0\nv 1 0 0\nv 0 1\nf 1 2 3\n", "mesh.obj: line 3: a vertex needs 3 coordinates"},
      {"v 0 0 0\nv 1 0 0\nv inf 1 0\nf 1 2 3\n", "mesh.obj: line 3: vertex coordinate 'inf'"},
      {"v 0 0 0\nv 1 0 0\nv 0x1 1 0\nf 1 2 3\n", "mesh.obj: line 3: vertex coordinate '0x1'"},
      {kTriangle + "f 1 2 4\n", "mesh.obj: line 4: face vertex 4 does not exist (3 vertices"},
      {kTriangle + "f 0 1 2\n", "mesh.obj: line 4: face vertex 0 does not exist"},
      {kTriangle + "f -1 -2 -4\n", "mesh.obj: line 4: face vertex -4 does not exist"},
      {"f 1 2 3\n" + kTriangle, "mesh.obj: line 1: face vertex 1 does not exist (0 vertices"},
      {kTriangle + "f 1 2\n", "mesh.obj: line 4: a face needs at least 3 vertices"},
      {kTriangle + "f 1 2 x\n", "mesh.obj: line 4: face vertex 'x' is not a vertex number"},
      {kTriangle + "f 1/1 2/x/3 3.5\n", "mesh.obj: line 4: face vertex '3.5'"},
      {"v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\nf 1 1 2\n", "mesh.obj: no usable triangle: all 2 have zero area"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const std::string message = error_of(c.text);
    CHECK_MESSAGE(message.find(c.expected) != std::string::npos, "got: " << message);
  }
}

TEST_CASE(
    "parse_obj: texture and normal references, negative indices, comments and a degenerate triangle among good ones") {
  const MeshData mesh = parse_obj(
      "# comment\nv 0 0 0\nv 1 0 0 1\nv 0 1 0 0.5 0.5 0.5\nvt 0 0\nvn 0 0 1\ng group\ns off\n"
      "f 1/1/1 2/1/1 3/1/1\nf -3//1 -2//1 -1//1\nf 1 1 2\n",
      "mesh.obj");
  CHECK(mesh.positions.size() == 3);
  CHECK(mesh.triangles.size() == 3);  // the degenerate one stays: it hides nothing
}
