// `nerds`: the command-line client of the engine (train, eval, render, bench, scene, params,
// demo, papers, ablate, capture, race). Every bad input (a missing folder, a malformed file, an unknown parameter, a bad
// option) ends with "nerds: error: <message>" on stderr and exit status 2; never a crash.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/cli_common.h"
#include "renderer/error.h"

namespace {
constexpr int kExitInputError = 2;
constexpr int kExitInternalError = 1;

int input_error(const std::string& message) {
  std::fprintf(stderr, "nerds: error: %s\n", message.c_str());
  return kExitInputError;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace nerds::cli;
  CLI::App app{"NerdsNeRF: train, evaluate and render neural radiance fields (CPU, or CUDA where a GPU is present)", "nerds"};
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::simple);
  std::vector<Command> commands;
  try {
    commands = {add_train_command(app), add_eval_command(app),   add_render_command(app), add_bench_command(app),
                add_scene_command(app), add_params_command(app), add_demo_command(app),   add_papers_command(app),
                add_ablate_command(app), add_capture_command(app), add_race_command(app)};
    check_integer_options(app);
  } catch (const std::exception& e) {  // a mistake in an option declaration
    std::fprintf(stderr, "nerds: internal error: %s\n", e.what());
    return kExitInternalError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::Error& e) {
    return input_error(e.what() + std::string(" (run nerds --help)"));
  } catch (const nerds::InputError& e) {
    return input_error(e.what());
  }
  try {
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
    return input_error("no command given (run nerds --help)");
  } catch (const nerds::InputError& e) {
    return input_error(e.what());
  } catch (const CLI::Error& e) {
    return input_error(e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    return input_error(e.what());
  } catch (const nlohmann::json::exception& e) {
    // Files are read through renderer/data/json_fields.h, whose errors name the file and the
    // field; reaching here means a reader bypassed it: still say that a JSON value was wrong.
    std::fprintf(stderr,
                 "nerds: internal error: a JSON value of an unexpected type or shape escaped the checked "
                 "readers (please report): %s\n",
                 e.what());
    return kExitInternalError;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr,
                 "nerds: error: out of memory (in a step that does not say what it allocates; the dataset's "
                 "images, the model and its training batch must fit together)\n");
    return kExitInternalError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nerds: internal error: %s\n", e.what());
    return kExitInternalError;
  }
}
