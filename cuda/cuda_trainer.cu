// The CUDA backend (renderer/backend/training_backend.h): the steps of the CPU backend
// (renderer/backend/cpu_backend.cpp), each a GPU pass over the whole batch. A training step:
// rays (training_ray) -> march (count, prefix sum, write) -> density of every marched sample
// -> the samples before early termination, packed -> the network forward on them, keeping
// activations -> compositing, loss and its backward per ray (renderer/math/ray_loss.h, the
// CPU's body) -> the network backward -> Adam on every tensor. Three small read-backs per step
// (sample counts and the loss); everything else stays on the device.
#include <chrono>
#include <stdexcept>
#include <string>

#include "cuda/buffer.h"
#include "renderer/backend/device_info.h"
#include "cuda/device_network.cuh"
#include "cuda/device_occupancy.cuh"
#include "cuda/device_scan.cuh"
#include "cuda/launch.h"
#include "cuda/ray_samples.cuh"
#include "renderer/backend/training_backend.h"
#include "renderer/math/compositing.h"
#include "renderer/math/ray_loss.h"
#include "renderer/math/training_ray.h"

namespace nerds {
namespace cuda {
namespace {

struct TrainingRaysBody {
  TrainingImagesView images;
  uint64_t seed;
  int step;
  float *rays, *target, *background, *jitter;
  float* loss_weight;  // null: the loss is not weighted (trainer.area_loss off)
  __device__ void operator()(int64_t r) const {
    const TrainingRay tr = training_ray(images, seed, step, static_cast<int>(r));
    rays[6 * r] = tr.ray.origin.x;
    rays[6 * r + 1] = tr.ray.origin.y;
    rays[6 * r + 2] = tr.ray.origin.z;
    rays[6 * r + 3] = tr.ray.dir.x;
    rays[6 * r + 4] = tr.ray.dir.y;
    rays[6 * r + 5] = tr.ray.dir.z;
    for (int k = 0; k < 3; ++k) {
      target[3 * r + k] = tr.target[k];
      background[3 * r + k] = tr.background[k];
    }
    jitter[r] = tr.jitter;
    if (loss_weight) loss_weight[r] = tr.loss_weight;
  }
};

// One rendered pixel: its used samples composited (composite_pixel, as the CPU renderer's).
struct CompositeRenderBody {
  const float *sigma, *rgb, *dt, *t;
  const int *begin, *used, *marched;
  float min_transmittance, bg0, bg1, bg2;
  float *out_rgb, *out_depth, *out_opacity;
  int* out_samples;
  __device__ void operator()(int64_t r) const {
    const int64_t b = begin[r];
    CompositeResult cr;
    composite_forward(sigma + b, rgb + 3 * b, dt + b, t + b, used[r], min_transmittance, &cr);
    const float background[3] = {bg0, bg1, bg2};
    const CompositePixel p = composite_pixel(cr, background);
    for (int k = 0; k < 3; ++k) out_rgb[3 * r + k] = p.rgb[k];
    out_depth[r] = p.depth;
    out_opacity[r] = p.opacity;
    out_samples[r] = marched[r];
  }
};

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class CudaBackend final : public TrainingBackend {
 public:
  CudaBackend(const TrainConfig& config, const Dataset& data)
      : config_(config), network_(config.network), occupancy_(config.occupancy, scan_) {
    if (data.frames.empty() || data.rgba.empty()) throw std::invalid_argument("cuda trainer: empty training set");
    if (data.frame_images.size() != data.frames.size())
      throw std::invalid_argument("cuda trainer: the training images are not laid out (Dataset::lay_out_images)");
    std::vector<Pose> poses;
    std::vector<Intrinsics> intrinsics;
    for (const Frame& f : data.frames) {
      poses.push_back(f.pose);
      intrinsics.push_back(f.intrinsics);
    }
    poses_.upload(poses);
    intrinsics_.upload(intrinsics);
    frame_images_.upload(data.frame_images);  // the frames' sizes and places: the same draws as the CPU's
    rgba_.upload(data.rgba);
    images_.poses = poses_.data();
    images_.intrinsics = intrinsics_.data();
    images_.images = frame_images_.data();
    images_.rgba = rgba_.data();
    images_.n_images = static_cast<int>(data.frames.size());
    images_.n_pixels = data.total_pixels();
    images_.loss_weight_scale = data.loss_weight_scale();
    images_.background = static_cast<int>(config.background);
  }

  std::string device_name() const override { return cuda_device_info().name; }
  bool trains_host_model() const override { return false; }

  void upload(const PackedModel& model) override {
    network_.upload(model);
    if (config_.occupancy.enabled) occupancy_.upload(model.occupancy, scan_);
    synchronize("cuda trainer upload");
  }

  void download(PackedModel& model) const override {
    network_.download(model);
    if (config_.occupancy.enabled) model.occupancy = occupancy_.download();
  }

  void set_live_config(const TrainConfig& config) override {
    config_ = config;
    images_.background = static_cast<int>(config.background);  // the one live setting kept outside config_
  }

  size_t occupied_cells() const override { return occupancy_.occupied_count(); }

  BackendStepResult step(const StepRequest& request) override {
    const double t_start = now_seconds();
    const int step = request.step, n_rays = request.n_rays;
    cudaStream_t stream = nullptr;
    BackendStepResult result;
    if (config_.occupancy.enabled && step % config_.occupancy.interval == 0) {
      occupancy_.update(network_, batch_, step, config_.seed, scan_, stream);
      synchronize("occupancy update");
      result.occupancy_seconds = now_seconds() - t_start;
    }
    const double t_march = now_seconds();
    RaySamples& b = samples_;
    b.reserve_rays(n_rays);
    reserve_at_least(target_, 3 * static_cast<size_t>(n_rays));
    reserve_at_least(background_, 3 * static_cast<size_t>(n_rays));
    reserve_at_least(jitter_, static_cast<size_t>(n_rays));
    reserve_at_least(ray_loss_, static_cast<size_t>(n_rays));
    if (config_.area_loss) reserve_at_least(loss_weight_, static_cast<size_t>(n_rays));
    float* loss_weight = config_.area_loss ? loss_weight_.data() : nullptr;
    launch_items("training_rays", n_rays,
                 TrainingRaysBody{images_, config_.seed, step, b.rays.data(), target_.data(), background_.data(),
                                  jitter_.data(), loss_weight},
                 stream);
    march_rays(config_.march, occupancy_.view(), jitter_.data(), 0.f, b, scan_, stream);
    network_.density(b.pos.data(), b.marched, batch_, b.sigma.data(), stream);
    const int64_t m = pack_used_samples(config_.min_transmittance, b, scan_, stream);

    reserve_at_least(sigma_, static_cast<size_t>(m));
    reserve_at_least(rgb_, 3 * static_cast<size_t>(m));
    reserve_at_least(d_sigma_, static_cast<size_t>(m));
    reserve_at_least(d_rgb_, 3 * static_cast<size_t>(m));
    network_.forward(b.used_pos.data(), b.used_dir.data(), m, batch_, sigma_.data(), rgb_.data(), true, stream);
    CompositeLossBody composite{sigma_.data(), rgb_.data(), b.used_dt.data(), b.used_t.data(), background_.data(),
                                target_.data(), b.used_offset.data(), b.used_count.data(),
                                config_.min_transmittance, config_.huber_delta,
                                1.f / (3.f * static_cast<float>(n_rays)), config_.loss, ray_loss_.data(),
                                d_sigma_.data(), d_rgb_.data()};
    composite.loss_weight = loss_weight;  // Mip-NeRF's area loss when trainer.area_loss
    launch_items("composite_loss", n_rays, composite, stream);
    const float loss_sum = scan_.sum(ray_loss_.data(), n_rays, stream);
    network_.backward(b.used_pos.data(), m, batch_, d_sigma_.data(), d_rgb_.data(), stream);
    network_.adam(config_.optimizer, request.lr, step + 1, stream);
    synchronize("cuda training step");

    result.march_seconds = now_seconds() - t_march;  // the stages are not timed apart on the GPU
    result.rays = n_rays;
    result.marched_samples = b.marched;
    result.used_samples = m;
    result.loss = static_cast<double>(loss_sum) / (3.0 * n_rays);
    return result;
  }

  void render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) override {
    out.resize(n);
    cudaStream_t stream = nullptr;
    // Rays per pass: their samples (at most max_samples each, far fewer once the occupancy
    // grid has pruned empty space) fill RaySamples; the network runs on them in pieces.
    constexpr size_t kChunk = 1 << 16;
    for (size_t first = 0; first < n; first += kChunk) {
      const int count = static_cast<int>(std::min(kChunk, n - first));
      RaySamples& b = samples_;
      b.reserve_rays(count);
      std::vector<float> host_rays(6 * static_cast<size_t>(count));
      for (int r = 0; r < count; ++r) {
        const Ray& ray = rays[first + r];
        const float v[6] = {ray.origin.x, ray.origin.y, ray.origin.z, ray.dir.x, ray.dir.y, ray.dir.z};
        std::copy(v, v + 6, host_rays.begin() + 6 * static_cast<size_t>(r));
      }
      check(cudaMemcpy(b.rays.data(), host_rays.data(), host_rays.size() * sizeof(float), cudaMemcpyHostToDevice),
            "render rays");
      // Samples start half a step in, as the CPU renderer's.
      march_rays(settings.march, occupancy_.view(), nullptr, 0.5f, b, scan_, stream);
      network_.density(b.pos.data(), b.marched, batch_, b.sigma.data(), stream);
      const int64_t m = pack_used_samples(settings.min_transmittance, b, scan_, stream);
      reserve_at_least(sigma_, static_cast<size_t>(m));
      reserve_at_least(rgb_, 3 * static_cast<size_t>(m));
      network_.forward(b.used_pos.data(), b.used_dir.data(), m, batch_, sigma_.data(), rgb_.data(), false, stream);
      reserve_at_least(out_rgb_, 3 * static_cast<size_t>(count));
      reserve_at_least(out_depth_, static_cast<size_t>(count));
      reserve_at_least(out_opacity_, static_cast<size_t>(count));
      reserve_at_least(out_samples_, static_cast<size_t>(count));
      launch_items("composite_render", count,
                   CompositeRenderBody{sigma_.data(), rgb_.data(), b.used_dt.data(), b.used_t.data(),
                                       b.used_offset.data(), b.used_count.data(), b.count.data(),
                                       settings.min_transmittance, settings.background[0], settings.background[1],
                                       settings.background[2], out_rgb_.data(), out_depth_.data(),
                                       out_opacity_.data(), out_samples_.data()},
                   stream);
      out_rgb_.download(out.rgb.data() + 3 * first, 3 * static_cast<size_t>(count));
      out_depth_.download(out.depth.data() + first, count);
      out_opacity_.download(out.opacity.data() + first, count);
      out_samples_.download(out.samples.data() + first, count);
    }
  }

