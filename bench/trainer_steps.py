"""Seconds per optimiser step of the trainer's SFT and GRPO stages on the tiny Qwen2.5-VL (CPU here).

    .venv/bin/python bench/trainer_steps.py [--steps N] [--json]

Builds the test fixture dataset (user a's first steps, two frames) and the tiny model in a temporary
folder, runs `python -m personaact_trainer sft` then `grpo` for N steps each, and times the progress
lines as they arrive: the mean gap between consecutive steps, so loading and saving are left out
(reported apart as the whole command's wall time).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "test" / "trainer"))
sys.path.insert(0, str(REPO / "trainer"))

from conftest import build_dataset  # noqa: E402  (the fixture dataset of the tests)
from personaact_trainer.tiny_model import make_tiny_model  # noqa: E402


def timed_stage(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "trainer")}
    started = time.perf_counter()
    stamps = []
    with subprocess.Popen([sys.executable, "-m", "personaact_trainer", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, env=env) as process:
        for line in process.stdout:
            if json.loads(line)["event"] == "progress":
                stamps.append(time.perf_counter())
    if process.returncode != 0:
        raise SystemExit(f"{args[0]} failed with exit {process.returncode}")
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    return {"steps": len(stamps), "secondsPerStep": sum(gaps) / len(gaps), "wallSeconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=6, help="steps per stage (at least 2)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data, model = build_dataset(root / "dataset"), make_tiny_model(root / "tiny")
        steps = ["--max-steps", str(options.steps), "--save-steps", str(options.steps)]
        sft = timed_stage(["sft", "--data", str(data), "--model", str(model), "--output", str(root / "sft"), *steps, "--batch-size", "2"])
        grpo = timed_stage(["grpo", "--data", str(data), "--model", str(root / "sft"), "--output", str(root / "grpo"), *steps,
                            "--batch-size", "4", "--num-generations", "4", "--max-completion-length", "32"])
    settings = {"sftBatch": 2, "grpoBatch": 4, "numGenerations": 4, "maxCompletionLength": 32}
    result = {"sft": sft, "grpo": grpo, "settings": settings, "cpus": os.cpu_count(), "loadAverage": os.getloadavg()[0]}
    if options.json:
        print(json.dumps(result))
        return
    for stage in ("sft", "grpo"):
        r = result[stage]
        print(f"{stage}: {r['secondsPerStep']:.2f} s/step over {r['steps']} steps ({r['wallSeconds']:.1f} s for the whole command)")
    print("GRPO: batch 4 completions (1 prompt × 4 generations, ≤ 32 tokens); SFT: batch 2. "
          f"{result['cpus']} CPUs, load average {result['loadAverage']:.1f}")


if __name__ == "__main__":
    main()
