// Ref-NeRF's colour head (Verbin et al. 2022, Sec. 3-4, Fig. 2; field.color = ref_nerf), on
// the density MLP's geometry features f (G of them) of each sample:
//   a linear head with biases on f gives g (3), the roughness's raw value (1), the diffuse colour's (3) and
//   the specular tint's (3) (multinerf models.py: dense layers on the spatial MLP's output);
//   n' = -g/|g| (predicted normal), roughness = softplus(raw - 1), c_d = sigmoid(raw - log 3),
//   s = sigmoid(raw);
//   the colour MLP reads [f, IDE(reflect(-d, n'), roughness), n'.d] and gives c_s = sigmoid(out);
//   c = clip(linear_to_srgb(s * c_s + c_d), 0, 1).
// The formulas are renderer/math/ref_nerf.h and integrated_dir_encoding.h. Departures from the
// paper's network: f (the density MLP's linear output) is the bottleneck the colour MLP reads and
// the heads' input; no bottleneck noise. The colour is padded to [-0.001, 1.001] as the code does.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "renderer/math/integrated_dir_encoding.h"
#include "renderer/model/param_tensor.h"

namespace nerds {

constexpr const char* kRefNerfHeadTensor = "field.ref_head";  // [10, geo_features + 1]: weights, then the biases
constexpr int kRefHeadOutputs = 10;  // g (3), roughness (1), diffuse (3), tint (3)

// Per-sample values of one batch, kept for the backward pass (columns of samples).
struct RefHeadBuffers {
  std::vector<float> raw;        // head outputs, 10 per sample
  std::vector<float> normal;     // n' (3 per sample)
  std::vector<float> roughness;  // 1 per sample
  std::vector<float> refdir;     // w_r (3)
  std::vector<float> view;       // the ray's direction d (3)
  std::vector<float> linear;     // s * c_s + c_d before the tone map (3)
  std::vector<float> d_normal;   // dL/dn' from the normal regularizers (R_o, R_p), set by the trainer (3)
  std::vector<float> d_color_in; // dL/d(colour MLP input), all rows
  bool color_to_normal = true;   // false: the colour loss stops at n' (field.ref_normal_detach_steps), set by the trainer
  // field.ref_reflect_normals = density: the density normals (3 per sample) that the next colour
  // stage of reflect_count samples reflects about instead of n' (NerfNetwork::reflection_normals);
  // reflected_density: the last encode did so (its backward sends no colour gradient to n').
  std::vector<float> reflect_normal;
  int reflect_count = -1;
  bool reflected_density = false;
  // Scratch of those normals' central differences (the density stage at 6 points per sample).
  std::vector<float> fd_pos, fd_enc, fd_hidden, fd_color_in, fd_sigma;
  std::vector<float*> fd_hidden_ptrs;
  void reserve(size_t n, int color_input_width);
  // Keeps columns idx[0..m) (strictly ascending) in place.
  void compact(const int* idx, int m, int color_input_width);
};

class RefNerfHead {
 public:
  RefNerfHead(int geo_features, int ide_degree);

  int geo_features() const { return static_cast<int>(weights_.cols()) - 1; }
  int ide_width() const { return nerds::ide_width(table_.terms); }
  const IdeTable& ide_table() const { return table_; }
  Eigen::MatrixXf& weights() { return weights_; }
  const Eigen::MatrixXf& weights() const { return weights_; }

  void initialize(uint64_t seed);  // Xavier-uniform, as the MLPs
  ParamTensor param_tensor();

  // Before the colour MLP: m samples whose geometry features are rows [0, G) of color_in
  // (ld = the colour MLP's input width): the head, and rows [G, ...) of color_in = [IDE, n'.d].
  // reflect_normals (3 per sample) not null: the reflection and n.d use them instead of n'
  // (the density normals, field.ref_reflect_normals = density), and the colour's gradient
  // reaches neither them nor n'.
  void encode(const float* dir, int m, float* color_in, int ld, RefHeadBuffers& b,
              const float* reflect_normals = nullptr) const;
  // After it: spec = the colour MLP's sigmoid outputs (3 per sample) -> rgb.
  void finish(const float* spec, int m, const float* color_in, int ld, RefHeadBuffers& b, float* rgb) const;
  // Backward of finish: dL/d(colour MLP's pre-sigmoid outputs) into d_out (3 per sample).
  void finish_backward(const float* d_rgb, const float* spec, const float* color_in, int ld, int m,
                       const RefHeadBuffers& b, float* d_out) const;
  // Backward of encode, after the colour MLP's backward left dL/d(its input) in b.d_color_in
  // (all rows, ld): with b.d_normal (R_o, R_p), into the head's gradient and dL/df, added to
  // d_features (G rows, ld_features). d_rgb/spec as finish_backward (for the diffuse and tint
  // outputs).
  void encode_backward(const float* d_rgb, const float* spec, const float* color_in, int ld, int m,
                       const RefHeadBuffers& b, Eigen::MatrixXf& d_weights, float* d_features,
                       int ld_features) const;

 private:
  // kRefHeadOutputs x (G + 1): the linear heads' weights, the last column their biases (multinerf's
  // heads are flax Dense layers, with biases: without them the diffuse colour, the tint and the
  // roughness can leave their start values only as fast as the geometry features grow)
  Eigen::MatrixXf weights_;
  IdeTable table_;
};

}  // namespace nerds
