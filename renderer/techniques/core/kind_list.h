// What every registry of technique kinds (encoding_kinds.cpp, sampler_kinds.cpp) does with its
// list: find a kind by name, declare the module's `kind` choice, and build the module's summary
// and paper line from the kinds. A Kind has `name`, `doc` and `paper` (const char*).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "renderer/techniques/core/params.h"

namespace nerds {

// The kind called `name`; std::invalid_argument "unknown <what> '<name>' (known: ...)".
template <class Kind>
const Kind& find_kind(const std::vector<Kind>& kinds, const std::string& name, const char* what) {
  std::string known;
  for (const Kind& k : kinds) {
    if (name == k.name) return k;
    known += (known.empty() ? "" : ", ") + std::string(k.name);
  }
  throw std::invalid_argument("unknown " + std::string(what) + " '" + name + "' (known: " + known + ")");
}

// Declares `<module>.kind`, a choice among the kinds' names (the first is the default), its doc
// "<prefix> a (doc of a); b (doc of b)".
template <class Kind>
void declare_kind_choice(ParamSet& params, const std::string& module, const std::string& prefix,
                         const std::vector<Kind>& kinds) {
  std::vector<std::string> names;
  std::string doc = prefix;
  for (const Kind& k : kinds) {
    names.push_back(k.name);
    doc += std::string(names.size() == 1 ? " " : "; ") + k.name + " (" + k.doc + ")";
  }
  params.declare(module, {"kind", ParamType::Choice, doc, 0, 0, names}, names.front());
}

// "<prefix> a, b, c": the kinds' names.
template <class Kind>
std::string kind_summary(const std::string& prefix, const std::vector<Kind>& kinds) {
  std::string out = prefix;
  for (const Kind& k : kinds) out += std::string(out.back() == ':' ? " " : ", ") + k.name;
  return out;
}

// The kinds' paper references, each once, joined by "; ".
template <class Kind>
std::string kind_papers(const std::vector<Kind>& kinds) {
  std::string out;
  for (const Kind& k : kinds)
    if (out.find(k.paper) == std::string::npos) out += (out.empty() ? "" : "; ") + std::string(k.paper);
  return out;
}

}  // namespace nerds
