"""color_at (the field's color at points), set_params (live parameter changes) and the method
lookup shared with the CLI."""
import json

import numpy as np
import pytest

import nerds
from conftest import FAST


def camera_dir(view, px, py):
    """The unit direction of the ray through pixel position (px, py) (no distortion; OpenGL
    convention: the camera looks down -z), as the engine's camera_ray computes it."""
    k = view.intrinsics
    d = view.pose[:3, :3] @ np.array([(px - k.cx) / k.fx, -(py - k.cy) / k.fy, -1.0])
    return d / np.linalg.norm(d)


# ---- color_at ------------------------------------------------------------------------------

def test_color_at_matches_the_ray_inspector(trained):
    """The inspector's per-sample colors are the field's color at o + t d seen along d."""
    v = trained.test_views()[0]
    checked = 0
    for px, py in [(16.5, 16.5), (12.5, 20.5), (20.5, 10.5)]:
        ray = trained.inspect(v, px, py)
        if len(ray["t"]) == 0:
            continue
        d = camera_dir(v, px, py)
        pts = v.pose[:3, 3][None, :] + ray["t"][:, None] * d[None, :]
        rgb = trained.color_at(pts, np.repeat(d[None, :], len(pts), 0))
        assert rgb.shape == (len(pts), 3) and rgb.dtype == np.float32
        np.testing.assert_allclose(rgb, ray["rgb"], atol=2e-4)
        checked += len(pts)
    assert checked > 0


