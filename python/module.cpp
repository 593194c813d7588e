// The Python module `nerds._nerds` (pybind11): a thin client of renderer/engine.h, as the CLI
// and the viewer are. python/nerds/__init__.py re-exports it with the Python-side helpers
// (View, Intrinsics conversion); see python/README.md for the API.
//
// Rules kept here:
//  - Only engine.h and what it exposes (plus train/evaluate.h, the library's evaluation, and
//    the scene maker) are used; nothing deeper.
//  - The GIL is released while the engine works (train, render, inspect, density, color,
//    set_params, params, evaluate, save, load, make_scene, parameters); one mutex per engine serializes
//    calls on it, so Python threads may share an Engine without racing inside it. The mutex
//    is only ever taken with the GIL released (a training thread takes the GIL between steps
//    while holding it).
//  - Bad input never crashes: nerds::InputError becomes nerds.InputError (a ValueError) with
//    the engine's message; shapes and values are checked before they reach the engine.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "python/conversions.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "renderer/techniques/core/paper_cards.h"
#include "renderer/train/evaluate.h"
#include "scenes/generator/scene_maker.h"

namespace py = pybind11;
using namespace nerds;
using namespace nerds::python;

namespace {

// ---- the engine wrapper ------------------------------------------------------------------

struct PyEngine {
  std::unique_ptr<Engine> engine;
  std::string method_name;
  mutable std::mutex mutex;  // held (without the GIL) while the engine works

  Engine& e() const { return *engine; }
};

// A method's parameters through the engine's one lookup, nerds::method_params (a method file
// path, or a name searched in scenes/methods/ from the working directory and the executable's
// folder upwards, "" = the defaults); a bare name it would not find is also looked for in this
// build's source tree (the Python executable lives elsewhere). Then `values` are applied.
ParamSet build_params(const std::string& method, const py::dict& values, std::string* method_name) {
  std::string source = method;
  const bool is_name = !method.empty() && method.find('/') == std::string::npos &&
                       (method.size() < 5 || method.compare(method.size() - 5, 5, ".json") != 0);
  std::error_code ec;
  if (is_name && !std::filesystem::exists(method, ec) && find_method_file(method).empty()) {
    const std::string in_tree = std::string(NERDS_SOURCE_DIR) + "/scenes/methods/" + method + ".json";
    if (std::filesystem::is_regular_file(in_tree, ec)) source = in_tree;
  }
  ParamSet params = method_params(source, {}, method_name);
  apply_params(params, values);
  return params;
}

std::unique_ptr<PyEngine> make_engine(const std::string& data_dir, const std::string& method, const py::dict& params,
                                      int downscale, const std::string& device) {
  if (downscale < 1) throw InputError("downscale", "", "must be a positive integer");
  auto out = std::make_unique<PyEngine>();
  EngineOptions options;
  options.data_dir = data_dir;
  options.downscale = downscale;
  options.device = device;
  const ParamSet ps = build_params(method, params, &out->method_name);
  options.method_name = out->method_name;
  py::gil_scoped_release release;
  out->engine = std::make_unique<Engine>(options, ps);
  return out;
}

py::dict train(PyEngine& self, int steps, double seconds) {
  if (steps < 0) throw InputError("steps", "", "must be non-negative");
  if (!(seconds >= 0.0)) throw InputError("seconds", "", "must be non-negative");
  if (steps == 0 && seconds == 0.0) throw InputError("train", "", "give steps or seconds (or both)");
  double loss_sum = 0.0, step_seconds = 0.0, last_loss = 0.0;
  int taken = 0;
  int64_t used = 0, rays = 0;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    const double start = self.e().stats().train_seconds;
    while ((steps == 0 || taken < steps) && (seconds == 0.0 || self.e().stats().train_seconds - start < seconds)) {
      const StepStats s = self.e().train_step();
      ++taken;
      loss_sum += s.loss;
      last_loss = s.loss;
      step_seconds += s.seconds;
      used += s.used_samples;
      rays += s.rays;
      py::gil_scoped_acquire acquire;  // Ctrl-C stops training between steps
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }
  py::dict d = stats_to_dict(self.e().stats());
  d["steps"] = taken;
  d["seconds"] = step_seconds;
  d["loss"] = last_loss;
  d["mean_loss"] = taken ? loss_sum / taken : 0.0;
  d["rays_per_step"] = taken ? static_cast<double>(rays) / taken : 0.0;
  d["samples_per_second"] = step_seconds > 0 ? used / step_seconds : 0.0;
  return d;
}

py::dict render(const PyEngine& self, const FloatArray& pose_array, const py::dict& intrinsics,
                const std::vector<float>& background) {
  if (background.size() != 3) throw InputError("background", "", "must be 3 numbers (RGB)");
  for (float v : background)
    if (!std::isfinite(v)) throw InputError("background", "", "must be finite");
  const Pose pose = to_pose(pose_array);
  const Intrinsics k = to_intrinsics(intrinsics);
  RenderBuffers out;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    out = self.e().render(pose, k, background.data());
  }
  const py::ssize_t h = k.height, w = k.width;
  py::dict d;
  d["rgb"] = to_array(std::move(out.rgb), {h, w, 3});
  d["depth"] = to_array(std::move(out.depth), {h, w});
  d["opacity"] = to_array(std::move(out.opacity), {h, w});
  d["samples"] = to_array(std::move(out.samples), {h, w});
  return d;
}

