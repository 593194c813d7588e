# Compare mode in a real window under Xvfb: nerds-view --paper mip-nerf --compare trains both
# arms (encoding.kind=frequency vs ipe) of a tiny multiscale scene to step 3, walks to the
# card's guided step 3 (test frame 3, error mode) and writes a screenshot; its layout JSON must
# hold both arms ("compare": {"a", "b"}), each at a step > 0 with a PSNR against that test view,
# and the arms' toggles as the plan says (A off, B on). The run saves its session; reopened,
# it is compare mode again with both arms at their steps, the same layout and guided step.
# A third run of the same scene keeps the free camera (no dataset view): each arm's PSNR is
# then its model's mean over the scene's test views ("psnr_of": "test views (N)").
#   cmake -DVIEWER=... -DXVFB_RUN=... -DWORK_DIR=... -P compare_window_test.cmake
if(NOT XVFB_RUN OR NOT EXISTS "${XVFB_RUN}")
  message("viewer window test skipped: xvfb-run was not found (apt-get install xvfb xauth)")
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x720x24" "${VIEWER}" --paper mip-nerf --compare --scene-dir scene
          --scene-resolution 24 --scene-views 8 --scene-test-views 2 --set trainer.batch_samples=4096
          --step 3 --paused --guided-step 3 --compare-view difference --frames 3
          --screenshot "${WORK_DIR}/compare.png" --frame-times "${WORK_DIR}/frames.json"
          --save-session "${WORK_DIR}/session.json" --timeout 240
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nerds-view --paper mip-nerf --compare failed (exit ${rc})")
endif()

file(READ "${WORK_DIR}/compare.json" layout)
string(JSON view GET "${layout}" compare layout)
string(JSON guided GET "${layout}" compare guided_step)
if(NOT view STREQUAL "difference" OR NOT guided EQUAL 3)
  message(FATAL_ERROR "compare.json: layout '${view}' (want difference), guided_step ${guided} (want 3)")
endif()
foreach(arm_want a:encoding.kind=frequency b:encoding.kind=ipe)
  string(REPLACE ":" ";" parts "${arm_want}")
  list(GET parts 0 arm)
  list(GET parts 1 want)
  string(JSON toggle GET "${layout}" compare ${arm} toggle)
  string(JSON step GET "${layout}" compare ${arm} step)
  string(JSON psnr GET "${layout}" compare ${arm} psnr)
  string(JSON psnr_of GET "${layout}" compare ${arm} psnr_of)
  if(NOT toggle STREQUAL want)
    message(FATAL_ERROR "compare.json: arm ${arm} toggle '${toggle}', want '${want}'")
  endif()
  if(NOT step GREATER 0)
    message(FATAL_ERROR "compare.json: arm ${arm} is at step ${step}, want > 0")
  endif()
  if(NOT psnr_of STREQUAL "test:3" OR NOT psnr GREATER 0)
    message(FATAL_ERROR "compare.json: arm ${arm} PSNR ${psnr} of '${psnr_of}', want > 0 against test:3")
  endif()
endforeach()
file(READ "${WORK_DIR}/frames.json" frames)
string(JSON timed_arms LENGTH "${frames}" arms)
if(NOT timed_arms EQUAL 2)
  message(FATAL_ERROR "frames.json: ${timed_arms} arms timed, want 2")
endif()
execute_process(
  COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x720x24" "${VIEWER}" --session "${WORK_DIR}/session.json" --frames 2
          --screenshot "${WORK_DIR}/reopened.png" --timeout 240
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nerds-view --session (a compare session) failed (exit ${rc})")
endif()
file(READ "${WORK_DIR}/reopened.json" reopened)
foreach(key layout guided_step a:toggle b:toggle a:step b:step)
  string(REPLACE ":" ";" path "${key}")
  string(JSON before GET "${layout}" compare ${path})
  string(JSON after GET "${reopened}" compare ${path})
  if(NOT before STREQUAL after)
    message(FATAL_ERROR "reopened compare session: compare.${key} is '${after}', saved '${before}'")
  endif()
endforeach()

execute_process(
  COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x720x24" "${VIEWER}" --paper mip-nerf --compare --scene-dir scene
          --scene-resolution 24 --scene-views 8 --scene-test-views 2 --set trainer.batch_samples=4096
          --step 2 --paused --frames 1 --grid-slice 1 --screenshot "${WORK_DIR}/free.png" --timeout 240
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nerds-view --paper mip-nerf --compare (free camera) failed (exit ${rc})")
endif()
file(READ "${WORK_DIR}/free.json" free)
foreach(arm a b)
  string(JSON psnr GET "${free}" compare ${arm} psnr)
  string(JSON psnr_of GET "${free}" compare ${arm} psnr_of)
  string(JSON psnr_step GET "${free}" compare ${arm} psnr_step)
  if(NOT psnr_of MATCHES "^test views \\([1-9][0-9]*\\)$" OR NOT psnr GREATER 0 OR NOT psnr_step EQUAL 2)
    message(FATAL_ERROR "free camera compare.json: arm ${arm} PSNR ${psnr} of '${psnr_of}' at step ${psnr_step}, "
                        "want > 0 over 'test views (N)' at step 2")
  endif()
  # --grid-slice goes to both arms; Mip-NeRF's encodings (frequency, ipe) are no grid: each says so.
  string(JSON slice_step GET "${free}" compare ${arm} grid_slice step)
  string(JSON slice_note GET "${free}" compare ${arm} grid_slice note)
  if(NOT slice_step EQUAL 2 OR NOT slice_note MATCHES "grid")
    message(FATAL_ERROR "free camera compare.json: arm ${arm} grid slice at step ${slice_step}, note '${slice_note}', "
                        "want step 2 and a note that the encoding is not a grid")
  endif()
endforeach()
message("compare window test: ${layout}")
