#include "renderer/train/snapshot_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>

#include "renderer/error.h"

// Sections hold floats as raw host bytes; the format says little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "snapshot sections assume a little-endian host");

namespace nerds {

namespace {

constexpr char kMagic[8] = {'N', 'E', 'R', 'D', 'S', 'N', 'A', 'P'};
constexpr size_t kHeaderSize = 8 + 4 + 8;  // magic, version, file size: fixed in every version
constexpr size_t kCrcSize = 4;

uint32_t le32(const uint8_t* b) {
  return static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 |
         static_cast<uint32_t>(b[2]) << 16 | static_cast<uint32_t>(b[3]) << 24;
}

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

std::string errno_text() { return std::strerror(errno); }

// Writes the file's bytes while accumulating the checksum.
class ChecksummedWriter {
 public:
  ChecksummedWriter(FILE* f, const std::string& path) : f_(f), path_(path) {}
  void bytes(const void* data, size_t n) {
    if (n && std::fwrite(data, 1, n, f_) != n)
      throw InputError(path_, "", "cannot write snapshot: " + errno_text());
    crc_ = crc32_update(crc_, data, n);
  }
  void u32(uint32_t v) {
    uint8_t b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    bytes(b, 4);
  }
  void u64(uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    bytes(b, 8);
  }
  uint32_t crc() const { return crc_; }

 private:
  FILE* f_;
  const std::string& path_;
  uint32_t crc_ = 0;
};

// Reads the file's bytes while accumulating the checksum, never past `end` (the byte where
// the stored CRC begins), so a damaged length cannot make it allocate or read beyond the file.
class ChecksummedReader {
 public:
  ChecksummedReader(FILE* f, const std::string& path, uint64_t position, uint64_t end, uint32_t crc)
      : f_(f), path_(path), position_(position), end_(end), crc_(crc) {}
  uint64_t remaining() const { return end_ - position_; }
  void bytes(void* out, size_t n, const char* what) {
    if (n > remaining()) throw InputError(path_, "", std::string("corrupt snapshot (") + what + " overruns the file)");
    if (n && std::fread(out, 1, n, f_) != n)
      throw InputError(path_, "", "cannot read snapshot: " + errno_text());
    crc_ = crc32_update(crc_, out, n);
    position_ += n;
  }
  uint32_t u32(const char* what) {
    uint8_t b[4];
    bytes(b, 4, what);
    return le32(b);
  }
  uint64_t u64(const char* what) {
    uint8_t b[8];
    bytes(b, 8, what);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | b[i];
    return v;
  }
  // A length field, checked against the bytes left before the CRC: a damaged length is
  // reported as corrupt instead of allocating or reading past the end.
  size_t length32(const char* what) { return checked_length(u32(what), what); }
  size_t length64(const char* what) { return checked_length(u64(what), what); }
  // Reads (checksumming) whatever is left before the CRC, e.g. the body of a newer version.
  void skip_rest() {
    std::vector<uint8_t> buf(1 << 20);
    while (remaining() > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), remaining()));
      bytes(buf.data(), n, "data");
    }
  }
  uint32_t crc() const { return crc_; }

 private:
  size_t checked_length(uint64_t n, const char* what) {
    if (n > remaining()) throw InputError(path_, "", std::string("corrupt snapshot (") + what + " overruns the file)");
    return static_cast<size_t>(n);
  }
  FILE* f_;
  const std::string& path_;
  uint64_t position_, end_;
  uint32_t crc_;
};

