#include "renderer/backend/cpu_backend.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "renderer/techniques/fields/network_tensor_names.h"
#include "renderer/techniques/fields/ref_nerf_normals.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/techniques/samplers/sampler_kinds.h"
#include "renderer/backend/parallel.h"
#include "renderer/backend/pose_refine_step.h"
#include "renderer/backend/render_rays.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/error.h"
#include "renderer/math/distortion_loss.h"
#include "renderer/math/lr_delay.h"
#include "renderer/math/ray_loss.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/transient_compositing.h"
#include "renderer/techniques/encodings/coarse_to_fine.h"
#include "renderer/train/optimizer.h"

namespace nerds {

struct CpuBackend::ChunkResult {
  std::vector<float> pos;    // used samples' network positions (3 each)
  std::vector<float> footprint;  // their footprints, for an encoding that reads them (else empty)
  std::vector<float> d_enc;  // dL/d(encoding), E x m
  int m = 0;
  NetworkGradients grads;
  double loss = 0.0, squared_error = 0.0;
  double sampler_loss = 0.0;  // the sampler's own (the proposal sampler's L_prop), RaySampler::placement_loss
  std::unique_ptr<SamplerGradients> sampler_grads;  // and its gradients
  std::vector<RayCorrectionGrad> pose_grads;  // per training camera (BARF's pose refinement only)
  int64_t marched = 0, used = 0;
  int rays = 0;
  int rays_total_hint = 1;  // rays in the whole step: the loss is their mean
};

struct CpuBackend::ThreadScratch {
  NetworkWorkspace ws;
  SampleBuffer samples;
  std::vector<float> sigma, rgb, d_sigma, d_rgb, mean, var, ray_loss, ray_squared_error;
  std::vector<int> ray_begin, ray_count, used_idx;
  std::vector<float> target, background;
  std::vector<SamplingRay> rays;  // the rays in the box the samplers work in
  std::vector<Vec3> view_dirs;    // their directions as the color stage sees them
  std::vector<float> radii, jitter, loss_weight;
  std::vector<float> distortion_w, distortion_d_w;  // one ray's weights and dL_dist/dw
  std::unique_ptr<SamplerScratch> sampler;  // the sampler's own buffers
  DensityNormalScratch ref_normals;  // Ref-NeRF's finite-difference normals (field.color = ref_nerf)
  // NeRF-W (per_image/): each ray's and each used sample's training image, the transient
  // head's buffers, outputs and gradients.
  std::vector<int> ray_image, sample_image;
  TransientWorkspace transient;
  std::vector<float> sigma_t, rgb_t, beta, d_sigma_t, d_rgb_t, d_beta;
  std::vector<Vec3> ray_dir;  // pose refinement: each ray's direction before the correction, dL/dpos
  std::vector<float> d_pos;
};

namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
}  // namespace

CpuBackend::CpuBackend(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, HostModel& model)
    : config_(config), sampler_(make_ray_sampler(config.sampler)), data_(std::move(train_set)), model_(model) {
  if (!data_ || data_->frames.empty()) throw std::invalid_argument("cpu backend: empty training set");
  if (data_->frame_images.size() != data_->frames.size() || data_->rgba.size() < 4 * data_->total_pixels())
    throw std::invalid_argument("cpu backend: the training images are not laid out (Dataset::lay_out_images)");
  total_pixels_ = data_->total_pixels();
  loss_weight_scale_ = data_->loss_weight_scale();
  for (const Frame& f : data_->frames) {
    poses_.push_back(f.pose);
    intrinsics_.push_back(f.intrinsics);
  }
  const std::vector<ParamTensor> tensors = model_.param_tensors();
  scatter_grads_.resize(tensors.size());
  for (const GradientSlice& s : model_.network.encoding_gradient_slices())
    scatter_grads_[s.tensor].assign(tensors[s.tensor].size(), 0.f);
  for (int i = 0; i < cpu_thread_count(); ++i) scratch_.emplace_back(std::make_unique<ThreadScratch>());
  // The finite-difference points of Ref-NeRF's normals are points: their encoding gradient is
  // scattered beside the samples', which an encoding reading footprints cannot take.
  if (model_.network.ref_head() && model_.network.encoding_uses_footprint())
    throw InputError("", "field.color", "ref_nerf needs an encoding of points (not ipe or the zip_* grid)");
}

