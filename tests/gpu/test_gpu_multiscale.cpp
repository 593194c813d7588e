// The CUDA trainer on images of two sizes (Mip-NeRF's multiscale Blender) with the area loss:
// the GPU draws the same rays over all pixels of all images (the frames' sizes and places are
// uploaded) and weighs their loss by lossmult as the CPU step does. Prints "gpu test
// skipped: ..." and returns where there is no usable GPU.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "renderer/data/image_io.h"
#include "renderer/model/packed_model.h"
#include "renderer/train/trainer.h"
#include "tests/gpu/gpu_test_support.h"

namespace nerds {
namespace {

// Every view of `data` again at half size (box-downscaled, intrinsics halved, lossmult 4),
// after the full-size ones.
std::shared_ptr<Dataset> with_half_size_views(const Dataset& data) {
  auto d = std::make_shared<Dataset>(data);
  for (size_t i = 0; i < data.frames.size(); ++i) {
    Frame f = data.frames[i];
    f.intrinsics.fx *= 0.5f;
    f.intrinsics.fy *= 0.5f;
    f.intrinsics.cx *= 0.5f;
    f.intrinsics.cy *= 0.5f;
    f.intrinsics.width /= 2;
    f.intrinsics.height /= 2;
    f.lossmult = 4.f;
    d->frames.push_back(f);
    Image8 full;
    full.width = data.frame_images[i].width;
    full.height = data.frame_images[i].height;
    full.channels = 4;
    full.pixels.assign(data.image(i), data.image(i) + data.pixel_count(i) * 4);
    const Image8 half = downscale_image(full, 2);
    d->rgba.insert(d->rgba.end(), half.pixels.begin(), half.pixels.end());
  }
  d->lay_out_images();
  return d;
}

}  // namespace

TEST_CASE("gpu training step on two image sizes with the area loss: the same rays, loss and updates as the CPU") {
  if (!nerds_test::gpu_or_skip()) return;
  TrainConfig config;
  config.network.grid.levels = 8;
  config.network.grid.log2_table_size = 15;
  config.network.grid.max_resolution = 256;
  config.batch_samples = 1 << 14;
  config.occupancy.enabled = false;  // the grid update draws its random cells differently per backend
  config.area_loss = true;
  const auto data = with_half_size_views(*nerds_test::synthetic_dataset(8, 48, 7));
  REQUIRE(data->total_pixels() == 8u * (48 * 48 + 24 * 24));
  Trainer cpu(config, data), gpu(config, data, true);
  const StepStats a = cpu.step(), b = gpu.step();
  MESSAGE("step 1: rays " << a.rays << "/" << b.rays << ", used " << a.used_samples << "/" << b.used_samples
                          << ", loss " << a.loss << "/" << b.loss);
  CHECK(a.rays == b.rays);
  CHECK(std::abs(a.used_samples - b.used_samples) <= a.used_samples / 50 + 1);
  CHECK(std::abs(a.loss - b.loss) <= 0.02 * a.loss);
  // The weights reach the gradients: Adam's first moments agree as in the one-size step.
  const PackedModel ca = nerds_test::packed(cpu), ga = nerds_test::packed(gpu);
  for (const char* tensors : {"field.density.", "field.color.", "encoding."}) {
    CAPTURE(tensors);
    CHECK(nerds_test::relative_l2(nerds_test::joined(ga, tensors, nerds_test::Part::AdamM),
                                  nerds_test::joined(ca, tensors, nerds_test::Part::AdamM)) < 5e-2);
  }
}

}  // namespace nerds
