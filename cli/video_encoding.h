// `nerds render --video`: the rendered frames DIR/0000.png, 0001.png, ... encoded into an MP4
// (H.264, yuv420p: what browsers and slide software play) by the `ffmpeg` program, run as a
// subprocess (Debian package `ffmpeg`; the project links no video library).
#pragma once

#include <string>

namespace nerds::cli {

// Encodes frames 0..frames-1 of `frames_dir` at `fps` into `video` (written to video + ".tmp"
// and renamed, so a failed encoding leaves an existing video as it was). Throws InputError
// naming --video when ffmpeg is not installed (saying which package to install) or fails.
void encode_video(const std::string& frames_dir, int frames, double fps, const std::string& video);

}  // namespace nerds::cli
