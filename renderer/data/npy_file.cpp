// A minimal .npy reader: just enough of the header's Python dict literal (descr,
// fortran_order, shape) to read a float64 array, refusing anything else with a message.
#include "renderer/data/npy_file.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "renderer/error.h"

namespace nerds {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

std::string read_all(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "", "file not found");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot be opened");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint32_t little_endian(const std::string& bytes, size_t at, size_t count) {
  uint32_t v = 0;
  for (size_t i = 0; i < count; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

// The text after "'key':" in the header dict, with leading spaces skipped.
size_t value_start(const std::string& header, const std::string& key, const std::string& path) {
  const std::string quoted = "'" + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string::npos) throw InputError(path, key, "missing from the .npy header: " + header);
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos) throw InputError(path, key, "no value in the .npy header: " + header);
  ++at;
  while (at < header.size() && header[at] == ' ') ++at;
  return at;
}

std::string read_descr(const std::string& header, const std::string& path) {
  size_t at = value_start(header, "descr", path);
  if (at >= header.size() || (header[at] != '\'' && header[at] != '"'))
    throw InputError(path, "descr", "expected a quoted dtype in the .npy header: " + header);
  const size_t end = header.find(header[at], at + 1);
  if (end == std::string::npos) throw InputError(path, "descr", "unterminated dtype in the .npy header");
  return header.substr(at + 1, end - at - 1);
}

bool read_fortran_order(const std::string& header, const std::string& path) {
  const size_t at = value_start(header, "fortran_order", path);
  if (header.compare(at, 4, "True") == 0) return true;
  if (header.compare(at, 5, "False") == 0) return false;
  throw InputError(path, "fortran_order", "expected True or False in the .npy header: " + header);
}

// "(20, 17)", "(20,)" or "()".
std::vector<size_t> read_shape(const std::string& header, const std::string& path) {
  size_t at = value_start(header, "shape", path);
  if (at >= header.size() || header[at] != '(')
    throw InputError(path, "shape", "expected a tuple in the .npy header: " + header);
  const size_t end = header.find(')', at);
  if (end == std::string::npos) throw InputError(path, "shape", "unterminated tuple in the .npy header");
  std::vector<size_t> shape;
  size_t i = at + 1;
  while (i < end) {
    while (i < end && (header[i] == ' ' || header[i] == ',')) ++i;
    if (i == end) break;
    if (!std::isdigit(static_cast<unsigned char>(header[i])))
      throw InputError(path, "shape", "not a tuple of sizes: " + header.substr(at, end - at + 1));
    size_t v = 0;
    while (i < end && std::isdigit(static_cast<unsigned char>(header[i]))) {
      v = v * 10 + static_cast<size_t>(header[i] - '0');
      if (v > (size_t{1} << 40)) throw InputError(path, "shape", "size too large: " + header.substr(at, end - at + 1));
      ++i;
    }
    shape.push_back(v);
  }
  return shape;
}

}  // namespace

NpyArray read_npy_f64(const std::string& path) {
  const std::string bytes = read_all(path);
  if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
    throw InputError(path, "magic", "not a NumPy .npy file (no \\x93NUMPY signature)");
  const int major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3)
    throw InputError(path, "version", "unsupported .npy format version " + std::to_string(major) + " (1 to 3)");
  const size_t length_size = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_size;
  if (bytes.size() < header_start) throw InputError(path, "header", "file ends inside the .npy header");
  const size_t header_length = little_endian(bytes, 8, length_size);
  if (bytes.size() < header_start + header_length)
    throw InputError(path, "header",
                     "file ends inside the .npy header (" + std::to_string(header_length) + " bytes announced)");
  const std::string header = bytes.substr(header_start, header_length);
  if (header.find('{') == std::string::npos) throw InputError(path, "header", "not a dict: " + header);

  const std::string descr = read_descr(header, path);
  if (descr != "<f8")
    throw InputError(path, "descr", "dtype '" + descr + "' is not supported (little-endian float64 '<f8' only)");
  const bool fortran = read_fortran_order(header, path);
  NpyArray array;
  array.shape = read_shape(header, path);
  size_t count = 1;
  for (size_t s : array.shape) {
    if (s != 0 && count > bytes.size() / s)  // guards the product against overflow
      throw InputError(path, "shape", "needs more data than the file holds: " + header);
    count *= s;
  }

  const size_t data_start = header_start + header_length;
  const size_t data_bytes = bytes.size() - data_start;
  if (data_bytes != count * sizeof(double))
    throw InputError(
        path, "data",
        std::to_string(data_bytes) + " bytes of data, but the shape needs " + std::to_string(count * sizeof(double)));
  std::vector<double> raw(count);
  // The file is little-endian; so is every machine this project builds for (x86-64, CUDA hosts).
  // An empty array (a 0 in the shape) has no data: memcpy's null destination would be UB.
  if (data_bytes != 0) std::memcpy(raw.data(), bytes.data() + data_start, data_bytes);
  if (!fortran || array.shape.size() < 2) {
    array.values = std::move(raw);
    return array;
  }
  // Fortran order: the first index varies fastest. Reorder a 2-D array to row-major.
  if (array.shape.size() != 2)
    throw InputError(path, "fortran_order", "Fortran-ordered arrays of more than 2 dimensions are not supported");
  const size_t rows = array.shape[0], cols = array.shape[1];
  array.values.resize(count);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) array.values[r * cols + c] = raw[c * rows + r];
  return array;
}

}  // namespace nerds
