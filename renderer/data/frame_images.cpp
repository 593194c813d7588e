// Reading a dataset's frame images: on 2 threads (lego has 100-400 images), each checked
// against its frame's size (frames may differ: Mip-NeRF's multiscale Blender), box-downscaled
// and stored as RGBA8 at its place in the dataset's pixel array.
#include <algorithm>
#include <cstring>
#include <exception>
#include <new>
#include <filesystem>
#include <thread>

#include "renderer/data/dataset_loaders.h"
#include "renderer/error.h"

namespace nerds::dataset_loaders {
namespace {

constexpr unsigned kLoaderThreads = 2;

bool channels_have_alpha(int channels) { return channels == 2 || channels == 4; }

}  // namespace

ImageInfo frame_image_info(const std::string& image_path, const FrameOrigin& origin) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(image_path, ec))
    throw InputError(origin.json_file, origin.field("file_path"), "image not found: " + image_path);
  try {
    return read_image_info(image_path);
  } catch (const InputError& e) {
    throw InputError(origin.json_file, origin.field("file_path"), e.what());
  }
}

namespace {

// The header of frame i's image, which must be the size its frame declares.
ImageInfo checked_frame_header(const ParsedFrames& parsed, size_t i) {
  const FrameOrigin& origin = parsed.origins[i];
  const std::string& path = parsed.frames[i].image_path;
  const ImageInfo info = frame_image_info(path, origin);
  const Intrinsics& full = parsed.frames[i].intrinsics;
  if (info.width != full.width || info.height != full.height)
    throw InputError(origin.json_file, origin.field("file_path"),
                     path + " is " + std::to_string(info.width) + "x" + std::to_string(info.height) +
                         ", but its frame is " + std::to_string(full.width) + "x" + std::to_string(full.height) +
                         (origin.declares_size ? " (" + origin.field("w") + ", " + origin.field("h") + ")"
                                               : std::string(" (the size of the file's images)")));
  return info;
}

}  // namespace

void load_frame_images(const ParsedFrames& parsed, int downscale, bool load_pixels, Dataset* dataset) {
  const size_t count = parsed.frames.size();
  // Every image's header against its frame before the pixel array is allocated: a w/h field
  // or a header claiming a huge image is an error naming it, never an allocation attempt.
  std::vector<char> has_alpha(count, 0);
  for (size_t i = 0; i < count; ++i) has_alpha[i] = channels_have_alpha(checked_frame_header(parsed, i).channels);
  if (load_pixels) {
    const size_t bytes = dataset->total_pixels() * 4;
    try {
      dataset->rgba.assign(bytes, 0);
    } catch (const std::bad_alloc&) {
      throw InputError(dataset->root, "",
                       "out of memory allocating the images of " + std::to_string(count) + " frames (" +
                           std::to_string(bytes >> 20) + " MiB as RGBA8); load them smaller (downscale)");
    }
  } else {
    dataset->rgba.clear();
  }

  std::vector<std::exception_ptr> errors(count);
  auto load_one = [&](size_t i) {
    const FrameOrigin& origin = parsed.origins[i];
    const std::string& path = parsed.frames[i].image_path;
    Image8 image;
    try {
      image = read_image(path, 4);
      if (downscale > 1) image = downscale_image(image, downscale);
    } catch (const InputError& e) {
      throw InputError(origin.json_file, origin.field("file_path"), e.what());
    }
    // downscale_image floors the size as the frame's downscaled intrinsics do: it fits its place.
    std::memcpy(dataset->rgba.data() + dataset->frame_images[i].first_pixel * 4, image.pixels.data(),
                image.pixels.size());
  };
  // Worker t takes frames t, t + T, t + 2T, ... and stops at its first error; the error of
  // the lowest frame index is reported, so the message does not depend on thread timing.
  const unsigned thread_count = load_pixels ? static_cast<unsigned>(std::min<size_t>(kLoaderThreads, count)) : 0u;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < thread_count; ++t)
    workers.emplace_back([&, t] {
      for (size_t i = t; i < count; i += thread_count) {
        try {
          load_one(i);
        } catch (...) {
          errors[i] = std::current_exception();
          return;
        }
      }
    });
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);

  dataset->has_alpha = false;
  for (char alpha : has_alpha) dataset->has_alpha = dataset->has_alpha || alpha;
}

}  // namespace nerds::dataset_loaders
