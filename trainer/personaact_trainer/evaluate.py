"""Runs the policy on the test split and reports the metrics of `personaact eval` (metrics.py)."""
from __future__ import annotations

import json
from pathlib import Path

import torch
from PIL import Image
from trl.data_utils import prepare_multimodal_messages

from .action_block import try_parse_action_block
from .dataset import evaluation_rows, open_dataset
from .events import emit
from .metrics import Truth, evaluation_metrics
from .modeling import load_model, load_policy_processor

PREDICTIONS_FILE = "predictions.jsonl"
METRICS_FILE = "metrics.json"


def _generate(model, processor, rows: list[dict], max_new_tokens: int) -> list[str]:
    images = [[Image.open(path).convert("RGB") for path in row["images"]] for row in rows]
    prompts = [
        processor.apply_chat_template(prepare_multimodal_messages(row["prompt"], images=row_images),
                                      add_generation_prompt=True, tokenize=False)
        for row, row_images in zip(rows, images, strict=True)
    ]
    flat_images = [image for row_images in images for image in row_images]
    inputs = processor(text=prompts, images=flat_images or None, padding=True, padding_side="left",
                       return_tensors="pt", add_special_tokens=False).to(model.device)
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
    return processor.batch_decode(output[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)


def run_evaluate(data: Path, model_path: str, output: Path, images_dir: Path | None, batch_size: int,
                 max_new_tokens: int, limit: int | None, max_pixels: int | None = None) -> dict:
    dataset = open_dataset(data, images_dir)
    rows = evaluation_rows(dataset)[:limit]
    processor = load_policy_processor(model_path, max_pixels)
    model = load_model(model_path).eval()
    if torch.cuda.is_available():
        model = model.cuda()
    emit("start", stage="evaluate", model=model_path, output=str(output), samples=len(rows))
    completions: list[str] = []
    for start in range(0, len(rows), batch_size):
        completions += _generate(model, processor, rows[start:start + batch_size], max_new_tokens)
        emit("progress", stage="evaluate", step=len(completions), maxSteps=len(rows))
    decisions = [try_parse_action_block(c) for c in completions]
    truths = [Truth(row["watch_seconds"], frozenset(row["actions"])) for row in rows]
    metrics = evaluation_metrics(decisions, truths)
    output.mkdir(parents=True, exist_ok=True)
    with (output / PREDICTIONS_FILE).open("w", encoding="utf-8") as file:
        for row, completion, decision in zip(rows, completions, decisions, strict=True):
            predicted = None if decision is None else {"watchSeconds": decision.watch_seconds, "actions": sorted(decision.actions)}
            file.write(json.dumps({"id": row["id"], "completion": completion, "predicted": predicted}, ensure_ascii=False) + "\n")
    (output / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n")
    emit("done", stage="evaluate", output=str(output), steps=len(rows), metrics=metrics)
    return metrics