py::dict inspect(const PyEngine& self, const FloatArray& pose_array, const py::dict& intrinsics, float px, float py_) {
  if (!std::isfinite(px) || !std::isfinite(py_)) throw InputError("inspect", "px/py", "must be finite");
  const Pose pose = to_pose(pose_array);
  const Intrinsics k = to_intrinsics(intrinsics);
  std::vector<RaySample> samples;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    samples = self.e().inspect(pose, k, px, py_);
  }
  const py::ssize_t n = static_cast<py::ssize_t>(samples.size());
  std::vector<float> t(n), dt(n), sigma(n), alpha(n), trans(n), weight(n), rgb(3 * n);
  for (py::ssize_t i = 0; i < n; ++i) {
    const RaySample& s = samples[i];
    t[i] = s.t, dt[i] = s.dt, sigma[i] = s.sigma, alpha[i] = s.alpha, trans[i] = s.transmittance,
    weight[i] = s.weight;
    for (int c = 0; c < 3; ++c) rgb[3 * i + c] = s.rgb[c];
  }
  py::dict d;
  d["t"] = to_array(std::move(t), {n});
  d["dt"] = to_array(std::move(dt), {n});
  d["sigma"] = to_array(std::move(sigma), {n});
  d["alpha"] = to_array(std::move(alpha), {n});
  d["transmittance"] = to_array(std::move(trans), {n});
  d["weight"] = to_array(std::move(weight), {n});
  d["rgb"] = to_array(std::move(rgb), {n, 3});
  return d;
}

// An Nx3 array of finite numbers -> points (or directions); `field` names it in errors.
std::vector<Vec3> to_vec3s(const FloatArray& a, const char* field) {
  if (a.ndim() != 2 || a.shape(1) != 3) throw InputError(field, "", "must be an Nx3 array");
  const py::ssize_t n = a.shape(0);
  std::vector<Vec3> out(n);
  auto r = a.unchecked<2>();
  for (py::ssize_t i = 0; i < n; ++i) {
    if (!std::isfinite(r(i, 0)) || !std::isfinite(r(i, 1)) || !std::isfinite(r(i, 2)))
      throw InputError(field, "", "has a non-finite coordinate (row " + std::to_string(i) + ")");
    out[i] = make_vec3(r(i, 0), r(i, 1), r(i, 2));
  }
  return out;
}

py::array_t<float> density(const PyEngine& self, const FloatArray& points) {
  const std::vector<Vec3> p = to_vec3s(points, "points");
  const py::ssize_t n = static_cast<py::ssize_t>(p.size());
  std::vector<float> sigma;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    if (n > 0) sigma = self.e().density_at(p);
  }
  return to_array(std::move(sigma), {n});
}

py::array_t<float> color(const PyEngine& self, const FloatArray& points, const FloatArray& dirs) {
  const std::vector<Vec3> p = to_vec3s(points, "points");
  const std::vector<Vec3> d = to_vec3s(dirs, "dirs");
  if (d.size() != p.size())
    throw InputError("dirs", "", std::to_string(d.size()) + " rows for " + std::to_string(p.size()) +
                                     " points (give one direction per point, or one for all)");
  const py::ssize_t n = static_cast<py::ssize_t>(p.size());
  std::vector<float> rgb;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    rgb = self.e().color_at(p, d);
  }
  return to_array(std::move(rgb), {n, 3});
}

py::list set_params(PyEngine& self, const py::dict& values) {
  std::vector<PyParamValue> collected;
  collect_params(values, collected);  // with the GIL; the rest without it
  std::vector<std::string> changed;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    ParamSet next = self.e().params();
    apply_values(next, collected);
    changed = self.e().apply_params(next);
  }
  py::list out;
  for (const std::string& path : changed) out.append(path);
  return out;
}

