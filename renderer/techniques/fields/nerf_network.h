// The Instant-NGP radiance field (Müller et al. 2022, Sec. 5.4): position encoding (the hash
// grid, or any kind registered in encodings/encoding_kinds.cpp) ->
// density MLP (its first output is log-density, all outputs are geometry features) ->
// color MLP on [geometry features, SH(direction)] -> sigmoid RGB; density = trunc_exp.
// With 8 hidden layers of 256, a skip into layer 5, 257 geometry features and one color
// layer of 128 it is NeRF's MLP (Mildenhall et al. 2020, supplement Fig. 7), less its biases
// and with SH instead of frequencies for the direction.
// With field.density = encoding (the explicit grids: TensoRF, and Plenoxels and DVGO to come)
// there is no density MLP: the encoding's outputs are the geometry features, the first one the
// raw density; field.density_activation maps it to sigma (renderer/math/density_activation.h).
// With field.color = sh (Plenoxels) there is no colour MLP either: the features after the
// density are 3 x sh_degree^2 SH coefficients and rgb = field.sh_color_activation of
// SH(d) . coefficients (renderer/math/sh_color.h: the official code's clamp(s + 0.5, 0), or sigmoid).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/backend/mlp.h"
#include "renderer/techniques/fields/network_config.h"
#include "renderer/techniques/fields/ref_nerf_head.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/per_image/appearance_embeddings.h"
#include "renderer/techniques/per_image/transient_head.h"
#include "renderer/techniques/samplers/proposal_network.h"

namespace nerds {

// Per-thread buffers for one batch: activations kept for the backward pass.
// The widths a workspace's buffers were laid out for (NerfNetwork::workspace_layout): a
// workspace kept across renders may meet a network of another shape, which lays it out anew.
using WorkspaceLayout = std::array<int, 7>;

struct NetworkWorkspace {
  int capacity = 0;
  WorkspaceLayout layout{};
  std::vector<float> enc, density_hidden, color_in, color_hidden, color_out;
  std::vector<float> scratch0, scratch1, d_out, d_color_in, d_enc;
  std::vector<float> d_color_codes;  // with appearance codes: dL/d(geometry features, code), G + A rows
  std::vector<float*> density_hidden_ptrs, color_hidden_ptrs;
  RefHeadBuffers ref;  // field.color = ref_nerf only
};

// Per-thread buffers of an inference pass (rendering): each layer's output only until the
// next layer has read it (two hidden buffers in turn), nothing kept for a backward pass.
struct InferenceWorkspace {
  int capacity = 0;
  WorkspaceLayout layout{};
  std::vector<float> enc, hidden0, hidden1, color_in, color_out;
  std::vector<float*> density_hidden_ptrs, color_hidden_ptrs;  // hidden0, hidden1, hidden0, ...
  RefHeadBuffers ref;  // field.color = ref_nerf only
};

struct NetworkGradients {
  std::vector<Eigen::MatrixXf> density, color;
  std::vector<Eigen::MatrixXf> ref_head;  // Ref-NeRF's head (field.color = ref_nerf), else empty
  std::vector<float> appearance;  // NeRF-W's codes (AppearanceEmbeddings' layout; empty without them)
  TransientGradients transient;   // NeRF-W's transient head (empty without it)
  void set_zero();
  void add(const NetworkGradients& other);
};

class NerfNetwork {
 public:
  NerfNetwork() = default;
  explicit NerfNetwork(const NetworkConfig& config);

  const NetworkConfig& config() const { return config_; }
  // The position encoding of the configured kind (encodings/encoding_kinds.h).
  PositionEncoding& encoding() { return *encoding_; }
  const PositionEncoding& encoding() const { return *encoding_; }
  Mlp& density_mlp() { return density_; }
  const Mlp& density_mlp() const { return density_; }
  Mlp& color_mlp() { return color_; }
  const Mlp& color_mlp() const { return color_; }
  // Ref-NeRF's colour head (field.color = ref_nerf; ref_nerf_head.h), or null.
  const RefNerfHead* ref_head() const { return ref_head_.get(); }
  RefNerfHead* ref_head() { return ref_head_.get(); }
  // The proposal sampler's density networks, one per stage (config.proposal; none for the
  // other samplers). Trained by their own loss (proposal_sampler.cpp), not by backward().
  const std::vector<ProposalNetwork>& proposals() const { return proposals_; }
  std::vector<ProposalNetwork>& proposals() { return proposals_; }
  int encoding_dim() const { return encoding_dim_; }
  // NeRF-W's per-image parts (per_image/): the appearance codes the color MLP reads, and the
  // transient head the CPU backend runs beside the field while training.
  const AppearanceEmbeddings& appearance() const { return appearance_; }
  const TransientHead& transient() const { return transient_; }
  // Whether a training sample's image enters the field (its appearance code, its transient code).
  bool reads_image() const { return appearance_.dim() > 0 || transient_.enabled(); }
  // The appearance code renders use (dim() numbers: another training image's, a blend, a code
  // fitted to a test view); empty: the mean of the training images' codes.
  void set_view_appearance(std::vector<float> code);
  const std::vector<float>& view_appearance() const { return view_appearance_; }
  // Whether the encoding trains tensors of its own (the grids' tables; the frequency
  // encodings are fixed functions).
  bool encoding_is_trained() const { return encoding_tensor_count_ > 0; }
  int color_input_dim() const { return network_color_input_width(config_); }

