// The snapshot container: a versioned binary file holding JSON metadata (parameter values,
// step count, dataset info ...) and named sections of raw bytes (the model's tensors and
// their Adam moments, "encoding.grid", "encoding.grid.adam_m", ...: model_snapshot.h).
//
// Layout, every integer little-endian:
//   "NERDSNAP"                          8 bytes magic (not covered by the checksum)
//   u32 version                         kSnapshotFormatVersion
//   u64 file_size                       the whole file, magic and checksum included
//   u64 meta_size, meta_size bytes      the metadata, as UTF-8 JSON text
//   u32 section_count
//   per section: u32 name_size, name, u64 byte_size, byte_size bytes
//   u32 crc32                           CRC-32 (IEEE) of every byte after the magic
// Every future version keeps the first 20 bytes and the trailing CRC, so this reader can tell
// "written by a newer version" (or an older one it no longer reads) from "corrupt". The stored
// size tells truncation apart from other damage.
//
// Versions: 1, the model's arrays under fixed names (one hash table, two MLPs); 2, the model
// as its list of named tensors (model_snapshot.h). Version 1 files are refused by name.
//
// One CRC over the whole file rather than one per section: a snapshot is always read whole
// (resuming needs every section) and a partly intact snapshot is of no use, so a single
// checksum detects everything that matters with the simplest format; per-section CRCs would
// only pay off for lazy partial reads, which nothing does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/data/crc32.h"  // the format's checksum

namespace nerds {

constexpr uint32_t kSnapshotFormatVersion = 2;
// The oldest version this build reads (the model's layout changed in version 2).
constexpr uint32_t kOldestReadableSnapshotVersion = 2;

struct SnapshotSection {
  std::string name;
  std::vector<uint8_t> bytes;
};

struct SnapshotContents {
  std::string path;  // the file it was read from, for error messages
  uint32_t version = 0;
  nlohmann::json meta;
  std::vector<SnapshotSection> sections;
  // The section called `name`, or nullptr.
  const SnapshotSection* find(const std::string& name) const;
};

// Writes to `path + ".tmp"` (same folder), flushes and fsyncs it, then renames it over `path`:
// a crash or a failed write never leaves a half-written snapshot, and the previous one
// survives until the new one is complete. Throws InputError naming the file when the write
// fails (the temporary file is removed); section names must be non-empty and unique
// (std::logic_error otherwise).
void write_snapshot_file(const std::string& path, const nlohmann::json& meta,
                         const std::vector<SnapshotSection>& sections);

// Throws InputError naming the file when it is missing, is not a snapshot, was written by a
// newer format version or an older one this build no longer reads (naming both versions), is
// truncated, or is corrupt (checksum mismatch, bad structure).
SnapshotContents read_snapshot_file(const std::string& path);

// A section holding `n` floats (raw IEEE-754, little-endian).
SnapshotSection make_section(const std::string& name, const float* data, size_t n);
// Copies section `name` into `out`, which holds `n` floats. Throws InputError naming the
// file and the section when it is missing or holds another number of floats (a snapshot of
// a differently configured model).
void read_section(const SnapshotContents& contents, const std::string& name, float* out, size_t n);

}  // namespace nerds