def test_color_at_shapes_ranges_and_direction(trained):
    rng = np.random.default_rng(1)
    pts = rng.uniform(0.3, 0.7, size=(200, 3))
    dirs = rng.normal(size=(200, 3))
    rgb = trained.color_at(pts, dirs)
    assert rgb.shape == (200, 3) and np.isfinite(rgb).all() and rgb.min() >= 0 and rgb.max() <= 1
    # Any length: directions are normalized.
    np.testing.assert_allclose(trained.color_at(pts, 7.5 * dirs), rgb, atol=1e-6)
    # The color depends on the direction (spherical harmonics of d feed the color MLP).
    assert np.abs(trained.color_at(pts, -dirs) - rgb).max() > 1e-4
    # One direction for every point.
    d0 = np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(trained.color_at(pts, d0), trained.color_at(pts, np.tile(d0, (200, 1))), atol=0)
    # A single point.
    assert trained.color_at(pts[0], dirs[0]).shape == (1, 3)
    assert trained.color_at(np.zeros((0, 3)), np.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("points,dirs,field", [
    (np.full((4, 3), 0.5), np.ones((3, 3)), "dirs"),                      # counts differ
    (np.full((4, 3), 0.5), np.zeros((4, 3)), "dirs"),                     # zero direction
    (np.full((2, 3), 0.5), [[0, 0, 1], [np.nan, 0, 1]], "dirs"),          # NaN direction
    ([[0.5, np.inf, 0.5]], [[0, 0, 1]], "points"),                        # infinite point
    (np.full((4, 2), 0.5), np.ones((4, 2)), "points"),                    # not Nx3
])
def test_color_at_bad_input_names_the_field(trained, points, dirs, field):
    with pytest.raises(nerds.InputError, match=field):
        trained.color_at(points, dirs)


# ---- set_params ----------------------------------------------------------------------------

def probe_points():
    return np.random.default_rng(2).uniform(0.3, 0.7, size=(256, 3))


def test_set_params_changes_the_running_training_without_reset(scene_dir):
    e = nerds.Engine(scene_dir, params=FAST)
    e.train(5)
    pts = probe_points()
    before = e.density(pts)
    changed = e.set_params({"trainer.lr": 0.0, "trainer": {"beta1": 0.8}, "trainer.loss": "l2"})
    assert sorted(changed) == ["trainer.beta1", "trainer.loss", "trainer.lr"]
    p = e.params()
    assert p["trainer.lr"] == 0.0 and p["trainer.beta1"] == 0.8 and p["trainer.loss"] == "l2"
    # No reset: the same model and step count.
    np.testing.assert_array_equal(e.density(pts), before)
    assert e.stats()["step"] == 5
    # lr = 0 reaches the optimizer: training steps leave the network unchanged...
    s = e.train(3)
    assert s["step"] == 8 and np.isfinite(s["loss"])
    np.testing.assert_array_equal(e.density(pts), before)
    # ...and a learning rate again changes it.
    assert e.set_params({"trainer.lr": 0.01}) == ["trainer.lr"]
    e.train(2)
    assert np.abs(e.density(pts) - before).max() > 0
    assert e.set_params({"trainer.lr": 0.01}) == []  # unchanged value: nothing to apply


def test_set_params_needing_a_reset_is_refused_and_changes_nothing(scene_dir):
    e = nerds.Engine(scene_dir, params=FAST)
    e.train(2)
    before = e.params()
    for bad, path in [({"encoding.levels": 2}, "encoding.levels"),
                      ({"trainer.lr": 0.001, "trainer.batch_samples": 4096}, "trainer.batch_samples"),
                      ({"trainer.seed": 7}, "trainer.seed")]:
        with pytest.raises(nerds.InputError, match=path.replace(".", r"\.") + ".*reset"):
            e.set_params(bad)
        assert e.params() == before
    for bad, path in [({"trainer.lr": -1.0}, "trainer.lr"), ({"trainer.nope": 1}, "trainer.nope"),
                      ({"trainer.loss": "l1"}, "trainer.loss"), ({"trainer.lr": [1]}, "trainer.lr")]:
        with pytest.raises(nerds.InputError, match=path.replace(".", r"\.")):
            e.set_params(bad)
        assert e.params() == before
    assert e.train(1)["step"] == 3


def test_set_params_reaches_snapshots(scene_dir, tmp_path):
    e = nerds.Engine(scene_dir, params=FAST)
    e.train(2)
    e.set_params({"trainer.decay_start": 5, "trainer.background": "white"})
    path = str(tmp_path / "live.nerds")
    e.save(path)
    loaded = nerds.Engine.load(path)
    assert loaded.params()["trainer.decay_start"] == 5 and loaded.params()["trainer.background"] == "white"
    assert loaded.params() == e.params()


def test_every_live_parameter_can_be_set(scene_dir):
    """Each parameter declared needs_reset=False is accepted by set_params (at another valid
    value), each other one is refused."""
    e = nerds.Engine(scene_dir, params=FAST)
    for info in e.param_info():
        path, value = info["path"], info["value"]
        if info["type"] == "bool":
            other = not value
        elif info["type"] == "choice":
            others = [c for c in info["choices"] if c != value]
            if not others:
                continue
            other = others[0]
        elif info["type"] == "int":
            other = value + 1 if value + 1 <= info["max"] else value - 1
        elif info["type"] == "float":
            other = value * 0.5 if value != 0 else min(info["max"], 0.5)
            if other < info["min"]:
                other = (value + info["max"]) / 2
        else:
            continue
        if info["needs_reset"]:
            with pytest.raises(nerds.InputError, match=path.replace(".", r"\.")):
                e.set_params({path: other})
        else:
            assert e.set_params({path: other}) == [path], path
            assert e.params()[path] == other
    assert np.isfinite(e.train(2)["loss"])


# ---- the method lookup (nerds::method_params, shared with the CLI) -------------------------

def test_method_lookup_is_the_engines(tmp_path, monkeypatch, scene_dir):
    # A name is looked for in scenes/methods/ from the working directory upwards, as the CLI does.
    methods = tmp_path / "project" / "scenes" / "methods"
    methods.mkdir(parents=True)
    (methods / "tiny.json").write_text(json.dumps(
        {"name": "tiny", "params": {"encoding": {"levels": 3, "log2_table_size": 12}}}))
    (tmp_path / "project" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "project" / "sub")
    p = nerds.method_params("tiny", {"trainer.lr": 0.002})
    assert p["encoding.levels"] == 3 and p["encoding.log2_table_size"] == 12 and p["trainer.lr"] == 0.002
    e = nerds.Engine(scene_dir, method="tiny", params={"trainer.batch_samples": 4096})
    assert e.method == "tiny" and e.params()["encoding.levels"] == 3
    # A path, from anywhere.
    monkeypatch.chdir(tmp_path)
    assert nerds.method_params(str(methods / "tiny.json"))["encoding.levels"] == 3
    # The project's own methods are found from anywhere (this build's source tree).
    assert nerds.method_params("instant_ngp") == nerds.default_params()
    assert nerds.method_params("instant_ngp", {"encoding.levels": 5})["encoding.levels"] == 5
    with pytest.raises(nerds.InputError, match="no_such_method"):
        nerds.method_params("no_such_method")
    with pytest.raises(nerds.InputError):
        nerds.method_params(str(tmp_path / "missing.json"))
