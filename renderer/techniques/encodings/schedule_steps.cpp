#include "renderer/techniques/encodings/schedule_steps.h"

#include <sstream>
#include <stdexcept>

#include "renderer/error.h"

namespace nerds {

std::vector<float> read_schedule_steps(const std::string& text, int total, const std::string& param,
                                       const std::string& total_param) {
  std::vector<float> out;
  std::stringstream in(text);
  std::string item;
  float last = 0.f;
  while (std::getline(in, item, ',')) {
    const size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    const std::string word = item.substr(b, e - b + 1);
    size_t used = 0;
    long v = -1;
    try {
      v = std::stol(word, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != word.size() || v < 1 || v > total)
      throw InputError("", param, "'" + word + "' is not a step in 1.." + std::to_string(total) + " (" + total_param + ")");
    const float f = static_cast<float>(v) / static_cast<float>(total);
    if (f <= last) throw InputError("", param, "the steps must increase");
    out.push_back(f);
    last = f;
  }
  return out;
}

}  // namespace nerds
