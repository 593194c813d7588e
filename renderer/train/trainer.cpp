#include "renderer/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "renderer/backend/hierarchical_sampler.h"
#include "renderer/backend/parallel.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/adam.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/compositing.h"
#include "renderer/math/losses.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/rng.h"
#include "renderer/math/training_ray.h"
#include "renderer/train/packed_model.h"

namespace nerds {

struct Trainer::ChunkResult {
  std::vector<float> pos;    // used samples' network positions (3 each)
  std::vector<float> d_enc;  // dL/d(encoding), E x m
  int m = 0;
  NetworkGradients grads;
  double loss = 0.0;
  int64_t marched = 0, used = 0;
  int rays = 0;
  int rays_total_hint = 1;  // rays in the whole step: the loss is their mean
};

struct Trainer::ThreadScratch {
  NetworkWorkspace ws;
  SampleBuffer samples;
  std::vector<float> sigma, rgb, d_sigma, d_rgb, mean, var;
  std::vector<int> ray_begin, ray_count, used_idx;
  std::vector<float> target, background;
  std::vector<SamplingRay> rays;  // the rays in the box the samplers work in
  std::vector<Vec3> view_dirs;    // their directions as the color stage sees them
  std::vector<float> radii, jitter, loss_weight;
  HierarchicalScratch hierarchical;
};

namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
}  // namespace

Trainer::Trainer(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, bool use_cuda)
    : config_(config), data_(std::move(train_set)), network_(config.network) {
  if (!data_ || data_->frames.empty()) throw std::invalid_argument("trainer: empty training set");
  if (data_->rgba.empty()) throw std::invalid_argument("trainer: training set has no images loaded");
  // A runtime_error, not an InputError: the method is valid, this backend cannot run it, and
  // the engine's --device auto then trains on the CPU.
  if (use_cuda && (config.sampler.kind != SamplerKind::March || config.warp.kind != WarpKind::None))
    throw std::runtime_error(
        "the CUDA trainer implements neither NeRF's hierarchical sampling (sampler.kind=hierarchical) nor NDC rays "
        "(warp.kind=ndc): train this method on the CPU");
  network_.initialize(config.seed);
  occupancy_ = OccupancyGrid(config.occupancy, config.march.dt_min);
  // The grid's cells lie in the box the rays are sampled in: with NDC that is NDC space, which
  // every (forward-facing) camera sees whole, so no cell is unseen there. The hierarchical
  // sampler does not read the grid.
  if (config.occupancy.enabled && config.warp.kind == WarpKind::None && config.sampler.kind == SamplerKind::March)
    occupancy_.mark_unseen(data_->frames);
  if (config.sampler.kind == SamplerKind::Hierarchical) {
    // The batch's ray count follows these means (Trainer::step): start them at the sampler's
    // fixed counts (the union is evaluated whole, the coarse pass once more).
    const SamplerSettings& hs = config.sampler;
    ema_used_per_ray_ = static_cast<float>(hs.coarse_samples + hs.fine_samples);
    ema_marched_per_ray_ = ema_used_per_ray_ + (hs.fine_samples > 0 ? hs.coarse_samples : 0);
  }
  adam_ = zero_adam_state(network_);
  grid_grad_.assign(network_.grid().param_count(), 0.f);
  for (int i = 0; i < cpu_thread_count(); ++i) scratch_.emplace_back(std::make_unique<ThreadScratch>());
  if (data_->frame_images.size() != data_->frames.size() || data_->rgba.size() < 4 * data_->total_pixels())
    throw std::invalid_argument("trainer: the training images are not laid out (Dataset::lay_out_images)");
  total_pixels_ = data_->total_pixels();
  loss_weight_scale_ = data_->loss_weight_scale();
  for (const Frame& f : data_->frames) {
    poses_.push_back(f.pose);
    intrinsics_.push_back(f.intrinsics);
  }
  if (use_cuda) {
    device_ = make_cuda_trainer(config_, network_.grid().view(), *data_);
    upload_pending_ = true;
  }
}