CpuBackend::~CpuBackend() = default;

TrainingImagesView CpuBackend::images_view() const {
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

void CpuBackend::render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) {
  render_rays(model_.network, model_.occupancy.view(), settings, rays, n, out);
}

void CpuBackend::process_chunk(int step, int first_ray, int n_rays, ChunkResult& out, ThreadScratch& s) {
  const NerfNetwork& network = model_.network;
  const MarchSettings& ms = config_.march;
  const OccupancyView grid = model_.occupancy.view();
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
  s.ray_image.resize(n_rays);

  // 1. Rays through random pixels of random training images, taken into the box the samples
  // are placed in (sampling_ray.h: the scene box, or NDC mapped onto it), then sampled:
  // by the run's sampler (occupancy-grid marching, NeRF's hierarchical sampling, ...).
  const TrainingImagesView images = images_view();
  // BARF's pose refinement: each ray moved by its camera's correction (corrections_ is empty when it is off).
  const bool refine_poses = !corrections_.empty();
  if (refine_poses) {
    out.pose_grads.assign(corrections_.size(), RayCorrectionGrad{});
    s.ray_dir.resize(n_rays);
  }
  for (int r = 0; r < n_rays; ++r) {
    TrainingRay tr = training_ray(images, config_.seed, step, first_ray + r);
    if (refine_poses) {
      const RayCorrection& c = corrections_[tr.image];
      s.ray_dir[r] = tr.ray.dir;
      tr.ray.origin = tr.ray.origin + c.shift;
      tr.ray.dir = correct_direction(c, tr.ray.dir);
    }
    for (int k = 0; k < 3; ++k) {
      s.target[3 * r + k] = tr.target[k];
      s.background[3 * r + k] = tr.background[k];
    }
    s.rays[r] = sampling_ray(config_.warp, ms, tr.ray.origin, tr.ray.dir);
    s.view_dirs[r] = tr.ray.dir;
    s.radii[r] = sampling_cone_radius(config_.warp, tr.pixel_radius);
    s.jitter[r] = tr.jitter;
    s.loss_weight[r] = config_.area_loss ? tr.loss_weight : 1.f;  // Mip-NeRF's area loss
    s.ray_image[r] = tr.image;
  }
  const RayBatch batch{s.rays.data(), s.view_dirs.data(), s.radii.data(), s.jitter.data(), n_rays, config_.warp};
  const SamplerJitter jitter{config_.seed, step, first_ray};
  // 2. The samples each ray uses (those before its early termination, which depends on
  // density alone, so they are known before any color is computed) with their density stage.
  // A marching sampler places and evaluates them together, in waves, and never evaluates the
  // samples behind a ray's termination.
  int marched = sampler_->place_evaluated_training_samples(network, grid, ms, batch, jitter, config_.min_transmittance,
                                                           s.ws, s.sampler, s.samples, s.ray_begin.data(),
                                                           s.ray_count.data(), s.sigma);
  std::vector<float>& dir = s.samples.dir;
  std::vector<float>& ts = s.samples.t;
  std::vector<float>& dt = s.samples.dt;
  if (marched < 0) {
    // Any other sampler: its samples placed, the density stage on all of them (for Mip-NeRF's
    // IPE, over each sample's conical frustum, Eq. 7-8, instead of its point), then the used
    // samples kept (in place: idx[j] >= j). coarse_evaluated: samples evaluated besides the
    // placed ones (the hierarchical sampler's forward-only coarse pass).
    const int coarse_evaluated = sampler_->place_training_samples(network, grid, ms, batch, jitter, s.ws, s.sampler,
                                                                  s.samples, s.ray_begin.data(), s.ray_count.data());
    const int n = s.samples.size();
    marched = n + coarse_evaluated;
    std::vector<float>& pos = s.samples.pos;
    s.sigma.resize(n);
    sample_densities(network, ms.box_half, batch.warp, s.samples, s.ws, s.mean, s.var, s.sigma.data());
    // A sampler whose placement is trained takes its loss and gradients from these densities.
    out.sampler_loss = sampler_->placement_loss(network, batch, s.samples, s.ray_begin.data(), s.ray_count.data(),
                                                s.sigma.data(), out.rays_total_hint, s.sampler, out.sampler_grads);
    s.used_idx.clear();
    for (int r = 0; r < n_rays; ++r) {
      const int b = s.ray_begin[r];
      const int used = composite_used_count(s.sigma.data() + b, dt.data() + b, s.ray_count[r], config_.min_transmittance);
      for (int i = 0; i < used; ++i) s.used_idx.push_back(b + i);
      s.ray_begin[r] = static_cast<int>(s.used_idx.size()) - used;  // the ray's samples after compaction
      s.ray_count[r] = used;
    }
    const int m = static_cast<int>(s.used_idx.size());
    network.compact_density_stage(s.ws, s.used_idx.data(), m);
    for (int j = 0; j < m; ++j) {
      const int i = s.used_idx[j];
      s.sigma[j] = s.sigma[i];
      dt[j] = dt[i];
      ts[j] = ts[i];
      s.samples.radius[j] = s.samples.radius[i];
      for (int a = 0; a < 3; ++a) {
        pos[3 * j + a] = pos[3 * static_cast<size_t>(i) + a];
        dir[3 * j + a] = dir[3 * static_cast<size_t>(i) + a];
        s.samples.axis[3 * j + a] = s.samples.axis[3 * static_cast<size_t>(i) + a];
      }
    }
    s.samples.resize(m);
  }
  const int m = s.samples.size();
  std::vector<float>& pos = s.samples.pos;

  // 3. The color stage on the used samples (with NeRF-W's codes: each sample's image's).
  const int* sample_image = nullptr;
  if (network.reads_image()) {
    s.sample_image.resize(m);
    for (int r = 0; r < n_rays; ++r)
      std::fill_n(s.sample_image.begin() + s.ray_begin[r], s.ray_count[r], s.ray_image[r]);
    sample_image = s.sample_image.data();
  }
  s.rgb.resize(3 * static_cast<size_t>(m));
  if (m > 0 && network.reflects_density_normals()) network.reflection_normals(pos.data(), m, s.ws.ref);
  if (m > 0) network.color(dir.data(), m, s.ws, s.rgb.data(), sample_image);
  const TransientHead& transient = network.transient();
  // The transient head joins after its warm-up (transient.start_step): before, the static
  // field trains alone with the photometric loss.
  const bool transient_on = transient.enabled() && step >= config_.network.transient.start_step;
  if (transient_on) {
    s.sigma_t.resize(m);
    s.rgb_t.resize(3 * static_cast<size_t>(m));
    s.beta.resize(m);
    if (m > 0)
      transient.forward(s.ws.color_in.data(), network.color_input_dim(), sample_image, m, s.transient,
                        s.sigma_t.data(), s.rgb_t.data(), s.beta.data());
  }

  // 4. Composite, loss, and the compositing backward, ray by ray. Each ray keeps only the
  // samples before its early termination, so the body's zeroing past it has nothing to do.
  s.d_sigma.resize(m);
  s.d_rgb.resize(3 * static_cast<size_t>(m));
  s.ray_loss.resize(n_rays);
  s.ray_squared_error.resize(n_rays);
  CompositeLossBody composite{s.sigma.data(), s.rgb.data(), dt.data(), ts.data(), s.background.data(),
                                    s.target.data(), s.ray_begin.data(), s.ray_count.data(),
                                    config_.min_transmittance, config_.huber_delta,
                                    1.f / (3.f * static_cast<float>(out.rays_total_hint)), config_.loss,
                                    s.ray_loss.data(), s.d_sigma.data(), s.d_rgb.data(),
                                    nullptr, nullptr, s.loss_weight.data()};
  composite.squared_error = s.ray_squared_error.data();
  double loss = 0.0, squared_error = 0.0;
  if (transient_on) {
    loss = transient_loss(n_rays, out.rays_total_hint, s, &squared_error);
  } else {
    for (int r = 0; r < n_rays; ++r) {
      composite(r);
      loss += s.ray_loss[r];
      squared_error += s.ray_squared_error[r];
    }
  }
  // Mip-NeRF 360's distortion loss on each ray's used samples, s normalised over the ray's
  // range (in the box, or in s-space for contracted rays): its gradient (the batch mean times the weight) joins the compositing's
  // in d_sigma; the loss sum is over rays and channels, so a ray adds 3 times its term.
  if (config_.distortion_weight > 0.f) {
    const float scale = config_.distortion_weight / static_cast<float>(out.rays_total_hint);
    const RaySpacing spacing = ray_spacing(config_.warp);  // contracted rays: s-space
    for (int r = 0; r < n_rays; ++r) {
      const int b = s.ray_begin[r], c = s.ray_count[r];
      s.distortion_w.resize(c);
      s.distortion_d_w.resize(c);
      loss += 3.0 * ray_distortion_loss(s.sigma.data() + b, dt.data() + b, ts.data() + b, c, s.rays[r].t0,
                                        s.rays[r].t1, scale, s.distortion_w.data(), s.distortion_d_w.data(),
                                        s.d_sigma.data() + b, spacing) *
              out.rays_total_hint;
    }
  }

  if (out.grads.color.empty()) out.grads = network.make_gradients();  // (the explicit grids have no density MLP)
  out.grads.set_zero();
  // Ref-NeRF's normal regularizers R_o, R_p (ref_nerf_normals.h): dL/dn' for the head's
  // backward, their weights' gradient into d_sigma, and the backward of the density normals'
  // finite differences into the density network (their encoding gradient is scattered below,
  // after the samples').
  const bool ref_regularized = network.ref_head() && m > 0 &&
                               (config_.ref_nerf.orientation > 0.f || config_.ref_nerf.predicted_normal > 0.f);
  if (network.ref_head()) {
    std::fill(s.ws.ref.d_normal.begin(), s.ws.ref.d_normal.end(), 0.f);
    s.ws.ref.color_to_normal = step >= config_.ref_nerf.normal_detach_steps;
  }
  if (ref_regularized)
    loss += 3.0 * out.rays_total_hint *
            ref_nerf_regularizers(network, s.ws, pos.data(), dir.data(), s.sigma.data(), dt.data(),
                                  s.ray_begin.data(), s.ray_count.data(), n_rays, m, config_.ref_nerf,
                                  1.f / static_cast<float>(out.rays_total_hint), s.ref_normals, s.d_sigma.data(),
                                  out.grads);

  // 5. Backward through the MLPs.
  out.m = m;
  out.marched = marched;
  out.used = m;
  out.loss = loss;
  out.squared_error = squared_error;
  out.rays = n_rays;
  // The encoding's scatter backward runs after all chunks: keep what it reads (a fixed
  // encoding has no parameters, so nothing is kept for it).
  const bool keep_for_encoding = network.encoding_is_trained();
  const int E = network.encoding_dim();
  const size_t kept = keep_for_encoding ? static_cast<size_t>(m) : 0;
  out.pos.assign(pos.begin(), pos.begin() + 3 * kept);
  out.footprint.clear();
  if (keep_for_encoding && network.encoding_uses_footprint()) {
    // The footprints the forward read (Zip-NeRF's points are a function of the sample alone).
    const float* p = encoding_footprints(network.encoding_footprint_kind(), s.samples, ms.box_half, batch.warp, &s.mean,
                                         &out.footprint);
    out.pos.assign(p, p + 3 * kept);
  }
  const size_t offsets =  // Ref-NeRF's difference points (6 per sample R_p reads)
      ref_regularized && keep_for_encoding ? 6 * s.ref_normals.selected.size() : 0;
  out.d_enc.resize(static_cast<size_t>(E) * (kept + offsets));
  if (m == 0) return;
  if (transient_on) {
    // The transient head's gradient joins the color MLP's on the geometry features.
    network.color_backward(s.ws, m, s.d_rgb.data(), out.grads, sample_image);
    transient.backward(s.transient, sample_image, m, s.d_sigma_t.data(), s.d_rgb_t.data(), s.d_beta.data(),
                       s.ws.d_color_in.data(), network.config().geo_features, out.grads.transient);
    network.density_backward(s.ws, m, s.d_sigma.data(), out.grads);
  } else {
    network.backward(s.ws, m, s.d_sigma.data(), s.d_rgb.data(), out.grads, sample_image);
  }
  if (refine_poses)
    accumulate_pose_gradients(network, s.samples, s.ws.d_enc.data(), m,
                              {s.ray_begin.data(), s.ray_count.data(), s.ray_image.data(), s.ray_dir.data(), s.view_dirs.data(), n_rays},
                              ms.box_half, s.d_pos, out.pose_grads);
  // Nothing kept (a fixed encoding): d_enc is empty and its data() may be null, which memcpy must not get.
  if (kept != 0) std::memcpy(out.d_enc.data(), s.ws.d_enc.data(), static_cast<size_t>(E) * kept * sizeof(float));
  if (offsets != 0) {
    out.pos.insert(out.pos.end(), s.ref_normals.pos.begin(), s.ref_normals.pos.begin() + 3 * offsets);
    std::memcpy(out.d_enc.data() + static_cast<size_t>(E) * kept, s.ref_normals.ws.d_enc.data(),
                static_cast<size_t>(E) * offsets * sizeof(float));
    out.m = static_cast<int>(kept + offsets);
  }
}

