// The trained state as a list of named tensors (renderer/model/param_tensor.h): the network
// lists its tensors; a snapshot restores every tensor's values and Adam moments; a tensor of a
// module the engine does not know (a test's per-image embedding) goes through the snapshot
// code and Adam with no code of its own; a snapshot of another model is refused, naming the
// tensor; the Engine lists the tensors for its clients.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/math/rng.h"
#include "renderer/model/packed_model.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/model_snapshot.h"
#include "renderer/train/optimizer.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;

namespace {

NetworkConfig small_network() {
  NetworkConfig c;
  c.grid.levels = 4;
  c.grid.log2_table_size = 10;
  c.grid.max_resolution = 64;
  return c;
}

// A module the engine does not know: a per-image appearance embedding (NeRF-W's, say) that
// keeps its storage and lists it as one tensor.
struct TestEmbedding {
  std::vector<float> codes = std::vector<float>(5 * 3);  // 5 images x 3 values
  ParamTensor tensor(float lr_factor = 1.f) {
    ParamTensor t;
    t.name = "embedding.appearance";
    t.shape = {5, 3};
    t.group = ParamGroup::Dense;
    t.lr_factor = lr_factor;
    t.values = codes.data();
    return t;
  }
};

void fill_random(float* v, size_t n, Pcg32& rng) {
  for (size_t i = 0; i < n; ++i) v[i] = rng.next_float() * 2.f - 1.f;
}

// Random values and moments (v >= 0) for every tensor.
std::vector<AdamMoments> randomize(const std::vector<ParamTensor>& tensors, uint64_t seed) {
  Pcg32 rng(seed, 3);
  std::vector<AdamMoments> moments = zero_moments(tensors);
  for (size_t i = 0; i < tensors.size(); ++i) {
    fill_random(tensors[i].values, tensors[i].size(), rng);
    fill_random(moments[i].m.data(), moments[i].m.size(), rng);
    for (float& v : moments[i].v) v = rng.next_float();
  }
  return moments;
}

bool same_floats(const float* a, const float* b, size_t n) { return n == 0 || std::memcmp(a, b, n * sizeof(float)) == 0; }

std::vector<ParamTensor> with_embedding(NerfNetwork& net, TestEmbedding& e) {
  std::vector<ParamTensor> t = net.param_tensors();
  t.push_back(e.tensor());
  return t;
}

// Saves `tensors` with `moments` as a snapshot at `path`, as the engine does.
void save_tensors(const std::string& path, const std::vector<ParamTensor>& tensors,
                  const std::vector<AdamMoments>& moments) {
  nlohmann::json meta;
  std::vector<SnapshotSection> sections;
  put_tensors(tensors, moments, meta, sections);
  write_snapshot_file(path, meta, sections);
}

}  // namespace

TEST_CASE("param tensors: the network lists its encoding's table and every MLP layer, named and grouped") {
  NerfNetwork net(small_network());
  const std::vector<ParamTensor> t = net.param_tensors();
  REQUIRE(t.size() == 1u + 2u + 3u);  // the table, density 1 hidden + output, color 2 hidden + output
  CHECK(t[0].name == "encoding.grid");
  CHECK(t[0].group == ParamGroup::Sparse);
  CHECK(t[0].size() == nerds::grid_of(net.encoding()).param_count());
  CHECK(t[0].values == nerds::grid_of(net.encoding()).params().data());
  CHECK(t[1].name == "field.density.0");
  CHECK(t[1].shape == std::vector<int64_t>{64, 8});  // [outputs, inputs]: 64 hidden, 4 levels x 2 features
  CHECK(t[1].column_major);
  CHECK(t[1].group == ParamGroup::Dense);
  CHECK(t[1].values == net.density_mlp().weights()[0].data());
  CHECK(t[5].name == "field.color.2");
  CHECK(t[5].shape == std::vector<int64_t>{3, 64});
  // A fixed encoding has no table.
  NetworkConfig frequency = small_network();
  frequency.encoding = "frequency";
  NerfNetwork fixed(frequency);
  CHECK(fixed.param_tensors().front().name == "field.density.0");
}

