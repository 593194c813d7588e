// CRC-32 (IEEE 802.3, the zlib/PNG convention): start with crc = 0 and feed the bytes in
// order; pieces chain (crc32_update(crc32_update(0, a), b) == crc32 of a then b). Used by
// PNG chunks and the snapshot format.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nerds {

uint32_t crc32_update(uint32_t crc, const void* data, size_t n);

}  // namespace nerds
