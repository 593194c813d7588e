// Conversions between Python objects and the engine's types for the Python module
// (module.cpp): JSON and parameter values, parameter sets, poses, intrinsics, arrays and
// statistics. Each checks what it reads and throws nerds::InputError naming the field.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/engine.h"

namespace nerds::python {

namespace py = pybind11;

using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

// One value from Python for a parameter path: typed, or text to parse per the declared type.
struct PyParamValue {
  std::string path;
  ParamValue value;
  bool is_text = false;  // a str: parsed as on the command line (set_from_string)
};

py::object json_to_py(const nlohmann::json& j);
py::object param_value_to_py(const ParamValue& v);
// {"module.key": value} (or nested {"module": {"key": value}}) as typed values; needs the GIL.
void collect_params(const py::dict& values, std::vector<PyParamValue>& out);
// Sets the values in `params` (no Python objects: callable without the GIL).
void apply_values(ParamSet& params, const std::vector<PyParamValue>& values);
void apply_params(ParamSet& params, const py::dict& values);
py::dict params_to_dict(const ParamSet& params);
py::list params_info(const ParamSet& params);
// A 3x4 or 4x4 camera-to-world matrix (OpenGL convention, engine frame) -> Pose.
Pose to_pose(const FloatArray& a);
py::array_t<float> pose_to_array(const Pose& p);
// A dict {fx, fy, cx, cy, width, height[, k1, k2, p1, p2]} -> Intrinsics (the Python side
// turns tuples and Intrinsics objects into this dict).
Intrinsics to_intrinsics(const py::dict& d);
py::dict intrinsics_to_dict(const Intrinsics& k);
py::dict stats_to_dict(const EngineStats& s);

// A NumPy array that takes `v` over (no copy), freed with the array.
template <typename T>
py::array_t<T> to_array(std::vector<T>&& v, std::vector<py::ssize_t> shape) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, owner->data(), free_when_done);
}

}  // namespace nerds::python