void Trainer::sync_host() const {
  if (!device_ || !host_stale_) return;
  PackedModel model = pack_model(network_, occupancy_, adam_);  // sizes the arrays
  device_->download(model);
  unpack_model(model, network_, occupancy_, adam_);
  host_stale_ = false;
}

void Trainer::sync_device() const {
  if (!device_ || !upload_pending_) return;
  device_->upload(pack_model(network_, occupancy_, adam_));
  upload_pending_ = false;
}

StepStats Trainer::device_step(int n_rays) {
  const double t_start = now_seconds();
  sync_device();
  const DeviceStepResult r = device_->step(step_, current_lr(), n_rays);
  host_stale_ = true;
  StepStats st;
  st.rays = r.rays;
  st.marched_samples = r.marched_samples;
  st.used_samples = r.used_samples;
  st.loss = r.loss;
  times_.occupancy += r.occupancy_seconds;
  st.seconds = now_seconds() - t_start;
  times_.march_forward_backward += st.seconds - r.occupancy_seconds;
  return st;
}

TrainingImagesView Trainer::images_view() const {
  TrainingImagesView v;
  v.poses = poses_.data();
  v.intrinsics = intrinsics_.data();
  v.images = data_->frame_images.data();
  v.rgba = data_->rgba.data();
  v.n_images = static_cast<int>(data_->frames.size());
  v.n_pixels = total_pixels_;
  v.loss_weight_scale = loss_weight_scale_;
  v.background = static_cast<int>(config_.background);
  return v;
}

Trainer::~Trainer() = default;

float Trainer::current_lr() const {
  const OptimizerConfig& o = config_.optimizer;
  if (budget_progress_ >= 0.f) {
    const float p = std::min(budget_progress_, 1.f);
    if (p <= o.budget_decay_from || o.budget_decay_from >= 1.f) return o.lr;
    const float f = (p - o.budget_decay_from) / (1.f - o.budget_decay_from);
    return o.lr * std::pow(o.budget_lr_final / o.lr, f);
  }
  if (step_ < o.decay_start) return o.lr;
  const float decayed = o.lr * std::pow(o.decay_factor, static_cast<float>(step_ - o.decay_start) / o.decay_interval);
  return std::max(decayed, std::min(o.lr_min, o.lr));
}

