#include "renderer/techniques/plenoxels/plenoxels_encoding.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "renderer/math/box_max_filter.h"
#include "renderer/math/grid_taps.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/plenoxels/plenoxels_kernels.h"

namespace nerds {

namespace {

// The nodes a read at p touches and their weights: the 8 corners of its cell (trilinear), or
// the nearest node alone.
struct Corners {
  int64_t cell[8];
  float w[8];
  int count = 0;
};

Corners corners_of(const float* p, int n, bool nearest) {
  Corners c;
  const GridTap t[3] = {grid_tap(p[0], n), grid_tap(p[1], n), grid_tap(p[2], n)};
  const int64_t nn = n;
  if (nearest) {
    int64_t idx[3];
    for (int a = 0; a < 3; ++a) idx[a] = t[a].i + (t[a].w >= 0.5f ? 1 : 0);
    c.cell[0] = (idx[2] * nn + idx[1]) * nn + idx[0];
    c.w[0] = 1.f;
    c.count = 1;
    return c;
  }
  for (int q = 0; q < 8; ++q) {
    const int di = q & 1, dj = (q >> 1) & 1, dk = (q >> 2) & 1;
    c.cell[q] = ((t[2].i + dk) * nn + t[1].i + dj) * nn + t[0].i + di;
    c.w[q] = (di ? t[0].w : 1.f - t[0].w) * (dj ? t[1].w : 1.f - t[1].w) * (dk ? t[2].w : 1.f - t[2].w);
  }
  c.count = 8;
  return c;
}

}  // namespace

PlenoxelsEncoding::PlenoxelsEncoding(const PlenoxelsConfig& config, int sh_coefficients)
    : config_(config), k_(sh_coefficients) {
  if (k_ < 1) throw std::invalid_argument("PlenoxelsEncoding: one SH coefficient per channel at least");
  if (config_.resolution_init < 2 || config_.resolution_final < 2)
    throw std::invalid_argument("PlenoxelsEncoding: a grid needs two nodes per axis at least");
  n_ = config_.resolution_init;
  initialize(0);
}

int64_t PlenoxelsEncoding::link(int i, int j, int k) const {
  return static_cast<int64_t>(links_[(static_cast<size_t>(k) * n_ + j) * n_ + i]);
}

void PlenoxelsEncoding::initialize(uint64_t) {
  n_ = config_.resolution_init;
  const size_t cells = static_cast<size_t>(n_) * n_ * n_;
  links_.resize(cells);
  for (size_t c = 0; c < cells; ++c) links_[c] = static_cast<float>(c);
  density_.assign(cells, config_.init_density);
  sh_.assign(cells * 3 * static_cast<size_t>(k_), 0.f);
}

float PlenoxelsEncoding::read(const float* p, float* sh, bool nearest) const {
  const Corners c = corners_of(p, n_, nearest);
  const int S = 3 * k_;
  float d = 0.f;
  std::fill(sh, sh + S, 0.f);
  for (int q = 0; q < c.count; ++q) {
    const float l = links_[static_cast<size_t>(c.cell[q])];
    if (l < 0.f) continue;
    const size_t row = static_cast<size_t>(l);
    const float w = c.w[q];
    d += w * density_[row];
    const float* s = sh_.data() + row * S;
    for (int k = 0; k < S; ++k) sh[k] += w * s[k];
  }
  return d;
}

void PlenoxelsEncoding::encode(const float* pos, const float*, int n, float* out, int ld) const {
  const bool nearest = config_.interpolation == PlenoxelsInterpolation::Nearest;
  for (int i = 0; i < n; ++i) {
    float* o = out + static_cast<size_t>(i) * ld;
    o[0] = read(pos + 3 * static_cast<size_t>(i), o + 1, nearest);
  }
}

std::vector<ParamTensor> PlenoxelsEncoding::param_tensors() {
  const float step = progress_ * config_.schedule_steps;
  const PlenoxelsConfig& c = config_;
  std::vector<ParamTensor> out;
  const auto add = [&](const char* name, std::vector<int64_t> shape, std::vector<float>& values, float lr) {
    out.push_back(
        param_tensor_view(std::string("encoding.") + name, std::move(shape), values, ParamGroup::Rmsprop, lr));
  };
  const int64_t m = static_cast<int64_t>(density_.size()), n = n_;
  add("density", {m}, density_,
      plenoxels_lr(step, c.lr_density, c.lr_density_final, c.lr_decay_steps, c.lr_density_delay_steps,
                   c.lr_density_delay_mult));
  add("sh", {m, 3 * static_cast<int64_t>(k_)}, sh_,
      plenoxels_lr(step, c.lr_sh, c.lr_sh_final, c.lr_decay_steps, 0.f, 1.f));
  add("links", {n, n, n}, links_, 0.f);  // the index: no gradient slice, never moves
  return out;
}

std::vector<GradientSlice> PlenoxelsEncoding::gradient_slices() const {
  return {{0, 0, density_.size()}, {1, 0, sh_.size()}};
}

void PlenoxelsEncoding::backward_slice(int slice, const float* pos, const float*, const float* d_enc, int count,
                                       float* grad) const {
  const bool nearest = config_.interpolation == PlenoxelsInterpolation::Nearest;
  const int E = width(), S = 3 * k_;
  for (int i = 0; i < count; ++i) {
    const Corners c = corners_of(pos + 3 * static_cast<size_t>(i), n_, nearest);
    const float* de = d_enc + static_cast<size_t>(i) * E;
    for (int q = 0; q < c.count; ++q) {
      const float l = links_[static_cast<size_t>(c.cell[q])];
      if (l < 0.f) continue;
      const size_t row = static_cast<size_t>(l);
      if (slice == 0) {
        grad[row] += c.w[q] * de[0];
      } else {
        float* g = grad + row * S;
        for (int k = 0; k < S; ++k) g[k] += c.w[q] * de[1 + k];
      }
    }
  }
}

std::vector<int64_t> PlenoxelsEncoding::tv_cells() const {
  const int64_t n = n_;
  std::vector<int64_t> cells;
  if (config_.tv_fraction >= 1.f) {
    cells.reserve(static_cast<size_t>((n - 1) * (n - 1) * (n - 1)));
    for (int64_t k = 0; k + 1 < n; ++k)
      for (int64_t j = 0; j + 1 < n; ++j)
        for (int64_t i = 0; i + 1 < n; ++i) cells.push_back((k * n + j) * n + i);
    return cells;
  }
  const int64_t total = n * n * n;
  const int64_t count = static_cast<int64_t>(std::llround(static_cast<double>(config_.tv_fraction) * total));
  Pcg32 rng(0x9e3779b97f4a7c15ull ^ round_, 0x70e1);
  cells.reserve(static_cast<size_t>(count));
  for (int64_t q = 0; q < count; ++q) {
    const int64_t c = static_cast<int64_t>(rng.next_float() * static_cast<float>(total)) % total;
    const int64_t i = c % n, j = (c / n) % n, k = c / (n * n);
    if (i + 1 < n && j + 1 < n && k + 1 < n) cells.push_back(c);  // the last slab has no next node
  }
  return cells;
}

namespace {
// The TV of `cells` over channels [0, channels) of rows `data` (channels floats each), its
// gradient times `weight` into grad when not null; returns its value times weight.
// With ray_voxels_only, the gradient goes only to the voxels that already hold a gradient in
// grad (the rays' of this step): RMSProp moves an entry by about its rate whatever the size of
// its gradient, so a voxel whose only gradient is TV's would step by the full rate, not by
// lambda_TV's share (see PlenoxelsConfig::tv_ray_voxels_only).
double total_variation(const std::vector<float>& links, int64_t n, const std::vector<int64_t>& cells,
                       const float* data, int channels, float weight, float* grad, bool ray_voxels_only = false) {
  const float scale = static_cast<float>(n) / 256.f;  // the code's CALCULATE_RAY_SCALE
  // Which of each cell's 4 nodes the rays touched, read before TV adds to grad.
  std::vector<uint8_t> touched;
  if (grad && ray_voxels_only) {
    touched.assign(cells.size() * 4, 0);
    for (size_t q = 0; q < cells.size(); ++q) {
      const int64_t c = cells[q];
      const int64_t nb[4] = {c, c + 1, c + n, c + n * n};
      for (int a = 0; a < 4; ++a) {
        const float l = links[static_cast<size_t>(nb[a])];
        if (l < 0.f) continue;
        const float* g = grad + static_cast<size_t>(l) * channels;
        for (int ch = 0; ch < channels && !touched[4 * q + a]; ++ch) touched[4 * q + a] = g[ch] != 0.f;
      }
    }
  }
  double sum = 0.0;
  for (size_t cq = 0; cq < cells.size(); ++cq) {
    const int64_t c = cells[cq];
    const int64_t nb[4] = {c, c + 1, c + n, c + n * n};
    float l[4];
    bool any = false;
    for (int q = 0; q < 4; ++q) {
      l[q] = links[static_cast<size_t>(nb[q])];
      any = any || l[q] >= 0.f;
    }
    if (!any) continue;
    for (int ch = 0; ch < channels; ++ch) {
      float v[4];
      for (int q = 0; q < 4; ++q) v[q] = l[q] >= 0.f ? data[static_cast<size_t>(l[q]) * channels + ch] : 0.f;
      const TvTerm t = tv_term(v[0], v[1], v[2], v[3], scale);
      sum += t.value;
      if (!grad) continue;
      const float d[4] = {t.d0, t.dx, t.dy, t.dz};
      for (int q = 0; q < 4; ++q)
        if (l[q] >= 0.f && (touched.empty() || touched[4 * cq + q]))
          grad[static_cast<size_t>(l[q]) * channels + ch] += weight * d[q];
    }
  }
  return weight * sum;
}
}  // namespace

void PlenoxelsEncoding::add_regularizer_gradient(int slice, float* grad) const {
  const float w = slice == 0 ? config_.tv_density : config_.tv_sh;
  if (w <= 0.f || density_.empty() || !tv_active()) return;
  const std::vector<int64_t> cells = tv_cells();
  if (slice == 0)
    total_variation(links_, n_, cells, density_.data(), 1, w, grad, config_.tv_ray_voxels_only);
  else
    total_variation(links_, n_, cells, sh_.data(), 3 * k_, w, grad, config_.tv_ray_voxels_only);
}

bool PlenoxelsEncoding::tv_active() const {
  return !config_.tv_early_only || config_.upsample_at.empty() || progress_ < config_.upsample_at.front();
}

double PlenoxelsEncoding::tv_loss(bool sh) const {
  if (density_.empty() || !tv_active()) return 0.0;
  const std::vector<int64_t> cells = tv_cells();
  return sh ? total_variation(links_, n_, cells, sh_.data(), 3 * k_, config_.tv_sh, nullptr)
            : total_variation(links_, n_, cells, density_.data(), 1, config_.tv_density, nullptr);
}

void PlenoxelsEncoding::resample(int n_new) {
  if (n_new < 2) throw std::invalid_argument("PlenoxelsEncoding::resample: two nodes per axis at least");
  const int64_t nn = n_new;
  const size_t cells = static_cast<size_t>(nn * nn * nn);
  const int S = 3 * k_;
  const auto node_pos = [&](int64_t c, float* p) {
    const float inv = 1.f / static_cast<float>(n_new - 1);
    p[0] = static_cast<float>(c % nn) * inv;
    p[1] = static_cast<float>((c / nn) % nn) * inv;
    p[2] = static_cast<float>(c / (nn * nn)) * inv;
  };
  // The density at every new node (trilinear, as the code's resample), then the nodes near one
  // above the threshold: a box dilation, one axis at a time.
  std::vector<float> dens(cells);
  std::vector<float> scratch(S);
  float p[3];
  for (size_t c = 0; c < cells; ++c) {
    node_pos(static_cast<int64_t>(c), p);
    dens[c] = read(p, scratch.data(), false);
  }
  std::vector<uint8_t> keep(cells);
  for (size_t c = 0; c < cells; ++c) keep[c] = dens[c] > config_.prune_density ? 1 : 0;
  box_max_filter(keep, nn, config_.prune_dilation);
  // At most max_voxels: the densest of them.
  size_t kept = 0;
  for (uint8_t v : keep) kept += v;
  if (static_cast<long long>(kept) > config_.max_voxels) {
    std::vector<float> values;
    values.reserve(kept);
    for (size_t c = 0; c < cells; ++c)
      if (keep[c]) values.push_back(dens[c]);
    const size_t limit = static_cast<size_t>(config_.max_voxels);
    std::nth_element(values.begin(), values.begin() + (values.size() - limit), values.end());
    const float cut = values[values.size() - limit];
    size_t taken = 0;
    for (size_t c = 0; c < cells; ++c) {
      if (keep[c] && (dens[c] < cut || taken >= limit)) keep[c] = 0;
      taken += keep[c];
    }
  }
  std::vector<float> links(cells, -1.f), density, sh;
  for (size_t c = 0; c < cells; ++c) {
    if (!keep[c]) continue;
    links[c] = static_cast<float>(density.size());
    density.push_back(dens[c]);
    node_pos(static_cast<int64_t>(c), p);
    read(p, scratch.data(), false);
    sh.insert(sh.end(), scratch.begin(), scratch.end());
  }
  links_.swap(links);
  density_.swap(density);
  sh_.swap(sh);
  n_ = n_new;
}

bool PlenoxelsEncoding::follow_schedule(float progress) {
  progress_ = progress;
  ++round_;
  int done = 0;
  for (float f : config_.upsample_at) done += progress >= f ? 1 : 0;
  const int steps = static_cast<int>(config_.upsample_at.size());
  int target = config_.resolution_init;
  if (done >= steps && steps > 0) {
    target = config_.resolution_final;
  } else if (done > 0) {  // several upsamplings: node counts log-linear between the two
    const double a = std::log(static_cast<double>(config_.resolution_init));
    const double b = std::log(static_cast<double>(config_.resolution_final));
    target = static_cast<int>(std::lround(std::exp(a + (b - a) * done / steps)));
  }
  // Only upwards: a grid loaded from a later snapshot keeps its resolution.
  if (target <= n_) return false;
  resample(target);
  return true;
}

void PlenoxelsEncoding::adopt_shapes(const std::vector<ParamTensorInfo>& described) {
  int64_t n = -1, m = -1;
  for (const ParamTensorInfo& t : described) {
    if (t.name == "encoding.links" && t.shape.size() == 3 && t.shape[0] == t.shape[1] && t.shape[1] == t.shape[2] &&
        t.shape[0] >= 2 && t.shape[0] <= 1024)
      n = t.shape[0];
    if (t.name == "encoding.density" && t.shape.size() == 1 && t.shape[0] >= 0 && t.shape[0] <= (int64_t{1} << 24))
      m = t.shape[0];
  }
  if (n < 0 || m < 0) return;  // the snapshot reader refuses what does not fit
  n_ = static_cast<int>(n);
  links_.assign(static_cast<size_t>(n * n * n), -1.f);
  density_.assign(static_cast<size_t>(m), 0.f);
  sh_.assign(static_cast<size_t>(m) * 3 * k_, 0.f);
}

}  // namespace nerds