 private:
  TrainConfig config_;
  DeviceScan scan_;  // before occupancy_, whose constructor uses it
  DeviceNetwork network_;
  DeviceOccupancy occupancy_;
  NetworkBatch batch_;
  RaySamples samples_;
  DeviceBuffer<Pose> poses_;
  DeviceBuffer<Intrinsics> intrinsics_;
  DeviceBuffer<FrameImage> frame_images_;
  DeviceBuffer<uint8_t> rgba_;
  TrainingImagesView images_;
  DeviceBuffer<float> target_, background_, jitter_, ray_loss_, loss_weight_;
  DeviceBuffer<float> sigma_, rgb_, d_sigma_, d_rgb_;
  DeviceBuffer<float> out_rgb_, out_depth_, out_opacity_;
  DeviceBuffer<int> out_samples_;
};

}  // namespace
}  // namespace cuda

std::string cuda_backend_supports(const TrainConfig& config) {
  if (config.sampler.kind != kMarchSamplerKind)
    return "the CUDA backend implements occupancy-grid marching only (sampler.kind=" + std::string(kMarchSamplerKind) +
           "), not sampler.kind=" + config.sampler.kind;
  if (config.warp.kind == WarpKind::Ndc) return "the CUDA backend does not implement NDC rays (warp.kind=ndc)";
  if (config.warp.kind != WarpKind::None)
    return "the CUDA backend does not implement contracted rays (warp.kind=contract, Mip-NeRF 360)";
  if (config.network.grid.zip_downweight || config.network.grid.zip_multisample)
    return std::string("the CUDA backend does not implement Zip-NeRF's anti-aliased grid (encoding.") +
           (config.network.grid.zip_downweight ? "zip_downweight" : "zip_multisample") + "=true)";
  if (config.distortion_weight > 0.f)
    return "the CUDA backend does not implement Mip-NeRF 360's distortion loss (loss.distortion_weight > 0)";
  if (network_uses_ref_nerf(config.network))
    return "the CUDA backend does not implement Ref-NeRF's colour head (field.color=ref_nerf)";
  if (config.network.appearance.dim > 0)
    return "the CUDA backend does not implement NeRF-W's per-image appearance embeddings (appearance.kind=embedding)";
  if (config.network.transient.enabled)
    return "the CUDA backend does not implement NeRF-W's transient head (transient.enabled=true)";
  if (config.pose_refine.enabled)
    return "the CUDA backend does not implement BARF's pose refinement (camera.pose_refine)";
  if (config.c2f.enabled)
    return "the CUDA backend does not implement BARF's coarse-to-fine encoding schedule (encoding.c2f)";
  if (config.network.encoding == "tensorf")
    return "the CUDA backend does not implement TensoRF's factorised grids (encoding.kind=tensorf)";
  if (config.network.encoding == "plenoxels")
    return "the CUDA backend does not implement Plenoxels' sparse voxel grid (encoding.kind=plenoxels)";
  if (network_uses_sh_color(config.network))
    return "the CUDA backend does not implement the SH colour head with no network (field.color=sh)";
  if (config.network.encoding == "dvgo")
    return "the CUDA backend does not implement DVGO's voxel grids and stages (encoding.kind=dvgo)";
  if (network_density_from_encoding(config.network))
    return "the CUDA backend does not implement the explicit grids' density from the encoding (field.density=encoding)";
  if (!network_density_is_plain_exp(config.network))
    return "the CUDA backend implements the density activation trunc_exp with no shift or scale only "
           "(field.density_activation, field.density_shift, field.density_scale)";
  return cuda::device_network_supports(config.network);
}

std::unique_ptr<TrainingBackend> make_cuda_backend(const TrainConfig& config, const Dataset& train_set) {
  const std::string unsupported = cuda_backend_supports(config);
  if (!unsupported.empty()) throw std::invalid_argument(unsupported);
  const CudaDeviceInfo info = cuda_device_info();
  if (!info.available) throw std::runtime_error("cuda: " + info.reason);
  return std::make_unique<cuda::CudaBackend>(config, train_set);
}

}  // namespace nerds
