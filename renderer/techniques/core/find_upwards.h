// The repository's data folders (scenes/methods/, papers/) as a program finds them: from the
// working directory upwards, then from the executable's folder upwards, so `nerds` finds them
// when run from the checkout, from build/, or from anywhere as build/nerds.
#pragma once

#include <string>

namespace nerds {

// The first `dir/relative` that is a regular file (or, with `directory`, a folder), for dir the
// working directory, its parents, the executable's folder and its parents (up to 6 levels
// each); "" when there is none.
std::string find_upwards(const std::string& relative, bool directory);

}  // namespace nerds
