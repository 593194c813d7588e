#include "renderer/techniques/dvgo/dvgo_encoding.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "renderer/math/box_max_filter.h"
#include "renderer/techniques/dvgo/dvgo_kernels.h"
#include "renderer/techniques/tensorf/grid_resample.h"

namespace nerds {

namespace {

// log sigma outside the grids' box: the code samples only inside it, i.e. empty space.
constexpr float kLogSigmaOutside = -30.f;
constexpr int kMaxNodesPerAxis = 1024;
// The raw density of a voxel masked out near a camera (the code's maskout_near_cam_vox).
constexpr float kMaskedOutRaw = -100.f;

enum Slice { kDensitySlice = 0, kFeatureSlice = 1 };

// A [nz][ny][nx][c] grid resampled trilinearly to new node counts (separable: x, then y, then z).
std::vector<float> resample_grid(const std::vector<float>& g, const int from[3], const int to[3], int c) {
  const size_t C = static_cast<size_t>(c);
  std::vector<float> a = from[0] == to[0] ? g : resample_axis(g, static_cast<size_t>(from[2]) * from[1], from[0], to[0], C);
  std::vector<float> b = from[1] == to[1] ? a : resample_axis(a, static_cast<size_t>(from[2]), from[1], to[1], to[0] * C);
  return from[2] == to[2] ? b : resample_axis(b, 1, from[2], to[2], static_cast<size_t>(to[1]) * to[0] * C);
}

}  // namespace

DvgoEncoding::DvgoEncoding(const DvgoConfig& config) : config_(config) {
  if (config_.features < 1) throw std::invalid_argument("DvgoEncoding: the feature grid needs a channel");
  if (config_.coarse_resolution < 2 || config_.coarse_resolution > kMaxNodesPerAxis)
    throw std::invalid_argument("DvgoEncoding: coarse resolution out of 2..1024");
  box_ = {0.f, 0.f, 0.f, 1.f, 1.f, 1.f};
  stage_ = {0.f};
  const int d[3] = {config_.coarse_resolution, config_.coarse_resolution, config_.coarse_resolution};
  set_dims(d);
  initialize(0);
}

void DvgoEncoding::set_dims(const int dims[3]) {
  for (int a = 0; a < 3; ++a) dims_[a] = dims[a];
  density_.assign(node_count(), 0.f);
  features_.assign(node_count() * static_cast<size_t>(config_.features), 0.f);
}

void DvgoEncoding::initialize(uint64_t) {
  std::fill(density_.begin(), density_.end(), 0.f);
  std::fill(features_.begin(), features_.end(), 0.f);
  const size_t coarse_nodes = static_cast<size_t>(config_.coarse_resolution) * config_.coarse_resolution * config_.coarse_resolution;
  // maskout_near_cam_vox: the code sets these raw densities to -100 once, before training.
  if (!fine() && config_.coarse_near_cam.size() == density_.size())
    for (size_t k = 0; k < density_.size(); ++k)
      if (config_.coarse_near_cam[k] > 0.f) density_[k] = kMaskedOutRaw;
  // The coarse stage's mask cache: the voxels seen by enough views (all, without view counts).
  mask_ = config_.coarse_seen.size() == coarse_nodes ? config_.coarse_seen : std::vector<float>(coarse_nodes, 1.f);
}

bool DvgoEncoding::sampled(const float* p) const {
  // The code's maskcache_lookup: the nearest node of the mask grid (the coarse grid's nodes
  // over the scene box).
  const int n = config_.coarse_resolution;
  size_t k = 0;
  for (int a = 2; a >= 0; --a) {
    const int i = static_cast<int>(std::lround(std::clamp(p[a], 0.f, 1.f) * static_cast<float>(n - 1)));
    k = k * static_cast<size_t>(n) + static_cast<size_t>(i);
  }
  return mask_[k] > 0.5f;
}

float DvgoEncoding::shift() const {
  return dvgo_act_shift(fine() ? config_.fine_alpha_init : config_.coarse_alpha_init);
}

float DvgoEncoding::base_voxel() const {
  if (!fine()) return config_.box_side / static_cast<float>(config_.coarse_resolution);
  const double vol = double(box_[3] - box_[0]) * (box_[4] - box_[1]) * (box_[5] - box_[2]);
  return config_.box_side * static_cast<float>(std::cbrt(vol / config_.fine_voxels));
}

float DvgoEncoding::voxel_size() const {
  if (!fine()) return base_voxel();
  const int level = static_cast<int>(stage_[0]) - 1;
  const int rest = static_cast<int>(config_.fine_scale_at.size()) - level;
  return base_voxel() * static_cast<float>(std::cbrt(std::ldexp(1.0, rest)));
}

void DvgoEncoding::fine_dims(double voxels, int dims[3]) const {
  const double ext[3] = {box_[3] - box_[0], box_[4] - box_[1], box_[5] - box_[2]};
  const double size = std::cbrt(ext[0] * ext[1] * ext[2] / voxels);  // the code's voxel_size
  for (int a = 0; a < 3; ++a)
    dims[a] = std::clamp(static_cast<int>(ext[a] / size), 2, kMaxNodesPerAxis);  // world_size = extent / size
}

bool DvgoEncoding::local(const float* p, float u[3]) const {
  for (int a = 0; a < 3; ++a) {
    const float ext = box_[3 + a] - box_[a];
    u[a] = (p[a] - box_[a]) / ext;
    if (!(u[a] >= 0.f && u[a] <= 1.f)) return false;
  }
  return true;
}

void DvgoEncoding::encode(const float* pos, const float*, int n, float* out, int ld) const {
  const int F = config_.features;
  const float b = shift(), log_base = std::log(base_voxel());
  const float delta = config_.step_voxels * voxel_size(), interval = delta / base_voxel();
  for (int i = 0; i < n; ++i) {
    float* o = out + static_cast<size_t>(i) * ld;
    float u[3];
    if (!local(pos + 3 * static_cast<size_t>(i), u) || !sampled(pos + 3 * static_cast<size_t>(i))) {
      o[0] = kLogSigmaOutside;
      for (int f = 0; f < F; ++f) o[1 + f] = 0.f;
      continue;
    }
    const TrilinearTaps t = trilinear_taps(u[0], u[1], u[2], dims_[0], dims_[1], dims_[2]);
    float s = 0.f;
    switch (config_.interpolation) {
      case DvgoInterpolation::Post:
        for (int c = 0; c < 8; ++c) s += t.w[c] * density_[t.node[c]];
        o[0] = dvgo_log_softplus(s + b) - log_base;
        break;
      case DvgoInterpolation::In:
        for (int c = 0; c < 8; ++c) s += t.w[c] * dvgo_softplus(density_[t.node[c]] + b);
        o[0] = std::log(std::max(s, 1e-30f)) - log_base;
        break;
      case DvgoInterpolation::Pre:
        for (int c = 0; c < 8; ++c) s += t.w[c] * dvgo_raw2alpha(density_[t.node[c]] + b, interval);
        o[0] = dvgo_log_sigma_of_alpha(s, delta);
        break;
    }
    for (int f = 0; f < F; ++f) {
      float v = 0.f;
      for (int c = 0; c < 8; ++c) v += t.w[c] * features_[static_cast<size_t>(t.node[c]) * F + f];
      o[1 + f] = v;
    }
  }
}

std::vector<ParamTensor> DvgoEncoding::param_tensors() {
  const int64_t nx = dims_[0], ny = dims_[1], nz = dims_[2];
  std::vector<ParamTensor> out;
  // The grids' Adam (the code's MaskedAdam): in the coarse stage every voxel moves, a voxel no
  // ray reached this step goes on with its momentum (coarse_train has no skip_zero_grad_fields);
  // in the fine stage only voxels with a gradient move (fine_train's skip_zero_grad_fields
  // density and k0). With the engine's few hundred rays per step early on (the code: 8192) a
  // coarse voxel is reached only every few steps; its momentum carries each reach on.
  const ParamGroup grid_group = fine() ? ParamGroup::Sparse : ParamGroup::Dense;
  const auto add = [&](const char* name, std::vector<int64_t> shape, std::vector<float>& values, float lr) {
    // box and stage: no gradient moves them
    const ParamGroup group = lr > 0.f ? grid_group : ParamGroup::Sparse;
    out.push_back(param_tensor_view(std::string("encoding.") + name, std::move(shape), values, group, lr));
  };
  // The coarse stage's grids at their own rate (dvgo_coarse_lr_factor; 0: dvgo_lr_factor).
  const float grid_lr = fine() ? config_.lr_factor : config_.coarse_grid_lr();
  add("density", {nz, ny, nx}, density_, grid_lr);
  add("features", {nz, ny, nx, config_.features}, features_, grid_lr);
  add("box", {2, 3}, box_, 0.f);
  add("stage", {1}, stage_, 0.f);
  const int64_t nc = config_.coarse_resolution;
  add("mask", {nc, nc, nc}, mask_, 0.f);
  // The coarse stage's view-count-based learning rate (the code's set_pervoxel_lr).
  if (!fine() && config_.view_count_lr && config_.coarse_view_lr.size() == node_count()) {
    out[0].entry_lr = config_.coarse_view_lr.data();
    out[1].entry_lr = config_.coarse_view_lr.data();
    out[1].entry_lr_block = config_.features;
  }
  return out;
}

std::vector<GradientSlice> DvgoEncoding::gradient_slices() const {
  return {{kDensitySlice, 0, density_.size()}, {kFeatureSlice, 0, features_.size()}};
}

void DvgoEncoding::backward_slice(int slice, const float* pos, const float*, const float* d_enc, int n,
                                  float* grad) const {
  const int F = config_.features, E = width();
  const float b = shift();
  const float delta = config_.step_voxels * voxel_size(), interval = delta / base_voxel();
  for (int i = 0; i < n; ++i) {
    float u[3];
    if (!local(pos + 3 * static_cast<size_t>(i), u) || !sampled(pos + 3 * static_cast<size_t>(i))) continue;
    const float* de = d_enc + static_cast<size_t>(i) * E;
    const TrilinearTaps t = trilinear_taps(u[0], u[1], u[2], dims_[0], dims_[1], dims_[2]);
    if (slice == kFeatureSlice) {
      for (int c = 0; c < 8; ++c) {
        float* g = grad + static_cast<size_t>(t.node[c]) * F;
        for (int f = 0; f < F; ++f) g[f] += t.w[c] * de[1 + f];
      }
      continue;
    }
    const float d0 = de[0];
    if (d0 == 0.f) continue;
    float s = 0.f;
    switch (config_.interpolation) {
      case DvgoInterpolation::Post: {  // d/dV_c = w_c (log softplus)'(interp V + b)
        for (int c = 0; c < 8; ++c) s += t.w[c] * density_[t.node[c]];
        const float g = d0 * dvgo_log_softplus_grad(s + b);
        for (int c = 0; c < 8; ++c) grad[t.node[c]] += t.w[c] * g;
        break;
      }
      case DvgoInterpolation::In: {  // d/dV_c = w_c sigmoid(V_c + b) / sum_c w_c softplus(V_c + b)
        for (int c = 0; c < 8; ++c) s += t.w[c] * dvgo_softplus(density_[t.node[c]] + b);
        const float g = d0 / std::max(s, 1e-30f);
        for (int c = 0; c < 8; ++c) grad[t.node[c]] += t.w[c] * g * dvgo_sigmoid(density_[t.node[c]] + b);
        break;
      }
      case DvgoInterpolation::Pre: {  // d/dV_c = (d log sigma / d alpha) w_c d alpha_c / dV_c
        for (int c = 0; c < 8; ++c) s += t.w[c] * dvgo_raw2alpha(density_[t.node[c]] + b, interval);
        const float g = d0 * dvgo_log_sigma_of_alpha_grad(s);
        for (int c = 0; c < 8; ++c)
          grad[t.node[c]] += t.w[c] * g * dvgo_raw2alpha_grad(density_[t.node[c]] + b, interval);
        break;
      }
    }
  }
}

bool DvgoEncoding::occupied_box(float lo[3], float hi[3]) const {
  const float b = shift();
  bool any = false;
  float mn[3] = {1e30f, 1e30f, 1e30f}, mx[3] = {-1e30f, -1e30f, -1e30f};
  for (int z = 0; z < dims_[2]; ++z)
    for (int y = 0; y < dims_[1]; ++y)
      for (int x = 0; x < dims_[0]; ++x) {
        const size_t k = (static_cast<size_t>(z) * dims_[1] + y) * dims_[0] + x;
        // The code's activate_density with its default interval (voxel_size_ratio: 1 on the coarse grid).
        if (!(dvgo_raw2alpha(density_[k] + b, voxel_size() / base_voxel()) > config_.bbox_threshold)) continue;
        const int idx[3] = {x, y, z};
        for (int a = 0; a < 3; ++a) {
          const float p = box_[a] + (box_[3 + a] - box_[a]) * static_cast<float>(idx[a]) / static_cast<float>(dims_[a] - 1);
          mn[a] = std::min(mn[a], p);
          mx[a] = std::max(mx[a], p);
        }
        any = true;
      }
  if (!any) return false;
  for (int a = 0; a < 3; ++a) {
    lo[a] = mn[a];
    hi[a] = mx[a];
  }
  return true;
}

void DvgoEncoding::fine_mask(float b_coarse) {
  const int n = config_.coarse_resolution;
  const float interval = voxel_size() / base_voxel();
  std::vector<float> pooled = density_;  // the pool of the raw density: alpha rises with it
  box_max_filter(pooled, n, 1);
  mask_.assign(pooled.size(), 0.f);
  for (size_t k = 0; k < pooled.size(); ++k)
    mask_[k] = dvgo_raw2alpha(pooled[k] + b_coarse, interval) >= config_.mask_cache_threshold ? 1.f : 0.f;
}

void DvgoEncoding::start_fine(int level) {
  const std::vector<float> coarse_density = config_.fine_from_coarse ? density_ : std::vector<float>();
  const std::vector<float> coarse_features = config_.fine_from_coarse ? features_ : std::vector<float>();
  const std::vector<float> coarse_box = box_;
  const int coarse_dims[3] = {dims_[0], dims_[1], dims_[2]};
  const float b_coarse = shift(), base_coarse = base_voxel();
  float lo[3], hi[3];
  const bool found = occupied_box(lo, hi);
  if (found) {
    for (int a = 0; a < 3; ++a) {  // world_bound_scale about the centre, within the scene box
      const float c = 0.5f * (lo[a] + hi[a]);
      const float h = std::max(0.5f * (hi[a] - lo[a]) * config_.world_bound_scale, 1e-3f);
      box_[a] = std::max(0.f, c - h);
      box_[3 + a] = std::min(1.f, c + h);
    }
  }  // else nothing rose above the threshold: the fine grids keep the whole box
  // The fine stage's mask cache from the coarse density (the code's MaskGrid): a 3x3x3 max pool
  // of the coarse alpha at or above mask_cache_threshold; without coarse geometry, everywhere.
  if (found) fine_mask(b_coarse);
  else std::fill(mask_.begin(), mask_.end(), 1.f);
  stage_[0] = 1.f + static_cast<float>(level);
  const int rest = static_cast<int>(config_.fine_scale_at.size()) - level;
  int d[3];
  fine_dims(std::ldexp(static_cast<double>(config_.fine_voxels), -rest), d);
  set_dims(d);  // the fine grids start from zero (the code trains a new model)
  // A coarse stage with no voxel above the threshold holds no geometry to carry on: its field is
  // near alpha_init 1e-6 everywhere, which the fine stage's few steps could not raise, so the
  // fine grids start from zero at the fine alpha_init as the code's do.
  if (!config_.fine_from_coarse || !found) return;
  // Or from the coarse grids, read at each fine node with the same sigma (post-activation:
  // softplus(interp V + b) / base) and the same features.
  const int F = config_.features;
  const float b_fine = shift(), base_fine = base_voxel();
  for (int z = 0; z < dims_[2]; ++z)
    for (int y = 0; y < dims_[1]; ++y)
      for (int x = 0; x < dims_[0]; ++x) {
        const int idx[3] = {x, y, z};
        float u[3];
        for (int a = 0; a < 3; ++a) {
          const float p = box_[a] + (box_[3 + a] - box_[a]) * static_cast<float>(idx[a]) / static_cast<float>(dims_[a] - 1);
          u[a] = (p - coarse_box[a]) / (coarse_box[3 + a] - coarse_box[a]);
        }
        const TrilinearTaps t = trilinear_taps(u[0], u[1], u[2], coarse_dims[0], coarse_dims[1], coarse_dims[2]);
        const size_t k = (static_cast<size_t>(z) * dims_[1] + y) * dims_[0] + x;
        float raw = 0.f;
        for (int c = 0; c < 8; ++c) raw += t.w[c] * coarse_density[t.node[c]];
        density_[k] = dvgo_softplus_inverse(dvgo_softplus(raw + b_coarse) * base_fine / base_coarse) - b_fine;
        for (int f = 0; f < F; ++f) {
          float v = 0.f;
          for (int c = 0; c < 8; ++c) v += t.w[c] * coarse_features[static_cast<size_t>(t.node[c]) * F + f];
          features_[k * F + f] = v;
        }
      }
}

void DvgoEncoding::scale_to(int level) {
  const int rest = static_cast<int>(config_.fine_scale_at.size()) - level;
  int d[3];
  fine_dims(std::ldexp(static_cast<double>(config_.fine_voxels), -rest), d);
  density_ = resample_grid(density_, dims_, d, 1);
  features_ = resample_grid(features_, dims_, d, config_.features);
  for (int a = 0; a < 3; ++a) dims_[a] = d[a];
  stage_[0] = 1.f + static_cast<float>(level);
}

int DvgoEncoding::fine_level_at(float progress) const {
  int level = 0;
  for (float f : config_.fine_scale_at)
    level += progress >= config_.coarse_fraction + (1.f - config_.coarse_fraction) * f ? 1 : 0;
  return level;
}

bool DvgoEncoding::follow_schedule(float progress) {
  if (progress < config_.coarse_fraction) return false;
  const int level = fine_level_at(progress);
  if (!fine()) {
    start_fine(level);
    return true;
  }
  if (level + 1 <= static_cast<int>(stage_[0])) return false;
  scale_to(level);
  return true;
}

void DvgoEncoding::adopt_shapes(const std::vector<ParamTensorInfo>& described) {
  for (const ParamTensorInfo& t : described) {
    if (t.name != "encoding.density" || t.shape.size() != 3) continue;
    int d[3] = {static_cast<int>(t.shape[2]), static_cast<int>(t.shape[1]), static_cast<int>(t.shape[0])};
    bool ok = true;
    for (int a = 0; a < 3; ++a) ok = ok && t.shape[a] >= 2 && t.shape[a] <= kMaxNodesPerAxis;
    if (ok && (d[0] != dims_[0] || d[1] != dims_[1] || d[2] != dims_[2])) {
      set_dims(d);
      stage_[0] = 1.f;  // a resized grid is a fine one; the snapshot's stage tensor says which level
    }
  }
}

}  // namespace nerds