TEST_CASE("param tensors: a snapshot restores every tensor's values and Adam moments, a test module's included") {
  nerds_test::TempFolder folder("param_tensors");
  const std::string path = (folder.path() / "model.nerds").string();
  NerfNetwork net(small_network());
  TestEmbedding embedding;
  const std::vector<ParamTensor> tensors = with_embedding(net, embedding);
  const std::vector<AdamMoments> moments = randomize(tensors, 1);
  save_tensors(path, tensors, moments);

  NerfNetwork other(small_network());
  TestEmbedding other_embedding;
  const std::vector<ParamTensor> restored = with_embedding(other, other_embedding);
  std::vector<AdamMoments> restored_moments = randomize(restored, 2);  // everything differs before the load
  get_tensors(read_snapshot_file(path), restored, restored_moments);
  REQUIRE(restored_moments.size() == tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    CAPTURE(tensors[i].name);
    CHECK(same_floats(restored[i].values, tensors[i].values, tensors[i].size()));
    CHECK(restored_moments[i].m == moments[i].m);
    CHECK(restored_moments[i].v == moments[i].v);
  }
  // The metadata describes each tensor.
  const SnapshotContents contents = read_snapshot_file(path);
  const nlohmann::json& described = contents.meta["tensors"];
  REQUIRE(described.size() == tensors.size());
  CHECK(described[0]["name"] == "encoding.grid");
  CHECK(described[0]["group"] == "sparse");
  CHECK(described.back()["name"] == "embedding.appearance");
  CHECK(described.back()["shape"] == nlohmann::json::array({5, 3}));
}

TEST_CASE("param tensors: a snapshot of another model is refused, naming the tensor") {
  nerds_test::TempFolder folder("param_tensors_refused");
  const std::string path = (folder.path() / "model.nerds").string();
  NerfNetwork net(small_network());
  TestEmbedding embedding;
  const std::vector<ParamTensor> tensors = with_embedding(net, embedding);
  save_tensors(path, tensors, zero_moments(tensors));
  const SnapshotContents in = read_snapshot_file(path);

  SUBCASE("a tensor the model does not have") {
    std::vector<ParamTensor> fewer = net.param_tensors();
    std::vector<AdamMoments> m = zero_moments(fewer);
    CHECK_THROWS_WITH_AS(get_tensors(in, fewer, m), doctest::Contains("embedding.appearance"), InputError);
  }
  SUBCASE("a tensor the snapshot does not have") {
    TestEmbedding second;
    std::vector<ParamTensor> more = tensors;
    ParamTensor extra = second.tensor();
    extra.name = "embedding.transient";
    more.push_back(extra);
    std::vector<AdamMoments> m = zero_moments(more);
    CHECK_THROWS_WITH_AS(get_tensors(in, more, m), doctest::Contains("embedding.transient"), InputError);
  }
  SUBCASE("another shape") {
    NetworkConfig wider = small_network();
    wider.density_hidden = 32;
    NerfNetwork other(wider);
    std::vector<ParamTensor> t = with_embedding(other, embedding);
    std::vector<AdamMoments> m = zero_moments(t);
    try {
      get_tensors(in, t, m);
      FAIL("a snapshot of a 64-wide MLP loaded into a 32-wide one");
    } catch (const InputError& e) {
      const std::string what = e.what();
      CHECK(what.find(path) != std::string::npos);
      CHECK(what.find("field.density.0") != std::string::npos);
      CHECK(what.find("[64, 8]") != std::string::npos);
      CHECK(what.find("[32, 8]") != std::string::npos);
    }
  }
}

TEST_CASE("param tensors: Adam moves a tensor as its group and learning-rate factor say") {
  OptimizerConfig o;
  o.mlp_l2_reg = 1e-3f;
  const float lr = 1e-2f;
  const int t = 3;
  std::vector<float> grad(15);
  for (size_t i = 0; i < grad.size(); ++i) grad[i] = i % 4 == 0 ? 0.f : 0.01f * static_cast<float>(i) - 0.05f;
  for (ParamGroup group : {ParamGroup::Dense, ParamGroup::Sparse}) {
    CAPTURE(param_group_name(group));
    TestEmbedding e;
    Pcg32 rng(5, 6);
    fill_random(e.codes.data(), e.codes.size(), rng);
    ParamTensor tensor = e.tensor(0.5f);
    tensor.group = group;
    AdamMoments moments = zero_moments({tensor})[0];
    for (float& m : moments.m) m = 0.01f;
    for (float& v : moments.v) v = 0.02f;
    const std::vector<float> before = e.codes;
    const AdamMoments moments_before = moments;
    std::vector<float> g = grad;
    adam_update_range(tensor, moments, tensor_adam_step(tensor, o, lr, t), g.data(), 0, tensor.size());
    // The expected step: Adam's formula at half the learning rate, with the group's weight decay.
    const AdamStep expected = make_adam_step(0.5f * lr, o.beta1, o.beta2, o.eps, t,
                                             group == ParamGroup::Dense ? o.mlp_l2_reg : 0.f);
    for (size_t i = 0; i < before.size(); ++i) {
      CAPTURE(i);
      CHECK(g[i] == 0.f);  // the gradient is consumed
      if (group == ParamGroup::Sparse && grad[i] == 0.f) {  // untouched entries keep everything
        CHECK(e.codes[i] == before[i]);
        CHECK(moments.m[i] == moments_before.m[i]);
        CHECK(moments.v[i] == moments_before.v[i]);
        continue;
      }
      const AdamValues r = adam_step_values(expected, grad[i], before[i], moments_before.m[i], moments_before.v[i]);
      CHECK(e.codes[i] == doctest::Approx(r.param).epsilon(1e-6));
      CHECK(moments.m[i] == doctest::Approx(r.m).epsilon(1e-6));
      CHECK(moments.v[i] == doctest::Approx(r.v).epsilon(1e-6));
      CHECK(e.codes[i] != before[i]);
    }
  }
}

