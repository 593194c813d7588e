"""NerdsNeRF from Python: train, render and inspect NeRFs with the project's C++ engine.

A thin layer over the compiled extension ``nerds._nerds`` (pybind11 over
``renderer/engine.h``)::

    import nerds
    info = nerds.make_scene("default", "/tmp/scene", resolution=64, views=40)
    e = nerds.Engine("/tmp/scene", params={"encoding.levels": 8})
    e.train(200)                       # GIL released while the engine works
    view = e.test_views()[0]
    out = e.render(view)               # {'rgb': HxWx3, 'depth', 'opacity', 'samples'}
    ray = e.inspect(view, 32, 32)      # one ray's samples: t, dt, sigma, alpha, ...
    rgb = e.color_at(points, dirs)     # the field's color at points seen along directions
    e.set_params({"trainer.lr": 5e-3}) # live: parameters that need no reset
    e.evaluate("test")["psnr"]

Coordinates are the engine's frame (instant-ngp's: the scene box is
``[0.5 - aabb_scale/2, 0.5 + aabb_scale/2]^3``; NeRF-synthetic world ``p`` maps to
``0.33 p + 0.5``). Poses are camera-to-world, OpenGL convention (the camera looks down -z).
Bad input raises :class:`InputError` (a ``ValueError``) with the engine's message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _nerds
from ._nerds import InputError, default_params, list_scenes, make_scene, paper, papers, param_info, resolve_device

__all__ = [
    "Engine",
    "InputError",
    "Intrinsics",
    "View",
    "default_params",
    "list_scenes",
    "make_scene",
    "method_params",
    "paper",
    "papers",
    "param_info",
    "resolve_device",
]


@dataclass
class Intrinsics:
    """A pinhole camera (pixels; principal point from the top-left corner) with optional
    OpenCV distortion k1 k2 p1 p2."""

    fx: float
    fy: float
    cx: float
    cy: float
    width: int
    height: int
    k1: float = 0.0
    k2: float = 0.0
    p1: float = 0.0
    p2: float = 0.0

    def as_dict(self) -> Dict[str, Any]:
        return dict(self.__dict__)

    def scaled(self, factor: float) -> "Intrinsics":
        """The same camera at ``factor`` times the resolution (e.g. 0.5 for half size)."""
        w, h = max(1, int(round(self.width * factor))), max(1, int(round(self.height * factor)))
        sx, sy = w / self.width, h / self.height
        return Intrinsics(self.fx * sx, self.fy * sy, self.cx * sx, self.cy * sy, w, h,
                          self.k1, self.k2, self.p1, self.p2)


@dataclass
class View:
    """One camera of a dataset split: ``pose`` (4x4 camera-to-world, engine frame),
    ``intrinsics`` (its width x height is this view's image size: views of a multiscale
    dataset differ), and ``image`` (HxWx4 uint8 RGBA, straight alpha) when loaded."""

    index: int
    split: str
    pose: np.ndarray
    intrinsics: Intrinsics
    image_path: str = ""
    image: Optional[np.ndarray] = field(default=None, repr=False)
    lossmult: float = 1.0  # the loss weight of its pixels (multiscale data: area in full-size pixels)

    def image_on(self, background: Sequence[float] = (1.0, 1.0, 1.0)) -> np.ndarray:
        """The ground-truth image as float RGB in [0, 1] composited over ``background``
        (as the evaluation does)."""
        if self.image is None:
            raise ValueError("this view was loaded without its image (use images=True)")
        rgba = self.image.astype(np.float32) / 255.0
        a = rgba[..., 3:4]
        return rgba[..., :3] * a + np.asarray(background, np.float32) * (1.0 - a)


IntrinsicsLike = Union[Intrinsics, Dict[str, Any], Sequence[float]]


def _intrinsics_dict(k: IntrinsicsLike) -> Dict[str, Any]:
    if isinstance(k, Intrinsics):
        return k.as_dict()
    if isinstance(k, dict):
        return dict(k)
    k = list(k)
    if len(k) != 6:
        raise InputError("intrinsics: give an Intrinsics, a dict or (fx, fy, cx, cy, width, height)")
    return {"fx": k[0], "fy": k[1], "cx": k[2], "cy": k[3], "width": int(k[4]), "height": int(k[5])}


def _camera(pose: Any, intrinsics: Optional[IntrinsicsLike]) -> Tuple[np.ndarray, Dict[str, Any]]:
    if isinstance(pose, View):
        return pose.pose, _intrinsics_dict(intrinsics if intrinsics is not None else pose.intrinsics)
    if intrinsics is None:
        raise InputError("intrinsics: required unless the camera is a View")
    return np.asarray(pose, dtype=np.float32), _intrinsics_dict(intrinsics)


def method_params(method: str = "", params: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The parameters ``method`` (a name in scenes/methods/, a .json path, or '' for the
    defaults) with ``params`` applied would use, as {'module.key': value}."""
    return _nerds.method_params(method, params or {})


