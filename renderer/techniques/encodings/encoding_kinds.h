// The registry of position-encoding kinds (encoding.kind): every kind is listed once, in
// encoding_kinds.cpp, with its parameters, how they configure a run and how it is built.
// The "encoding" module (encoding_module.cpp) builds its kind choice from this list,
// NerfNetwork builds its encoding through it, and the registry tests probe every kind.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/params.h"
#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/fields/network_config.h"

namespace nerds {

struct EncodingKind {
  const char* name;   // the value of encoding.kind, e.g. "hash"
  const char* doc;    // one line: what it is
  const char* paper;  // paper, year, section/equation
  // Declares the parameters the kind reads, under the "encoding" module. Kinds that share a
  // parameter (hash and dense: the levels) declare it through one shared function that
  // declares it once.
  void (*declare)(ParamSet& params);
  // Writes the kind's settings into the network configuration (config.encoding is already
  // the kind's name); bad values throw InputError naming the parameter.
  void (*configure)(const ParamSet& params, const Dataset& data, NetworkConfig& config);
  // The encoding's output width for a configuration, without building it (the field sizes
  // its density MLP from it; a grid's table would be allocated for nothing).
  int (*width)(const NetworkConfig& config);
  std::unique_ptr<PositionEncoding> (*make)(const NetworkConfig& config);
};

// Every kind, in the order encoding.kind lists them (the first is the default).
const std::vector<EncodingKind>& encoding_kinds();
// The kind called `name`; std::invalid_argument naming the known kinds when there is none.
const EncodingKind& encoding_kind(const std::string& name);

// The encoding config.encoding names, built for config (its tensors not yet initialized).
std::unique_ptr<PositionEncoding> make_position_encoding(const NetworkConfig& config);
// Its width, without building it.
int position_encoding_width(const NetworkConfig& config);

}  // namespace nerds
