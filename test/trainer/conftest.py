"""Fixtures for the trainer tests: a small dataset in the exporter's format and a tiny Qwen2.5-VL.

The dataset is built from the first viewing steps of user `a` in the paper's released logs
(data/personaact/raw_data/a: Silung/PersonaAct, MIT licence, © 2025 Shilong Zhao): text prompts, the
true watch seconds and likes, and a few generated frames so the image path is exercised too.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "trainer"))

RAW_LOGS = REPO / "data" / "personaact" / "raw_data" / "a"
SYSTEM_PROMPT = ("You are user a, a short-video viewer on douyin. You like games and food and skip ads quickly. "
                 "Answer with a python block of calls: watch(seconds), like(), comment(text), share(who).")
SPLITS = {"train": 8, "validation": 2, "test": 4}
# The first samples of a split that carry a frame: batches mix steps with and without one, as exports may.
FRAMES = {"train": 4, "validation": 0, "test": 2}


def user_a_steps() -> list[dict]:
    steps = []
    for session in sorted(RAW_LOGS.glob("session_*.json")):
        log = json.loads(session.read_text(encoding="utf-8"))
        for index, step in enumerate(log["actions"]):
            if step["viewing_duration"] > 0:
                steps.append({"id": f"a/{log['session_id']}/{index}", "watch": step["viewing_duration"],
                              "actions": sorted({a["type"] for a in step["actions"]})})
    return steps


def action_block(watch: float, actions: list[str]) -> str:
    calls = [f"watch({watch})", *(f"{a}()" for a in actions)]
    return "\n".join(["```python", *calls, "```"])


def messages(text: str, with_image: bool) -> list[dict]:
    user = ([{"type": "image"}] if with_image else []) + [{"type": "text", "text": text}]
    return [{"role": "system", "content": [{"type": "text", "text": SYSTEM_PROMPT}]}, {"role": "user", "content": user}]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def build_dataset(root: Path) -> Path:
    steps = user_a_steps()[: sum(SPLITS.values())]
    (root / "images").mkdir(parents=True)
    sft, grpo = {}, {}
    start = 0
    for split, count in SPLITS.items():
        sft[split], grpo[split] = [], []
        for i, step in enumerate(steps[start:start + count]):
            images = []
            if i < FRAMES[split]:
                images = [f"images/a-{start + i:06d}.jpg"]
                frame = Image.new("RGB", (64, 48), (40 * i, 120, 200))
                ImageDraw.Draw(frame).rectangle((8, 8, 30, 30), fill=(255, 255, 0))
                frame.save(root / images[0])
            prompt = messages(f"Video {start + i}: what do you do?", bool(images))
            solution = action_block(step["watch"], step["actions"])
            sft[split].append({"id": step["id"], "images": images,
                               "messages": [*prompt, {"role": "assistant", "content": [{"type": "text", "text": solution}]}]})
            grpo[split].append({"id": step["id"], "prompt": prompt, "images": images, "solution": solution,
                                "watch_seconds": step["watch"], "actions": step["actions"]})
        start += count
    for split in ("train", "validation"):
        write_jsonl(root / "sft" / f"{split}.jsonl", sft[split])
        write_jsonl(root / "grpo" / f"{split}.jsonl", grpo[split])
    write_jsonl(root / "test.jsonl", grpo["test"])
    manifest = {"schemaVersion": 1, "users": ["a"], "promptVersion": "test-1", "splits": SPLITS}
    (root / "dataset.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    from personaact_trainer.tiny_model import make_tiny_model

    return make_tiny_model(tmp_path_factory.mktemp("tiny-model"))
