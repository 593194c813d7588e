#include "renderer/engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

#include "renderer/backend/device_info.h"
#include "renderer/backend/frozen_model.h"
#include "renderer/backend/render_layers.h"
#include "renderer/backend/render_rays.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/backend/training_backend.h"
#include "renderer/data/image_limits.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/train/appearance_fit.h"
#include "renderer/train/model_snapshot.h"
#include "renderer/train/non_finite_scan.h"
#include "renderer/train/snapshot_file.h"
#include "renderer/train/trainer.h"

namespace nerds {

namespace {
constexpr int kSnapshotMetaVersion = 1;

Dataset load_train_split(const EngineOptions& o) {
  DatasetOptions d;
  d.split = "train";
  d.downscale = o.downscale;
  return load_dataset(o.data_dir, d);
}

}  // namespace

std::string resolve_device(const std::string& requested) {
  if (requested == "cpu") return "cpu";
  if (requested != "cuda" && requested != "auto")
    throw InputError("device", "", "'" + requested + "' is not a device (known: cpu, cuda, auto)");
  const CudaDeviceInfo info = cuda_device_info();
  if (info.available) return "cuda";
  if (requested == "auto") return "cpu";
  throw InputError("device", "", "cuda: " + info.reason + "; use cpu or auto");
}

Engine::Engine(const EngineOptions& options, const ParamSet& params)
    : options_(options), device_(resolve_device(options.device)), params_(params) {
  train_ = std::make_shared<Dataset>(load_train_split(options));
  fingerprint_ = fingerprint_dataset(*train_);
  const TrainConfig config = make_train_config(params_, *train_);
  if (device_ == "cuda") {
    const std::string why = cuda_backend_supports(config);
    if (!why.empty()) {
      // "auto" means the best device that can run this method: a configuration the CUDA
      // backend does not support trains on the CPU instead (an explicit "cuda" fails).
      if (options.device != "auto") throw InputError("device", "", "cuda: " + why + "; use cpu or auto");
      std::fprintf(stderr, "nerds: %s; training on the CPU\n", why.c_str());
      device_ = "cpu";
    }
  }
  try {
    trainer_ = std::make_unique<Trainer>(config, train_, device_ == "cuda");
  } catch (const std::bad_alloc&) {
    throw InputError("out of memory allocating the model and its training buffers (the hash tables grow with "
                             "encoding.log2_table_size and encoding.levels, a batch with trainer.batch_samples)");
  }
  stats_.total_cells = std::as_const(*trainer_).occupancy().cell_count();
}

Engine::~Engine() = default;

float Engine::box_half() const { return trainer_->config().march.box_half; }
float Engine::current_lr() const {
  // The schedule's rate as the backend takes it: after TensoRF's restarts, from the initial rate.
  return trainer_->optimizer_restarts().lr(trainer_->current_lr(), trainer_->config().optimizer.lr);
}
const TrainConfig& Engine::config() const { return trainer_->config(); }
const Trainer& Engine::trainer() const { return *trainer_; }

void Engine::set_budget(double seconds, int steps) {
  budget_end_seconds_ = seconds > 0.0 ? stats_.train_seconds + seconds : 0.0;
  budget_end_step_ = steps > 0 ? stats_.step + steps : 0;
}

StepStats Engine::train_step() {
  float progress = -1.f;
  if (budget_end_seconds_ > 0.0)
    progress = static_cast<float>(stats_.train_seconds / budget_end_seconds_);
  if (budget_end_step_ > 0)
    progress = std::max(progress, static_cast<float>(stats_.step) / static_cast<float>(budget_end_step_));
  trainer_->set_budget_progress(progress);
  StepStats s = trainer_->step();
  stats_.step = s.step;
  stats_.train_seconds += s.seconds;
  stats_.used_samples += s.used_samples;
  stats_.marched_samples += s.marched_samples;
  stats_.rays += s.rays;
  stats_.last_loss = s.loss;
  stats_.last_mse = s.mse;
  stats_.occupied_cells = trainer_->occupied_cell_count();
  stats_.stages = trainer_->stage_times();
  return s;
}

Dataset Engine::load_split(const std::string& split, bool load_images) const {
  DatasetOptions d;
  d.split = split;
  d.downscale = options_.downscale;
  d.load_images = load_images;
  return load_dataset(options_.data_dir, d);
}

RenderSettings Engine::render_settings(const float background[3]) const {
  RenderSettings rs;
  rs.march = trainer_->config().march;
  rs.sampler = trainer_->config().sampler;  // renders and the inspector sample as training does
  rs.warp = trainer_->config().warp;
  rs.min_transmittance = trainer_->config().min_transmittance;
  for (int k = 0; k < 3; ++k) rs.background[k] = background[k];
  return rs;
}

RenderBuffers Engine::render(const Pose& pose, const Intrinsics& k, const float background[3]) const {
  return render_camera(pose, k, background, nullptr);
}

RenderBuffers Engine::render(const Pose& pose, const Intrinsics& k, const float background[3],
                             const LayerRequest& layer) const {
  return render_camera(pose, k, background, nullptr, layer);
}

std::string Engine::layer_unavailable(RenderLayer layer) const {
  const Trainer& t = *trainer_;
  return render_layer_unavailable(t.network(), layer);
}

void Engine::freeze() {
  const Trainer& t = *trainer_;  // the host copy (downloaded first on the CUDA backend)
  if (!frozen_) frozen_ = std::make_unique<FrozenModel>(t.config().network);
  frozen_->copy_from(t.param_tensors(), t.occupancy(), stats_.step);
  frozen_->set_view_appearance(t.network().view_appearance());
}

void Engine::set_view_appearance(std::vector<float> code) {
  if (frozen_) frozen_->set_view_appearance(code);
  trainer_->network().set_view_appearance(std::move(code));
}

std::vector<float> Engine::appearance_code(int image) const {
  const Trainer& t = *trainer_;  // the host copy (downloaded first on the CUDA backend)
  const AppearanceEmbeddings& codes = t.network().appearance();
  if (codes.dim() == 0) return {};
  if (image == -1) return codes.mean();
  if (image < 0 || image >= codes.images())
    throw InputError("appearance", "image", std::to_string(image) + " is not a training image (0 to " +
                                                std::to_string(codes.images() - 1) + ", or -1 for the mean)");
  return std::vector<float>(codes.code(image), codes.code(image) + codes.dim());
}

std::vector<float> Engine::fit_view_appearance(const std::vector<Ray>& rays, const std::vector<float>& target,
                                               const float background[3], int steps, float lr) const {
  const Trainer& t = *trainer_;
  AppearanceFitOptions o;
  o.steps = steps;
  o.lr = lr;
  return nerds::fit_view_appearance(t.network(), t.occupancy().view(), render_settings(background), rays, target, o);
}

int Engine::frozen_step() const { return frozen_ ? frozen_->step() : -1; }

RenderBuffers Engine::render_frozen(const Pose& pose, const Intrinsics& k, const float background[3],
                                    const LayerRequest& layer) const {
  if (!frozen_) throw std::logic_error("Engine::render_frozen before freeze()");
  return render_camera(pose, k, background, frozen_.get(), layer);
}

RenderBuffers Engine::render_camera(const Pose& pose, const Intrinsics& k, const float background[3],
                                    const FrozenModel* frozen, const LayerRequest& layer) const {
  check_image_size(k.width, k.height, "render", "intrinsics");  // callers name their own option first
  if (layer.layer != RenderLayer::None) {
    const std::string why = layer_unavailable(layer.layer);
    if (!why.empty()) throw InputError("layer", "", why);
    const int images = static_cast<int>(train_->frames.size());
    if (layer.image < 0 || layer.image >= images)
      throw InputError("layer", "image", std::to_string(layer.image) + " is not a training image (0 to " +
                                             std::to_string(images - 1) + ")");
  }
  try {
    std::vector<Ray> rays;
    rays.reserve(static_cast<size_t>(k.width) * k.height);
    for (int y = 0; y < k.height; ++y)
      for (int x = 0; x < k.width; ++x) rays.push_back(camera_ray(pose, k, x + 0.5f, y + 0.5f));
    RenderBuffers out;
    RenderSettings rs = render_settings(background);
    rs.pixel_radius = pixel_cone_radius(k.fx);  // these pixels' footprint (Mip-NeRF's IPE)
    if (frozen)
      frozen->render(rays.data(), rays.size(), rs, out);
    else
      trainer_->backend().render(rays.data(), rays.size(), rs, out);
    if (layer.layer != RenderLayer::None) {  // on the host copy (downloaded first on the CUDA backend)
      const Trainer& t = *trainer_;
      const float h = t.config().ref_nerf.normal_step;
      if (frozen)
        frozen->render_layer(rays.data(), rays.size(), rs, layer, h, out.layer);
      else
        render_layer(t.network(), t.occupancy().view(), rs, rays.data(), rays.size(), layer, h, out.layer);
    }
    return out;
  } catch (const std::bad_alloc&) {
    throw InputError("out of memory rendering a " + std::to_string(k.width) + "x" + std::to_string(k.height) +
                     " image (its rays and output buffers); render it smaller");
  }
}

std::vector<RaySample> Engine::inspect(const Pose& pose, const Intrinsics& k, float px, float py) const {
  const float white[3] = {1.f, 1.f, 1.f};
  const Trainer& t = *trainer_;
  RenderSettings rs = render_settings(white);
  rs.pixel_radius = pixel_cone_radius(k.fx);
  return inspect_ray(t.network(), t.occupancy().view(), rs, camera_ray(pose, k, px, py));
}

OccupancyCells Engine::occupancy_cells() const {
  OccupancyCells cells;
  const OccupancyGrid& grid = std::as_const(*trainer_).occupancy();
  if (!grid.config().enabled || grid.cell_count() == 0) return cells;
  cells.resolution = grid.config().resolution;
  cells.cascades = grid.config().cascades;
  cells.occupied.resize(grid.cell_count());
  for (size_t i = 0; i < cells.occupied.size(); ++i) cells.occupied[i] = grid.is_cell_occupied(i) ? 1 : 0;
  return cells;
}

std::vector<PackedTensor> Engine::param_tensors(bool with_values) const {
  const Trainer& t = *trainer_;  // the host copy (downloaded first on the CUDA backend)
  std::vector<PackedTensor> out;
  for (const ParamTensor& p : t.param_tensors()) {
    PackedTensor c;
    c.info = p;
    if (with_values) c.values.assign(p.values, p.values + p.size());
    out.push_back(std::move(c));
  }
  return out;
}

namespace {
// A queried point as the network's input: where the samplers see it (NDC under warp=ndc),
// mapped to [0,1]^3 and clamped there (a point outside the scene box reads the box's edge, as
// the encodings index their tables only inside it); a point NDC cannot map is an InputError.
Vec3 query_position(const TrainConfig& config, Vec3 p, size_t index) {
  const Vec3 q = network_position(sampling_point(config.warp, config.march.box_half, p), config.march.box_half);
  if (!(std::isfinite(q.x) && std::isfinite(q.y) && std::isfinite(q.z)))
    throw InputError("points", std::to_string(index),
                     "has no position in the scene's sampling space (under warp.kind=ndc: a point on or behind "
                     "the reference camera's plane)");
  return make_vec3(std::clamp(q.x, 0.f, 1.f), std::clamp(q.y, 0.f, 1.f), std::clamp(q.z, 0.f, 1.f));
}
}  // namespace

std::vector<float> Engine::density_at(const std::vector<Vec3>& points) const {
  std::vector<float> pos;
  pos.reserve(points.size() * 3);
  for (const Vec3& p : points) {
    const Vec3 q = query_position(trainer_->config(), p, pos.size() / 3);
    pos.insert(pos.end(), {q.x, q.y, q.z});
  }
  std::vector<float> sigma(points.size());
  NetworkWorkspace ws;
  const Trainer& t = *trainer_;
  if (!points.empty()) t.network().density(pos.data(), static_cast<int>(points.size()), ws, sigma.data());
  return sigma;
}

std::vector<float> Engine::color_at(const std::vector<Vec3>& points, const std::vector<Vec3>& dirs) const {
  if (dirs.size() != points.size())
    throw InputError("dirs", "", std::to_string(dirs.size()) + " directions for " + std::to_string(points.size()) +
                                     " points (give one per point)");
  std::vector<float> pos, dir;
  pos.reserve(points.size() * 3);
  dir.reserve(points.size() * 3);
  for (size_t i = 0; i < points.size(); ++i) {
    const Vec3 q = query_position(trainer_->config(), points[i], i);
    pos.insert(pos.end(), {q.x, q.y, q.z});
    const float len = length(dirs[i]);
    if (!std::isfinite(len) || !(len > 0.f))
      throw InputError("dirs", std::to_string(i), "must be a finite, non-zero direction");
    const Vec3 d = dirs[i] / len;
    dir.insert(dir.end(), {d.x, d.y, d.z});
  }
  std::vector<float> rgb(points.size() * 3), sigma;
  NetworkWorkspace ws;
  const Trainer& t = *trainer_;  // the host copy (downloaded first on the CUDA backend)
  constexpr size_t kChunk = 1 << 16;  // bounds the workspace for large queries
  sigma.resize(std::min(points.size(), kChunk));
  for (size_t first = 0; first < points.size(); first += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, points.size() - first));
    t.network().forward(pos.data() + 3 * first, dir.data() + 3 * first, n, ws, sigma.data(), rgb.data() + 3 * first);
  }
  return rgb;
}

