#!/usr/bin/env python3
"""kill -9 at random moments while `nerds` writes, and check what is left on disk.

A snapshot is never replaced by a worse thing (issue 13): after each kill the run or scene
folder is either exactly the old state or a new consistent one, never a mix or half a file.
Cases (--case):
  train      `nerds train --snapshot-every 1`, then `--resume` in place, killed again and again
  overwrite  `nerds train --out RUN --overwrite` over an old run with a metrics.json
  scene      `nerds scene make` into a new folder and with --overwrite over an old scene
The kill times come from a seeded generator (--seed), spread over each command's run time.

"Consistent" for a run folder: snapshot.nerds is a whole snapshot (magic, recorded size, CRC-32
as renderer/train/snapshot_file.h lays it out), params.json holds the snapshot's method and
parameters, train_log.json the snapshot's method and no step past the snapshot's; and at the
end the folder resumes (`nerds train --resume`). For a scene folder: nerds_scene.json, the three
transforms files and every image they list.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib

FAST = ["--set", "trainer.batch_samples=2048", "--set", "encoding.log2_table_size=12", "--set", "encoding.levels=4"]


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def read_snapshot_meta(path):
    """The metadata of a whole snapshot; Failure when it is truncated or corrupt."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"NERDSNAP", f"{path}: no magic")
    version, size = struct.unpack_from("<IQ", data, 8)
    check(len(data) == size, f"{path}: {len(data)} bytes, the header says {size}")
    check(zlib.crc32(data[8:-4]) == struct.unpack_from("<I", data, len(data) - 4)[0], f"{path}: CRC mismatch")
    (meta_size,) = struct.unpack_from("<Q", data, 20)
    return json.loads(data[28:28 + meta_size].decode("utf-8"))


def check_run(run):
    """Raises Failure unless `run` is a consistent run folder; returns the snapshot's step."""
    for name in ("snapshot.nerds", "params.json", "train_log.json"):
        check(os.path.isfile(os.path.join(run, name)), f"{run}: {name} missing (files: {sorted(os.listdir(run))})")
    meta = read_snapshot_meta(os.path.join(run, "snapshot.nerds"))
    with open(os.path.join(run, "params.json")) as f:
        params = json.load(f)
    with open(os.path.join(run, "train_log.json")) as f:
        log = json.load(f)
    check(params["name"] == meta["method"], f"{run}: params.json names {params['name']}, the snapshot {meta['method']}")
    check(params["params"] == meta["params"], f"{run}: params.json differs from the snapshot's parameters")
    check(log["method"] == meta["method"], f"{run}: train_log.json is of another method")
    check(all(e["step"] <= meta["step"] for e in log["log"]), f"{run}: train_log.json lists steps past the snapshot")
    check("dataset_fingerprint" in meta, f"{run}: the snapshot has no dataset fingerprint")
    return meta["step"]


def folder_digest(path):
    """Names and contents of every file under path (the "old state" to compare with)."""
    digest = {}
    for root, _, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                digest[os.path.relpath(full, path)] = hashlib.sha1(f.read()).hexdigest()
    return digest


def check_scene(scene):
    with open(os.path.join(scene, "nerds_scene.json")) as f:
        marker = json.load(f)
    for split in ("train", "val", "test"):
        with open(os.path.join(scene, f"transforms_{split}.json")) as f:
            frames = json.load(f)["frames"]
        for frame in frames:
            for key in ("file_path", "depth_file_path", "normal_file_path"):
                image = os.path.normpath(os.path.join(scene, frame[key] + ("" if frame[key].endswith(".png") else ".png")))
                check(os.path.isfile(image) and os.path.getsize(image) > 0, f"{scene}: {image} missing or empty")
    return marker


def leftovers(parent, name):
    return [e for e in os.listdir(parent) if e.startswith("." + name + ".")]


