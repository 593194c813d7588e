#include "viewer/core/engine_worker.h"

#include <algorithm>
#include <exception>
#include <filesystem>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "renderer/error.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/pose_evaluation.h"
#include "viewer/core/appearance_blend.h"
#include "viewer/core/render_mode_layers.h"
#include "viewer/core/view_geometry.h"

namespace nerds::viewer {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// The test split beside the training one, for ground truth and test cameras; none when the
// folder has no test split.
std::shared_ptr<const Dataset> load_test_split(const Engine& engine) {
  try {
    return std::make_shared<Dataset>(engine.load_split("test"));
  } catch (const std::exception&) {
    return nullptr;
  }
}

// BARF's pose error and camera sets are measured every this many steps (an alignment of the
// training cameras: cheap, but not worth doing every step).
constexpr int kPoseEverySteps = 10;

// What the viewer needs to know of the model beyond its parameters (open and reset).
void describe_model(const Engine& engine, SceneInfo& scene) {
  describe_model_layers(engine, scene);
  scene.appearance_dim = static_cast<int>(engine.appearance_code(-1).size());
  scene.pose_refine = scene.params.has("camera.pose_refine") && scene.params.get_bool("camera.pose_refine");
}

}  // namespace

EngineWorker::EngineWorker(const WorkerSettings& settings) : settings_(settings), thread_([this] { run(); }) {}

EngineWorker::~EngineWorker() {
  stop_ = true;
  queue_.wake();
  thread_.join();
}

void EngineWorker::set_view(const ViewRequest& view) {
  {
    std::lock_guard<std::mutex> lock(view_mutex_);
    if (view.target.version == view_.target.version && view.want_occupancy == view_.want_occupancy) return;
    view_ = view;
  }
  queue_.wake();
}

bool EngineWorker::state_if_newer(uint64_t have_version, WorkerState* out) const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  if (state_.version == have_version) return false;
  *out = state_;
  return true;
}

WorkerState EngineWorker::state() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return state_;
}

template <class F>
void EngineWorker::publish(F&& change) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  change(state_);
  ++state_.version;
}

void EngineWorker::set_threads(int threads) {
#ifdef _OPENMP
  omp_set_num_threads(std::clamp(threads > 0 ? threads : max_threads_, 1, max_threads_));
#else
  (void)threads;
#endif
}

void EngineWorker::run() {
#ifdef _OPENMP
  // The trainer sizes its per-thread scratch from this thread's maximum when it is built:
  // a training step may use fewer threads later, never more.
  max_threads_ = omp_get_max_threads();
  if (settings_.max_threads > 0) max_threads_ = std::min(max_threads_, settings_.max_threads);
  omp_set_num_threads(max_threads_);
#endif
  publish([&](WorkerState& s) { s.train_threads = max_threads_; });
  while (!stop_) {
    for (Command& c : queue_.take_all()) {
      if (stop_) break;
      try {
        apply(c);
      } catch (const std::exception& e) {  // InputError and friends: shown, never fatal
        const std::string what = e.what();
        publish([&](WorkerState& s) { s.error = what; });
      }
    }
    if (stop_) break;
    if (!engine_) {
      queue_.wait_for(std::chrono::milliseconds(100));
      continue;
    }
    bool busy = false;
    try {
      busy |= refresh_inspections();
      busy |= refresh_grid_slice();
      busy |= render_band();
      if (wants_training() && !level_holds_training() &&
          seconds_between(last_move_, Clock::now()) > settings_.camera_priority_seconds)
        busy |= train_step();
      bool want_occupancy;
      {
        std::lock_guard<std::mutex> lock(view_mutex_);
        want_occupancy = view_.want_occupancy;
      }
      refresh_occupancy(want_occupancy);
    } catch (const std::exception& e) {
      const std::string what = e.what();
      training_ = false;
      train_to_ = 0;
      publish([&](WorkerState& s) {
        s.error = what;
        s.training = false;
        s.train_to = 0;
      });
    }
    if (!busy) queue_.wait_for(std::chrono::milliseconds(wants_training() ? 5 : 30));
  }
}

