// The programs `nerds capture` drives, run as subprocesses (the project links neither):
// ffmpeg (Debian `ffmpeg`) for a video's frames and COLMAP 3.8 (Debian `colmap`, CPU SIFT)
// for the poses; and the frame choice: the sharpest frame of each window of a video.
#pragma once

#include <string>
#include <vector>

namespace nerds::cli::capture {

// Throws InputError naming `program` and the Debian package to install when it is not on PATH.
void require_program(const std::string& program, const std::string& why);

// Runs args[0] with args, stdout and stderr appended to `log`; throws InputError naming the
// step and the log (with its last lines) when it cannot start or ends with a non-zero status.
void run_logged(const std::vector<std::string>& args, const std::string& log, const std::string& step);

// Sharpness as the variance of the Laplacian of the luminance (Pertuz et al. 2013's LAP4
// measure, the one nerfstudio and instant-ngp's colmap2nerf use): larger = sharper.
double sharpness(const std::string& image_path);

// A video's frames into `out_dir` as frame_00001.png, ...: ffmpeg writes about 3 * target
// candidate frames evenly over the video into `work_dir`, which are split into `target`
// consecutive windows, and each window's sharpest frame is kept (all of them when the
// video has fewer). Returns the number kept. `log` gets ffmpeg's messages.
int extract_sharpest_frames(const std::string& video, int target, const std::string& work_dir,
                            const std::string& out_dir, const std::string& log);

}  // namespace nerds::cli::capture