class Runner:
    def __init__(self, nerds, work, seed):
        self.nerds, self.work, self.rng = nerds, work, random.Random(seed)
        self.kills = self.finished = 0
        self.seen = {}  # what a kill left behind, counted (for the summary line)

    def observe(self, folder):
        """Counts what a kill left: a half-written temporary file, a staged sibling."""
        parent, name = os.path.split(folder)
        tmp = os.path.isdir(folder) and any(n.endswith(".tmp") for _, _, fs in os.walk(folder) for n in fs)
        staged = bool(leftovers(parent, name))
        key = "a .tmp file" if tmp else "a staged sibling" if staged else "clean"
        self.seen[key] = self.seen.get(key, 0) + 1

    def run(self, args, check_rc=True):
        p = subprocess.run([self.nerds] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check_rc and p.returncode != 0:
            raise Failure(f"nerds {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
        return p

    def run_and_kill(self, args, max_delay):
        """Starts nerds, kills it with SIGKILL after a random delay; True when it was killed."""
        p = subprocess.Popen([self.nerds] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(self.rng.uniform(0.0, max_delay))
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        _, err = p.communicate()
        if killed:
            self.kills += 1
        else:
            self.finished += 1
            if p.returncode != 0:
                raise Failure(f"nerds {' '.join(args)} exited {p.returncode}: {err.decode()[-2000:]}")
        return killed


def make_scene(r, out, resolution=16, views=6, seed=1, extra=()):
    r.run(["scene", "make", "default", "--out", out, "--resolution", str(resolution), "--views", str(views),
           "--val-views", "0", "--test-views", "2", "--spp", "1", "--seed", str(seed)] + list(extra))


def case_train(r, rounds):
    scene, run = os.path.join(r.work, "scene"), os.path.join(r.work, "run")
    make_scene(r, scene)
    # A fresh run: killed before its first save the folder does not exist; after, it is whole.
    for _ in range(rounds):
        shutil.rmtree(run, ignore_errors=True)
        r.run_and_kill(["train", "--data", scene, "--out", run, "--steps", "100000", "--snapshot-every", "1"] + FAST,
                       1.2)
        r.observe(run)
        if os.path.exists(run):
            check_run(run)
        check(not os.path.exists(run) or os.listdir(run), f"{run}: exists but is empty")
    if not os.path.exists(run):
        r.run(["train", "--data", scene, "--out", run, "--steps", "2"] + FAST)
    # Resumed in its own folder: every kill leaves a whole run whose step never goes back.
    step = check_run(run)
    for _ in range(rounds):
        r.run_and_kill(["train", "--resume", run, "--steps", "100000", "--snapshot-every", "1"], 1.2)
        r.observe(run)
        now = check_run(run)
        check(now >= step, f"{run}: step went back from {step} to {now}")
        step = now
    r.run(["train", "--resume", run, "--steps", "1"])  # it loads and trains on
    check(check_run(run) == step + 1, f"{run}: the resumed run did not continue from step {step}")
    check(not leftovers(r.work, "run"), f"leftovers beside {run}: {leftovers(r.work, 'run')}")


def case_overwrite(r, rounds):
    scene, run = os.path.join(r.work, "scene"), os.path.join(r.work, "run")
    make_scene(r, scene)
    r.run(["train", "--data", scene, "--out", run, "--steps", "2"] + FAST)
    refused = r.run(["train", "--data", scene, "--out", run, "--steps", "1"] + FAST, check_rc=False)
    check(refused.returncode == 2 and "--overwrite" in refused.stderr, "a second train --out RUN was not refused")
    replaced = 0
    for _ in range(rounds):
        # The old state: a run with its evaluation beside it.
        if not os.path.exists(os.path.join(run, "metrics.json")):
            with open(os.path.join(run, "metrics.json"), "w") as f:
                json.dump({"step": check_run(run), "note": "the old run's evaluation"}, f)
        old = folder_digest(run)
        r.run_and_kill(["train", "--data", scene, "--out", run, "--overwrite", "--steps", "100000",
                        "--snapshot-every", "1"] + FAST, 1.2)
        r.observe(run)
        check(os.path.isdir(run), f"{run}: gone after a kill during --overwrite")
        if os.path.exists(os.path.join(run, "metrics.json")):
            check(folder_digest(run) == old, f"{run}: the old run was changed (files {sorted(os.listdir(run))})")
        else:
            check_run(run)  # the new run, alone: no stale file of the old one
            check(sorted(os.listdir(run)) == ["params.json", "snapshot.nerds", "train_log.json"] or
                  all(n in ("params.json", "snapshot.nerds", "train_log.json") or n.endswith(".tmp")
                      for n in os.listdir(run)), f"{run}: stale files beside the new run: {os.listdir(run)}")
            replaced += 1
    r.run(["train", "--resume", run, "--steps", "1"])
    check(not leftovers(r.work, "run"), f"leftovers beside {run}: {leftovers(r.work, 'run')}")
    print(f"overwrite: {replaced} of {rounds} kills came after the new run's first save")


def case_scene(r, rounds):
    out = os.path.join(r.work, "made")
    args = ["--resolution", "64", "--views", "60", "--val-views", "0", "--test-views", "4", "--spp", "4"]
    base = ["scene", "make", "default", "--out", out] + args
    for _ in range(rounds):  # into a new folder: absent or whole
        shutil.rmtree(out, ignore_errors=True)
        r.run_and_kill(base + ["--seed", "1"], 0.45)
        r.observe(out)
        if os.path.exists(out):
            check(check_scene(out)["seed"] == 1, f"{out}: another scene")
    if not os.path.exists(out):
        r.run(base + ["--seed", "1"])
    for i in range(rounds):  # --overwrite over the last scene: the old one whole or the new one whole
        old_marker, old = check_scene(out), folder_digest(out)
        r.run_and_kill(base + ["--seed", str(i + 2), "--overwrite"], 0.45)
        r.observe(out)
        check(os.path.isdir(out), f"{out}: gone after a kill during --overwrite")
        marker = check_scene(out)
        if marker == old_marker:
            check(folder_digest(out) == old, f"{out}: the old scene was changed")
        else:
            check(marker["seed"] == i + 2, f"{out}: a scene of seed {marker['seed']}")
    refused = r.run(base + ["--seed", "1"], check_rc=False)
    check(refused.returncode == 2 and "--overwrite" in refused.stderr, "scene make over a scene was not refused")
    r.run(base + ["--seed", "1", "--overwrite"])
    check(not leftovers(r.work, "made"), f"leftovers beside {out}: {leftovers(r.work, 'made')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nerds", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--case", choices=["train", "overwrite", "scene"], required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    r = Runner(os.path.abspath(a.nerds), a.work, a.seed)
    start = time.time()
    try:
        {"train": case_train, "overwrite": case_overwrite, "scene": case_scene}[a.case](r, a.rounds)
    except Failure as e:
        print(f"FAIL ({a.case}, seed {a.seed}): {e}")
        return 1
    print(f"{a.case}: {r.kills} kills, {r.finished} runs ended before their kill, every state old or whole "
          f"({time.time() - start:.1f} s); left behind: {r.seen}")
    shutil.rmtree(a.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
