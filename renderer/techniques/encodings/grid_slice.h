// A slice through one level of a grid encoding (the hash and dense kinds, Instant-NGP Sec. 3):
// the level's trilinearly interpolated features (Eq. 2-4, the encode path itself) at the
// samples of an axis-aligned plane through the grid's [0,1]^3 (the scene box), for the viewer's
// view of the model's internal state. Plain types only: renderer/engine.h hands it out.
#pragma once

#include <vector>

namespace nerds {

class HashGrid;

struct GridSlice {
  int level = 0;          // which level
  int levels = 0;         // the grid's level count
  int axis = 2;           // the plane's normal: 0 x, 1 y, 2 z
  float offset = 0.5f;    // where the plane cuts that axis, in [0,1] of the box
  int width = 0, height = 0;  // samples along the plane's first and second axis (grid_slice_axes)
  int features = 0;           // F, values per sample
  int resolution = 0;         // the level's vertices per side (N_l + 1 corners)
  bool hashed = false;        // the level's corners are hashed into the table (false: stored 1:1)
  // height rows of width samples, F values each: sample (i, j) lies at first axis (i + 0.5) /
  // width, second axis 1 - (j + 0.5) / height (row 0 at the top, the second axis pointing up).
  std::vector<float> values;
};

// The plane's first and second axes for a normal axis: x -> (y, z), y -> (x, z), z -> (x, y).
void grid_slice_axes(int axis, int* first, int* second);

// The position in [0,1]^3 of sample (i, j) of a width x height slice (see GridSlice::values).
void grid_slice_position(int axis, float offset, int width, int height, int i, int j, float* pos);

// The features of `level` of `grid` on the plane `axis` = offset, width x height samples
// (HashGrid::encode_one_level at the positions above). Throws std::invalid_argument for a level,
// axis, offset or size out of range.
GridSlice hash_grid_slice(const HashGrid& grid, int level, int axis, float offset, int width, int height);

}  // namespace nerds