void EngineWorker::apply(Command& command) {
  std::visit(
      Overloaded{
          [&](cmd::Open& c) { open(c.setup); },
          [&](cmd::Reset& c) { reset(c.params); },
          [&](cmd::ApplyParams& c) { apply_params(c.params); },
          [&](cmd::SetTraining& c) {
            training_ = c.run;
            step_once_ = false;
            if (!c.run) train_to_ = 0;
          },
          [&](cmd::StepOnce&) {
            training_ = false;
            train_to_ = 0;
            step_once_ = true;
          },
          [&](cmd::TrainTo& c) {
            train_to_ = c.step;
            then_run_ = c.then_run;
            if (engine_ && engine_->stats().step >= train_to_) {  // there already (a snapshot)
              train_to_ = 0;
              training_ = then_run_;
            }
          },
          [&](cmd::Inspect& c) {
            const int slot = std::clamp(c.slot, 0, 1);
            inspect_requests_[slot] = std::make_unique<cmd::Inspect>(c);
            inspected_step_[slot] = -1;  // due now
          },
          [&](cmd::ClearInspect& c) {
            const int slot = std::clamp(c.slot, 0, 1);
            inspect_requests_[slot].reset();
            publish([&](WorkerState& s) { s.inspect[slot].reset(); });
          },
          [&](cmd::SaveSnapshot& c) {
            if (!engine_) throw InputError(c.path, "", "nothing to save: no scene is open");
            engine_->save(c.path);
            publish([&](WorkerState& s) { s.notice = "saved the model to " + c.path; });
          },
          [&](cmd::ScoreTestViews&) {
            if (!engine_) throw InputError("", "", "nothing to score: no scene is open");
            auto score = std::make_shared<TestViewsScore>();
            score->step = engine_->stats().step;
            if (scene_ && scene_->test && !scene_->test->frames.empty()) {
              const EvalResult r = evaluate(*engine_, *scene_->test, EvalOptions{});
              score->views = r.views;
              score->psnr = r.psnr;
            } else {
              score->note = "the data has no test views";
            }
            publish([&](WorkerState& s) { s.test_score = std::move(score); });
          },
          [&](cmd::SetAppearance& c) {
            appearance_ = c.choice;
            apply_appearance();
            restart_render_ = true;
          },
          [&](cmd::SliceGrid& c) {
            slice_request_ = c;
            slice_step_ = -1;  // due now
            if (!c.on) publish([&](WorkerState& s) { s.grid_slice.reset(); });
          },
          [&](cmd::SetTrainThreads& c) {
            train_threads_ = std::clamp(c.threads, 0, max_threads_);
            publish([&](WorkerState& s) { s.train_threads = train_threads_ > 0 ? train_threads_ : max_threads_; });
          },
      },
      command);
  publish([&](WorkerState& s) {
    s.training = training_;
    s.train_to = train_to_;
  });
}

void EngineWorker::open(const EngineSetup& setup) {
  engine_.reset();
  scene_.reset();
  job_.stop();
  publish([&](WorkerState& s) {
    s.ready = false;
    s.error.clear();
    s.image.reset();
    s.occupancy.reset();
    s.inspect = {};
  });
  inspect_requests_ = {};
  set_threads(0);
  engine_ = open_engine(setup, [&](const std::string& what) { publish([&](WorkerState& s) { s.status = what; }); });
  auto scene = std::make_shared<SceneInfo>();
  scene->train = engine_->train_set_ptr();
  publish([&](WorkerState& s) { s.status = "loading the test split"; });
  scene->test = load_test_split(*engine_);
  scene->data_dir = engine_->options().data_dir;
  scene->method_name = engine_->options().method_name;
  scene->snapshot = setup.snapshot;
  scene->params = engine_->params();
  scene->box_half = engine_->box_half();
  scene->loss = engine_->params().has("trainer.loss") ? engine_->params().get_string("trainer.loss") : "l2";
  scene->tensors = engine_->param_tensors();
  describe_model(*engine_, *scene);
  scene_ = scene;
  history_.clear();
  restart_render_ = true;
  rendered_step_ = -1;
  occupancy_step_ = -1;
  slice_step_ = -1;
  opened_at_ = Clock::now();
  apply_appearance();
  auto poses = std::make_shared<const CameraPoseSets>(camera_pose_sets(*engine_));
  publish([&](WorkerState& s) {
    s.poses = poses;
    s.ready = true;
    s.status = "ready";
    s.stats = engine_->stats();
    s.history.clear();
    s.scene = scene_;
    ++s.scene_version;
  });
}

