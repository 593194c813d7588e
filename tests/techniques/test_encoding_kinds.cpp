// The position-encoding registry (renderer/techniques/encodings/encoding_kinds.cpp), checked
// for every kind it lists without naming any: encoding.kind offers exactly those kinds; each
// configures and builds from the default parameters, has a positive width that matches the
// one the field sizes its MLP from, and lists its trained tensors under "encoding." with
// gradient slices that stay inside them. (The registry tests in test_module_registry.cpp
// probe each kind's values and gradients.)
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/nerf_network.h"

using namespace nerds;

TEST_CASE("encoding kinds: encoding.kind offers exactly the registered kinds, the first by default") {
  const ParamSet p = default_method_params();
  const ParamEntry& kind = p.entry("encoding.kind");
  std::vector<std::string> names;
  for (const EncodingKind& k : encoding_kinds()) names.push_back(k.name);
  REQUIRE_FALSE(names.empty());
  CHECK(kind.spec.choices == names);
  CHECK(p.get_string("encoding.kind") == names.front());
  CHECK_THROWS_WITH_AS(encoding_kind("no-such-kind"), doctest::Contains(names.front().c_str()), std::invalid_argument);
}

TEST_CASE("encoding kinds: every kind builds, has a width, and names its tensors encoding.*") {
  Dataset data;
  data.aabb_scale = 1.f;
  for (const EncodingKind& k : encoding_kinds()) {
    CAPTURE(k.name);
    CHECK(std::string(k.doc).size() > 0);
    CHECK(std::string(k.paper).size() > 0);
    ParamSet p = default_method_params();
    p.set("encoding.kind", std::string(k.name));
    // A small grid, so that the grid kinds allocate little.
    if (p.has("encoding.log2_table_size")) p.set("encoding.log2_table_size", int64_t{12});
    if (p.has("encoding.dense_max_resolution")) p.set("encoding.dense_max_resolution", int64_t{32});
    if (p.has("encoding.plenoxels_resolution_init")) p.set("encoding.plenoxels_resolution_init", int64_t{16});
    const NetworkConfig config = make_train_config(p, data).network;
    CHECK(config.encoding == k.name);

    std::unique_ptr<PositionEncoding> encoding = make_position_encoding(config);
    REQUIRE(encoding);
    CHECK(encoding->width() > 0);
    CHECK(encoding->width() == position_encoding_width(config));
    encoding->initialize(7);
    const std::vector<ParamTensor> tensors = encoding->param_tensors();
    for (const ParamTensor& t : tensors) {
      CAPTURE(t.name);
      CHECK(t.name.rfind("encoding.", 0) == 0);
      CHECK(t.size() > 0);
      CHECK(t.values != nullptr);
    }
    for (const GradientSlice& s : encoding->gradient_slices()) {
      REQUIRE(s.tensor >= 0);
      REQUIRE(s.tensor < static_cast<int>(tensors.size()));
      CHECK(s.begin < s.end);
      CHECK(s.end <= tensors[s.tensor].size());
    }
    if (tensors.empty()) CHECK(encoding->gradient_slices().empty());

    // The network built from the same configuration reads through the same encoding.
    const NerfNetwork net(config);
    CHECK(net.encoding_dim() == encoding->width());
    CHECK(net.encoding_is_trained() == !tensors.empty());
    CHECK(net.encoding_uses_footprint() == encoding->uses_footprint());
  }
}