void Trainer::process_chunk(int first_ray, int n_rays, ChunkResult& out, ThreadScratch& s) {
  const MarchSettings& ms = config_.march;
  const OccupancyView grid = occupancy_.view();
  s.ray_begin.resize(n_rays);
  s.ray_count.resize(n_rays);
  s.target.resize(3 * n_rays);
  s.background.resize(3 * n_rays);
  s.samples.clear();
  s.rays.resize(n_rays);
  s.view_dirs.resize(n_rays);
  s.radii.resize(n_rays);
  s.jitter.resize(n_rays);
  s.loss_weight.resize(n_rays);

  // 1. Rays through random pixels of random training images, taken into the box the samples
  // are placed in (sampling_ray.h: the scene box, or NDC mapped onto it), then sampled:
  // marched through the occupancy grid, or NeRF's hierarchical sampling.
  const TrainingImagesView images = images_view();
  for (int r = 0; r < n_rays; ++r) {
    const TrainingRay tr = training_ray(images, config_.seed, step_, first_ray + r);
    for (int k = 0; k < 3; ++k) {
      s.target[3 * r + k] = tr.target[k];
      s.background[3 * r + k] = tr.background[k];
    }
    s.rays[r] = sampling_ray(config_.warp, ms, tr.ray.origin, tr.ray.dir);
    s.view_dirs[r] = tr.ray.dir;
    s.radii[r] = sampling_cone_radius(config_.warp, tr.pixel_radius);
    s.jitter[r] = tr.jitter;
    s.loss_weight[r] = config_.area_loss ? tr.loss_weight : 1.f;  // Mip-NeRF's area loss
  }
  int coarse_evaluated = 0;  // the hierarchical sampler's forward-only coarse pass
  if (config_.sampler.kind == SamplerKind::Hierarchical) {
    const SamplerJitter jitter{config_.seed, step_, first_ray};
    coarse_evaluated = place_hierarchical_samples(network_, config_.sampler, ms.box_half, s.rays.data(),
                                                  s.view_dirs.data(), s.radii.data(), n_rays, &jitter, s.ws,
                                                  s.hierarchical, s.samples, s.ray_begin.data(), s.ray_count.data());
  } else {
    for (int r = 0; r < n_rays; ++r) {
      const SamplingRay& ray = s.rays[r];
      s.ray_begin[r] = s.samples.size();
      if (ray.hit) {
        float t = ray.t0 + s.jitter[r] * march_dt(ms, ray.t0);
        march_ray(ms, grid, ray.origin, ray.dir, &t, ray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
          s.samples.push(ts, dts, network_position(p, ms.box_half), s.view_dirs[r], s.radii[r], ray.dir);
        });
      }
      s.ray_count[r] = s.samples.size() - s.ray_begin[r];
    }
  }
  const int n = s.samples.size();
  std::vector<float>& pos = s.samples.pos;
  std::vector<float>& dir = s.samples.dir;
  std::vector<float>& ts = s.samples.t;
  std::vector<float>& dt = s.samples.dt;

  // 2. The density stage on every marched sample; early termination depends on density
  // alone, so the samples each ray uses are known before any color is computed.
  // (For Mip-NeRF's IPE, over each sample's conical frustum, Eq. 7-8, instead of its point.)
  s.sigma.resize(n);
  sample_densities(network_, ms.box_half, s.samples, s.ws, s.mean, s.var, s.sigma.data());
  s.used_idx.clear();
  for (int r = 0; r < n_rays; ++r) {
    const int b = s.ray_begin[r];
    const int used = composite_used_count(s.sigma.data() + b, dt.data() + b, s.ray_count[r], config_.min_transmittance);
    for (int i = 0; i < used; ++i) s.used_idx.push_back(b + i);
    s.ray_begin[r] = static_cast<int>(s.used_idx.size()) - used;  // the ray's samples after compaction
    s.ray_count[r] = used;
  }
  const int m = static_cast<int>(s.used_idx.size());

  // 3. Keep the used samples (in place: idx[j] >= j), then the color stage on them alone.
  network_.compact_density_stage(s.ws, s.used_idx.data(), m);
  for (int j = 0; j < m; ++j) {
    const int i = s.used_idx[j];
    s.sigma[j] = s.sigma[i];
    dt[j] = dt[i];
    ts[j] = ts[i];
    s.samples.radius[j] = s.samples.radius[i];
    for (int a = 0; a < 3; ++a) {
      pos[3 * j + a] = pos[3 * static_cast<size_t>(i) + a];
      dir[3 * j + a] = dir[3 * static_cast<size_t>(i) + a];
    }
  }
  s.rgb.resize(3 * static_cast<size_t>(m));
  if (m > 0) network_.color(dir.data(), m, s.ws, s.rgb.data());

  // 4. Composite, loss, and the compositing backward.
  s.d_sigma.resize(m);
  s.d_rgb.resize(3 * static_cast<size_t>(m));
  const float loss_scale = 1.f / (3.f * static_cast<float>(out.rays_total_hint));
  double loss = 0.0;
  for (int r = 0; r < n_rays; ++r) {
    const int b = s.ray_begin[r], c = s.ray_count[r];
    CompositeResult cr;
    composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * b, dt.data() + b, ts.data() + b, c,
                      config_.min_transmittance, &cr);
    float pred[3], d_pred[3];
    for (int k = 0; k < 3; ++k) pred[k] = cr.rgb[k] + cr.transmittance * s.background[3 * r + k];
    loss += weighted_photometric_loss(config_.loss, pred, s.target.data() + 3 * r, config_.huber_delta, loss_scale,
                                      s.loss_weight[r], d_pred);
    composite_backward(s.sigma.data() + b, s.rgb.data() + 3 * b, dt.data() + b, cr.used, pred, d_pred,
                       s.d_sigma.data() + b, s.d_rgb.data() + 3 * b);
  }

  // 5. Backward through the MLPs.
  out.m = m;
  out.marched = n + coarse_evaluated;
  out.used = m;
  out.loss = loss;
  out.rays = n_rays;
  // The hash table's backward runs after all chunks: keep what it reads (a fixed encoding
  // has no parameters, so nothing is kept for it).
  const bool keep_for_table = network_.encoding_is_trained();
  const int E = network_.encoding_dim();
  const size_t kept = keep_for_table ? static_cast<size_t>(m) : 0;
  out.pos.assign(pos.begin(), pos.begin() + 3 * kept);
  out.d_enc.resize(static_cast<size_t>(E) * kept);
  if (out.grads.density.empty()) out.grads = network_.make_gradients();
  out.grads.set_zero();
  if (m == 0) return;
  network_.backward(s.ws, m, s.d_sigma.data(), s.d_rgb.data(), out.grads);
  std::memcpy(out.d_enc.data(), s.ws.d_enc.data(), static_cast<size_t>(E) * kept * sizeof(float));
}

