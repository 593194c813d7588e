#include "scenes/generator/multiscale_views.h"

#include "scenes/generator/color.h"

namespace nerds::scenes {

RenderedView downscale_view(const RenderedView& view, int factor) {
  const int width = view.rgba.width / factor, height = view.rgba.height / factor;
  RenderedView out = empty_view(width, height);
  const float area = static_cast<float>(factor * factor);
  for (int oy = 0; oy < height; ++oy) {
    for (int ox = 0; ox < width; ++ox) {
      Vec3 color, normal;
      float alpha = 0.f, depth = 0.f;
      int hits = 0;
      for (int y = oy * factor; y < (oy + 1) * factor; ++y) {
        for (int x = ox * factor; x < (ox + 1) * factor; ++x) {
          const size_t p = static_cast<size_t>(y) * view.rgba.width + x;
          const uint8_t* in = &view.rgba.pixels[p * 4];
          const float a = in[3] / 255.f;
          color = color + srgb_to_linear(make_vec3(in[0] / 255.f, in[1] / 255.f, in[2] / 255.f)) * a;
          alpha += a;
          if (view.depth[p] > 0.f) {
            depth += view.depth[p];
            normal = normal + view.normals[p];
            ++hits;
          }
        }
      }
      const size_t q = static_cast<size_t>(oy) * width + ox;
      uint8_t* o = &out.rgba.pixels[q * 4];
      if (alpha > 0.f) {
        const Vec3 srgb = linear_to_srgb(color / alpha);
        o[0] = to_u8(srgb.x);
        o[1] = to_u8(srgb.y);
        o[2] = to_u8(srgb.z);
      }
      o[3] = to_u8(alpha / area);
      if (hits > 0) {
        out.depth[q] = depth / static_cast<float>(hits);
        if (length(normal) > 1e-6f) out.normals[q] = normalize(normal);
      }
    }
  }
  return out;
}

}  // namespace nerds::scenes