void EngineWorker::apply_params(const ParamSet& params) {
  if (!engine_) throw InputError("apply", "", "no scene is open");
  // Engine::apply_params refuses (InputError, nothing changed) a parameter that needs a new model.
  const std::vector<std::string> changed = engine_->apply_params(params);
  auto scene = std::make_shared<SceneInfo>(*scene_);
  scene->params = engine_->params();
  scene->loss = scene->params.has("trainer.loss") ? scene->params.get_string("trainer.loss") : "l2";
  scene_ = scene;
  std::string what;
  for (const std::string& path : changed) what += (what.empty() ? "" : ", ") + path;
  publish([&](WorkerState& s) {
    s.error.clear();
    s.notice = "applied to the running model: " + what;
    s.scene = scene_;
    ++s.scene_version;
  });
}

void EngineWorker::reset(const ParamSet& params) {
  if (!engine_) throw InputError("reset", "", "no scene is open");
  set_threads(0);
  // Built before the old one goes, so a bad parameter leaves the running engine alone.
  auto fresh = std::make_unique<Engine>(engine_->options(), params);
  engine_ = std::move(fresh);
  auto scene = std::make_shared<SceneInfo>(*scene_);
  scene->train = engine_->train_set_ptr();
  scene->params = engine_->params();
  scene->snapshot.clear();
  scene->box_half = engine_->box_half();
  scene->loss = params.has("trainer.loss") ? params.get_string("trainer.loss") : "l2";
  scene->tensors = engine_->param_tensors();
  describe_model(*engine_, *scene);
  scene_ = scene;
  history_.clear();
  restart_render_ = true;
  rendered_step_ = -1;
  occupancy_step_ = -1;
  slice_step_ = -1;
  for (int& step : inspected_step_) step = -1;
  opened_at_ = Clock::now();
  apply_appearance();
  auto poses = std::make_shared<const CameraPoseSets>(camera_pose_sets(*engine_));
  publish([&](WorkerState& s) {
    s.poses = poses;
    s.error.clear();
    s.notice = "training restarted from scratch";
    s.stats = engine_->stats();
    s.history.clear();
    s.scene = scene_;
    ++s.scene_version;
  });
}

void EngineWorker::apply_appearance() {
  if (!scene_ || scene_->appearance_dim == 0) return;
  const int images = static_cast<int>(scene_->train->frames.size());
  for (int* image : {&appearance_.image_a, &appearance_.image_b})
    if (*image >= images || *image < -1) *image = -1;  // a choice of another scene's: the mean
  engine_->set_view_appearance(chosen_appearance(*engine_, appearance_));
}

bool EngineWorker::renders_frozen() const { return engine_->device() == "cpu"; }

bool EngineWorker::level_holds_training() const {
  // Rendered live, a level's bands must see no step between them; its first band is in.
  return !renders_frozen() && job_.active() && job_.level_step() >= 0;
}

bool EngineWorker::wants_training() const {
  return engine_ && (training_ || step_once_ || train_to_ > engine_->stats().step);
}

bool EngineWorker::train_step() {
  set_threads(train_threads_);
  engine_->train_step();
  set_threads(0);
  const EngineStats st = engine_->stats();
  TrainingPoint p;
  p.step = st.step;
  p.wall_seconds = seconds_between(opened_at_, Clock::now());
  p.train_seconds = st.train_seconds;
  p.used_samples = st.used_samples;
  p.loss = static_cast<float>(st.last_loss);
  p.mse = static_cast<float>(st.last_mse);
  std::shared_ptr<const CameraPoseSets> poses;
  if (scene_->pose_refine && st.step % kPoseEverySteps == 0) {
    if (const TrainingPoseReport r = training_pose_report(*engine_); r.has_true_poses) {
      p.pose_rotation_deg = static_cast<float>(r.after.rotation_deg);
      p.pose_translation = static_cast<float>(r.after.translation);
    }
    poses = std::make_shared<const CameraPoseSets>(camera_pose_sets(*engine_));
  }
  history_.add(p);
  step_once_ = false;
  if (train_to_ > 0 && st.step >= train_to_) {
    train_to_ = 0;
    training_ = then_run_;
  }
  const float lr = engine_->current_lr();
  publish([&](WorkerState& s) {
    if (poses) s.poses = std::move(poses);
    s.stats = st;
    s.learning_rate = lr;
    s.history = history_.points();
    s.training = training_;
    s.train_to = train_to_;
    s.render_settled = false;
    s.status = training_ || train_to_ > 0 ? "training" : "paused";
  });
  return true;
}

