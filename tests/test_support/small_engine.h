// A small engine for tests of the engine's queries: the default scene made small in `dir` and
// the default method with a small hash grid (4 levels, 2^12 entries a level), with `sets`
// (module.key=value) applied over it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/techniques/core/method_files.h"
#include "tests/test_support/small_scene.h"

namespace nerds_test {

inline std::unique_ptr<nerds::Engine> small_engine(const std::string& dir, const std::vector<std::string>& sets = {},
                                                   int resolution = 24, int train_views = 8) {
  make_small_scene("default", dir, resolution, train_views, 0);
  nerds::EngineOptions o;
  o.data_dir = dir;
  nerds::ParamSet p = nerds::default_method_params();
  p.set("encoding.levels", int64_t{4});
  p.set("encoding.log2_table_size", int64_t{12});
  for (const std::string& s : sets) p.set_from_string(s);
  return std::make_unique<nerds::Engine>(o, p);
}

// EngineOptions that read the dataset in `dir`, everything else at its default.
inline nerds::EngineOptions engine_options(const std::string& dir) {
  nerds::EngineOptions o;
  o.data_dir = dir;
  return o;
}

// The default method with `sets` (module.key=value) applied over it.
inline nerds::ParamSet default_params_with(const std::vector<std::string>& sets) {
  nerds::ParamSet p = nerds::default_method_params();
  for (const std::string& s : sets) p.set_from_string(s);
  return p;
}

}  // namespace nerds_test
