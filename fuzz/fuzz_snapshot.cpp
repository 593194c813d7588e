// Fuzz target: the snapshot container (renderer/train/snapshot_file.cpp) and the tensor list
// inside it (renderer/train/model_snapshot.cpp). The input is a snapshot file WITHOUT its
// trailing CRC-32: the harness writes the file size into the header and appends the right
// checksum, so that the fuzzer reaches the structure behind them (a random mutation would
// almost never pass the checksum). Truncation and checksum damage are unit-tested in
// tests/train/test_snapshot_file.cpp. A readable file's tensors are then read into a small
// fixed model: a sparse 4 x 2 table and a column-major 3 x 2 layer.
#include <cstring>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "renderer/data/crc32.h"
#include "renderer/model/param_tensor.h"
#include "renderer/train/model_snapshot.h"
#include "renderer/train/snapshot_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = (nerds_fuzz::scratch_subfolder("snapshot") / "model.nerds").string();
  std::vector<uint8_t> file(data, data + size);
  constexpr size_t kSizeAt = 12, kHeaderSize = 20;  // magic, u32 version, u64 file size
  if (file.size() >= kHeaderSize) {
    const uint64_t total = file.size() + 4;
    for (int i = 0; i < 8; ++i) file[kSizeAt + i] = static_cast<uint8_t>(total >> (8 * i));
    const uint32_t crc = nerds::crc32_update(0, file.data() + 8, file.size() - 8);
    for (int i = 0; i < 4; ++i) file.push_back(static_cast<uint8_t>(crc >> (8 * i)));
  }
  nerds_fuzz::write_bytes(path, file.data(), file.size());
  return nerds_fuzz::expect_input_error_or_success([&] {
    const nerds::SnapshotContents contents = nerds::read_snapshot_file(path);
    std::vector<float> table(8), layer(6);
    std::vector<nerds::ParamTensor> tensors(2);
    tensors[0].name = "encoding.grid";
    tensors[0].shape = {4, 2};
    tensors[0].group = nerds::ParamGroup::Sparse;
    tensors[0].values = table.data();
    tensors[1].name = "field.density.0";
    tensors[1].shape = {3, 2};
    tensors[1].column_major = true;
    tensors[1].values = layer.data();
    std::vector<nerds::AdamMoments> moments;
    nerds::get_tensors(contents, tensors, moments);
  });
}
