// The "tensorf" encoding kind (encoding.kind = tensorf): TensoRF's factorised grids
// (tensorf_encoding.h), with its parameters under "encoding.tensorf_*". The method file
// scenes/methods/tensorf.json pairs it with field.density = encoding, softplus with TensoRF's
// shift, the appearance MLP and the learning rates; papers/tensorf.json holds its ablation.
#include <cmath>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/encodings/schedule_steps.h"
#include "renderer/techniques/tensorf/tensorf_encoding.h"

namespace nerds {

namespace {

constexpr const char kTensorfEncoding[] = "tensorf";
// The refusal bound, as the dense grid's: the factors, their gradient and two Adam moments
// are 16 bytes per parameter.
constexpr double kMaxTensorfParams = double(size_t{1} << 28);

void declare(ParamSet& p) {
  p.declare("encoding",
            {"tensorf_decomposition", ParamType::Choice,
             "TensoRF: vm (per axis a plane times a line, Eq. 3) or cp (three lines per component, Eq. 2)", -1, 1,
             {"vm", "cp"}},
            std::string("vm"));
  p.declare("encoding",
            {"tensorf_density_components", ParamType::Int,
             "TensoRF: density components, per axis for vm (the paper's VM-192: 16), in all for cp (CP-384: 96)", 1,
             512},
            int64_t{16});
  p.declare("encoding",
            {"tensorf_appearance_components", ParamType::Int,
             "TensoRF: appearance components, per axis for vm (the paper's 48), in all for cp (288)", 1, 512},
            int64_t{48});
  p.declare("encoding",
            {"tensorf_appearance_features", ParamType::Int,
             "TensoRF: appearance features P, the rows of the basis matrix B (the code's 27)", 1, 256},
            int64_t{27});
  p.declare("encoding",
            {"tensorf_resolution_init", ParamType::Int, "TensoRF: grid nodes per axis at the start (the code's 128)",
             2, 1024},
            int64_t{128});
  p.declare("encoding",
            {"tensorf_resolution_final", ParamType::Int,
             "TensoRF: grid nodes per axis after the last upsampling (the code's 300 for vm, 500 for cp)", 2, 1024},
            int64_t{300});
  p.declare("encoding",
            {"tensorf_upsample_steps", ParamType::String,
             "TensoRF: the steps of encoding.tensorf_schedule_steps at which the grids are upsampled, comma-separated "
             "(the code's 2000,3000,4000,5500,7000 of 30000); empty: no upsampling"},
            std::string("2000,3000,4000,5500,7000"));
  p.declare("encoding",
            {"tensorf_schedule_steps", ParamType::Int,
             "TensoRF: the run length the upsampling steps refer to; the schedule is scaled to the run's budget", 1,
             10000000},
            int64_t{30000});
  p.declare("encoding",
            {"tensorf_l1_weight", ParamType::Float,
             "TensoRF: weight of the L1 term on the density factors (the code's L1_weight_inital: 8e-5 vm, 1e-5 cp)", 0,
             1},
            8e-5);
  p.declare("encoding",
            {"tensorf_init_scale", ParamType::Float,
             "TensoRF: the factors start at this times N(0, 1) (the code: 0.1 vm, 0.2 cp)", 1e-6, 10},
            0.1);
  p.declare("encoding",
            {"tensorf_lr_factor", ParamType::Float,
             "TensoRF: the factors' learning rate over trainer.lr (the code: 0.02 grids over 1e-3 network = 20)", 1e-3,
             1e4},
            20.0);
  p.declare("encoding",
            {"tensorf_lr_upsample_reset", ParamType::Bool,
             "TensoRF: at each upsampling every tensor's learning rate goes back to its initial value and decays from "
             "there (the code's lr_upsample_reset = 1); off: the run's decay continues"},
            true);
  p.declare("encoding",
            {"tensorf_optimizer_upsample_reset", ParamType::Bool,
             "TensoRF: at each upsampling every tensor's Adam moments are zeroed and its bias correction restarts (the "
             "code builds a new Adam); off: only the resized tensors' moments restart, the step count is the run's"},
            true);
}

void configure(const ParamSet& p, const Dataset&, NetworkConfig& c) {
  TensorfConfig& t = c.tensorf;
  t.decomposition = p.get_string("encoding.tensorf_decomposition") == "cp" ? TensorfDecomposition::CP
                                                                           : TensorfDecomposition::VM;
  t.density_components = static_cast<int>(p.get_int("encoding.tensorf_density_components"));
  t.appearance_components = static_cast<int>(p.get_int("encoding.tensorf_appearance_components"));
  t.appearance_features = static_cast<int>(p.get_int("encoding.tensorf_appearance_features"));
  t.resolution_init = static_cast<int>(p.get_int("encoding.tensorf_resolution_init"));
  t.resolution_final = static_cast<int>(p.get_int("encoding.tensorf_resolution_final"));
  t.upsample_at = read_schedule_steps(p.get_string("encoding.tensorf_upsample_steps"),
                                      static_cast<int>(p.get_int("encoding.tensorf_schedule_steps")),
                                      "encoding.tensorf_upsample_steps", "encoding.tensorf_schedule_steps");
  t.l1_weight = static_cast<float>(p.get_float("encoding.tensorf_l1_weight"));
  t.init_scale = static_cast<float>(p.get_float("encoding.tensorf_init_scale"));
  t.lr_factor = static_cast<float>(p.get_float("encoding.tensorf_lr_factor"));
  t.lr_upsample_reset = p.get_bool("encoding.tensorf_lr_upsample_reset");
  t.optimizer_upsample_reset = p.get_bool("encoding.tensorf_optimizer_upsample_reset");
  const double n = std::max(t.resolution_init, t.resolution_final);
  const double per_axis = t.decomposition == TensorfDecomposition::VM ? n * n + n : 3.0 * n;
  const double params = 3.0 * per_axis * (t.density_components + t.appearance_components);
  if (params > kMaxTensorfParams)
    throw InputError("", "encoding.tensorf_resolution_final",
                     "the factors would hold " + std::to_string(static_cast<long long>(params)) +
                         " parameters, more than 2^28 (4 GiB with gradients and Adam moments); lower it or the components");
}

int width(const NetworkConfig& c) { return 1 + c.tensorf.appearance_features; }

std::unique_ptr<PositionEncoding> make(const NetworkConfig& c) { return std::make_unique<TensorfEncoding>(c.tensorf); }

}  // namespace

EncodingKind tensorf_encoding_kind() {
  return {kTensorfEncoding, "TensoRF's factorised density and appearance grids (VM or CP), read by field.density=encoding",
          "Chen et al. 2022 (TensoRF), Sec. 3-4, Eq. 2-6", declare, configure, width, make};
}

}  // namespace nerds
