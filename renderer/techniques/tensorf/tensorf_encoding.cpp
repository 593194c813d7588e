#include "renderer/techniques/tensorf/tensorf_encoding.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "renderer/math/grid_taps.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/tensorf/grid_resample.h"

namespace nerds {

namespace {

// VM's axis pairs (the code's matMode / vecMode): plane m reads coordinates kPlane[m][0]
// (its fast index) and kPlane[m][1], its line coordinate kLine[m].
constexpr int kPlane[3][2] = {{0, 1}, {0, 2}, {1, 2}};
constexpr int kLine[3] = {2, 1, 0};

// The parts a slice owns (one tensor each).
enum class Part { DensityPlanes, DensityLines, AppearancePlanes, AppearanceLines, Basis };

Part part_of(bool vm, int slice) {
  static const Part vm_parts[] = {Part::DensityPlanes, Part::DensityLines, Part::AppearancePlanes,
                                  Part::AppearanceLines, Part::Basis};
  static const Part cp_parts[] = {Part::DensityLines, Part::AppearanceLines, Part::Basis};
  return vm ? vm_parts[slice] : cp_parts[slice];
}

struct PlaneTaps {
  size_t c00 = 0;  // the lower corner's offset in the plane (entries of R floats)
  float w00 = 0.f, w01 = 0.f, w10 = 0.f, w11 = 0.f;
};

PlaneTaps plane_taps(GridTap u, GridTap v, int n) {
  PlaneTaps t;
  t.c00 = static_cast<size_t>(v.i) * n + u.i;
  t.w00 = (1.f - u.w) * (1.f - v.w);
  t.w01 = u.w * (1.f - v.w);
  t.w10 = (1.f - u.w) * v.w;
  t.w11 = u.w * v.w;
  return t;
}

// R components of a plane [N][N][R] at t into out.
void read_plane(const float* plane, int n, int r, const PlaneTaps& t, float* out) {
  const float* p00 = plane + t.c00 * r;
  const float* p01 = p00 + r;
  const float* p10 = p00 + static_cast<size_t>(n) * r;
  const float* p11 = p10 + r;
  for (int k = 0; k < r; ++k) out[k] = t.w00 * p00[k] + t.w01 * p01[k] + t.w10 * p10[k] + t.w11 * p11[k];
}

void scatter_plane(float* grad, int n, int r, const PlaneTaps& t, const float* d) {
  float* g00 = grad + t.c00 * r;
  float* g01 = g00 + r;
  float* g10 = g00 + static_cast<size_t>(n) * r;
  float* g11 = g10 + r;
  for (int k = 0; k < r; ++k) {
    g00[k] += t.w00 * d[k];
    g01[k] += t.w01 * d[k];
    g10[k] += t.w10 * d[k];
    g11[k] += t.w11 * d[k];
  }
}

// R components of a line [N][R] at t into out.
void read_line(const float* line, int r, GridTap t, float* out) {
  const float* lo = line + static_cast<size_t>(t.i) * r;
  const float* hi = lo + r;
  for (int k = 0; k < r; ++k) out[k] = (1.f - t.w) * lo[k] + t.w * hi[k];
}

void scatter_line(float* grad, int r, GridTap t, const float* d) {
  float* lo = grad + static_cast<size_t>(t.i) * r;
  float* hi = lo + r;
  for (int k = 0; k < r; ++k) {
    lo[k] += (1.f - t.w) * d[k];
    hi[k] += t.w * d[k];
  }
}

// N(0, 1) by Box-Muller.
float normal(Pcg32& rng) {
  const float u1 = std::max(rng.next_float(), 1e-7f), u2 = rng.next_float();
  return std::sqrt(-2.f * std::log(u1)) * std::cos(6.2831853f * u2);
}

// The sample's taps per axis.
struct Taps {
  GridTap t[3];
};

Taps taps_of(const float* p, int n) { return {{grid_tap(p[0], n), grid_tap(p[1], n), grid_tap(p[2], n)}}; }

}  // namespace

int tensorf_resolution(const TensorfConfig& c, int upsampled) {
  const int steps = static_cast<int>(c.upsample_at.size());
  if (steps == 0 || upsampled <= 0) return c.resolution_init;
  if (upsampled >= steps) return c.resolution_final;
  // Voxel counts log-linear between the two: their cube roots are too.
  const double a = std::log(static_cast<double>(c.resolution_init)), b = std::log(static_cast<double>(c.resolution_final));
  return static_cast<int>(std::lround(std::exp(a + (b - a) * upsampled / steps)));
}

TensorfEncoding::TensorfEncoding(const TensorfConfig& config) : config_(config) {
  if (config_.density_components < 1 || config_.appearance_components < 1 || config_.appearance_features < 1)
    throw std::invalid_argument("TensorfEncoding: components and features must be positive");
  if (config_.resolution_init < 2 || config_.resolution_final < 2)
    throw std::invalid_argument("TensorfEncoding: a grid needs two nodes per axis at least");
  n_ = config_.resolution_init;
  const size_t n = static_cast<size_t>(n_);
  const size_t rs = static_cast<size_t>(config_.density_components), rc = static_cast<size_t>(config_.appearance_components);
  if (is_vm()) {
    density_planes_.assign(3 * n * n * rs, 0.f);
    appearance_planes_.assign(3 * n * n * rc, 0.f);
  }
  density_lines_.assign(3 * n * rs, 0.f);
  appearance_lines_.assign(3 * n * rc, 0.f);
  basis_.assign(static_cast<size_t>(config_.appearance_features) * appearance_columns(), 0.f);
}

void TensorfEncoding::initialize(uint64_t seed) {
  Pcg32 rng(seed, 0x7e50);
  for (std::vector<float>* f : {&density_planes_, &density_lines_, &appearance_planes_, &appearance_lines_})
    for (float& v : *f) v = config_.init_scale * normal(rng);
  const float bound = 1.f / std::sqrt(static_cast<float>(appearance_columns()));
  for (float& v : basis_) v = (rng.next_float() * 2.f - 1.f) * bound;
}

float TensorfEncoding::evaluate(const float* p, float* comps) const {
  const Taps t = taps_of(p, n_);
  const int rs = config_.density_components, rc = config_.appearance_components;
  const size_t n = static_cast<size_t>(n_);
  float density = 0.f;
  float a[512], b[512], c[512];  // one factor's components (checked against the configuration)
  if (is_vm()) {
    for (int m = 0; m < 3; ++m) {
      const PlaneTaps pt = plane_taps(t.t[kPlane[m][0]], t.t[kPlane[m][1]], n_);
      read_plane(density_planes_.data() + m * n * n * rs, n_, rs, pt, a);
      read_line(density_lines_.data() + m * n * rs, rs, t.t[kLine[m]], b);
      for (int k = 0; k < rs; ++k) density += a[k] * b[k];
      read_plane(appearance_planes_.data() + m * n * n * rc, n_, rc, pt, a);
      read_line(appearance_lines_.data() + m * n * rc, rc, t.t[kLine[m]], b);
      for (int k = 0; k < rc; ++k) comps[m * rc + k] = a[k] * b[k];
    }
    return density;
  }
  read_line(density_lines_.data(), rs, t.t[0], a);
  read_line(density_lines_.data() + n * rs, rs, t.t[1], b);
  read_line(density_lines_.data() + 2 * n * rs, rs, t.t[2], c);
  for (int k = 0; k < rs; ++k) density += a[k] * b[k] * c[k];
  read_line(appearance_lines_.data(), rc, t.t[0], a);
  read_line(appearance_lines_.data() + n * rc, rc, t.t[1], b);
  read_line(appearance_lines_.data() + 2 * n * rc, rc, t.t[2], c);
  for (int k = 0; k < rc; ++k) comps[k] = a[k] * b[k] * c[k];
  return density;
}

void TensorfEncoding::encode(const float* pos, const float*, int n, float* out, int ld) const {
  const int K = appearance_columns(), P = config_.appearance_features;
  std::vector<float> comps(K);
  for (int i = 0; i < n; ++i) {
    float* o = out + static_cast<size_t>(i) * ld;
    o[0] = evaluate(pos + 3 * static_cast<size_t>(i), comps.data());
    for (int p = 0; p < P; ++p) {
      const float* row = basis_.data() + static_cast<size_t>(p) * K;
      float s = 0.f;
      for (int k = 0; k < K; ++k) s += row[k] * comps[k];
      o[1 + p] = s;
    }
  }
}

std::vector<ParamTensor> TensorfEncoding::param_tensors() {
  const int64_t n = n_, rs = config_.density_components, rc = config_.appearance_components;
  std::vector<ParamTensor> out;
  const auto add = [&](const char* name, std::vector<int64_t> shape, std::vector<float>& values, float lr_factor) {
    out.push_back(
        param_tensor_view(std::string("encoding.") + name, std::move(shape), values, ParamGroup::Dense, lr_factor));
  };
  const float grid_lr = config_.lr_factor;
  if (is_vm()) add("density_planes", {3, n, n, rs}, density_planes_, grid_lr);
  add("density_lines", {3, n, rs}, density_lines_, grid_lr);
  if (is_vm()) add("appearance_planes", {3, n, n, rc}, appearance_planes_, grid_lr);
  add("appearance_lines", {3, n, rc}, appearance_lines_, grid_lr);
  add("basis", {config_.appearance_features, appearance_columns()}, basis_, 1.f);
  return out;
}

std::vector<GradientSlice> TensorfEncoding::gradient_slices() const {
  const std::vector<const std::vector<float>*> parts =
      is_vm() ? std::vector<const std::vector<float>*>{&density_planes_, &density_lines_, &appearance_planes_,
                                                       &appearance_lines_, &basis_}
              : std::vector<const std::vector<float>*>{&density_lines_, &appearance_lines_, &basis_};
  std::vector<GradientSlice> out;
  for (size_t k = 0; k < parts.size(); ++k) out.push_back({static_cast<int>(k), 0, parts[k]->size()});
  return out;
}

void TensorfEncoding::backward_slice(int slice, const float* pos, const float*, const float* d_enc, int count,
                                     float* grad) const {
  const Part part = part_of(is_vm(), slice);
  const int E = width(), P = config_.appearance_features, K = appearance_columns();
  const int rs = config_.density_components, rc = config_.appearance_components;
  const size_t n = static_cast<size_t>(n_);
  const bool density = part == Part::DensityPlanes || part == Part::DensityLines;
  const int r = density ? rs : rc;
  // dL/d(component): K appearance components, or the density's (3 R_s for vm, R_s for cp).
  std::vector<float> comps(K), d_comps(std::max(K, 3 * rs));
  float a[512], b[512], c[512], d[512];
  for (int i = 0; i < count; ++i) {
    const float* p = pos + 3 * static_cast<size_t>(i);
    const float* de = d_enc + static_cast<size_t>(i) * E;
    if (part == Part::Basis) {  // dL/dB = dL/dS comps^T
      evaluate(p, comps.data());
      for (int q = 0; q < P; ++q) {
        const float g = de[1 + q];
        float* row = grad + static_cast<size_t>(q) * K;
        for (int k = 0; k < K; ++k) row[k] += g * comps[k];
      }
      continue;
    }
    // dL/d(component): the density's for every density component, B^T dL/dS for the appearance's.
    if (density) {
      for (int k = 0; k < rs; ++k) d_comps[k] = de[0];
      if (is_vm())
        for (int k = rs; k < 3 * rs; ++k) d_comps[k] = de[0];
    } else {
      std::fill(d_comps.begin(), d_comps.begin() + K, 0.f);
      for (int q = 0; q < P; ++q) {
        const float g = de[1 + q];
        const float* row = basis_.data() + static_cast<size_t>(q) * K;
        for (int k = 0; k < K; ++k) d_comps[k] += g * row[k];
      }
    }
    const Taps t = taps_of(p, n_);
    if (is_vm()) {
      const std::vector<float>& planes = density ? density_planes_ : appearance_planes_;
      const std::vector<float>& lines = density ? density_lines_ : appearance_lines_;
      const bool plane_part = part == Part::DensityPlanes || part == Part::AppearancePlanes;
      for (int m = 0; m < 3; ++m) {
        const PlaneTaps pt = plane_taps(t.t[kPlane[m][0]], t.t[kPlane[m][1]], n_);
        const float* dc = (density ? d_comps.data() : d_comps.data() + m * rc);
        if (plane_part) {  // d/dM = dL/dcomp v(line coordinate)
          read_line(lines.data() + m * n * r, r, t.t[kLine[m]], b);
          for (int k = 0; k < r; ++k) d[k] = dc[k] * b[k];
          scatter_plane(grad + m * n * n * r, n_, r, pt, d);
        } else {  // d/dv = dL/dcomp M(plane coordinates)
          read_plane(planes.data() + m * n * n * r, n_, r, pt, a);
          for (int k = 0; k < r; ++k) d[k] = dc[k] * a[k];
          scatter_line(grad + m * n * r, r, t.t[kLine[m]], d);
        }
      }
      continue;
    }
    // CP: d/dv^X = dL/dcomp v^Y v^Z, and so on.
    const std::vector<float>& lines = density ? density_lines_ : appearance_lines_;
    read_line(lines.data(), r, t.t[0], a);
    read_line(lines.data() + n * r, r, t.t[1], b);
    read_line(lines.data() + 2 * n * r, r, t.t[2], c);
    for (int k = 0; k < r; ++k) d[k] = d_comps[k] * b[k] * c[k];
    scatter_line(grad, r, t.t[0], d);
    for (int k = 0; k < r; ++k) d[k] = d_comps[k] * a[k] * c[k];
    scatter_line(grad + n * r, r, t.t[1], d);
    for (int k = 0; k < r; ++k) d[k] = d_comps[k] * a[k] * b[k];
    scatter_line(grad + 2 * n * r, r, t.t[2], d);
  }
}

namespace {
// d/dx of w * mean |x| over `count` entries (torch's sign: 0 at 0).
void add_l1_gradient(const float* x, size_t count, float w, float* grad) {
  const float s = w / static_cast<float>(count);
  for (size_t k = 0; k < count; ++k) grad[k] += x[k] > 0.f ? s : (x[k] < 0.f ? -s : 0.f);
}
double mean_abs(const float* x, size_t count) {
  double s = 0.0;
  for (size_t k = 0; k < count; ++k) s += std::fabs(x[k]);
  return s / static_cast<double>(count);
}
}  // namespace

void TensorfEncoding::add_regularizer_gradient(int slice, float* grad) const {
  if (config_.l1_weight <= 0.f) return;
  const Part part = part_of(is_vm(), slice);
  const std::vector<float>* f = part == Part::DensityPlanes ? &density_planes_
                                : part == Part::DensityLines ? &density_lines_
                                                             : nullptr;
  if (!f) return;
  const size_t per_axis = f->size() / 3;  // the code's mean is per axis' factor
  for (int m = 0; m < 3; ++m) add_l1_gradient(f->data() + m * per_axis, per_axis, config_.l1_weight, grad + m * per_axis);
}

double TensorfEncoding::l1_loss() const {
  double s = 0.0;
  for (const std::vector<float>* f : {&density_planes_, &density_lines_}) {
    if (f->empty()) continue;
    const size_t per_axis = f->size() / 3;
    for (int m = 0; m < 3; ++m) s += mean_abs(f->data() + m * per_axis, per_axis);
  }
  return config_.l1_weight * s;
}

void TensorfEncoding::resize(int n_new) {
  if (n_new < 2) throw std::invalid_argument("TensorfEncoding::resize: two nodes per axis at least");
  if (n_new == n_) return;
  const size_t rs = static_cast<size_t>(config_.density_components), rc = static_cast<size_t>(config_.appearance_components);
  const auto lines = [&](std::vector<float>& f, size_t r) { f = resample_axis(f, 3, n_, n_new, r); };
  // [3][v][u][r]: along u (outer 3 v), then along v (inner n_new r).
  const auto planes = [&](std::vector<float>& f, size_t r) {
    f = resample_axis(f, 3 * static_cast<size_t>(n_), n_, n_new, r);
    f = resample_axis(f, 3, n_, n_new, static_cast<size_t>(n_new) * r);
  };
  if (is_vm()) {
    planes(density_planes_, rs);
    planes(appearance_planes_, rc);
  }
  lines(density_lines_, rs);
  lines(appearance_lines_, rc);
  n_ = n_new;
}

bool TensorfEncoding::follow_schedule(float progress) {
  int done = 0;
  for (float f : config_.upsample_at) done += progress >= f ? 1 : 0;
  const int target = tensorf_resolution(config_, done);
  if (target == n_) return false;
  resize(target);
  return true;
}

void TensorfEncoding::adopt_shapes(const std::vector<ParamTensorInfo>& described) {
  for (const ParamTensorInfo& t : described)
    if (t.name == "encoding.density_lines" && t.shape.size() == 3 && t.shape[1] >= 2 && t.shape[1] <= 4096 &&
        t.shape[1] != n_)
      resize(static_cast<int>(t.shape[1]));
}

}  // namespace nerds