StepStats Trainer::step() {
  const int n_rays = std::clamp(static_cast<int>(config_.batch_samples / std::max(ema_used_per_ray_, 1.f)), 1,
                                config_.batch_samples);
  StepStats st = device_ ? device_step(n_rays) : cpu_step(n_rays);
  ++step_;
  const float used_per_ray = static_cast<float>(st.used_samples) / std::max(st.rays, 1);
  const float marched_per_ray = static_cast<float>(st.marched_samples) / std::max(st.rays, 1);
  ema_used_per_ray_ = 0.5f * ema_used_per_ray_ + 0.5f * std::max(used_per_ray, 1.f);
  ema_marched_per_ray_ = 0.5f * ema_marched_per_ray_ + 0.5f * std::max(marched_per_ray, 1.f);
  st.step = step_;
  return st;
}

StepStats Trainer::cpu_step(int n_rays) {
  const double t_start = now_seconds();
  // The hierarchical sampler does not read the grid (NeRF has none): no updates for it.
  const bool grid_in_use = config_.occupancy.enabled && config_.sampler.kind == SamplerKind::March;
  if (grid_in_use && step_ % config_.occupancy.interval == 0) {
    occupancy_.update(network_, step_, config_.seed);
    times_.occupancy += now_seconds() - t_start;
  }
  const double t_march = now_seconds();
  // About 4096 marched samples per chunk keeps a chunk's activations in cache.
  const int rays_per_chunk = std::clamp(static_cast<int>(4096.f / std::max(ema_marched_per_ray_, 1.f)), 8, 4096);
  const int n_chunks = (n_rays + rays_per_chunk - 1) / rays_per_chunk;
  while (static_cast<int>(chunks_.size()) < n_chunks) chunks_.emplace_back(std::make_unique<ChunkResult>());
  for (int k = 0; k < n_chunks; ++k) chunks_[k]->rays_total_hint = n_rays;

  parallel_for(n_chunks, [&](int64_t k) {
    const int first = static_cast<int>(k) * rays_per_chunk;
    const int count = std::min(rays_per_chunk, n_rays - first);
    process_chunk(first, count, *chunks_[k], *scratch_[cpu_thread_index()]);
  });
  const double t_hash = now_seconds();
  times_.march_forward_backward += t_hash - t_march;

  // Hash-table backward and Adam, level by level: each level owns its slice of the
  // gradient, so levels run in parallel without atomics; chunks are visited in order, so the
  // sum is deterministic; the level's Adam update runs while its gradient is still in cache.
  const int E = network_.encoding_dim();
  const OptimizerConfig& opt = config_.optimizer;
  const AdamStep grid_step = make_adam_step(current_lr(), opt.beta1, opt.beta2, opt.eps, step_ + 1, 0.f);
  const int trained_levels = network_.encoding_is_trained() ? network_.grid().config().levels : 0;
  parallel_for(trained_levels, [&](int64_t level) {
    for (int k = 0; k < n_chunks; ++k) {
      const ChunkResult& c = *chunks_[k];
      network_.grid().backward_level(static_cast<int>(level), c.pos.data(), c.d_enc.data(), c.m, E, grid_grad_.data());
    }
    const HashGridLevel& lv = network_.grid().view().levels[level];
    const size_t F = static_cast<size_t>(network_.grid().config().features);
    update_grid_range(grid_step, lv.offset * F, (static_cast<size_t>(lv.offset) + lv.table_size) * F);
  });
  const double t_opt = now_seconds();
  times_.hash_backward += t_opt - t_hash;

  StepStats st;
  for (int k = 0; k < n_chunks; ++k) {
    const ChunkResult& c = *chunks_[k];
    st.marched_samples += c.marched;
    st.used_samples += c.used;
    st.loss += c.loss;
    st.rays += c.rays;
    if (k > 0) chunks_[0]->grads.add(c.grads);
  }
  st.loss /= 3.0 * std::max(st.rays, 1);
  apply_mlp_optimizer();
  times_.optimizer += now_seconds() - t_opt;
  st.seconds = now_seconds() - t_start;
  return st;
}

