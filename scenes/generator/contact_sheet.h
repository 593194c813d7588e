// A contact sheet: one image per scene in a grid of square tiles, each labelled, composited
// over white (the documentation's overview of the sample scenes).
#pragma once

#include <string>
#include <vector>

#include "renderer/data/image_io.h"

namespace nerds::scenes {

struct SheetTile {
  std::string label;
  Image8 image;  // RGB or RGBA (straight alpha, composited over white), any size
};

// Tiles of tile_size x tile_size pixels (each image fitted and centered, area-filtered),
// `columns` per row, a label strip above each. Returns an RGB image.
Image8 make_contact_sheet(const std::vector<SheetTile>& tiles, int tile_size, int columns);

}  // namespace nerds::scenes