// Makes the rename itself durable; best effort (some filesystems refuse fsync on a folder).
void sync_parent_folder(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

const SnapshotSection* SnapshotContents::find(const std::string& name) const {
  for (const SnapshotSection& s : sections)
    if (s.name == name) return &s;
  return nullptr;
}

void write_snapshot_file(const std::string& path, const nlohmann::json& meta,
                         const std::vector<SnapshotSection>& sections) {
  std::set<std::string> names;
  for (const SnapshotSection& s : sections) {
    if (s.name.empty()) throw std::logic_error("snapshot section without a name");
    if (!names.insert(s.name).second) throw std::logic_error("snapshot section '" + s.name + "' twice");
  }
  const std::string meta_text = meta.dump();  // may throw on invalid UTF-8: before any file is touched

  uint64_t file_size = kHeaderSize + 8 + meta_text.size() + 4 + kCrcSize;
  for (const SnapshotSection& s : sections) file_size += 4 + s.name.size() + 8 + s.bytes.size();

  const std::string tmp = path + ".tmp";
  File f(std::fopen(tmp.c_str(), "wb"), &std::fclose);
  if (!f) throw InputError(path, "", "cannot write snapshot (" + tmp + "): " + errno_text());
  try {
    if (std::fwrite(kMagic, 1, sizeof kMagic, f.get()) != sizeof kMagic)
      throw InputError(path, "", "cannot write snapshot: " + errno_text());
    ChecksummedWriter w(f.get(), path);
    w.u32(kSnapshotFormatVersion);
    w.u64(file_size);
    w.u64(meta_text.size());
    w.bytes(meta_text.data(), meta_text.size());
    w.u32(static_cast<uint32_t>(sections.size()));
    for (const SnapshotSection& s : sections) {
      w.u32(static_cast<uint32_t>(s.name.size()));
      w.bytes(s.name.data(), s.name.size());
      w.u64(s.bytes.size());
      w.bytes(s.bytes.data(), s.bytes.size());
    }
    const uint32_t crc = w.crc();
    uint8_t crc_bytes[4];
    for (int i = 0; i < 4; ++i) crc_bytes[i] = static_cast<uint8_t>(crc >> (8 * i));
    // fwrite may buffer, so errors such as a full disk surface at fflush/fsync/fclose.
    if (std::fwrite(crc_bytes, 1, 4, f.get()) != 4 || std::fflush(f.get()) != 0 ||
        ::fsync(::fileno(f.get())) != 0)
      throw InputError(path, "", "cannot write snapshot: " + errno_text());
    if (std::fclose(f.release()) != 0) throw InputError(path, "", "cannot write snapshot: " + errno_text());
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw InputError(path, "", "cannot replace snapshot with " + tmp + ": " + errno_text());
  } catch (...) {
    f.reset();
    std::remove(tmp.c_str());
    throw;
  }
  sync_parent_folder(path);
}

SnapshotContents read_snapshot_file(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw InputError(path, "", "cannot open snapshot: " + errno_text());
  if (std::fseek(f.get(), 0, SEEK_END) != 0) throw InputError(path, "", "cannot read snapshot: " + errno_text());
  const long actual_size_l = std::ftell(f.get());
  if (actual_size_l < 0) throw InputError(path, "", "cannot read snapshot: " + errno_text());
  const uint64_t actual_size = static_cast<uint64_t>(actual_size_l);
  std::rewind(f.get());

  uint8_t header[kHeaderSize];
  const size_t header_got = std::fread(header, 1, kHeaderSize, f.get());
  if (header_got < sizeof kMagic || std::memcmp(header, kMagic, sizeof kMagic) != 0)
    throw InputError(path, "", "not a NerdsNeRF snapshot (no NERDSNAP magic)");
  if (header_got < kHeaderSize)
    throw InputError(path, "", "truncated snapshot (" + std::to_string(actual_size) + " bytes)");
  const uint32_t version = le32(header + 8);
  const uint64_t declared_size = static_cast<uint64_t>(le32(header + 12)) |
                                 static_cast<uint64_t>(le32(header + 16)) << 32;
  if (actual_size < declared_size)
    throw InputError(path, "", "truncated snapshot (" + std::to_string(actual_size) + " of " +
                                   std::to_string(declared_size) + " bytes)");
  if (actual_size > declared_size || declared_size < kHeaderSize + kCrcSize)
    throw InputError(path, "", "corrupt snapshot (size " + std::to_string(actual_size) +
                                   " does not match the recorded " + std::to_string(declared_size) + ")");

  // The checksum covers the header after the magic too.
  ChecksummedReader r(f.get(), path, kHeaderSize, declared_size - kCrcSize,
                      crc32_update(0, header + sizeof kMagic, kHeaderSize - sizeof kMagic));
  SnapshotContents contents;
  contents.path = path;
  contents.version = version;
  const bool readable = version >= kOldestReadableSnapshotVersion && version <= kSnapshotFormatVersion;
  std::string meta_text;
  if (readable) {
    meta_text.resize(r.length64("metadata size"));
    r.bytes(meta_text.data(), meta_text.size(), "metadata");
    const uint32_t count = r.u32("section count");
    for (uint32_t i = 0; i < count; ++i) {
      SnapshotSection s;
      s.name.resize(r.length32("section name size"));
      r.bytes(s.name.data(), s.name.size(), "section name");
      s.bytes.resize(r.length64("section size"));
      r.bytes(s.bytes.data(), s.bytes.size(), "section");
      contents.sections.push_back(std::move(s));
    }
    if (r.remaining() != 0) throw InputError(path, "", "corrupt snapshot (unexpected bytes after the last section)");
  } else {
    // Still checksum the body, so a damaged version field reads as corrupt, not as newer.
    r.skip_rest();
  }
  uint8_t stored_crc[kCrcSize];
  if (std::fread(stored_crc, 1, kCrcSize, f.get()) != kCrcSize)
    throw InputError(path, "", "cannot read snapshot: " + errno_text());
  if (le32(stored_crc) != r.crc()) throw InputError(path, "", "corrupt snapshot (checksum mismatch)");
  if (version > kSnapshotFormatVersion)
    throw InputError(path, "", "written by a newer NerdsNeRF (snapshot format version " + std::to_string(version) +
                                   ", this build reads up to " + std::to_string(kSnapshotFormatVersion) + ")");
  if (version == 0) throw InputError(path, "", "corrupt snapshot (format version 0)");
  if (version < kOldestReadableSnapshotVersion)
    throw InputError(path, "", "written by an older NerdsNeRF (snapshot format version " + std::to_string(version) +
                                   ", this build reads version " + std::to_string(kOldestReadableSnapshotVersion) +
                                   (kOldestReadableSnapshotVersion < kSnapshotFormatVersion
                                        ? " to " + std::to_string(kSnapshotFormatVersion)
                                        : std::string()) +
                                   ": the model is now saved as named tensors); retrain it with this build");
  try {
    contents.meta = nlohmann::json::parse(meta_text);
  } catch (const nlohmann::json::exception&) {
    throw InputError(path, "", "corrupt snapshot (metadata is not valid JSON)");
  }
  if (!contents.meta.is_object())
    throw InputError(
        path, "",
        std::string("corrupt snapshot (metadata is a JSON ") + contents.meta.type_name() + ", not an object)");
  return contents;
}

SnapshotSection make_section(const std::string& name, const float* data, size_t n) {
  SnapshotSection s{name, std::vector<uint8_t>(n * sizeof(float))};
  if (n) std::memcpy(s.bytes.data(), data, n * sizeof(float));
  return s;
}

void read_section(const SnapshotContents& contents, const std::string& name, float* out, size_t n) {
  const SnapshotSection* s = contents.find(name);
  if (!s) throw InputError(contents.path, name, "section missing from the snapshot");
  if (s->bytes.size() != n * sizeof(float))
    throw InputError(contents.path, name,
                     "section holds " + std::to_string(s->bytes.size() / sizeof(float)) +
                         (s->bytes.size() % sizeof(float) ? " and a fraction" : "") + " floats, expected " +
                         std::to_string(n) + " (a snapshot of a differently configured model?)");
  if (n) std::memcpy(out, s->bytes.data(), n * sizeof(float));
}

}  // namespace nerds
