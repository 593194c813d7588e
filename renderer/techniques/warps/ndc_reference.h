// The reference camera of NeRF's NDC warp for a dataset (Mildenhall et al. 2020, Appendix C;
// renderer/math/ndc.h): the camera whose frustum, from its near plane to infinity, becomes
// the cube [-1, 1]^3. NDC suits forward-facing captures only, where every camera looks
// roughly the same way and the scene lies in front of them all.
// - LLFF (format "llff"): the loader's world frame is NeRF's load_llff frame (llff_loader.cpp:
//   recentered on the mean pose of all images, nearest content at depth 1/0.75), so the
//   reference is the identity pose with near plane 1, as NeRF's ndc_rays(H, W, focal, 1.0).
// - Other formats: the mean pose of the frames (mean position; z the mean back axis, x = up x z
//   with up the mean up axis, y = z x x: the same average as LLFF's recentering), and the near
//   plane 0.75 x the dataset's near bound (LLFF's ratio, bd_factor), or without one the depth
//   of the scene box's nearest corner (the box holds the content, so all of it lies beyond).
// Either way the focal length and image size are the first frame's (principal point at the
// image center; lens distortion is ignored), and the block of NDC the box holds
// (NdcWarp::extent_x, extent_y) is the smallest that holds what every training camera sees
// from its near bound to infinity (at least NeRF's cube [-1, 1]^3).
#pragma once

#include <string>

#include "renderer/data/dataset.h"
#include "renderer/math/ndc.h"

namespace nerds {

struct NdcReference {
  bool valid = false;
  std::string why_not;  // when !valid: why NDC does not apply to the dataset
  NdcWarp warp;         // when valid
};

NdcReference ndc_reference(const Dataset& data);

}  // namespace nerds