double CpuBackend::transient_loss(int n_rays, int rays_total, ThreadScratch& s, double* squared_error) const {
  // NeRF-W's Eq. 10-13 per ray on all its used samples (the static field's early termination
  // chose them; the transient density only dims what lies behind sooner).
  const TransientConfig& tc = config_.network.transient;
  const int m = s.samples.size();
  s.d_sigma_t.resize(m);
  s.d_rgb_t.resize(3 * static_cast<size_t>(m));
  s.d_beta.resize(m);
  const float scale = 1.f / static_cast<float>(rays_total);
  double loss = 0.0;
  for (int r = 0; r < n_rays; ++r) {
    const int b = s.ray_begin[r], c = s.ray_count[r];
    float pred[3];
    const size_t b3 = 3 * static_cast<size_t>(b);
    const float l = transient_ray_loss(s.sigma.data() + b, s.rgb.data() + b3, s.sigma_t.data() + b, s.rgb_t.data() + b3,
                                       s.beta.data() + b, s.samples.dt.data() + b, c, s.background.data() + 3 * r,
                                       s.target.data() + 3 * r, tc.beta_min, tc.density_weight, scale,
                                       s.d_sigma.data() + b, s.d_rgb.data() + b3, s.d_sigma_t.data() + b,
                                       s.d_rgb_t.data() + b3, s.d_beta.data() + b, pred);
    loss += 3.0 * l;  // step() divides the sum by 3 per ray, as for the channel-summed losses
    for (int k = 0; k < 3; ++k) *squared_error += (pred[k] - s.target[3 * r + k]) * (pred[k] - s.target[3 * r + k]);
  }
  return loss;
}

