"""Tests of the `nerds` Python module (pybind11 over renderer/engine.h)."""
import math
import os
import threading

import numpy as np
import pytest

import nerds
from conftest import FAST


def test_scenes_listed():
    names = [s["name"] for s in nerds.list_scenes()]
    assert "default" in names


def test_make_scene_writes_a_nerf_synthetic_folder(scene_dir):
    for split in ("train", "test"):
        assert os.path.exists(os.path.join(scene_dir, f"transforms_{split}.json"))


def test_make_scene_bad_name_raises(tmp_path):
    with pytest.raises(nerds.InputError):
        nerds.make_scene("no-such-scene", str(tmp_path / "x"))
    assert issubclass(nerds.InputError, ValueError)


def test_default_params_and_overrides():
    d = nerds.default_params()
    assert d["encoding.levels"] == 16
    p = nerds.method_params("", {"encoding.levels": 8, "trainer": {"lr": 0.005}, "occupancy.enabled": False})
    assert p["encoding.levels"] == 8 and p["trainer.lr"] == 0.005 and p["occupancy.enabled"] is False
    p = nerds.method_params("", {"encoding.levels": np.int64(4), "encoding.log2_table_size": "12"})
    assert p["encoding.levels"] == 4 and p["encoding.log2_table_size"] == 12
    info = {i["path"]: i for i in nerds.param_info()}
    assert info["encoding.levels"]["type"] == "int" and info["encoding.levels"]["doc"]


@pytest.mark.parametrize("bad", [{"encoding.nope": 1}, {"encoding.levels": 99}, {"encoding.levels": "many"},
                                 {"encoding.levels": [1, 2]}])
def test_bad_params_raise_input_error(bad):
    with pytest.raises(nerds.InputError):
        nerds.method_params("", bad)


def test_unknown_method_raises():
    with pytest.raises(nerds.InputError):
        nerds.method_params("no_such_method")


def test_engine_bad_input(scene_dir, tmp_path):
    with pytest.raises(nerds.InputError):
        nerds.Engine(str(tmp_path / "missing"))
    with pytest.raises(nerds.InputError):
        nerds.Engine(scene_dir, params={"encoding.unknown": 3})
    with pytest.raises(nerds.InputError):
        nerds.Engine(scene_dir, device="tpu")
    with pytest.raises(nerds.InputError):
        nerds.Engine(scene_dir, downscale=0)


def test_train_returns_stats(scene_dir):
    e = nerds.Engine(scene_dir, params=FAST)
    assert e.params()["encoding.levels"] == 4
    s = e.train(5)
    assert s["steps"] == 5 and s["step"] == 5 and math.isfinite(s["loss"])
    assert e.stats()["step"] == 5
    s = e.train(steps=2, seconds=100.0)
    assert s["steps"] == 2 and e.stats()["step"] == 7
    with pytest.raises(nerds.InputError):
        e.train()
    with pytest.raises(nerds.InputError):
        e.train(-1)


def test_views(trained):
    train = trained.train_views()
    assert len(train) == 12
    v = train[0]
    assert v.pose.shape == (4, 4) and v.intrinsics.width == 32 and v.image is None
    test = trained.test_views(images=True)
    assert len(test) == 2 and test[0].image.shape == (32, 32, 4) and test[0].image.dtype == np.uint8
    gt = test[0].image_on((1, 1, 1))
    assert gt.shape == (32, 32, 3) and gt.min() >= 0 and gt.max() <= 1


def test_render_shapes_and_camera_forms(trained):
    v = trained.test_views()[0]
    out = trained.render(v)
    assert out["rgb"].shape == (32, 32, 3) and out["rgb"].dtype == np.float32
    assert out["depth"].shape == (32, 32) and out["opacity"].shape == (32, 32) and out["samples"].shape == (32, 32)
    assert np.isfinite(out["rgb"]).all() and (out["opacity"] >= 0).all() and (out["opacity"] <= 1 + 1e-5).all()
    k = v.intrinsics
    a = trained.render(v.pose[:3], (k.fx, k.fy, k.cx, k.cy, k.width, k.height))
    b = trained.render(v.pose, k.as_dict())
    np.testing.assert_allclose(a["rgb"], out["rgb"], atol=1e-6)
    np.testing.assert_allclose(b["rgb"], out["rgb"], atol=1e-6)
    small = trained.render(v.pose, k.scaled(0.5))
    assert small["rgb"].shape == (16, 16, 3)


