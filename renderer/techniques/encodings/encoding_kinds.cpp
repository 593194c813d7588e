// The position-encoding kinds, each in its own file beside this one. Adding a kind: write
// its file (the encoding class and its EncodingKind), then add one line below (and a paper
// card under papers/ for its ablation).
#include "renderer/techniques/encodings/encoding_kinds.h"

#include <stdexcept>

#include "renderer/techniques/core/kind_list.h"

namespace nerds {

// Defined in each kind's file.
EncodingKind hash_encoding_kind();       // hash_grid_encoding.cpp
EncodingKind frequency_encoding_kind();  // frequency_encoding.cpp
EncodingKind none_encoding_kind();       // frequency_encoding.cpp
EncodingKind ipe_encoding_kind();        // integrated_encoding.cpp
EncodingKind dense_encoding_kind();      // dense_grid_encoding.cpp
EncodingKind tensorf_encoding_kind();    // ../tensorf/tensorf_kind.cpp
EncodingKind plenoxels_encoding_kind();  // ../plenoxels/plenoxels_kind.cpp
EncodingKind dvgo_encoding_kind();       // ../dvgo/dvgo_kind.cpp

const std::vector<EncodingKind>& encoding_kinds() {
  static const std::vector<EncodingKind> kinds = {
      hash_encoding_kind(),
      frequency_encoding_kind(),
      none_encoding_kind(),
      ipe_encoding_kind(),
      dense_encoding_kind(),
      tensorf_encoding_kind(),
      plenoxels_encoding_kind(),
      dvgo_encoding_kind(),
  };
  return kinds;
}

const EncodingKind& encoding_kind(const std::string& name) {
  return find_kind(encoding_kinds(), name, "position encoding");
}

std::unique_ptr<PositionEncoding> make_position_encoding(const NetworkConfig& config) {
  return encoding_kind(config.encoding).make(config);
}

int position_encoding_width(const NetworkConfig& config) { return encoding_kind(config.encoding).width(config); }

}  // namespace nerds
