// The snapshot container: round trip, every kind of damage is a clear error, atomic replace.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "renderer/error.h"
#include "renderer/train/snapshot_file.h"
#include "tests/test_support/text_files.h"

using namespace nerds;
namespace fs = std::filesystem;

namespace {

using nerds_test::contains;

struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("nerds_test_snapshot_" + std::to_string(::getpid()));
  TempFolder() { fs::create_directories(path); }
  ~TempFolder() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string read_error(const std::string& path) {
  try {
    read_snapshot_file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}


std::vector<float> random_floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

nlohmann::json example_meta() {
  return {{"step", 1234},
          {"params", {{"encoding", {{"levels", 16}, {"per_level_scale", 1.3819128799677234}}}}},
          {"dataset", {{"root", "scenes/lego"}, {"frames", 100}}}};
}

// Lowers the file size limit for this process while alive, so that a write fails half-way
// (EFBIG) the way a full disk would. SIGXFSZ is ignored so the write returns an error instead
// of killing the process.
struct FileSizeLimit {
  rlimit old{};
  void (*old_handler)(int);
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old);
    old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = old;
    lowered.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &lowered) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
  }
};

}  // namespace

TEST_CASE("snapshot file: CRC-32 is the IEEE/zlib one") {
  CHECK(crc32_update(0, "123456789", 9) == 0xCBF43926u);
  // Feeding the bytes in pieces gives the same checksum.
  CHECK(crc32_update(crc32_update(0, "1234", 4), "56789", 5) == 0xCBF43926u);
  CHECK(crc32_update(0, "", 0) == 0u);
}

TEST_CASE("snapshot file: round trip") {
  TempFolder tmp;
  const std::string path = tmp.file("a.nerdsnap");
  std::vector<float> grid = random_floats(10007, 1);
  grid[3] = std::numeric_limits<float>::quiet_NaN();  // bytes are kept as they are
  grid[4] = -0.0f;
  const std::vector<float> adam_m = random_floats(513, 2);
  const std::vector<SnapshotSection> sections = {make_section("hash_grid.params", grid.data(), grid.size()),
                                                 make_section("adam.m", adam_m.data(), adam_m.size()),
                                                 {"occupancy.bits", {0x00, 0xFF, 0x5A}},
                                                 {"empty", {}}};
  write_snapshot_file(path, example_meta(), sections);
  CHECK_FALSE(fs::exists(path + ".tmp"));

  const SnapshotContents c = read_snapshot_file(path);
  CHECK(c.path == path);
  CHECK(c.version == kSnapshotFormatVersion);
  CHECK(c.meta == example_meta());
  CHECK(c.meta["params"]["encoding"]["per_level_scale"].get<double>() == 1.3819128799677234);
  REQUIRE(c.sections.size() == sections.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    CHECK(c.sections[i].name == sections[i].name);
    CHECK(c.sections[i].bytes == sections[i].bytes);
  }
  REQUIRE(c.find("occupancy.bits") != nullptr);
  CHECK(c.find("occupancy.bits")->bytes == std::vector<uint8_t>{0x00, 0xFF, 0x5A});
  CHECK(c.find("nope") == nullptr);

  std::vector<float> back(grid.size());
  read_section(c, "hash_grid.params", back.data(), back.size());
  CHECK(std::memcmp(back.data(), grid.data(), grid.size() * sizeof(float)) == 0);
}

TEST_CASE("snapshot file: read_section checks the section and its size") {
  TempFolder tmp;
  const std::string path = tmp.file("s.nerdsnap");
  const std::vector<float> v = random_floats(100, 3);
  write_snapshot_file(path, nlohmann::json::object(), {make_section("mlp.weights", v.data(), v.size())});
  const SnapshotContents c = read_snapshot_file(path);
  std::vector<float> out(101);
  for (size_t n : {size_t{99}, size_t{101}}) {
    try {
      read_section(c, "mlp.weights", out.data(), n);
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      CHECK(contains(e.what(), path));
      CHECK(contains(e.what(), "mlp.weights"));
      CHECK(contains(e.what(), "100"));
    }
  }
  CHECK_THROWS_WITH_AS(read_section(c, "mlp.bias", out.data(), 1), doctest::Contains("mlp.bias"), InputError);
}