GridSlice Engine::grid_slice(int level, int axis, float offset, int size) const {
  const Trainer& t = *trainer_;  // the host copy (downloaded first on the CUDA backend)
  const PositionEncoding& encoding = t.network().encoding();
  const HashGrid* grid = nullptr;
  try {
    grid = &grid_of(encoding);
  } catch (const std::invalid_argument&) {
    throw InputError("", "encoding.kind",
                     "'" + (params_.has("encoding.kind") ? params_.get_string("encoding.kind") : std::string("?")) +
                         "' is not a grid encoding: only the hash and dense kinds have levels to slice");
  }
  const int levels = grid->view().n_levels;
  if (level < 0 || level >= levels)
    throw InputError("", "level", std::to_string(level) + " is not a level of the grid (0 to " +
                                      std::to_string(levels - 1) + ")");
  if (axis < 0 || axis > 2) throw InputError("", "axis", "must be 0 (x), 1 (y) or 2 (z)");
  if (!(offset >= 0.f && offset <= 1.f)) throw InputError("", "offset", "must lie in [0, 1] (a fraction of the box)");
  if (size < 1 || size > 4096) throw InputError("", "size", "must lie in [1, 4096] samples a side");
  return hash_grid_slice(*grid, level, axis, offset, size, size);
}

