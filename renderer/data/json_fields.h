// The engine's strict JSON reading (datasets, paper cards): a JSON file and its fields, with
// errors (InputError) that name the file and the field, e.g.
// "scene/transforms.json: frames[12].transform_matrix: ...".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "renderer/math/vec3.h"

namespace nerds::json_fields {

// Parses `path`. Python's json.dump writes NaN / Infinity / -Infinity for non-finite floats,
// which is not JSON; those tokens are read as null so that the field holding them can be
// named in the error (a pose with NaN is then reported by read_pose, not as a parse error).
nlohmann::json read_json_file(const std::string& path);

// The name of `key` inside the object found at `where` ("" = top level, else "frames[3]").
std::string field_name(const std::string& where, const std::string& key);

// `object[key]`, or nullptr when absent or null. Throws when `object` is not an object.
const nlohmann::json* find(const nlohmann::json& object, const std::string& key, const std::string& file,
                           const std::string& where);

// A number field: required (throws when absent) or optional (nullopt when absent);
// either way a present value must be a finite number.
double require_number(const nlohmann::json& object, const std::string& key, const std::string& file,
                      const std::string& where);
std::optional<double> optional_number(const nlohmann::json& object, const std::string& key,
                                      const std::string& file, const std::string& where);
std::string require_string(const nlohmann::json& object, const std::string& key, const std::string& file,
                           const std::string& where);
// An array of three numbers, e.g. instant-ngp's "offset".
std::optional<Vec3> optional_vec3(const nlohmann::json& object, const std::string& key,
                                  const std::string& file, const std::string& where);

std::optional<std::string> optional_string(const nlohmann::json& object, const std::string& key,
                                           const std::string& file, const std::string& where);
// An integer field (a JSON number without a fraction).
int64_t require_integer(const nlohmann::json& object, const std::string& key, const std::string& file,
                        const std::string& where);
std::optional<int64_t> optional_integer(const nlohmann::json& object, const std::string& key,
                                        const std::string& file, const std::string& where);
// An array field (any elements); throws when absent or not an array.
const nlohmann::json& require_array(const nlohmann::json& object, const std::string& key, const std::string& file,
                                    const std::string& where);
// An array of strings: required (throws when absent) or optional (empty when absent).
std::vector<std::string> require_string_array(const nlohmann::json& object, const std::string& key,
                                              const std::string& file, const std::string& where);
std::vector<std::string> optional_string_array(const nlohmann::json& object, const std::string& key,
                                               const std::string& file, const std::string& where);
// Throws when `object` holds a key that is not in `known`: a misspelt field is an error,
// never silently ignored.
void reject_unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known,
                         const std::string& file, const std::string& where);

// The top-level "frames" array; throws when absent, not an array, or empty.
const nlohmann::json& require_frames(const nlohmann::json& root, const std::string& file);

// `frame.transform_matrix`: a 4x4 (or 3x4) camera-to-world matrix that must be finite and
// rigid (rotation orthonormal within 1e-3, det > 0, bottom row 0 0 0 1).
Pose read_pose(const nlohmann::json& frame, const std::string& file, const std::string& where);

}  // namespace nerds::json_fields
