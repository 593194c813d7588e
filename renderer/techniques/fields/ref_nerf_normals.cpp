#include "renderer/techniques/fields/ref_nerf_normals.h"

#include <algorithm>

#include "renderer/math/compositing.h"
#include "renderer/math/ref_nerf.h"

namespace nerds {

void finite_difference_points(const float* pos, int n, float h, std::vector<float>& out) {
  out.resize(18 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 6; ++k) {
      float* p = out.data() + (6 * static_cast<size_t>(i) + k) * 3;
      for (int a = 0; a < 3; ++a) p[a] = pos[3 * i + a];
      p[k % 3] = std::clamp(p[k % 3] + (k < 3 ? h : -h), 0.f, 1.f);
    }
}

void density_normals(const NerfNetwork& network, const float* pos, int n, float h, DensityNormalScratch& s,
                     float* normals, float* g) {
  finite_difference_points(pos, n, h, s.pos);
  const int n6 = 6 * n;
  s.sigma.resize(n6);
  s.tau.resize(n6);
  if (n == 0) return;
  network.density(s.pos.data(), n6, s.ws, s.sigma.data());
  network.raw_densities(s.ws, n6, s.tau.data());
  for (int i = 0; i < n; ++i) {
    const float* t = s.tau.data() + 6 * static_cast<size_t>(i);
    const Vec3 grad = finite_difference_gradient(t, t + 3, h);
    const Vec3 nrm = negative_normalized(grad);
    normals[3 * i] = nrm.x;
    normals[3 * i + 1] = nrm.y;
    normals[3 * i + 2] = nrm.z;
    if (g) {
      g[3 * i] = grad.x;
      g[3 * i + 1] = grad.y;
      g[3 * i + 2] = grad.z;
    }
  }
}

double ref_nerf_regularizers(const NerfNetwork& network, NetworkWorkspace& ws, const float* pos, const float* dir,
                             const float* sigma, const float* dt, const int* begin, const int* count, int n_rays,
                             int m, const RefNerfLossWeights& weights, float scale, DensityNormalScratch& s,
                             float* d_sigma, NetworkGradients& grads) {
  std::vector<float> w(m), d_w(m);
  for (int r = 0; r < n_rays; ++r) {
    float T = 1.f;
    for (int i = begin[r]; i < begin[r] + count[r]; ++i) w[i] = composite_step(sigma[i], dt[i], &T).weight;
  }
  // R_p's samples: those whose weight reaches weights.normal_min_weight (all at 0); only they
  // pay for the 6 finite-difference densities and their backward.
  s.selected.clear();
  std::vector<int> slot(m, -1);  // sample -> its row among the selected, or -1
  if (weights.predicted_normal > 0.f)
    for (int i = 0; i < m; ++i)
      if (w[i] >= weights.normal_min_weight) {
        slot[i] = static_cast<int>(s.selected.size());
        s.selected.push_back(i);
      }
  const int k_sel = static_cast<int>(s.selected.size());
  std::vector<float> sel_pos(3 * static_cast<size_t>(k_sel));
  for (int j = 0; j < k_sel; ++j)
    for (int a = 0; a < 3; ++a) sel_pos[3 * j + a] = pos[3 * static_cast<size_t>(s.selected[j]) + a];
  std::vector<float> n(3 * static_cast<size_t>(k_sel)), g(3 * static_cast<size_t>(k_sel));
  density_normals(network, sel_pos.data(), k_sel, weights.normal_step, s, n.data(), g.data());
  s.d_tau.assign(6 * static_cast<size_t>(k_sel), 0.f);
  RefHeadBuffers& b = ws.ref;
  double loss = 0.0;
  const float lo = weights.orientation * scale, lp = weights.predicted_normal * scale;
  for (int r = 0; r < n_rays; ++r) {
    const int first = begin[r], c = count[r];
    for (int i = first; i < first + c; ++i) {
      const Vec3 np = make_vec3(b.normal[3 * i], b.normal[3 * i + 1], b.normal[3 * i + 2]);
      const Vec3 d = make_vec3(dir[3 * i], dir[3 * i + 1], dir[3 * i + 2]);
      const float term_o = lo * orientation_term(np, d);
      float term = term_o;
      Vec3 d_np = orientation_term_grad(np, d) * lo;
      if (const int j = slot[i]; j >= 0) {
        // R_p: dL/dn' and dL/dn, then through n = -normalize(g) into the 6 taus.
        const Vec3 ni = make_vec3(n[3 * j], n[3 * j + 1], n[3 * j + 2]);
        term += lp * predicted_normal_term(ni, np);
        d_np = d_np - ni * lp;
        const Vec3 d_g =
            negative_normalized_backward(make_vec3(g[3 * j], g[3 * j + 1], g[3 * j + 2]), np * (-lp * w[i]));
        const float k = 0.5f / weights.normal_step;
        float* dt6 = s.d_tau.data() + 6 * static_cast<size_t>(j);
        for (int a = 0; a < 3; ++a) {
          dt6[a] = d_g[a] * k;
          dt6[a + 3] = -d_g[a] * k;
        }
      }
      loss += w[i] * term;
      d_w[i] = weights.orientation_detach_weights ? term - term_o : term;  // dL/dw_i
      d_np = d_np * w[i];
      b.d_normal[3 * i] = d_np.x;
      b.d_normal[3 * i + 1] = d_np.y;
      b.d_normal[3 * i + 2] = d_np.z;
    }
    composite_weights_backward(sigma + first, dt + first, c, d_w.data() + first, d_sigma + first);
  }
  if (k_sel > 0) network.backward_raw_density(s.ws, 6 * k_sel, s.d_tau.data(), grads);
  return loss;
}

}  // namespace nerds
