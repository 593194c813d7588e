// Private to renderer/data: reading a NumPy .npy file of float64 (LLFF's poses_bounds.npy).
// Format (numpy.lib.format): the magic "\x93NUMPY", a version byte pair (1.0: 2-byte header
// length; 2.0 and 3.0: 4-byte), a Python dict literal {'descr': '<f8', 'fortran_order':
// False, 'shape': (20, 17), } padded with spaces and '\n', then the raw values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nerds {

struct NpyArray {
  std::vector<size_t> shape;
  std::vector<double> values;  // row-major (C order), whatever the file's order was
  // values[r * shape[1] + c] of a 2-D array.
  double at(size_t r, size_t c) const { return values[r * shape[1] + c]; }
};

// Reads a little-endian float64 array ('<f8'). Throws InputError naming the file and the
// part that is wrong: "magic", "version", "header", "descr", "fortran_order", "shape", "data".
NpyArray read_npy_f64(const std::string& path);

}  // namespace nerds
