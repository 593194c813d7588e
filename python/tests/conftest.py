"""Shared fixtures: one tiny generated scene and one briefly trained engine per session."""
import pytest

import nerds

# Small enough to train in seconds on 2 CPU cores.
FAST = {"encoding.levels": 4, "encoding.log2_table_size": 14, "trainer.batch_samples": 8192}


@pytest.fixture(scope="session")
def scene_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("scene") / "default"
    nerds.make_scene("default", str(out), resolution=32, views=12, test_views=2, spp=1)
    return str(out)


@pytest.fixture(scope="session")
def trained(scene_dir):
    e = nerds.Engine(scene_dir, params=FAST)
    e.train(30)
    return e
