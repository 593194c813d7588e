#include "renderer/train/packed_model.h"

#include <stdexcept>

namespace nerds {

AdamState zero_adam_state(const NerfNetwork& network) {
  AdamState adam;
  adam.grid_m.assign(network.grid().param_count(), 0.f);
  adam.grid_v = adam.grid_m;
  for (const Mlp* mlp : {&network.density_mlp(), &network.color_mlp()})
    for (const Eigen::MatrixXf& w : mlp->weights()) {
      adam.mlp_m.push_back(Eigen::MatrixXf::Zero(w.rows(), w.cols()));
      adam.mlp_v.push_back(Eigen::MatrixXf::Zero(w.rows(), w.cols()));
    }
  return adam;
}

// Eigen matrices are column-major; the packed layout is row-major (outputs x inputs).
std::vector<float> pack_matrices(const std::vector<Eigen::MatrixXf>& ms) {
  std::vector<float> out;
  for (const Eigen::MatrixXf& m : ms)
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c) out.push_back(m(r, c));
  return out;
}

namespace {

void unpack_matrices(const std::vector<float>& in, std::vector<Eigen::MatrixXf>& ms) {
  size_t i = 0;
  for (Eigen::MatrixXf& m : ms) {
    if (i + static_cast<size_t>(m.size()) > in.size()) throw std::logic_error("unpack_model: MLP array too short");
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c) m(r, c) = in[i++];
  }
}

PackedMlp pack_mlp(const Mlp& mlp, const std::vector<Eigen::MatrixXf>& m, const std::vector<Eigen::MatrixXf>& v) {
  PackedMlp p;
  for (const Eigen::MatrixXf& w : mlp.weights()) {
    p.rows.push_back(static_cast<int>(w.rows()));
    p.cols.push_back(static_cast<int>(w.cols()));
  }
  p.weights = pack_matrices(mlp.weights());
  p.adam_m = pack_matrices(m);
  p.adam_v = pack_matrices(v);
  return p;
}

// The slice [begin, begin + count) of a vector of matrices, as a vector.
std::vector<Eigen::MatrixXf> slice(const std::vector<Eigen::MatrixXf>& ms, size_t begin, size_t count) {
  return std::vector<Eigen::MatrixXf>(ms.begin() + begin, ms.begin() + begin + count);
}

}  // namespace

PackedModel pack_model(const NerfNetwork& network, const OccupancyGrid& occupancy, const AdamState& adam) {
  PackedModel p;
  p.grid = network.grid().params();
  p.grid_m = adam.grid_m;
  p.grid_v = adam.grid_v;
  const size_t nd = network.density_mlp().weights().size(), nc = network.color_mlp().weights().size();
  p.density = pack_mlp(network.density_mlp(), slice(adam.mlp_m, 0, nd), slice(adam.mlp_v, 0, nd));
  p.color = pack_mlp(network.color_mlp(), slice(adam.mlp_m, nd, nc), slice(adam.mlp_v, nd, nc));
  p.occupancy = occupancy.values();
  return p;
}

void unpack_model(const PackedModel& p, NerfNetwork& network, OccupancyGrid& occupancy, AdamState& adam) {
  if (p.grid.size() != network.grid().params().size() || p.occupancy.size() != occupancy.values().size())
    throw std::logic_error("unpack_model: array sizes differ from the model's");
  network.grid().params() = p.grid;
  adam.grid_m = p.grid_m;
  adam.grid_v = p.grid_v;
  unpack_matrices(p.density.weights, network.density_mlp().weights());
  unpack_matrices(p.color.weights, network.color_mlp().weights());
  const size_t nd = network.density_mlp().weights().size(), nc = network.color_mlp().weights().size();
  std::vector<Eigen::MatrixXf> dm = slice(adam.mlp_m, 0, nd), dv = slice(adam.mlp_v, 0, nd);
  std::vector<Eigen::MatrixXf> cm = slice(adam.mlp_m, nd, nc), cv = slice(adam.mlp_v, nd, nc);
  unpack_matrices(p.density.adam_m, dm);
  unpack_matrices(p.density.adam_v, dv);
  unpack_matrices(p.color.adam_m, cm);
  unpack_matrices(p.color.adam_v, cv);
  for (size_t k = 0; k < nd; ++k) {
    adam.mlp_m[k] = dm[k];
    adam.mlp_v[k] = dv[k];
  }
  for (size_t k = 0; k < nc; ++k) {
    adam.mlp_m[nd + k] = cm[k];
    adam.mlp_v[nd + k] = cv[k];
  }
  occupancy.values() = p.occupancy;
  occupancy.rebuild_bits();
}

}  // namespace nerds
