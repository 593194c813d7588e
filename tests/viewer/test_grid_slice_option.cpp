// nerds-view --grid-slice LEVEL[:AXIS[:OFFSET]]: the grid-slice view open at that level and
// plane; a malformed value is an InputError naming the option.
#include <doctest/doctest.h>

#include "renderer/error.h"
#include "viewer/core/viewer_options.h"

using namespace nerds;
using namespace nerds::viewer;

TEST_CASE("viewer options: --grid-slice opens the slice at a level, axis and offset") {
  const GridSliceSettings a = parse_grid_slice("8:x:0.25", "--grid-slice");
  CHECK(a.open);
  CHECK(a.level == 8);
  CHECK(a.axis == 0);
  CHECK(a.offset == 0.25f);
  const GridSliceSettings b = parse_grid_slice("3", "--grid-slice");
  CHECK(b.level == 3);
  CHECK(b.axis == 2);  // z through the middle unless said
  CHECK(b.offset == 0.5f);
  CHECK(parse_grid_slice("0:y", "--grid-slice").axis == 1);
  for (const char* bad : {"", "a", "3:w", "3:z:1.5", "3:z:0.5:1", "-1", "3x", "3:z:0.5x"})
    CHECK_THROWS_WITH_AS(parse_grid_slice(bad, "--grid-slice"), doctest::Contains("--grid-slice"), InputError);
}