def test_render_background_shows_where_empty(trained):
    v = trained.test_views()[0]
    black = trained.render(v, background=(0, 0, 0))["rgb"]
    red = trained.render(v, background=(1, 0, 0))["rgb"]
    opacity = trained.render(v)["opacity"]
    diff = red[..., 0] - black[..., 0]
    np.testing.assert_allclose(diff, 1 - opacity, atol=1e-4)


@pytest.mark.parametrize("pose,k", [
    (np.eye(3), (30, 30, 16, 16, 32, 32)),                    # not 3x4/4x4
    (np.full((4, 4), np.nan), (30, 30, 16, 16, 32, 32)),      # NaN
    (np.eye(4), (30, 30, 16, 16, 0, 32)),                     # empty image
    (np.eye(4), (-1, 30, 16, 16, 32, 32)),                    # negative focal
    (np.eye(4), {"fx": 30, "fy": 30, "cx": 16, "cy": 16}),    # missing size
    (np.eye(4), (30, 30, 16)),                                # short tuple
])
def test_render_bad_camera_raises(trained, pose, k):
    with pytest.raises(nerds.InputError):
        trained.render(pose, k)


def test_inspect_composites_to_the_render(trained):
    v = trained.test_views()[0]
    out = trained.render(v)
    px, py = 16, 16
    ray = trained.inspect(v, px + 0.5, py + 0.5)
    for key in ("t", "dt", "sigma", "alpha", "transmittance", "weight"):
        assert ray[key].ndim == 1 and len(ray[key]) == len(ray["t"])
    assert ray["rgb"].shape == (len(ray["t"]), 3)
    if len(ray["t"]):
        assert np.all(np.diff(ray["t"]) >= 0)
        np.testing.assert_allclose(ray["alpha"], 1 - np.exp(-ray["sigma"] * ray["dt"]), atol=1e-4)
        np.testing.assert_allclose(ray["weight"], ray["transmittance"] * ray["alpha"], atol=1e-5)
    # Eq. 3 of NeRF: C = sum w_i c_i + (1 - sum w_i) * background (white here).
    w = ray["weight"]
    composite = (w[:, None] * ray["rgb"]).sum(0) + (1 - w.sum())
    np.testing.assert_allclose(composite, out["rgb"][py, px], atol=2e-3)
    np.testing.assert_allclose(w.sum(), out["opacity"][py, px], atol=2e-3)
    k = v.intrinsics
    ray2 = trained.inspect(v.pose, k, px + 0.5, py + 0.5)
    np.testing.assert_allclose(ray2["t"], ray["t"])
    with pytest.raises(nerds.InputError):
        trained.inspect(v, float("nan"), 1.0)


def test_density(trained):
    pts = np.random.default_rng(0).uniform(0.2, 0.8, size=(100, 3))
    sigma = trained.density(pts)
    assert sigma.shape == (100,) and np.isfinite(sigma).all() and (sigma >= 0).all()
    assert trained.density(np.zeros((0, 3))).shape == (0,)
    with pytest.raises(nerds.InputError):
        trained.density(np.zeros((4, 2)))
    with pytest.raises(nerds.InputError):
        trained.density([[0.5, np.inf, 0.5]])


def test_evaluate(trained, tmp_path):
    r = trained.evaluate("test", image_dir=str(tmp_path / "eval"))
    assert r["views"] == 2 and 5 < r["psnr"] < 60 and len(r["per_view"]) == 2
    assert os.listdir(tmp_path / "eval")
    assert trained.evaluate("test", stride=2)["views"] == 1
    with pytest.raises(nerds.InputError):
        trained.evaluate("test", stride=0)
    with pytest.raises(nerds.InputError):
        trained.evaluate("nope")


