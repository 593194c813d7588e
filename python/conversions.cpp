#include "python/conversions.h"

#include <pybind11/stl.h>

#include <cmath>

#include "renderer/data/image_limits.h"
#include "renderer/error.h"

namespace nerds::python {

py::object json_to_py(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(j.get<double>());
    case nlohmann::json::value_t::string: return py::str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      py::list l;
      for (const auto& v : j) l.append(json_to_py(v));
      return std::move(l);
    }
    case nlohmann::json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d[py::str(it.key())] = json_to_py(it.value());
      return std::move(d);
    }
    default: return py::none();
  }
}

py::object param_value_to_py(const ParamValue& v) {
  if (const bool* b = std::get_if<bool>(&v)) return py::bool_(*b);
  if (const int64_t* i = std::get_if<int64_t>(&v)) return py::int_(*i);
  if (const double* d = std::get_if<double>(&v)) return py::float_(*d);
  return py::str(std::get<std::string>(v));
}


// {"module.key": value} (or nested {"module": {"key": value}}) as typed values; needs the GIL.
void collect_params(const py::dict& values, std::vector<PyParamValue>& out) {
  for (const auto& item : values) {
    const std::string path = py::str(item.first);
    py::object v = py::reinterpret_borrow<py::object>(item.second);
    if (!py::isinstance<py::dict>(v) && !py::isinstance<py::bool_>(v) && !py::isinstance<py::int_>(v) &&
        !py::isinstance<py::float_>(v) && !py::isinstance<py::str>(v) && py::hasattr(v, "item") &&
        !py::hasattr(v, "__len__"))
      v = v.attr("item")();  // NumPy scalars
    if (py::isinstance<py::dict>(v)) {  // nested form: {"encoding": {"levels": 8}}
      py::dict inner;
      for (const auto& sub : py::reinterpret_borrow<py::dict>(v))
        inner[py::str(path + "." + std::string(py::str(sub.first)))] = sub.second;
      collect_params(inner, out);
    } else if (py::isinstance<py::bool_>(v)) {
      out.push_back({path, v.cast<bool>()});
    } else if (py::isinstance<py::int_>(v)) {
      out.push_back({path, v.cast<int64_t>()});
    } else if (py::isinstance<py::float_>(v)) {
      out.push_back({path, v.cast<double>()});
    } else if (py::isinstance<py::str>(v)) {
      out.push_back({path, v.cast<std::string>(), true});
    } else {
      const std::string type = py::str(py::type::of(v).attr("__name__"));
      throw InputError("params", path, "unsupported value type " + type + " (use bool, int, float or str)");
    }
  }
}

// Sets the values in `params` (no Python objects: callable without the GIL).
void apply_values(ParamSet& params, const std::vector<PyParamValue>& values) {
  for (const PyParamValue& v : values) {
    if (v.is_text)
      params.set_from_string(v.path + "=" + std::get<std::string>(v.value), "params");
    else
      params.set(v.path, v.value, "params");
  }
}

void apply_params(ParamSet& params, const py::dict& values) {
  std::vector<PyParamValue> collected;
  collect_params(values, collected);
  apply_values(params, collected);
}

py::dict params_to_dict(const ParamSet& params) {
  py::dict d;
  for (const std::string& m : params.modules())
    for (const ParamEntry& e : params.entries_of(m)) d[py::str(e.path())] = param_value_to_py(e.value);
  return d;
}

py::list params_info(const ParamSet& params) {
  py::list out;
  for (const std::string& m : params.modules())
    for (const ParamEntry& e : params.entries_of(m)) {
      py::dict d;
      d["path"] = e.path();
      d["type"] = param_type_name(e.spec.type);
      d["value"] = param_value_to_py(e.value);
      d["default"] = param_value_to_py(e.default_value);
      d["min"] = e.spec.min;
      d["max"] = e.spec.max;
      d["choices"] = e.spec.choices;
      d["doc"] = e.spec.doc;
      d["needs_reset"] = e.spec.needs_reset;
      out.append(d);
    }
  return out;
}

// A 3x4 or 4x4 camera-to-world matrix (OpenGL convention, engine frame) -> Pose.
Pose to_pose(const FloatArray& a) {
  if (a.ndim() != 2 || a.shape(1) != 4 || (a.shape(0) != 3 && a.shape(0) != 4))
    throw InputError("pose", "", "must be a 3x4 or 4x4 camera-to-world matrix");
  Pose p;
  auto r = a.unchecked<2>();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      if (!std::isfinite(r(i, j))) throw InputError("pose", "", "has a non-finite entry");
      p.m[i][j] = r(i, j);
    }
  return p;
}

py::array_t<float> pose_to_array(const Pose& p) {
  py::array_t<float> a({4, 4});
  auto w = a.mutable_unchecked<2>();
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) w(i, j) = i < 3 ? p.m[i][j] : (j == 3 ? 1.f : 0.f);
  return a;
}

// A dict {fx, fy, cx, cy, width, height[, k1, k2, p1, p2]} -> Intrinsics (the Python side
// turns tuples and Intrinsics objects into this dict).
Intrinsics to_intrinsics(const py::dict& d) {
  Intrinsics k;
  auto need = [&](const char* key) -> py::handle {
    if (!d.contains(key)) throw InputError("intrinsics", key, "missing");
    return d[key];
  };
  k.fx = need("fx").cast<float>();
  k.fy = need("fy").cast<float>();
  k.cx = need("cx").cast<float>();
  k.cy = need("cy").cast<float>();
  // As doubles first: 1e20 would not fit the int cast.
  k.width = checked_image_side(need("width").cast<double>(), "intrinsics", "width");
  k.height = checked_image_side(need("height").cast<double>(), "intrinsics", "height");
  for (const char* key : {"k1", "k2", "p1", "p2"})
    if (d.contains(key)) {
      const float v = d[key].cast<float>();
      (std::string(key) == "k1" ? k.k1 : std::string(key) == "k2" ? k.k2 : std::string(key) == "p1" ? k.p1 : k.p2) = v;
    }
  for (float v : {k.fx, k.fy, k.cx, k.cy, k.k1, k.k2, k.p1, k.p2})
    if (!std::isfinite(v)) throw InputError("intrinsics", "", "has a non-finite value");
  if (!(k.fx > 0.f) || !(k.fy > 0.f)) throw InputError("intrinsics", "fx/fy", "must be positive");
  return k;
}

py::dict intrinsics_to_dict(const Intrinsics& k) {
  py::dict d;
  d["fx"] = k.fx;
  d["fy"] = k.fy;
  d["cx"] = k.cx;
  d["cy"] = k.cy;
  d["width"] = k.width;
  d["height"] = k.height;
  d["k1"] = k.k1;
  d["k2"] = k.k2;
  d["p1"] = k.p1;
  d["p2"] = k.p2;
  return d;
}


py::dict stats_to_dict(const EngineStats& s) {
  py::dict d;
  d["step"] = s.step;
  d["train_seconds"] = s.train_seconds;
  d["used_samples"] = s.used_samples;
  d["marched_samples"] = s.marched_samples;
  d["rays"] = s.rays;
  d["last_loss"] = s.last_loss;
  d["last_mse"] = s.last_mse;  // NaN where the backend does not measure it
  d["occupied_cells"] = s.occupied_cells;
  d["total_cells"] = s.total_cells;
  return d;
}

}  // namespace nerds::python