py::list views(const PyEngine& self, const std::string& split, bool images) {
  Dataset loaded;
  const Dataset* source = &self.e().train_set();  // the training split is already loaded
  if (split != "train") {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    loaded = self.e().load_split(split, images);
    source = &loaded;
  }
  const Dataset& data = *source;
  py::list out;
  for (size_t i = 0; i < data.frames.size(); ++i) {
    py::dict d;
    d["index"] = i;
    d["split"] = data.split;
    d["image_path"] = data.frames[i].image_path;
    d["pose"] = pose_to_array(data.frames[i].pose);
    d["intrinsics"] = intrinsics_to_dict(data.frames[i].intrinsics);
    d["lossmult"] = data.frames[i].lossmult;
    if (images && !data.rgba.empty()) {  // frames may differ in size (multiscale data)
      const Intrinsics& k = data.frames[i].intrinsics;
      std::vector<uint8_t> rgba(data.image(i), data.image(i) + data.pixel_count(i) * 4);
      d["image"] = to_array(std::move(rgba), {k.height, k.width, 4});
    } else {
      d["image"] = py::none();
    }
    out.append(d);
  }
  return out;
}

py::dict evaluate_split(const PyEngine& self, const std::string& split, int stride, const std::string& image_dir,
                        const std::vector<float>& background) {
  if (stride < 1) throw InputError("stride", "", "must be a positive integer");
  if (background.size() != 3) throw InputError("background", "", "must be 3 numbers (RGB)");
  EvalOptions options;
  options.split = split;
  options.stride = stride;
  options.image_dir = image_dir;
  for (int c = 0; c < 3; ++c) options.background[c] = background[c];
  EvalResult result;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    result = evaluate(self.e(), options);
  }
  py::dict d = json_to_py(result.to_json());
  d["psnr"] = result.psnr;  // +inf / NaN stay floats (JSON writes them as null)
  d["ssim"] = result.ssim;
  return d;
}

// The model's trained tensors (Engine::param_tensors), values copied when with_values.
std::vector<PackedTensor> engine_tensors(const PyEngine& self, bool with_values) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(self.mutex);
  return self.e().param_tensors(with_values);
}

// [{'name', 'shape', 'size', 'group', 'lr_factor'}] in the model's order.
py::list param_tensors(const PyEngine& self) {
  py::list out;
  for (const PackedTensor& t : engine_tensors(self, false)) {
    py::dict d;
    d["name"] = t.info.name;
    d["shape"] = py::tuple(py::cast(t.info.shape));
    d["size"] = t.info.size();
    d["group"] = param_group_name(t.info.group);
    d["lr_factor"] = t.info.lr_factor;
    out.append(d);
  }
  return out;
}

// {name: ndarray of the tensor's shape}; a column-major tensor (the MLPs' [outputs, inputs]
// weights) comes as a Fortran-ordered array of its shape, without a copy.
py::dict parameters(const PyEngine& self) {
  py::dict out;
  for (PackedTensor& t : engine_tensors(self, true)) {
    const std::vector<py::ssize_t> shape(t.info.shape.begin(), t.info.shape.end());
    std::vector<py::ssize_t> strides(shape.size());
    py::ssize_t stride = sizeof(float);
    for (size_t k = 0; k < shape.size(); ++k) {  // the fastest index first
      const size_t i = t.info.column_major ? k : shape.size() - 1 - k;
      strides[i] = stride;
      stride *= shape[i];
    }
    auto* owner = new std::vector<float>(std::move(t.values));
    py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<float>*>(p); });
    out[py::str(t.info.name)] = py::array_t<float>(shape, strides, owner->data(), free_when_done);
  }
  return out;
}

py::dict occupancy(const PyEngine& self) {
  OccupancyCells cells;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    cells = self.e().occupancy_cells();
  }
  py::dict d;
  d["resolution"] = cells.resolution;
  d["cascades"] = cells.cascades;
  const py::ssize_t r = cells.resolution, c = cells.cascades;
  d["occupied"] = to_array(std::move(cells.occupied), {c, r, r, r});  // [cascade, z, y, x]
  return d;
}

// ---- paper cards --------------------------------------------------------------------------

// The cards of `dir`, else of the folder the CLI would find (NERDS_PAPERS_DIR, papers/ from the
// working directory upwards), else of the source tree the module was built from; read afresh
// each call, so a card edited in a notebook session shows at once.
std::vector<PaperCard> load_cards(const std::string& dir) {
  std::string folder = dir.empty() ? find_papers_dir() : dir;
  if (folder.empty()) folder = std::string(NERDS_SOURCE_DIR) + "/papers";
  return load_paper_cards(folder);
}