TEST_CASE("param tensors: the model travels as a PackedModel by name, and a foreign one is refused") {
  NerfNetwork net(small_network());
  TestEmbedding embedding;
  const std::vector<ParamTensor> tensors = with_embedding(net, embedding);
  const std::vector<AdamMoments> moments = randomize(tensors, 7);
  const std::vector<float> occupancy = {0.5f, -1.f, 2.f};
  PackedModel packed = pack_model(tensors, moments, occupancy);
  REQUIRE(packed.tensors.size() == tensors.size());
  CHECK(packed.find("embedding.appearance")->values == embedding.codes);

  NerfNetwork other(small_network());
  TestEmbedding other_embedding;
  const std::vector<ParamTensor> target = with_embedding(other, other_embedding);
  std::vector<AdamMoments> target_moments = zero_moments(target);
  std::vector<float> target_occupancy(3);
  std::reverse(packed.tensors.begin(), packed.tensors.end());  // found by name, not by place
  unpack_model(packed, target, target_moments, target_occupancy);
  for (size_t i = 0; i < tensors.size(); ++i) {
    CAPTURE(tensors[i].name);
    CHECK(same_floats(target[i].values, tensors[i].values, tensors[i].size()));
    CHECK(target_moments[i].v == moments[i].v);
  }
  CHECK(target_occupancy == occupancy);
  packed.tensors.pop_back();  // the encoding's table is missing now
  CHECK_THROWS_AS(unpack_model(packed, target, target_moments, target_occupancy), std::logic_error);
}

TEST_CASE("param tensors: the engine lists its model's tensors, and a saved engine loads the same values") {
  nerds_test::TempFolder folder("param_tensors_engine");
  nerds_test::make_small_scene("default", folder.str(), 16, 4, 1);
  EngineOptions o;
  o.data_dir = folder.str();
  ParamSet p = default_method_params();
  p.set("encoding.log2_table_size", int64_t{12});
  p.set("trainer.batch_samples", int64_t{1024});
  Engine engine(o, p);
  engine.train_step();
  const std::vector<PackedTensor> info = engine.param_tensors();
  const std::vector<PackedTensor> full = engine.param_tensors(true);
  REQUIRE(info.size() == 6u);  // the table, 2 density layers, 3 color layers
  REQUIRE(full.size() == info.size());
  CHECK(info[0].info.name == "encoding.grid");
  CHECK(info[0].info.group == ParamGroup::Sparse);
  CHECK(info[0].info.shape[1] == 2);  // encoding.features
  CHECK(info[0].values.empty());
  CHECK(info[1].info.name == "field.density.0");
  CHECK(info[1].info.shape == std::vector<int64_t>{64, 32});  // 16 levels x 2 features in
  const std::string path = (folder.path() / "run.nerds").string();
  engine.save(path);
  const std::vector<PackedTensor> loaded = Engine::load(path)->param_tensors(true);
  REQUIRE(loaded.size() == full.size());
  for (size_t i = 0; i < full.size(); ++i) {
    CAPTURE(full[i].info.name);
    CHECK(full[i].info.name == info[i].info.name);
    REQUIRE(full[i].values.size() == info[i].info.size());
    CHECK(full[i].adam.m.empty());
    CHECK(loaded[i].info.name == full[i].info.name);
    CHECK(loaded[i].values == full[i].values);
  }
}
