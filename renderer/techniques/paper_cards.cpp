// The paper cards' text, one place for the CLI and the viewer. Facts and numbers are those of
// ../shared/design/PAPERS.md, with its source tags: [S1] NeRF (arXiv 2003.08934), [S2]
// Mip-NeRF (arXiv 2103.13415), [S3] Instant-NGP (arXiv 2201.05989). Toggle parameters that
// are not declared yet are the names their modules will declare (`nerds papers` marks them).
#include "renderer/techniques/paper_cards.h"

#include "renderer/error.h"

#include <cctype>

namespace nerds {
namespace {

std::vector<PaperCard> make_cards() {
  std::vector<PaperCard> cards;

  PaperCard nerf;
  nerf.id = "nerf";
  nerf.title = "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis";
  nerf.authors = "Ben Mildenhall, Pratul P. Srinivasan, Matthew Tancik, Jonathan T. Barron, Ravi Ramamoorthi, Ren Ng";
  nerf.year = 2020;
  nerf.venue = "ECCV";
  nerf.idea =
      "One MLP maps a 3D position and a viewing direction to a density and a colour, and is fitted to posed "
      "photographs through differentiable volume rendering. Encoding the inputs with sinusoids of increasing "
      "frequency lets the MLP represent fine detail, and a coarse-to-fine (hierarchical) sampling spends the "
      "samples where the coarse pass found content.";
  nerf.equations = {
      "Eq. 2: stratified samples t_i ~ U[t_n + (i-1)/N (t_f - t_n), t_n + i/N (t_f - t_n)]",
      "Eq. 3: C = sum_i T_i (1 - exp(-sigma_i delta_i)) c_i,  T_i = exp(-sum_{j<i} sigma_j delta_j)",
      "Eq. 4: gamma(p) = (sin(2^0 pi p), cos(2^0 pi p), ..., sin(2^{L-1} pi p), cos(2^{L-1} pi p)), "
      "L = 10 for positions, 4 for directions",
      "Eq. 5 and Sec. 5.2: w_i = T_i (1 - exp(-sigma_i delta_i)); N_f fine samples drawn by inverse transform "
      "sampling from the piecewise-constant PDF w_i / sum_j w_j (N_c = 64, N_f = 128)",
      "Eq. 6: L = sum_r ||C_c(r) - C(r)||^2 + ||C_f(r) - C(r)||^2",
      "App. C, Eq. 25-26 (NDC, forward-facing scenes): o' = (-f/(W/2) o_x/o_z, -f/(H/2) o_y/o_z, 1 + 2n/o_z), "
      "d' = (-f/(W/2) (d_x/d_z - o_x/o_z), -f/(H/2) (d_y/d_z - o_y/o_z), -2n/o_z)",
  };
  nerf.code = {"renderer/math/pdf_sampling.h",     "renderer/math/hierarchical_sampling.h",
               "renderer/math/compositing.h",     "renderer/math/positional_encoding.h",
               "renderer/backend/mlp.cpp",        "renderer/math/ndc.h",
               "renderer/data/ndc_reference.cpp", "renderer/data/llff_loader.cpp"};
  nerf.toggles = {
      {"encoding.kind", "frequency", "none", "positional encoding vs raw xyz: fine detail (PSNR 31.01 vs 28.77 [S1])"},
      {"sampler.kind", "hierarchical", "stratified",
       "coarse-to-fine PDF sampling vs as many stratified samples alone (31.01 vs 30.06 with 256 coarse samples "
       "[S1])"},
      {"warp.kind", "ndc", "none", "NDC rays for forward-facing captures (the forward scene, LLFF)", "forward",
       {"sampler.kind=hierarchical"}},
  };
  nerf.scene = "default";
  nerf.scene_why = "the positional-encoding and hierarchical-sampling ablations on an object; NDC shows on forward";
  nerf.headline =
      "Blender (NeRF-synthetic) 31.01 dB PSNR / 0.947 SSIM / 0.081 LPIPS; LLFF (real forward-facing) 26.50 / "
      "0.811 / 0.250";
  nerf.headline_source = "[S1] Mildenhall et al. 2020, Table 1 (arXiv 2003.08934)";
  cards.push_back(nerf);

  PaperCard mip;
  mip.id = "mip-nerf";
  mip.title = "Mip-NeRF: A Multiscale Representation for Anti-Aliasing Neural Radiance Fields";
  mip.authors =
      "Jonathan T. Barron, Ben Mildenhall, Matthew Tancik, Peter Hedman, Ricardo Martin-Brualla, Pratul P. "
      "Srinivasan";
  mip.year = 2021;
  mip.venue = "ICCV";
  mip.idea =
      "A pixel sees a cone, not a ray: each interval along it is a conical frustum, approximated by a Gaussian "
      "and encoded by the expected positional encoding under that Gaussian (the integrated positional encoding). "
      "Frequencies finer than the footprint fade out, so the MLP knows the sample's size and one MLP serves every "
      "scale without aliasing.";
  mip.equations = {
      "Eq. 7: t_mu = (t0+t1)/2, t_delta = (t1-t0)/2; mu_t = t_mu + 2 t_mu t_delta^2 / (3 t_mu^2 + t_delta^2); "
      "sigma_t^2 = t_delta^2/3 - 4 t_delta^4 (12 t_mu^2 - t_delta^2) / (15 (3 t_mu^2 + t_delta^2)^2); "
      "sigma_r^2 = rdot^2 (t_mu^2/4 + 5 t_delta^2/12 - 4 t_delta^4 / (15 (3 t_mu^2 + t_delta^2)))",
      "Eq. 8: mu = o + mu_t d,  Sigma = sigma_t^2 d d^T + sigma_r^2 (I - d d^T / |d|^2)",
      "Sec. 3.1 (IPE): gamma(mu, Sigma) = [sin(mu_gamma) * exp(-diag(Sigma_gamma)/2), cos(mu_gamma) * "
      "exp(-diag(Sigma_gamma)/2)],  diag(Sigma_gamma) = [diag(Sigma), 4 diag(Sigma), ..., 4^{L-1} diag(Sigma)]",
      "cone radius rdot = the pixel's width at t = 1 times 2/sqrt(12)",
  };
  mip.code = {"renderer/math/positional_encoding.h", "renderer/backend/sample_buffer.h", "renderer/math/pixel_cone.h",
              "renderer/math/training_ray.h"};
  mip.toggles = {
      {"encoding.kind", "ipe", "frequency",
       "cones with the integrated encoding vs rays with the plain one: aliasing across scales"},
      {"trainer.area_loss", "true", "false",
       "each pixel's loss weighted by its area (lossmult) on multiscale data, so small images still count "
       "(w/o area loss: 33.059 / 34.280 / 33.866 / 30.714 [S2 Table 1])"},
  };
  mip.scene = "multiscale";
  mip.scene_why = "aliasing needs content seen at several resolutions";
  mip.headline =
      "single-scale Blender 33.09 dB PSNR / 0.961 SSIM / 0.043 LPIPS (NeRF 31.01); multiscale Blender PSNR at "
      "full, 1/2, 1/4, 1/8 resolution 32.629 / 34.336 / 35.471 / 35.602 vs NeRF 31.196 / 30.647 / 26.252 / 22.533 "
      "(mean error -60%)";
  mip.headline_source = "[S2] Barron et al. 2021, Tables 1 and 2 (arXiv 2103.13415)";
  cards.push_back(mip);

  PaperCard ngp;
  ngp.id = "instant-ngp";
  ngp.title = "Instant Neural Graphics Primitives with a Multiresolution Hash Encoding";
  ngp.authors = "Thomas Müller, Alex Evans, Christoph Schied, Alexander Keller";
  ngp.year = 2022;
  ngp.venue = "SIGGRAPH (ACM TOG 41(4))";
  ngp.idea =
      "Trainable feature vectors sit at the corners of L grids of growing resolution; the fine grids live in "
      "fixed-size hash tables without collision handling, and the interpolated features of all levels feed a tiny "
      "MLP. With fused kernels and an occupancy grid that skips empty space, a NeRF trains in seconds to minutes.";
  ngp.equations = {
      "Eq. 2-3: N_l = floor(N_min b^l),  b = exp((ln N_max - ln N_min) / (L - 1))",
      "Eq. 4: h(x) = (XOR_{i=1..d} x_i pi_i) mod T,  pi = (1, 2654435761, 805459861); dense 1:1 indexing while "
      "(N_l + 1)^d <= T",
      "Sec. 5.2, App. E: 128^3 occupancy bits per cascade (EMA decay 0.95, threshold 0.01), steps of "
      "sqrt(3)/1024, rays stop at T < 1e-4",
  };
  ngp.code = {"renderer/math/hash_grid.h", "renderer/backend/hash_grid.cpp", "renderer/math/occupancy.h",
              "renderer/math/ray_march.h"};
  ngp.toggles = {
      {"encoding.kind", "hash", "frequency", "hash grid + tiny MLP vs frequency encoding: speed and fine detail"},
      {"occupancy.enabled", "true", "false", "empty-space skipping with the occupancy grid"},
      {"encoding.kind", "hash", "dense",
       "hashed fine levels vs a multiresolution dense grid that must stop at a coarser finest level "
       "(encoding.dense_max_resolution) to fit in memory"},
      {"encoding.log2_table_size", "19", "14", "table size T = 2^19 vs 2^14 per level: more hash collisions, fewer parameters"},
  };
  ngp.scene = "fine";
  ngp.scene_why = "hash vs frequency encoding shows on fine detail";
  ngp.headline =
      "Blender mean PSNR 32.64 dB after 1 min and 33.18 dB after 5 min of training on an RTX 3090 (mip-NeRF "
      "33.09, NeRF 31.01)";
  ngp.headline_source = "[S3] Müller et al. 2022, Table 2 (arXiv 2201.05989)";
  cards.push_back(ngp);

  return cards;
}

// Lower-case letters and digits only, so "Mip-NeRF", "mipnerf" and "mip-nerf" all match.
std::string folded(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const std::vector<PaperCard>& paper_cards() {
  static const std::vector<PaperCard> cards = make_cards();
  return cards;
}

const PaperCard* find_paper_card(const std::string& name) {
  const std::string wanted = folded(name);
  if (wanted.empty()) return nullptr;
  for (const PaperCard& card : paper_cards())
    if (folded(card.id) == wanted || folded(card.title) == wanted) return &card;
  return nullptr;
}

bool toggle_available(const PaperToggle& toggle, const ParamSet& params) {
  if (!params.has(toggle.param)) return false;
  ParamSet copy = params;
  try {
    copy.set_from_string(toggle.param + "=" + toggle.on);
    copy.set_from_string(toggle.param + "=" + toggle.off);
  } catch (const InputError&) {
    return false;
  }
  return true;
}

}  // namespace nerds