  void initialize(uint64_t seed);
  void reserve(NetworkWorkspace& ws, int n) const;
  WorkspaceLayout workspace_layout() const;
  NetworkGradients make_gradients() const;

  // The trained tensors, in a fixed order (network_tensor_names.h): the encoding's (the grids'
  // table "encoding.grid"; the fixed encodings have none), then the density MLP's layers
  // ("field.density.<k>") and the color MLP's ("field.color.<k>"), Ref-NeRF's head
  // ("field.ref_head", with field.color = ref_nerf), then the proposal
  // networks' ("sampler.proposal.<stage>.grid", ".mlp.<k>"). Views of this network.
  std::vector<ParamTensor> param_tensors();
  // Where `grads` holds each of those tensors' gradient (same order, same layout); null for
  // the encoding's, which encoding_backward_slice scatters into a buffer of the caller's. The
  // proposal networks' tensors come after the list's end (their sampler computes theirs).
  std::vector<float*> gradients(NetworkGradients& grads) const;
  // The encoding's backward cut into slices that write disjoint entries (the grids: one level
  // each; PositionEncoding::gradient_slices), so a backend runs them in parallel without
  // atomics and can update each slice while its gradient is in cache. Empty for a fixed
  // encoding. A slice's tensor indexes param_tensors() (the encoding's come first).
  std::vector<GradientSlice> encoding_gradient_slices() const;
  // Slice `slice` of the encoding's backward: accumulates into `grad` (the whole gradient of
  // the slice's tensor) what n samples at pos contribute through dL/d(encoding) d_enc
  // (E x n, column-major: backward() leaves it in ws.d_enc).
  // var: the samples' footprints as the forward read them (encoding_footprint_kind), or null.
  void encoding_backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                               float* grad) const;

  // n samples: pos (3 each, [0,1]^3 of the grid), dir (3 each, unit). Writes sigma[n] and
  // rgb[3n]; keeps the activations in ws for backward(). var: for the IPE, each sample's
  // Gaussian covariance diagonal in the same coordinates (3 each; pos is then its mean, see
  // frustum_gaussians); null means points (zero variance: the IPE is the frequency encoding).
  void forward(const float* pos, const float* dir, int n, NetworkWorkspace& ws, float* sigma, float* rgb,
               const float* var = nullptr) const;
  // The density stage alone (occupancy grid updates, depth queries, and the first half of a
  // training forward): keeps its activations in ws.
  void density(const float* pos, int n, NetworkWorkspace& ws, float* sigma, const float* var = nullptr) const;
  // Whether the encoding reads the samples' footprints (var above): Mip-NeRF's IPE, Zip-NeRF's
  // grid; and what it reads of them (footprint_kind.h; sample_buffer.h's encoding_footprints).
  bool encoding_uses_footprint() const { return encoding_->uses_footprint(); }
  FootprintKind encoding_footprint_kind() const { return encoding_->footprint_kind(); }
  // The color stage for the first m samples whose density stage is in ws (dir: 3 each).
  // image: each sample's training image, whose appearance code the color MLP reads; null: the
  // code view_code (appearance().dim() numbers) for all, or without one the view appearance
  // (set_view_appearance).
  void color(const float* dir, int m, NetworkWorkspace& ws, float* rgb, const int* image = nullptr,
             const float* view_code = nullptr) const;
  // Ref-NeRF with field.ref_reflect_normals = density: the colour stage reflects about the
  // density normals (stop-gradient) of its samples, which the caller gives first: the m
  // samples' network positions (3 each, in the order of the next color()/infer_color()) into
  // ref (ws.ref). Without it that colour stage throws. forward() does it itself.
  bool reflects_density_normals() const { return ref_head_ && config_.ref_reflect_step > 0.f; }
  void reflection_normals(const float* pos, int m, RefHeadBuffers& ref) const;
  // Keeps only columns idx[0..m) (strictly ascending) of the density stage's activations, in
  // place, so the color stage and the backward pass run on the samples the loss sees.
  void compact_density_stage(NetworkWorkspace& ws, const int* idx, int m) const;
  // Copies columns [src, src + count) of `from`'s density stage to [dst, dst + count) of `to`
  // (reserved for them): samples evaluated in several batches, assembled in another order.
  void copy_density_stage(const NetworkWorkspace& from, int src, NetworkWorkspace& to, int dst, int count) const;
  // The same for every stored activation (after a full forward).
  void compact(NetworkWorkspace& ws, const int* idx, int m) const;
  // Inference (rendering; nothing is kept for a backward pass). infer_density: the density
  // stage of n samples (pos, var as in forward()) into sigma[n]; it leaves each sample's
  // geometry features in ws for infer_color. infer_color: the color stage of the m samples
  // idx[0..m) (strictly ascending) of the last infer_density, seen along dir (3 per selected
  // sample), into rgb[3m]; the same values as forward() gives those samples. A renderer runs
  // the color stage only on the samples that its compositing uses.
  void reserve(InferenceWorkspace& ws, int n) const;
  void infer_density(const float* pos, const float* var, int n, InferenceWorkspace& ws, float* sigma) const;
  void infer_color(const int* idx, int m, const float* dir, InferenceWorkspace& ws, float* rgb) const;