TEST_CASE("snapshot file: missing, foreign, truncated, corrupt and newer files are clear errors") {
  TempFolder tmp;
  const std::string path = tmp.file("good.nerdsnap");
  const std::vector<float> v = random_floats(64, 4);
  write_snapshot_file(path, example_meta(), {make_section("a", v.data(), v.size()), {"b", {1, 2, 3}}});
  const std::vector<uint8_t> good = read_bytes(path);
  const std::string bad = tmp.file("bad.nerdsnap");

  SUBCASE("missing") {
    const std::string msg = read_error(tmp.file("missing.nerdsnap"));
    CHECK(contains(msg, tmp.file("missing.nerdsnap")));
  }
  SUBCASE("wrong magic") {
    std::vector<uint8_t> bytes = good;
    bytes[0] = 'X';
    write_bytes(bad, bytes);
    CHECK(contains(read_error(bad), "not a NerdsNeRF snapshot"));
    write_bytes(bad, {'{', '}', '\n'});
    CHECK(contains(read_error(bad), "not a NerdsNeRF snapshot"));
    write_bytes(bad, {});
    CHECK(contains(read_error(bad), "not a NerdsNeRF snapshot"));
  }
  SUBCASE("one byte flipped in the middle") {
    std::vector<uint8_t> bytes = good;
    bytes[bytes.size() / 2] ^= 0x10;
    write_bytes(bad, bytes);
    const std::string msg = read_error(bad);
    CHECK(contains(msg, bad));
    CHECK(contains(msg, "corrupt"));
  }
  SUBCASE("truncated") {
    for (size_t keep : {good.size() - 1, good.size() / 2, size_t{20}, size_t{12}}) {
      write_bytes(bad, std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(keep)));
      const std::string msg = read_error(bad);
      CHECK_MESSAGE(contains(msg, bad), msg);
      CHECK_MESSAGE(contains(msg, "truncated"), msg);
    }
  }
  SUBCASE("bytes appended") {
    std::vector<uint8_t> bytes = good;
    bytes.push_back(0);
    write_bytes(bad, bytes);
    CHECK(contains(read_error(bad), "corrupt"));
  }
  SUBCASE("every single flipped byte is detected") {
    for (size_t i = 0; i < good.size(); ++i) {
      std::vector<uint8_t> bytes = good;
      bytes[i] ^= 0x01;
      write_bytes(bad, bytes);
      const std::string msg = read_error(bad);
      const bool clear = contains(msg, "corrupt") || contains(msg, "truncated") ||
                         contains(msg, "not a NerdsNeRF snapshot");
      CHECK_MESSAGE(clear, "byte " << i << ": " << msg);
    }
  }
  // The good file relabelled with another format version, its checksum made valid again: a
  // file of that version, not a damaged one.
  auto with_version = [&](uint32_t version) {
    std::vector<uint8_t> bytes = good;
    bytes[8] = static_cast<uint8_t>(version);
    const uint32_t crc = crc32_update(0, bytes.data() + 8, bytes.size() - 8 - 4);
    for (int k = 0; k < 4; ++k) bytes[bytes.size() - 4 + k] = static_cast<uint8_t>(crc >> (8 * k));
    return bytes;
  };
  SUBCASE("newer format version") {
    write_bytes(bad, with_version(kSnapshotFormatVersion + 1));
    const std::string msg = read_error(bad);
    CHECK(contains(msg, bad));
    CHECK(contains(msg, "newer"));
  }
  SUBCASE("older format version, no longer read") {
    // Version 1 held the model under fixed names; version 2 holds its tensor list.
    write_bytes(bad, with_version(kOldestReadableSnapshotVersion - 1));
    const std::string msg = read_error(bad);
    CHECK(contains(msg, bad));
    CHECK(contains(msg, "older"));
    CHECK(contains(msg, "version " + std::to_string(kOldestReadableSnapshotVersion - 1)));
    CHECK(contains(msg, "version " + std::to_string(kOldestReadableSnapshotVersion)));
  }
}

TEST_CASE("snapshot file: a failed write keeps the previous snapshot and leaves no temporary file") {
  TempFolder tmp;
  const std::string path = tmp.file("run.nerdsnap");
  const std::vector<float> old_values = random_floats(32, 5);
  write_snapshot_file(path, {{"step", 100}}, {make_section("w", old_values.data(), old_values.size())});
  const std::vector<uint8_t> old_bytes = read_bytes(path);
  const std::vector<float> big = random_floats(1 << 18, 6);  // 1 MiB

  SUBCASE("the write fails half-way (file size limit, as a full disk)") {
    bool threw = false;
    {
      FileSizeLimit limit(64 * 1024);
      try {
        write_snapshot_file(path, {{"step", 200}}, {make_section("w", big.data(), big.size())});
      } catch (const InputError& e) {
        threw = true;
        CHECK(contains(e.what(), path));
      }
    }
    CHECK(threw);
  }
  SUBCASE("the temporary file cannot be created") {
    fs::create_directory(path + ".tmp");  // a folder in the way
    CHECK_THROWS_WITH_AS(write_snapshot_file(path, {{"step", 200}}, {make_section("w", big.data(), big.size())}),
                         doctest::Contains(path.c_str()), InputError);
    fs::remove(path + ".tmp");
  }
  CHECK_FALSE(fs::exists(path + ".tmp"));
  CHECK(read_bytes(path) == old_bytes);
  const SnapshotContents c = read_snapshot_file(path);
  CHECK(c.meta["step"] == 100);
  std::vector<float> back(old_values.size());
  read_section(c, "w", back.data(), back.size());
  CHECK(back == old_values);

  // After the failure a normal write replaces the old snapshot.
  write_snapshot_file(path, {{"step", 300}}, {make_section("w", big.data(), big.size())});
  CHECK(read_snapshot_file(path).meta["step"] == 300);
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("snapshot file: writing into a missing folder is an InputError naming the file") {
  TempFolder tmp;
  const std::string path = tmp.file("no/such/folder/x.nerdsnap");
  CHECK_THROWS_WITH_AS(write_snapshot_file(path, {}, {}), doctest::Contains(path.c_str()), InputError);
}

TEST_CASE("snapshot file: section names must be unique and non-empty") {
  TempFolder tmp;
  const std::string path = tmp.file("dup.nerdsnap");
  CHECK_THROWS_AS(write_snapshot_file(path, {}, {{"a", {1}}, {"a", {2}}}), std::logic_error);
  CHECK_THROWS_AS(write_snapshot_file(path, {}, {{"", {1}}}), std::logic_error);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));
}
