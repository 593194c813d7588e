// renderer/engine.h is all a client needs, and it brings nothing deeper with it: no Eigen, no
// trainer, no module machinery. This file includes it alone; the checks are at compile time.
#include "renderer/engine.h"

#include <doctest/doctest.h>

#include <type_traits>

#ifdef EIGEN_WORLD_VERSION
#error "renderer/engine.h includes Eigen: clients must not see it"
#endif

namespace {

// True when T is a complete type in this translation unit.
template <class T, class = void>
struct is_complete : std::false_type {};
template <class T>
struct is_complete<T, std::void_t<decltype(sizeof(T))>> : std::true_type {};

}  // namespace

// Declared by renderer/train/trainer.h and renderer/train/train_config.h: engine.h only
// forward-declares them.
static_assert(!is_complete<nerds::Trainer>::value, "renderer/engine.h includes renderer/train/trainer.h");
static_assert(!is_complete<nerds::TrainConfig>::value, "renderer/engine.h includes renderer/train/train_config.h");

// These names are renderer/techniques/core/technique_module.h's and renderer/techniques/fields/nerf_network.h's:
// an alias of the same name compiles only when those headers did not come in.
namespace nerds {
using TechniqueModule = void;
using NerfNetwork = void;
}  // namespace nerds

TEST_CASE("engine.h alone: a client resolves the device it asks for") {
  CHECK(nerds::resolve_device("cpu") == "cpu");
  CHECK_THROWS_WITH(nerds::resolve_device("tpu"), doctest::Contains("not a device"));
}
