# The viewer's render modes for NeRF-W, BARF and Ref-NeRF models in a real window under Xvfb:
# nerds-view's scripted mode switches through the modes one frame each (--modes; the last one
# is kept for the screenshot) and fails on any OpenGL error after a frame. Three tiny runs:
# Ref-NeRF (normals, predicted normals, diffuse, specular, and NeRF-W's modes, disabled for it),
# NeRF-W (static, transient, uncertainty with the appearance panel) and BARF on the noisy-poses
# scene (the noisy / refined / true frustums and the pose-error plots). A few seconds each.
#   cmake -DVIEWER=... -DXVFB_RUN=... -DWORK_DIR=... -P modes_window_test.cmake
if(NOT XVFB_RUN OR NOT EXISTS "${XVFB_RUN}")
  message("viewer window test skipped: xvfb-run was not found (apt-get install xvfb xauth)")
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
function(session_file name make data extra view_extra)
  file(WRITE "${WORK_DIR}/session-${name}.json" "{
  \"nerds_view_session\": 1,
  \"scene\": {\"data\": \"${data}\", \"make\": \"${make}\", \"resolution\": 32, \"train_views\": 8, \"val_views\": 0,
            \"test_views\": 1, \"samples_per_pixel\": 1},
  \"method\": {\"name\": \"instant_ngp\", \"params\": {\"encoding\": {\"log2_table_size\": 12, \"levels\": 4},
                                               \"trainer\": {\"batch_samples\": 4096}, ${extra}}},
  \"training\": {\"running\": false},
  \"camera\": {\"dataset_view\": {\"split\": \"test\", \"index\": 0}},
  \"view\": {\"mode\": \"rgb\", \"render_scale\": 0.5${view_extra}}
}")
endfunction()
session_file(refnerf default scene "\"field\": {\"color\": \"ref_nerf\", \"geo_features\": 16}" "")
# NeRF-W with the session's appearance: image 2's code blended halfway to image 5's.
session_file(nerfw default scene "\"appearance\": {\"kind\": \"embedding\"}, \"transient\": {\"enabled\": true}"
             ", \"appearance\": {\"image_a\": 2, \"image_b\": 5, \"blend\": 0.5}")
session_file(barf noisy-poses noisy "\"camera\": {\"pose_refine\": true}" "")

foreach(run "refnerf:3:normals,predicted-normals,diffuse,specular,static,uncertainty,diffuse"
            "nerfw:3:static,transient,uncertainty,normals,specular,uncertainty"
            "barf:12:normals,rgb,depth,normals")
  string(REPLACE ":" ";" parts "${run}")
  list(GET parts 0 name)
  list(GET parts 1 step)
  list(GET parts 2 modes)
  execute_process(
    COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x720x24" "${VIEWER}" --session "${WORK_DIR}/session-${name}.json"
            --step ${step} --frames 8 --modes ${modes} --screenshot "${WORK_DIR}/${name}.png" --timeout 120
    WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nerds-view (${name}, --modes ${modes}) failed (exit ${rc})")
  endif()
  if(NOT EXISTS "${WORK_DIR}/${name}.png")
    message(FATAL_ERROR "nerds-view (${name}) wrote no screenshot")
  endif()
endforeach()