int EngineWorker::coarse_rays() const {
  // As many rays as render in coarse_seconds at the rate measured so far: on the CPU a young
  // model (no early termination yet) renders several times slower than a trained one.
  if (rays_per_second_ <= 0.0) return std::clamp(4096, settings_.coarse_rays_min, settings_.coarse_rays_max);
  return std::clamp(static_cast<int>(rays_per_second_ * settings_.coarse_seconds), settings_.coarse_rays_min,
                    settings_.coarse_rays_max);
}

bool EngineWorker::render_band() {
  ViewRequest view;
  {
    std::lock_guard<std::mutex> lock(view_mutex_);
    view = view_;
  }
  if (view.target.version == 0) return false;
  const Clock::time_point now = Clock::now();
  const int step = engine_->stats().step;
  if (restart_render_ || (job_.active() ? job_.target().version : rendered_version_) != view.target.version) {
    // A new camera (or a new engine): from the coarsest level, so the image follows the mouse.
    if (!restart_render_) last_move_ = now;
    restart_render_ = false;
    apply_appearance();  // the chosen images' codes as trained by now
    job_.start(view.target, coarse_rays(), false);
    job_render_seconds_ = 0.0;
  } else if (!job_.active()) {
    // Still camera: re-render at full size for a newer model, within the render share.
    if (step == rendered_step_ || now < next_refresh_) return false;
    apply_appearance();
    job_.start(view.target, coarse_rays(), true);
    job_render_seconds_ = 0.0;
  }
  const int max_rays =
      rays_per_second_ > 0.0
          ? std::clamp(static_cast<int>(rays_per_second_ * settings_.band_seconds), settings_.band_rays_min, 1 << 18)
          : std::max(4096, settings_.band_rays_min);
  const ProgressiveRender::Band band = job_.next_band(max_rays);
  if (band.y0 == 0) {
    job_start_step_ = step;
    job_freeze_seconds_ = 0.0;
  }
  // A level shows one model state (ProgressiveRender::store restarts it otherwise). A level
  // in one band is rendered from the live model; a level in several bands, with training
  // steps between them, from a copy of the model frozen when the level starts (on the CPU; a
  // GPU engine renders live and trains only between levels, see level_holds_training).
  const bool whole_level = band.y0 == 0 && band.rows == band.level.height;
  const bool frozen = !whole_level && renders_frozen();
  const Clock::time_point t0 = Clock::now();
  if (frozen && band.y0 == 0 && engine_->frozen_step() != step) {
    engine_->freeze();
    job_freeze_seconds_ += seconds_between(t0, Clock::now());
  }
  const Clock::time_point t1 = Clock::now();
  const RenderTarget& t = job_.target();
  // The window asks for the layer its mode shows of arm A's model; in compare mode arm B's model
  // may lack it (a Ref-NeRF toggle): this arm then renders colour, which the mode shows with a note.
  LayerRequest layer = t.layer;
  if (layer.layer != RenderLayer::None && !engine_->layer_unavailable(layer.layer).empty()) layer = LayerRequest{};
  const RenderBuffers out = frozen ? engine_->render_frozen(t.pose, band.band, t.background, layer)
                                   : engine_->render(t.pose, band.band, t.background, layer);
  const double seconds = seconds_between(t1, Clock::now());
  job_render_seconds_ += seconds_between(t0, Clock::now());
  const double rays = static_cast<double>(out.opacity.size());
  if (seconds > 0.0) {
    const double rate = rays / seconds;
    rays_per_second_ = rays_per_second_ > 0.0 ? 0.7 * rays_per_second_ + 0.3 * rate : rate;
  }
  if (!job_.store(band, out, frozen ? engine_->frozen_step() : step)) return true;
  auto image = std::make_shared<RenderedImage>();
  ProgressiveRender::Level level = job_.take_level();
  image->buffers = std::move(level.buffers);
  image->intrinsics = level.intrinsics;
  image->divisor = level.divisor;
  image->band_steps = std::move(level.band_steps);
  image->view_version = job_.target().version;
  image->step = level.model_step;
  image->start_step = job_start_step_;
  image->end_step = step;
  image->finest = !job_.active();
  image->pose = job_.target().pose;
  std::copy(job_.target().background, job_.target().background + 3, image->background);
  image->seconds = job_render_seconds_;
  image->freeze_seconds = job_freeze_seconds_;
  if (image->finest) {
    rendered_version_ = image->view_version;
    rendered_step_ = image->step;
    const double share = std::clamp(settings_.render_share, 0.05, 1.0);
    const double wait = std::max(settings_.refresh_seconds, job_render_seconds_ * (1.0 - share) / share);
    next_refresh_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
  }
  job_render_seconds_ = 0.0;
  publish([&](WorkerState& s) {
    s.image = image;
    s.render_settled = image->finest;
  });
  return true;
}