std::vector<std::string> Engine::apply_params(const ParamSet& params) {
  const std::vector<std::string> changed = params_.changed_since(params);
  for (const std::string& path : changed) {
    if (!params.has(path) || !params_.has(path))
      throw InputError("params", path, "is not a parameter of this engine's method");
    const ParamEntry& now = params_.entry(path);
    if (now.spec.needs_reset)
      throw InputError("params", path,
                       "needs a reset to change (" + format_param_value(now.value) + " -> " +
                           format_param_value(params.entry(path).value) +
                           "): it changes the model or the sampling, so retrain from scratch (a new engine)");
  }
  if (changed.empty()) return changed;
  const TrainConfig config = make_train_config(params, *train_);  // may throw InputError: nothing changed yet
  trainer_->set_live_config(config);
  params_ = params;
  return changed;
}

void Engine::save(const std::string& path) const {
  const Trainer& t = *trainer_;
  // Never a diverged model over a good one: refused before anything is written.
  if (const std::optional<NonFiniteValues> bad = find_non_finite(t.param_tensors(), t.moments()))
    throw TrainingFailure(path, bad->section,
                          "not saved: " + non_finite_text(*bad) +
                              ": training diverged (see trainer.lr); the file on disk, if any, is left as it was");
  nlohmann::json meta;
  meta["meta_version"] = kSnapshotMetaVersion;
  meta["method"] = options_.method_name;
  meta["params"] = params_.to_json();
  meta["data"] = {{"dir", options_.data_dir}, {"downscale", options_.downscale}};
  meta["dataset_fingerprint"] = fingerprint_to_json(fingerprint_);  // a meta field: no format version change
  meta["step"] = t.step_count();
  // The batch shape adapts to these running means; restoring them makes a resumed run
  // draw exactly the rays an uninterrupted one would.
  meta["mean_used_per_ray"] = t.mean_used_per_ray();
  meta["mean_marched_per_ray"] = t.mean_marched_per_ray();
  // TensoRF's optimizer restarts at its upsamplings: the rate and Adam's step count after them.
  const RestartState restarts = t.optimizer_restarts();
  meta["optimizer_restart"] = {{"lr_at_restart", restarts.lr_at_restart}, {"adam_from", restarts.adam_from}};
  meta["stats"] = {{"train_seconds", stats_.train_seconds},
                   {"used_samples", stats_.used_samples},
                   {"marched_samples", stats_.marched_samples},
                   {"rays", stats_.rays}};
  std::vector<SnapshotSection> sections;
  put_tensors(t.param_tensors(), t.moments(), meta, sections);
  const auto& occ = t.occupancy().values();
  sections.push_back(make_section("occupancy.values", occ.data(), occ.size()));
  write_snapshot_file(path, meta, sections);
}

