# The viewer in a real window under Xvfb (Mesa's llvmpipe): nerds-view's scripted mode opens
# a session on the built-in scene made small, trains to step 2 and writes a screenshot, then
# does the same at step 30; nerds_view_check_screenshot checks the pixels (render region not
# blank, panels drawn, the render changed between the steps).
#   cmake -DVIEWER=... -DCHECKER=... -DXVFB_RUN=... -DWORK_DIR=... -P window_test.cmake
if(NOT XVFB_RUN OR NOT EXISTS "${XVFB_RUN}")
  message("viewer window test skipped: xvfb-run was not found (apt-get install xvfb xauth)")
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# A small model on a 64-pixel scene seen through a test camera (64x64 rays to render), so that
# both runs take seconds on two cores; the overlays are off so the render region shows the
# render alone (with the dataset view's ground truth and error in the panel beside it).
file(WRITE "${WORK_DIR}/session.json" [=[
{
  "nerds_view_session": 1,
  "scene": {"data": "scene", "make": "default", "resolution": 64, "train_views": 20, "val_views": 0,
            "test_views": 2, "samples_per_pixel": 1},
  "method": {"name": "instant_ngp", "params": {"encoding": {"log2_table_size": 15},
                                               "trainer": {"batch_samples": 8192},
                                               "occupancy": {"warmup_steps": 16}}},
  "training": {"running": false},
  "camera": {"dataset_view": {"split": "test", "index": 0}},
  "view": {"mode": "rgb", "render_scale": 0.5,
           "overlays": {"frustums": false, "bbox": false, "occupancy": false, "rays": false}},
  "inspect": [[0.5, 0.5]]
}
]=])

foreach(run early:2 late:30)
  string(REPLACE ":" ";" parts "${run}")
  list(GET parts 0 name)
  list(GET parts 1 step)
  execute_process(
    COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x720x24" "${VIEWER}" --session "${WORK_DIR}/session.json"
            --step ${step} --frames 3 --screenshot "${WORK_DIR}/${name}.png" --timeout 120
    WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nerds-view --step ${step} failed (exit ${rc})")
  endif()
endforeach()

execute_process(COMMAND "${CHECKER}" "${WORK_DIR}/early.png" "${WORK_DIR}/late.png" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the screenshots in ${WORK_DIR} failed the pixel checks")
endif()