void EngineWorker::inspect(int slot) {
  const cmd::Inspect& r = *inspect_requests_[slot];
  auto result = std::make_shared<InspectResult>();
  result->request = r;
  result->samples = engine_->inspect(r.pose, r.intrinsics, r.px, r.py);
  // The engine composites the ray itself: a one-pixel render centered on it.
  const RenderBuffers pixel = engine_->render(r.pose, pixel_of(r.intrinsics, r.px, r.py), r.background);
  std::copy(pixel.rgb.begin(), pixel.rgb.begin() + 3, result->rgb);
  result->depth = pixel.depth[0];
  result->opacity = pixel.opacity[0];
  result->step = engine_->stats().step;
  inspected_step_[slot] = result->step;
  inspected_at_[slot] = Clock::now();
  publish([&](WorkerState& s) { s.inspect[slot] = result; });
}

bool EngineWorker::refresh_inspections() {
  bool did = false;
  const int step = engine_->stats().step;
  for (int slot = 0; slot < 2; ++slot) {
    if (!inspect_requests_[slot]) continue;
    const bool due =
        inspected_step_[slot] < 0 || (inspected_step_[slot] != step &&
                                      seconds_between(inspected_at_[slot], Clock::now()) >= settings_.inspect_seconds);
    if (!due) continue;
    inspect(slot);
    did = true;
  }
  return did;
}

bool EngineWorker::refresh_grid_slice() {
  if (!slice_request_.on) return false;
  const int step = engine_->stats().step;
  if (slice_step_ >= 0 &&
      (slice_step_ == step || seconds_between(sliced_at_, Clock::now()) < settings_.inspect_seconds))
    return false;
  auto result = std::make_shared<GridSliceResult>();
  result->request = slice_request_;
  result->step = step;
  try {
    const cmd::SliceGrid& r = slice_request_;
    result->slice = engine_->grid_slice(r.level, r.axis, r.offset, r.size);
  } catch (const InputError& e) {  // not a grid, or a level the model does not have: said in the panel
    result->note = e.what();
  }
  slice_step_ = step;
  sliced_at_ = Clock::now();
  publish([&](WorkerState& s) { s.grid_slice = result; });
  return true;
}

void EngineWorker::refresh_occupancy(bool wanted) {
  if (!wanted) return;
  const int step = engine_->stats().step;
  if (step == occupancy_step_ ||
      (occupancy_step_ >= 0 && seconds_between(last_occupancy_, Clock::now()) < settings_.occupancy_seconds))
    return;
  auto cells = std::make_shared<OccupancyCells>(engine_->occupancy_cells());
  occupancy_step_ = step;
  last_occupancy_ = Clock::now();
  publish([&](WorkerState& s) { s.occupancy = cells; });
}

}  // namespace nerds::viewer