std::unique_ptr<Engine> Engine::load(const std::string& path, const std::string& data_dir_override,
                                     const std::string& device, bool accept_other_dataset) {
  const SnapshotContents in = read_snapshot_file(path);
  // Every metadata field is read through json_fields, so a damaged or hand-edited snapshot
  // names its field (never an exception of the JSON library). Fields nobody reads are
  // tolerated: a newer minor addition must not make a snapshot unreadable.
  json_fields::JsonObject meta(in.meta, path, "");
  if (meta.has("meta_version")) meta.integer("meta_version", int64_t{1}, int64_t{kSnapshotMetaVersion});
  EngineOptions o;
  json_fields::JsonObject data = meta.object("data");
  o.data_dir = data_dir_override.empty() ? data.string("dir") : data_dir_override;
  o.downscale = static_cast<int>(data.integer("downscale", int64_t{1}, int64_t{kMaxImageSide}));
  o.method_name = meta.string("method");
  o.device = device;
  ParamSet params = default_method_params();
  const nlohmann::json& saved_params = meta.raw("params");
  params.apply_json(saved_params, path);
  // A snapshot from before warp.ndc_extent (issue 20) trained NDC on NeRF's cube alone: keep
  // its mapping, or its grids would be read at other points.
  const auto saved_warp = saved_params.find("warp");
  if (params.get_string("warp.kind") == "ndc" && saved_warp != saved_params.end() && saved_warp->is_object() &&
      !saved_warp->contains("ndc_extent"))
    params.set("warp.ndc_extent", std::string("reference"));
  // Read before the engine (and its dataset) is built, so a bad field fails fast.
  const int step = static_cast<int>(meta.integer("step", int64_t{0}, int64_t{std::numeric_limits<int>::max()}));
  // Running means of samples per ray: the trainer sizes its batches by them.
  constexpr double kMaxSamplesPerRay = 1e6;
  const double used_per_ray = meta.number("mean_used_per_ray", 0.0, kMaxSamplesPerRay);
  const double marched_per_ray = meta.number("mean_marched_per_ray", 0.0, kMaxSamplesPerRay);
  // Absent from snapshots written before it was kept: no restart (as those runs resumed).
  RestartState restarts;
  if (meta.has("optimizer_restart")) {
    json_fields::JsonObject r = meta.object("optimizer_restart");
    restarts.lr_at_restart = static_cast<float>(r.number("lr_at_restart", 0.0, 10.0));
    restarts.adam_from = static_cast<int>(r.integer("adam_from", int64_t{0}, int64_t{step}));
  }
  json_fields::JsonObject st = meta.object("stats");
  constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();
  const double train_seconds = st.number("train_seconds", 0.0, 0.0, 1e12);
  const int64_t used_samples = st.has("used_samples") ? st.integer("used_samples", int64_t{0}, kMaxCount) : 0;
  const int64_t marched_samples = st.has("marched_samples") ? st.integer("marched_samples", int64_t{0}, kMaxCount) : 0;
  const int64_t rays = st.has("rays") ? st.integer("rays", int64_t{0}, kMaxCount) : 0;

  auto engine = std::make_unique<Engine>(o, params);
  check_dataset_fingerprint(in.meta, engine->fingerprint_, o.data_dir, path, accept_other_dataset);
  Trainer& t = *engine->trainer_;
  t.adopt_tensor_shapes(snapshot_tensor_infos(in));  // a grid upsampled while training
  get_tensors(in, t.param_tensors(), t.moments());
  auto& occ = t.occupancy().values();
  read_section(in, "occupancy.values", occ.data(), occ.size());
  t.occupancy().rebuild_bits();
  t.set_step_count(step);
  t.set_mean_used_per_ray(static_cast<float>(used_per_ray));
  t.set_mean_marched_per_ray(static_cast<float>(marched_per_ray));
  t.backend().set_optimizer_restarts(restarts);
  engine->stats_.step = t.step_count();
  engine->stats_.train_seconds = train_seconds;
  engine->stats_.used_samples = used_samples;
  engine->stats_.marched_samples = marched_samples;
  engine->stats_.rays = rays;
  engine->stats_.occupied_cells = t.occupancy().occupied_count();
  return engine;
}

}  // namespace nerds