  // Per-feature weights of the encoding's output (BARF's coarse-to-fine schedule, set by the
  // backend each step: encodings/coarse_to_fine.h); empty (the default) means none, and then
  // the network runs exactly as it would without them.
  void set_encoding_weights(std::vector<float> weights) {
    if (!weights.empty() && static_cast<int>(weights.size()) != encoding_dim_)
      throw std::invalid_argument("NerfNetwork::set_encoding_weights: not one weight per encoding feature");
    encoding_weights_ = std::move(weights);
  }
  const std::vector<float>& encoding_weights() const { return encoding_weights_; }

  // Backward for the first m stored samples given dL/dsigma and dL/drgb (after the
  // activations). Accumulates into grads; leaves dL/d(encoding) in ws.d_enc (E x m).
  // image: as color() got it (the appearance codes' gradients go to those images). With
  // Ref-NeRF's head, ws.ref.d_normal holds dL/dn' of the normal regularizers (zero them when
  // there are none).
  void backward(NetworkWorkspace& ws, int m, const float* d_sigma, const float* d_rgb, NetworkGradients& grads,
                const int* image = nullptr) const;
  // backward() in its two halves, for a head that adds to dL/d(geometry features) between
  // them (NeRF-W's transient head): the color MLP's, leaving dL/d(geometry features) in
  // ws.d_color_in (G x m); then the density term and the density MLP's. With image null and
  // d_view_code given, the gradient of the view appearance code (summed over the samples) is
  // added to d_view_code (fitting a test view's code, renderer/train/appearance_fit.h).
  void color_backward(NetworkWorkspace& ws, int m, const float* d_rgb, NetworkGradients& grads,
                      const int* image = nullptr, float* d_view_code = nullptr) const;
  void density_backward(NetworkWorkspace& ws, int m, const float* d_sigma, NetworkGradients& grads) const;

  // The raw density tau (the density MLP's first output, before trunc_exp) of the first n
  // samples whose density stage is in ws: Ref-NeRF's normals are its negative gradient.
  void raw_densities(const NetworkWorkspace& ws, int n, float* tau) const;
  // Backward of the density stage alone from dL/dtau of n samples (Ref-NeRF's finite-difference
  // normals): into grads.density, leaving dL/d(encoding) in ws.d_enc (E x n).
  void backward_raw_density(NetworkWorkspace& ws, int n, const float* d_tau, NetworkGradients& grads) const;

 private:
  // The color stage on m samples whose geometry features are in color_in: their directions'
  // SH into color_in, the color MLP, sigmoid (kept in color_out) into rgb. Training and
  // inference run it on their own buffers.
  void color_stage(const float* dir, int m, float* color_in, float* const* hidden, float* color_out,
                   float* rgb, RefHeadBuffers& ref, const int* image, const float* view_code) const;
  // The density stage of n samples (positions, with their variances or null): the encoding
  // into enc (E x n, column-major), the density MLP (its hidden layers into hidden[k]) into
  // color_in's geometry rows (C x n), and sigma[n].
  void density_stage(const float* pos, const float* var, int n, float* enc, float* const* hidden, float* color_in,
                     float* sigma) const;

  // Multiplies each of n encodings (column-major, E rows) by encoding_weights_.
  void weigh_encoding(float* enc, int n) const;

  NetworkConfig config_;
  std::unique_ptr<PositionEncoding> encoding_;
  int encoding_dim_ = 0;
  int encoding_tensor_count_ = 0;
  Mlp density_, color_;
  std::unique_ptr<RefNerfHead> ref_head_;
  std::vector<ProposalNetwork> proposals_;
  AppearanceEmbeddings appearance_;
  TransientHead transient_;
  std::vector<float> view_appearance_;
  std::vector<float> encoding_weights_;  // encoding_dim() of them, or none
};

}  // namespace nerds
