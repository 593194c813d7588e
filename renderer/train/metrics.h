// Image quality metrics as NeRF papers report them: MSE, PSNR and SSIM on float images in
// [0, 1], interleaved row-major (pixel (x, y) channel c at (y * width + x) * channels + c).
#pragma once

#include <cstddef>

namespace nerds {

// Mean of the squared differences over n values (accumulated in double).
double mse(const float* a, const float* b, size_t n);
// -10 log10(mse) for a data range of 1; +inf for mse == 0.
double psnr_from_mse(double mse);
double psnr(const float* a, const float* b, size_t n);

// SSIM of Wang et al. 2004 ("Image quality assessment: from error visibility to structural
// similarity", eq. 13) as computed by the NeRF / mip-NeRF evaluation code: 11x11 Gaussian
// window with sigma 1.5, K1 = 0.01, K2 = 0.03, data range 1, 'valid' filtering (no padding,
// so only the (width-10) x (height-10) windows that fit), each channel separately, averaged
// over every window of every channel. Throws std::invalid_argument when the image is
// smaller than the window.
double ssim(const float* a, const float* b, int width, int height, int channels);

}  // namespace nerds