def test_save_and_load_render_the_same(trained, tmp_path):
    path = str(tmp_path / "snap.nerds")
    trained.save(path)
    loaded = nerds.Engine.load(path)
    assert loaded.stats()["step"] == trained.stats()["step"]
    assert loaded.params() == trained.params()
    v = trained.test_views()[0]
    np.testing.assert_allclose(loaded.render(v)["rgb"], trained.render(v)["rgb"], atol=1e-5)
    with pytest.raises(nerds.InputError):
        nerds.Engine.load(str(tmp_path / "missing.nerds"))
    bad = tmp_path / "bad.nerds"
    bad.write_bytes(b"not a snapshot")
    with pytest.raises(nerds.InputError):
        nerds.Engine.load(str(bad))


def test_make_scene_replaces_a_dataset_only_when_asked(tmp_path):
    out = str(tmp_path / "scene")
    nerds.make_scene("default", out, resolution=16, views=3, test_views=1, spp=1)
    with pytest.raises(nerds.InputError, match="overwrite"):
        nerds.make_scene("default", out, resolution=16, views=3, test_views=1, spp=1, seed=2)
    made = nerds.make_scene("default", out, resolution=16, views=4, test_views=1, spp=1, seed=2, overwrite=True)
    assert made["train_views"] == 4
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("not a dataset")
    with pytest.raises(nerds.InputError):
        nerds.make_scene("default", str(other), resolution=16, views=3, test_views=1, spp=1, overwrite=True)
    assert (other / "mine.txt").read_text() == "not a dataset"


def test_load_refuses_another_dataset_unless_asked(trained, tmp_path):
    path = str(tmp_path / "snap.nerds")
    trained.save(path)
    other = str(tmp_path / "other")
    nerds.make_scene("default", other, resolution=32, views=11, test_views=2, spp=1)
    with pytest.raises(nerds.InputError, match="dataset_fingerprint"):
        nerds.Engine.load(path, data_dir=other)
    loaded = nerds.Engine.load(path, data_dir=other, allow_other_data=True)
    assert loaded.stats()["step"] == trained.stats()["step"]


def test_gil_released_while_training(scene_dir):
    """Another Python thread runs while the engine trains."""
    e = nerds.Engine(scene_dir, params=FAST)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=count)
    t.start()
    e.train(seconds=0.5)
    stop.set()
    t.join()
    assert len(ticks) > 20


def test_occupancy(trained):
    occ = trained.occupancy()
    if occ["resolution"]:
        r = occ["resolution"]
        assert occ["occupied"].shape == (occ["cascades"], r, r, r)


def test_trained_tensors(trained):
    info = trained.param_tensors()
    names = [t["name"] for t in info]
    assert names[0] == "encoding.grid" and "field.density.0" in names and "field.color.0" in names
    assert info[0]["group"] == "sparse" and info[names.index("field.density.0")]["group"] == "dense"
    values = trained.parameters()
    assert list(values) == names
    for t in info:
        assert values[t["name"]].shape == tuple(t["shape"]) and values[t["name"]].size == t["size"]
        assert np.all(np.isfinite(values[t["name"]]))
    # An MLP layer is (outputs, inputs): the first reads the encoding, the color output has 3 rows.
    assert values["field.density.0"].shape[1] == values["encoding.grid"].shape[1] * trained.params()["encoding.levels"]
    last_color = [n for n in names if n.startswith("field.color.")][-1]
    assert values[last_color].shape[0] == 3


def test_other_threads_can_query_while_training(scene_dir):
    """stats() and render() from the main thread while another thread trains: no deadlock."""
    e = nerds.Engine(scene_dir, params=FAST)
    v = e.test_views()[0]
    t = threading.Thread(target=lambda: e.train(seconds=1.0))
    t.start()
    seen = []
    while t.is_alive():
        seen.append(e.stats()["step"])
        e.render(v.pose, v.intrinsics.scaled(0.25))
    t.join()
    assert seen and e.stats()["step"] >= max(seen)
