#include "renderer/techniques/encodings/grid_slice.h"

#include <stdexcept>

#include "renderer/techniques/encodings/hash_grid.h"

namespace nerds {

void grid_slice_axes(int axis, int* first, int* second) {
  *first = axis == 0 ? 1 : 0;
  *second = axis == 2 ? 1 : 2;
}

void grid_slice_position(int axis, float offset, int width, int height, int i, int j, float* pos) {
  int first = 0, second = 0;
  grid_slice_axes(axis, &first, &second);
  pos[axis] = offset;
  pos[first] = (static_cast<float>(i) + 0.5f) / static_cast<float>(width);
  pos[second] = 1.f - (static_cast<float>(j) + 0.5f) / static_cast<float>(height);
}

GridSlice hash_grid_slice(const HashGrid& grid, int level, int axis, float offset, int width, int height) {
  const HashGridView& view = grid.view();
  if (level < 0 || level >= view.n_levels) throw std::invalid_argument("grid slice: no such level");
  if (axis < 0 || axis > 2) throw std::invalid_argument("grid slice: the axis is 0, 1 or 2");
  if (!(offset >= 0.f && offset <= 1.f)) throw std::invalid_argument("grid slice: the offset lies in [0, 1]");
  if (width < 1 || height < 1 || width > 4096 || height > 4096)
    throw std::invalid_argument("grid slice: 1 to 4096 samples a side");
  GridSlice s;
  s.level = level;
  s.levels = view.n_levels;
  s.axis = axis;
  s.offset = offset;
  s.width = width;
  s.height = height;
  s.features = view.n_features;
  s.resolution = static_cast<int>(view.levels[level].resolution);
  s.hashed = view.levels[level].dense == 0;
  const size_t n = static_cast<size_t>(width) * height;
  std::vector<float> pos(3 * n);
  for (int j = 0; j < height; ++j)
    for (int i = 0; i < width; ++i)
      grid_slice_position(axis, offset, width, height, i, j, &pos[3 * (static_cast<size_t>(j) * width + i)]);
  s.values.resize(n * s.features);
  grid.encode_one_level(level, pos.data(), static_cast<int>(n), s.values.data());
  return s;
}

}  // namespace nerds