class Engine:
    """A NeRF being trained on one dataset folder (NeRF-synthetic or transforms.json).

    ``Engine(data_dir, method="instant_ngp", params={"encoding.levels": 8}, downscale=1,
    device="cpu")``: ``method`` is a method name in scenes/methods/, a method .json path, or
    ``""`` for the engine's defaults (which are Instant-NGP's); ``params`` sets parameters by path
    (``"module.key"``) or nested (``{"encoding": {"levels": 8}}``); an unknown key or a bad
    value raises :class:`InputError`. :meth:`set_params` changes the ones that need no reset
    (optimizer, schedule, loss) while training; for the others make a new Engine.
    """

    def __init__(self, data_dir: str, method: str = "instant_ngp", params: Optional[Dict[str, Any]] = None,
                 downscale: int = 1, device: str = "cpu", _impl: Any = None):
        if _impl is not None:
            self._e = _impl
        else:
            self._e = _nerds.Engine(str(data_dir), method, params or {}, int(downscale), device)

    @classmethod
    def load(cls, path: str, data_dir: str = "", device: str = "cpu", allow_other_data: bool = False) -> "Engine":
        """Loads a snapshot written by :meth:`save`; its dataset is reloaded from the folder it
        names unless ``data_dir`` is given. A dataset whose training split differs from the one
        the snapshot was trained on (its fingerprint) raises InputError unless
        ``allow_other_data``."""
        return cls(data_dir, _impl=_nerds.Engine.load(str(path), str(data_dir), device, bool(allow_other_data)))

    def save(self, path: str) -> None:
        """Writes a snapshot (atomically: temporary file + rename)."""
        self._e.save(str(path))

    # ---- training -------------------------------------------------------------------------
    def train(self, steps: int = 0, seconds: float = 0.0) -> Dict[str, Any]:
        """Trains ``steps`` more steps and/or ``seconds`` more seconds of training time
        (whichever ends first; at least one must be given). Returns the engine's totals
        (step, train_seconds, ...) plus this call's ``steps``, ``seconds``, ``loss`` (the last
        step's), ``mean_loss`` and ``samples_per_second``. Ctrl-C stops between steps."""
        return self._e.train(int(steps), float(seconds))

    def set_budget(self, seconds: float = 0.0, steps: int = 0) -> None:
        """The training budget from here on (the learning rate decays over it; 0 = none)."""
        self._e.set_budget(float(seconds), int(steps))

    def stats(self) -> Dict[str, Any]:
        """Totals: step, train_seconds, used_samples, marched_samples, rays, last_loss,
        occupied_cells, total_cells."""
        return self._e.stats()

    def params(self) -> Dict[str, Any]:
        """Every parameter's value, as {'module.key': value}."""
        return self._e.params()

    def param_info(self) -> List[Dict[str, Any]]:
        """Every parameter: path, type, value, default, min, max, choices, doc, needs_reset."""
        return self._e.param_info()

    @property
    def method(self) -> str:
        return self._e.method

    @property
    def device(self) -> str:
        return self._e.device

    @property
    def data_dir(self) -> str:
        return self._e.data_dir

    @property
    def scene_info(self) -> Dict[str, Any]:
        """The training set's format, image size, view count and the engine frame's box."""
        return self._e.scene_info

    # ---- cameras --------------------------------------------------------------------------
    def views(self, split: str = "train", images: bool = False) -> List[View]:
        """The cameras of a split (train, val, test or all) of the engine's dataset, with their
        RGBA images when ``images`` is true."""
        out = []
        for d in self._e.views(split, images):
            out.append(View(d["index"], d["split"], d["pose"], Intrinsics(**d["intrinsics"]),
                            d["image_path"], d["image"], d["lossmult"]))
        return out

    def train_views(self, images: bool = False) -> List[View]:
        return self.views("train", images)

    def test_views(self, images: bool = False) -> List[View]:
        return self.views("test", images)

    # ---- rendering and queries ------------------------------------------------------------
    def render(self, pose: Any, intrinsics: Optional[IntrinsicsLike] = None,
               background: Sequence[float] = (1.0, 1.0, 1.0)) -> Dict[str, np.ndarray]:
        """Renders a camera: ``pose`` is a 3x4/4x4 camera-to-world matrix (with ``intrinsics``:
        an :class:`Intrinsics`, a dict or ``(fx, fy, cx, cy, width, height)``) or a
        :class:`View`. Returns float32 arrays ``rgb`` (H,W,3, over ``background``), ``depth``
        (H,W; expected termination distance along the ray, 0 where empty), ``opacity`` (H,W)
        and int32 ``samples`` (H,W; network evaluations per ray)."""
        p, k = _camera(pose, intrinsics)
        return self._e.render(p, k, [float(c) for c in background])

    def inspect(self, pose: Any, *args: Any) -> Dict[str, np.ndarray]:
        """The ray inspector: every sample the renderer takes along the ray through pixel
        (px, py) (pixel units, top-left origin; a pixel's center is +0.5; the engine renders
        integer pixel x at x + 0.5). Call as ``inspect(view, px, py)`` or
        ``inspect(pose, intrinsics, px, py)``. Returns arrays ``t``, ``dt``, ``sigma``,
        ``alpha`` = 1 - exp(-sigma dt), ``transmittance`` (before the sample), ``weight`` =
        transmittance * alpha, and ``rgb`` (N,3)."""
        if isinstance(pose, View):
            if len(args) != 2:
                raise TypeError("inspect(view, px, py)")
            p, k = _camera(pose, None)
            px, py = args
        else:
            if len(args) != 3:
                raise TypeError("inspect(pose, intrinsics, px, py)")
            p, k = _camera(pose, args[0])
            px, py = args[1], args[2]
        return self._e.inspect(p, k, float(px), float(py))

    def density(self, points: Any) -> np.ndarray:
        """Volume density sigma (after its activation) at Nx3 points of the engine's frame."""
        p = np.asarray(points, dtype=np.float32)
        return self._e.density(p.reshape(1, 3) if p.shape == (3,) else p)

    def color_at(self, points: Any, dirs: Any) -> np.ndarray:
        """The field's color c(x, d) (RGB in [0, 1], an (N,3) float32 array) at Nx3 points of
        the engine's frame seen along Nx3 directions ``dirs`` (or one direction, (3,), for
        every point; any non-zero length): what a sample there contributes to a ray travelling
        along d, before compositing (``inspect`` gives the same along a camera ray). For
        Mip-NeRF's IPE it is the zero-footprint limit, as :meth:`density`."""
        p = np.asarray(points, dtype=np.float32)
        p = p.reshape(1, 3) if p.shape == (3,) else p
        d = np.asarray(dirs, dtype=np.float32)
        if d.shape == (3,) and p.ndim == 2:
            d = np.broadcast_to(d, p.shape)
        return self._e.color(p, np.ascontiguousarray(d))

    def set_params(self, values: Dict[str, Any]) -> List[str]:
        """Changes parameters of the running training without resetting it (``{"trainer.lr":
        0.005}`` or nested, as in the constructor): those whose ``param_info()`` says
        ``needs_reset: False`` (learning rate, Adam betas, the decay schedule, the loss, the
        training background) take effect from the next step; the model, its optimizer moments
        and the step count are kept. A changed parameter that needs a reset (the encoding, the
        network, the sampler, the batch size, the seed) raises :class:`InputError` naming it,
        and nothing changes: make a new Engine for those. Returns the paths that changed."""
        return self._e.set_params(values)

    def occupancy(self) -> Dict[str, Any]:
        """The occupancy grid: resolution, cascades and ``occupied`` (cascades, R, R, R) uint8
        indexed [cascade, z, y, x]; cascade c covers the box 0.5 +- 2^c / 2."""
        return self._e.occupancy()

    def param_tensors(self) -> List[Dict[str, Any]]:
        """The model's trained tensors in order, as snapshots and the optimizer see them:
        ``name`` ("encoding.grid", "field.density.0", ...), ``shape``, ``size``, optimizer
        ``group`` ("sparse": Adam moves only entries with a gradient, no weight decay; "dense":
        every entry, with the MLPs' L2) and ``lr_factor`` (times the schedule's rate)."""
        return self._e.param_tensors()

    def parameters(self) -> Dict[str, np.ndarray]:
        """A copy of every trained tensor, ``{name: array of its shape}`` (an MLP layer's
        weights are (outputs, inputs))."""
        return self._e.parameters()

    def evaluate(self, split: str = "test", stride: int = 1, image_dir: str = "",
                 background: Sequence[float] = (1.0, 1.0, 1.0)) -> Dict[str, Any]:
        """PSNR and SSIM on a split as NeRF papers report them (white background; mean of the
        per-view values) and ``per_view`` metrics; writes pred/gt/error PNGs to ``image_dir``
        when given."""
        return self._e.evaluate(split, int(stride), str(image_dir), [float(c) for c in background])

    def __repr__(self) -> str:
        s = self.stats()
        return f"<nerds.Engine {self.method} on {self.data_dir!r} ({self.device}), step {s['step']}>"