BackendStepResult CpuBackend::step(const StepRequest& request) {
  const double t_start = now_seconds();
  const int step = request.step, n_rays = request.n_rays;
  BackendStepResult result;
  // A sampler that does not read the grid (NeRF's have none) gets no updates of it.
  const bool grid_in_use = config_.occupancy.enabled && sampler_->reads_occupancy_grid();
  if (grid_in_use && step % config_.occupancy.interval == 0) {
    model_.occupancy.update(model_.network, step, config_.seed);
    result.occupancy_seconds = now_seconds() - t_start;
  }
  // BARF (Lin et al. 2021): the encoding's coarse-to-fine weights at this point of training
  // (none when encoding.c2f is off) and the cameras' ray corrections.
  if (config_.c2f.enabled)
    model_.network.set_encoding_weights(coarse_to_fine_feature_weights(config_.network, config_.c2f, request.progress));
  if (config_.pose_refine.enabled) corrections_ = ray_corrections(model_.pose_refine, poses_);
  // An explicit grid's resolution schedule (TensoRF's upsampling): resized tensors restart
  // their Adam moments; where the encoding says so, as the paper's code makes a new optimizer,
  // every network tensor's moments and Adam's step count restart too and the rate goes back to
  // its initial value (optimizer_restart.h).
  if (model_.network.encoding().follow_schedule(request.progress)) {
    model_.fit_moments();
    const OptimizerRestart restart = model_.network.encoding().schedule_restart();
    restarts_.restart(restart, step, request.lr);
    if (restart.optimizer) model_.zero_network_moments();
  }
  const double t_march = now_seconds();
  // About 4096 evaluated (marched) samples per chunk keeps a chunk's activations in cache.
  const int rays_per_chunk =
      std::clamp(static_cast<int>(4096.f / std::max(request.mean_marched_per_ray, 1.f)), 8, 4096);
  const int n_chunks = (n_rays + rays_per_chunk - 1) / rays_per_chunk;
  while (static_cast<int>(chunks_.size()) < n_chunks) chunks_.emplace_back(std::make_unique<ChunkResult>());
  for (int k = 0; k < n_chunks; ++k) chunks_[k]->rays_total_hint = n_rays;

  parallel_for(n_chunks, [&](int64_t k) {
    const int first = static_cast<int>(k) * rays_per_chunk;
    const int count = std::min(rays_per_chunk, n_rays - first);
    process_chunk(step, first, count, *chunks_[k], *scratch_[cpu_thread_index()]);
  });
  const double t_scatter = now_seconds();
  result.march_seconds = t_scatter - t_march;

  // Adam's settings per tensor for this step.
  std::vector<ParamTensor> tensors = model_.param_tensors();
  std::vector<AdamStep> adam_steps;
  // Ref-NeRF's colour MLP eases in (field.ref_color_warmup_steps; math/lr_delay.h).
  const float color_delay = model_.network.ref_head()
                                ? lr_delay_factor(static_cast<float>(step),
                                                  static_cast<float>(config_.ref_nerf.color_warmup_steps), 0.01f)
                                : 1.f;
  const std::string color_prefix = std::string(kColorMlpTensors) + ".";
  // The schedule's rate and Adam's step count since the last restart (none: as they are).
  const float lr = restarts_.lr(request.lr, config_.optimizer.lr);
  const int adam_t = restarts_.adam_step(step);
  for (const ParamTensor& t : tensors) {
    const bool color_mlp = t.name.rfind(color_prefix, 0) == 0;
    adam_steps.push_back(tensor_adam_step(t, config_.optimizer, lr * (color_mlp ? color_delay : 1.f), adam_t));
  }

  // The encoding's scatter backward and Adam, slice by slice: each slice owns its part of the
  // gradient, so slices run in parallel without atomics; chunks are visited in order, so the
  // sum is deterministic; the slice's Adam update runs while its gradient is still in cache.
  const NerfNetwork& network = model_.network;
  const std::vector<GradientSlice> slices = network.encoding_gradient_slices();
  // A factorised grid's slices read each other's tensors (TensoRF: a plane's gradient reads its
  // line): all gradients first, then the updates.
  const bool updates_after_all = network.encoding().slices_read_other_tensors();
  const auto update_slice = [&](int64_t i) {
    const GradientSlice& slice = slices[i];
    adam_update_range(tensors[slice.tensor], model_.moments[slice.tensor], adam_steps[slice.tensor],
                      scatter_grads_[slice.tensor].data(), slice.begin, slice.end);
  };
  // A tensor the schedule resized gets a gradient buffer of its new size, here and not in the
  // loop below, whose slices may share one tensor.
  for (const GradientSlice& slice : slices)
    if (scatter_grads_[slice.tensor].size() != tensors[slice.tensor].size())
      scatter_grads_[slice.tensor].assign(tensors[slice.tensor].size(), 0.f);
  parallel_for(static_cast<int64_t>(slices.size()), [&](int64_t i) {
    const GradientSlice& slice = slices[i];
    float* grad = scatter_grads_[slice.tensor].data();
    for (int k = 0; k < n_chunks; ++k) {
      const ChunkResult& c = *chunks_[k];
      network.encoding_backward_slice(static_cast<int>(i), c.pos.data(),
                                      c.footprint.empty() ? nullptr : c.footprint.data(), c.d_enc.data(), c.m, grad);
    }
    network.encoding().add_regularizer_gradient(static_cast<int>(i), grad);  // TensoRF's L1 (else nothing)
    if (!updates_after_all) update_slice(i);
  });
  if (updates_after_all) parallel_for(static_cast<int64_t>(slices.size()), update_slice);
  // The networks the sampler's placement trains (the proposal sampler's), slice by slice in
  // the same way, the chunks' gradients summed in their order.
  const std::vector<GradientSlice> placement = sampler_->placement_gradient_slices(network, tensors);
  if (!placement.empty()) {
    std::vector<const SamplerGradients*> chunk_grads(n_chunks);
    for (int k = 0; k < n_chunks; ++k) chunk_grads[k] = chunks_[k]->sampler_grads.get();
    for (const GradientSlice& slice : placement)
      if (scatter_grads_[slice.tensor].size() != tensors[slice.tensor].size())
        scatter_grads_[slice.tensor].assign(tensors[slice.tensor].size(), 0.f);
    parallel_for(static_cast<int64_t>(placement.size()), [&](int64_t i) {
      const GradientSlice& slice = placement[i];
      float* grad = scatter_grads_[slice.tensor].data();
      sampler_->placement_backward_slice(network, static_cast<int>(i), chunk_grads.data(), n_chunks, grad);
      adam_update_range(tensors[slice.tensor], model_.moments[slice.tensor], adam_steps[slice.tensor], grad,
                        slice.begin, slice.end);
    });
  }
  const double t_opt = now_seconds();
  result.scatter_seconds = t_opt - t_scatter;

  double squared_error = 0.0;
  for (int k = 0; k < n_chunks; ++k) {
    const ChunkResult& c = *chunks_[k];
    result.marched_samples += c.marched;
    result.used_samples += c.used;
    result.loss += c.loss;
    result.sampler_loss += c.sampler_loss;
    squared_error += c.squared_error;
    result.rays += c.rays;
    if (k > 0) chunks_[0]->grads.add(c.grads);
  }
  result.loss /= 3.0 * std::max(result.rays, 1);
  result.mse = squared_error / (3.0 * std::max(result.rays, 1));
  // Adam on every other tensor, with the chunks' summed gradients (the network's come first in
  // the list; a module of its own would put its gradient after them).
  std::vector<float*> grads = network.gradients(chunks_[0]->grads);
  grads.resize(tensors.size(), nullptr);
  for (size_t i = 0; i < tensors.size(); ++i)
    if (grads[i]) adam_update_range(tensors[i], model_.moments[i], adam_steps[i], grads[i], 0, tensors[i].size());
  if (!corrections_.empty()) {  // the cameras' corrections, their gradients summed over the chunks in order
    std::vector<RayCorrectionGrad> pose_grads(corrections_.size());
    for (int k = 0; k < n_chunks; ++k)
      for (size_t i = 0; i < pose_grads.size(); ++i) {
        const RayCorrectionGrad& g = chunks_[k]->pose_grads[i];
        for (int a = 0; a < 3; ++a) {
          for (int b = 0; b < 3; ++b) pose_grads[i].dir_outer[a][b] += g.dir_outer[a][b];
          pose_grads[i].origin[a] += g.origin[a];
        }
      }
    const int t = find_tensor(tensors, kPoseRefineTensor);
    update_pose_corrections(tensors[t], model_.moments[t], model_.pose_refine, poses_, pose_grads, request.pose_lr,
                            step + 1);
  }
  result.optimizer_seconds = now_seconds() - t_opt;
  return result;
}

}  // namespace nerds