namespace {
// Branch-free so it vectorizes: which entries were touched is random, and a branch per
// entry mispredicts about a third of the time on the fine levels.
void adam_touched_entries(const AdamStep& step, float* __restrict params, float* __restrict m, float* __restrict v,
                          float* __restrict g, int64_t n) {
  const AdamStep s = step;  // a local copy: the compiler cannot prove `step` does not alias the arrays
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const AdamValues r = adam_step_values(s, gi, params[i], m[i], v[i]);
    const bool touched = gi != 0.f;
    params[i] = touched ? r.param : params[i];
    m[i] = touched ? r.m : m[i];
    v[i] = touched ? r.v : v[i];
    g[i] = 0.f;
  }
}
}  // namespace

void Trainer::update_grid_range(const AdamStep& step, size_t begin, size_t end) {
  adam_touched_entries(step, network_.grid().params().data() + begin, adam_.grid_m.data() + begin,
                       adam_.grid_v.data() + begin, grid_grad_.data() + begin, static_cast<int64_t>(end - begin));
}

void Trainer::apply_mlp_optimizer() {
  const OptimizerConfig& o = config_.optimizer;
  const int t = step_ + 1;
  const AdamStep mlp_step = make_adam_step(current_lr(), o.beta1, o.beta2, o.eps, t, o.mlp_l2_reg);
  const NetworkGradients& grads = chunks_[0]->grads;
  size_t slot = 0;
  auto update = [&](std::vector<Eigen::MatrixXf>& weights, const std::vector<Eigen::MatrixXf>& gw) {
    for (size_t k = 0; k < weights.size(); ++k, ++slot) {
      float* p = weights[k].data();
      const float* gk = gw[k].data();
      float* mk = adam_.mlp_m[slot].data();
      float* vk = adam_.mlp_v[slot].data();
      for (Eigen::Index i = 0; i < weights[k].size(); ++i) adam_update(mlp_step, gk[i], false, p + i, mk + i, vk + i);
    }
  };
  update(network_.density_mlp().weights(), grads.density);
  update(network_.color_mlp().weights(), grads.color);
}

}  // namespace nerds
