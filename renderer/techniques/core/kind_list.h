// What every registry of technique kinds does with its list (sampler_kinds.cpp; the encoding
// kinds could share it): find a kind by name, and the module's summary and paper line built
// from the kinds. A Kind has `name`, `doc` and `paper` (const char*).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

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
