// What a technique module computes, as one or more functions the registry tests can check
// without knowing the module: shapes, finite values, finite-difference gradients, and the
// module's parameters round-tripping through JSON (tests/techniques/test_module_registry.cpp).
// A module returns one probe per function it contributes for the given parameters (an
// encoding of the chosen kind, the MLPs of the field, a ray warp, a sample placement, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nerds {

class ModuleProbe {
 public:
  virtual ~ModuleProbe() = default;

  // What is probed, e.g. "encoding (kind=hash)".
  virtual std::string name() const = 0;
  virtual int input_dim() const = 0;
  virtual int output_dim() const = 0;
  // n valid inputs (input_dim each, sample after sample) drawn with `seed`: positions inside
  // the unit cube, unit directions, positive weights: whatever the function is defined on.
  virtual std::vector<float> example_inputs(int n, uint64_t seed) const = 0;
  // out: output_dim floats per input.
  virtual void forward(const float* in, int n, float* out) const = 0;

  // Whether backward() gives dL/d(inputs) (false for a function that is piecewise constant
  // in its inputs, such as a sampler's positions from a CDF, or one with no derivative
  // defined, such as an occupancy test).
  virtual bool differentiable_inputs() const { return false; }
  // Trained parameters (the hash table, the MLP weights); 0 for a fixed function.
  virtual size_t param_count() const { return 0; }
  virtual float* params() { return nullptr; }
  // Given dL/d(out) for the n inputs, writes dL/d(in) (when differentiable_inputs(); else
  // d_in may be null) and adds dL/d(params) into d_params (param_count() floats; null when
  // there are none). The finite-difference check perturbs inputs and params() alike.
  virtual void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const {
    (void)in, (void)d_out, (void)n, (void)d_in, (void)d_params;
  }
  // Largest relative error the finite-difference check accepts (float arithmetic; functions
  // with kinks, such as ReLU MLPs or trilinear interpolation, need a looser bound).
  virtual double gradient_tolerance() const { return 2e-2; }
  // Step of the finite differences on the inputs (Richardson-extrapolated central
  // differences): small against the function's shortest period or cell.
  virtual float finite_difference_step() const { return 1e-4f; }
};

using ModuleProbes = std::vector<std::unique_ptr<ModuleProbe>>;

}  // namespace nerds
