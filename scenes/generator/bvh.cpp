#include "scenes/generator/bvh.h"

#include <algorithm>
#include <limits>

namespace nerds::scenes {

namespace {

constexpr int kBins = 16;
constexpr int kMaxLeaf = 4;
constexpr int kMaxDepth = 48;  // keeps the traversal stack (64 entries) from overflowing

Aabb empty_box() {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  return {make_vec3(kInf, kInf, kInf), make_vec3(-kInf, -kInf, -kInf)};
}

void grow(Aabb* box, const Aabb& other) {
  box->lo = vmin(box->lo, other.lo);
  box->hi = vmax(box->hi, other.hi);
}

float area(const Aabb& b) {
  Vec3 e = b.hi - b.lo;
  if (e.x < 0.f) return 0.f;
  return e.x * e.y + e.y * e.z + e.z * e.x;
}

Vec3 centroid(const Aabb& b) { return (b.lo + b.hi) * 0.5f; }

struct Builder {
  const std::vector<Aabb>& boxes;
  std::vector<int>& order;
  std::vector<BvhNode>& nodes;

  // Fills nodes[index] for order[first, first + count).
  void build(int index, int first, int count, int depth) {
    Aabb box = empty_box(), centers = empty_box();
    for (int i = first; i < first + count; ++i) {
      grow(&box, boxes[order[i]]);
      Vec3 c = centroid(boxes[order[i]]);
      grow(&centers, {c, c});
    }
    nodes[index].box = box;
    nodes[index].first = first;
    nodes[index].count = count;
    if (count <= kMaxLeaf || depth >= kMaxDepth) return;

    // Binned SAH (Wald 2007): bin centroids along each axis, pick the cheapest boundary.
    float best_cost = area(box) * static_cast<float>(count);  // cost of staying a leaf
    int best_axis = -1, best_bin = 0;
    for (int axis = 0; axis < 3; ++axis) {
      const float lo = centers.lo[axis], extent = centers.hi[axis] - lo;
      if (!(extent > 0.f)) continue;
      Aabb bin_box[kBins];
      int bin_count[kBins] = {};
      for (Aabb& b : bin_box) b = empty_box();
      for (int i = first; i < first + count; ++i) {
        int b = bin_of(boxes[order[i]], axis, lo, extent);
        grow(&bin_box[b], boxes[order[i]]);
        ++bin_count[b];
      }
      // Sweep from the right, then from the left: cost of splitting after bin s.
      float right_area[kBins];
      int right_count[kBins];
      Aabb acc = empty_box();
      int n = 0;
      for (int s = kBins - 1; s > 0; --s) {
        grow(&acc, bin_box[s]);
        n += bin_count[s];
        right_area[s] = area(acc);
        right_count[s] = n;
      }
      acc = empty_box();
      n = 0;
      for (int s = 0; s < kBins - 1; ++s) {
        grow(&acc, bin_box[s]);
        n += bin_count[s];
        if (n == 0 || right_count[s + 1] == 0) continue;
        float cost = 0.125f * area(box) + area(acc) * n + right_area[s + 1] * right_count[s + 1];
        if (cost < best_cost) {
          best_cost = cost;
          best_axis = axis;
          best_bin = s;
        }
      }
    }
    if (best_axis < 0) return;  // no split beats a leaf (or all centroids coincide)
    const float lo = centers.lo[best_axis], extent = centers.hi[best_axis] - lo;
    int* mid = std::stable_partition(&order[first], &order[first] + count,
                                     [&](int prim) { return bin_of(boxes[prim], best_axis, lo, extent) <= best_bin; });
    const int left_count = static_cast<int>(mid - &order[first]);
    const int left = static_cast<int>(nodes.size());
    nodes.emplace_back();
    nodes.emplace_back();
    nodes[index].first = left;
    nodes[index].count = 0;
    build(left, first, left_count, depth + 1);
    build(left + 1, first + left_count, count - left_count, depth + 1);
  }

  static int bin_of(const Aabb& b, int axis, float lo, float extent) {
    int bin = static_cast<int>(static_cast<float>(kBins) * (centroid(b)[axis] - lo) / extent);
    return std::min(std::max(bin, 0), kBins - 1);
  }
};

}  // namespace

void Bvh::build(const std::vector<Aabb>& boxes) {
  nodes_.clear();
  order_.resize(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) order_[i] = static_cast<int>(i);
  if (boxes.empty()) return;
  nodes_.reserve(2 * boxes.size());
  nodes_.emplace_back();
  Builder{boxes, order_, nodes_}.build(0, 0, static_cast<int>(boxes.size()), 0);
}

}  // namespace nerds::scenes