// A card as a dict in its file's form (key order kept), each toggle with "available".
py::object card_to_py(const PaperCard& card, const ParamSet& params) {
  return py::module_::import("json").attr("loads")(paper_card_json(card, &params).dump());
}

}  // namespace

PYBIND11_MODULE(_nerds, m) {
  m.doc() = "NerdsNeRF engine bindings (use the `nerds` package, which wraps this module).";
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);

  m.def("default_params", [] { return params_to_dict(default_method_params()); },
        "Every technique parameter at its default, as {'module.key': value}.");
  m.def(
      "method_params",
      [](const std::string& method, const py::dict& params) {
        std::string name;
        return params_to_dict(build_params(method, params, &name));
      },
      py::arg("method") = "", py::arg("params") = py::dict(),
      "The parameters a method (name in scenes/methods/ or a .json path; '' = defaults) with `params` applied "
      "would use; raises InputError for an unknown key or a bad value.");
  m.def(
      "param_info",
      [](const std::string& method, const py::dict& params) {
        std::string name;
        return params_info(build_params(method, params, &name));
      },
      py::arg("method") = "", py::arg("params") = py::dict(),
      "One dict per parameter: path, type, value, default, min, max, choices, doc, needs_reset.");
  m.def("resolve_device", &resolve_device, py::arg("requested"),
        "'cpu' or 'cuda' for a requested device (cpu | cuda | auto); InputError when it is unusable.");
  m.def(
      "list_scenes",
      [] {
        py::list out;
        for (const scenes::SceneInfo& s : scenes::list_scenes()) {
          py::dict d;
          d["name"] = s.name;
          d["purpose"] = s.purpose;
          d["papers"] = s.papers;
          out.append(d);
        }
        return out;
      },
      "The project's sample scenes: [{'name', 'purpose', 'papers'}].");
  m.def(
      "papers",
      [](const std::string& dir) {
        const ParamSet params = default_method_params();
        py::list out;
        for (const PaperCard& c : load_cards(dir)) out.append(card_to_py(c, params));
        return out;
      },
      py::arg("dir") = "",
      "Every paper card (papers/*.json, or the cards of `dir`) in publication order, as dicts in the files' "
      "form; each toggle also says whether the engine can run it ('available'). InputError for a malformed card.");
  m.def(
      "paper",
      [](const std::string& name, const std::string& dir) {
        const std::vector<PaperCard> cards = load_cards(dir);
        const PaperCard* card = find_paper_card(cards, name);
        if (!card) {
          std::string known;
          for (const PaperCard& c : cards) known += (known.empty() ? "" : ", ") + c.id;
          throw InputError("no paper card '" + name + "' (known: " + known + ")");
        }
        return card_to_py(*card, default_method_params());
      },
      py::arg("name"), py::arg("dir") = "",
      "The paper card whose id or title is `name` (case and punctuation ignored: 'Mip-NeRF', 'mipnerf'), as a dict; "
      "InputError when there is none.");
  m.def(
      "make_scene",
      [](const std::string& name, const std::string& out_dir, int resolution, int views, int val_views,
         int test_views, int spp, int64_t seed, bool overwrite) {
        if (seed < 0 || seed > 4294967295LL) throw InputError("seed", "", "must be in [0, 2^32)");
        scenes::SceneOptions o;
        o.resolution = resolution;
        o.train_views = views;
        o.val_views = val_views;
        o.test_views = test_views;
        o.samples_per_pixel = spp;
        o.seed = static_cast<uint32_t>(seed);
        scenes::SceneMade made;
        {
          py::gil_scoped_release release;
          made = scenes::make_scene(name, out_dir, o, overwrite);
        }
        py::dict d;
        d["name"] = made.info.name;
        d["purpose"] = made.info.purpose;
        d["papers"] = made.info.papers;
        d["path"] = out_dir;
        d["train_views"] = made.train_views;
        d["val_views"] = made.val_views;
        d["test_views"] = made.test_views;
        d["samples_per_pixel"] = made.samples_per_pixel;
        d["notes"] = made.notes;
        return d;
      },
      py::arg("name"), py::arg("out_dir"), py::arg("resolution") = 64, py::arg("views") = 50,
      py::arg("val_views") = 0, py::arg("test_views") = 10, py::arg("spp") = 4, py::arg("seed") = 1,
      py::arg("overwrite") = false,
      "Renders sample scene `name` (see list_scenes) or a scene .json file into a NeRF-synthetic folder. out_dir "
      "must be new or empty; overwrite=True replaces a dataset there (never other content). Written beside "
      "out_dir and moved into place at the end, so an interrupted call leaves out_dir as it was.");

  py::class_<PyEngine>(m, "Engine")
      .def(py::init(&make_engine), py::arg("data_dir"), py::arg("method") = "", py::arg("params") = py::dict(),
           py::arg("downscale") = 1, py::arg("device") = "cpu")
      .def_static(
          "load",
          [](const std::string& path, const std::string& data_dir, const std::string& device,
             bool allow_other_data) {
            auto out = std::make_unique<PyEngine>();
            {
              py::gil_scoped_release release;
              out->engine = Engine::load(path, data_dir, device, allow_other_data);
            }
            out->method_name = out->engine->options().method_name;
            return out;
          },
          py::arg("path"), py::arg("data_dir") = "", py::arg("device") = "cpu", py::arg("allow_other_data") = false,
          "Loads a snapshot. A data_dir whose training split differs from the one the snapshot was trained on "
          "(its fingerprint: files, sizes, poses, intrinsics) is refused unless allow_other_data=True.")
      .def(
          "save",
          [](const PyEngine& self, const std::string& path) {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(self.mutex);
            self.e().save(path);
          },
          py::arg("path"))
      .def("train", &train, py::arg("steps") = 0, py::arg("seconds") = 0.0)
      .def(
          "set_budget",
          [](PyEngine& self, double seconds, int steps) {
            if (!(seconds >= 0.0) || steps < 0) throw InputError("budget", "", "must be non-negative");
            py::gil_scoped_release release;  // never wait for the mutex while holding the GIL
            std::lock_guard<std::mutex> lock(self.mutex);
            self.e().set_budget(seconds, steps);
          },
          py::arg("seconds") = 0.0, py::arg("steps") = 0)
      .def("stats", [](const PyEngine& self) {
        EngineStats s;
        {
          py::gil_scoped_release release;  // never wait for the mutex while holding the GIL
          std::lock_guard<std::mutex> lock(self.mutex);
          s = self.e().stats();
        }
        return stats_to_dict(s);
      })
      .def("params",
           [](const PyEngine& self) {
             ParamSet p;
             {
               py::gil_scoped_release release;  // set_params may be changing them on another thread
               std::lock_guard<std::mutex> lock(self.mutex);
               p = self.e().params();
             }
             return params_to_dict(p);
           })
      .def("param_info",
           [](const PyEngine& self) {
             ParamSet p;
             {
               py::gil_scoped_release release;
               std::lock_guard<std::mutex> lock(self.mutex);
               p = self.e().params();
             }
             return params_info(p);
           })
      .def_property_readonly("method", [](const PyEngine& self) { return self.method_name; })
      .def_property_readonly("device", [](const PyEngine& self) { return self.e().device(); })
      .def_property_readonly("data_dir", [](const PyEngine& self) { return self.e().options().data_dir; })
      .def_property_readonly("downscale", [](const PyEngine& self) { return self.e().options().downscale; })
      .def_property_readonly("scene_info", [](const PyEngine& self) {
        const Dataset& d = self.e().train_set();
        py::dict out;
        out["format"] = d.format;
        out["width"] = d.width;
        out["height"] = d.height;
        out["train_views"] = d.frames.size();
        out["aabb_scale"] = d.aabb_scale;
        out["scale"] = d.scale;
        out["offset"] = std::vector<float>{d.offset.x, d.offset.y, d.offset.z};
        out["box_half"] = self.e().box_half();
        return out;
      })
      .def("views", &views, py::arg("split") = "train", py::arg("images") = false)
      .def("render", &render, py::arg("pose"), py::arg("intrinsics"),
           py::arg("background") = std::vector<float>{1.f, 1.f, 1.f})
      .def("inspect", &inspect, py::arg("pose"), py::arg("intrinsics"), py::arg("px"), py::arg("py"))
      .def("density", &density, py::arg("points"))
      .def("color", &color, py::arg("points"), py::arg("dirs"))
      .def("set_params", &set_params, py::arg("values"))
      .def("evaluate", &evaluate_split, py::arg("split") = "test", py::arg("stride") = 1,
           py::arg("image_dir") = "", py::arg("background") = std::vector<float>{1.f, 1.f, 1.f})
      .def("occupancy", &occupancy)
      .def("param_tensors", &param_tensors)
      .def("parameters", &parameters);
}
