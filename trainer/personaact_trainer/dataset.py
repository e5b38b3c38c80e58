"""Reads a dataset folder written by `personaact dataset build` (the contract: trainer/README.md).

Every line is checked before training starts; a bad one is reported as `<file>:<line>: <problem>`.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .action_block import ActionBlockError, parse_action_block
from .errors import UserError

SCHEMA_VERSION = 1
ROLES = ("system", "user", "assistant")
IMAGES_FOLDER = "images/"


@dataclass(frozen=True)
class DatasetFolder:
    root: Path
    manifest: dict[str, Any]
    # Where `images/...` paths point; a SageMaker `images` channel replaces the dataset's own folder.
    images_dir: Path | None = None

    def image_path(self, relative: str) -> Path:
        if self.images_dir is not None and relative.startswith(IMAGES_FOLDER):
            return self.images_dir / relative[len(IMAGES_FOLDER):]
        return self.root / relative


def open_dataset(root: str | Path, images_dir: str | Path | None = None) -> DatasetFolder:
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"dataset folder {root} does not exist")
    manifest_path = root / "dataset.json"
    if not manifest_path.is_file():
        raise UserError(f"{manifest_path} is missing: is {root} a dataset folder (personaact dataset build)?")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UserError(f"{manifest_path}: not valid JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("schemaVersion") != SCHEMA_VERSION:
        raise UserError(f"{manifest_path}: schemaVersion must be {SCHEMA_VERSION}")
    splits = manifest.get("splits")
    if not isinstance(splits, dict) or not all(isinstance(splits.get(s), int) for s in ("train", "validation", "test")):
        raise UserError(f"{manifest_path}: splits must give integer train, validation and test counts")
    return DatasetFolder(root, manifest, Path(images_dir) if images_dir else None)


class _Line:
    def __init__(self, path: Path, number: int):
        self.where = f"{path}:{number}"

    def fail(self, problem: str) -> UserError:
        return UserError(f"{self.where}: {problem}")


def _require(line: _Line, row: dict, field: str, kind: type | tuple, what: str) -> Any:
    value = row.get(field)
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise line.fail(f'"{field}" must be {what}')
    return value


def _check_messages(line: _Line, messages: Any, field: str) -> int:
    """Returns the number of image placeholders."""
    if not isinstance(messages, list) or not messages:
        raise line.fail(f'"{field}" must be a non-empty list of messages')
    images = 0
    for i, message in enumerate(messages):
        where = f'"{field}"[{i}]'
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise line.fail(f"{where} must be a message with role {', '.join(ROLES)}")
        content = message.get("content")
        if not isinstance(content, list):
            raise line.fail(f"{where}.content must be a list of parts")
        for j, part in enumerate(content):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "image":
                images += 1
            elif kind != "text" or not isinstance(part.get("text"), str):
                raise line.fail(f'{where}.content[{j}] must be {{"type":"text","text":...}} or {{"type":"image"}}')
    return images


def _check_images(line: _Line, dataset: DatasetFolder, row: dict, placeholders: int) -> list[str]:
    images = _require(line, row, "images", list, "a list of image paths")
    if len(images) != placeholders:
        raise line.fail(f'{len(images)} "images" but {placeholders} {{"type":"image"}} parts')
    paths = []
    for image in images:
        if not isinstance(image, str) or not image:
            raise line.fail('"images" must hold paths relative to the dataset folder')
        path = dataset.image_path(image)
        if not path.is_file():
            raise line.fail(f"image {image} not found at {path}")
        paths.append(str(path))
    return paths


def _sft_row(line: _Line, dataset: DatasetFolder, row: dict) -> dict:
    messages = row.get("messages")
    placeholders = _check_messages(line, messages, "messages")
    if messages[-1]["role"] != "assistant" or len(messages) < 2:
        raise line.fail('"messages" must end with the assistant\'s answer after at least one prompt message')
    return {"id": row["id"], "prompt": messages[:-1], "completion": messages[-1:],
            "images": _check_images(line, dataset, row, placeholders)}


def _grpo_row(line: _Line, dataset: DatasetFolder, row: dict) -> dict:
    prompt = row.get("prompt")
    placeholders = _check_messages(line, prompt, "prompt")
    if prompt[-1]["role"] != "user":
        raise line.fail('"prompt" must end with a user message')
    solution = _require(line, row, "solution", str, "the true action block")
    try:
        parse_action_block(solution)
    except ActionBlockError as error:
        raise line.fail(f'"solution" does not parse: {error}') from None
    watch = _require(line, row, "watch_seconds", (int, float), "a number of seconds")
    if watch < 0:
        raise line.fail('"watch_seconds" must be ≥ 0')
    actions = _require(line, row, "actions", list, 'a list such as ["like"]')
    if not all(a in ("like", "comment", "share", "not_interested") for a in actions):
        raise line.fail('"actions" may hold only "like", "comment", "share" and "not_interested"')
    return {"id": row["id"], "prompt": prompt, "images": _check_images(line, dataset, row, placeholders),
            "solution": solution, "watch_seconds": float(watch), "actions": list(actions)}


def _read_rows(dataset: DatasetFolder, relative: str, convert: Callable[[_Line, DatasetFolder, dict], dict],
               allow_empty: bool = False) -> list[dict]:
    path = dataset.root / relative
    if not path.is_file():
        raise UserError(f"{path} is missing")
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            line = _Line(path, number)
            try:
                row = json.loads(text)
            except json.JSONDecodeError as error:
                raise line.fail(f"not valid JSON ({error.msg} at column {error.colno})") from None
            if not isinstance(row, dict):
                raise line.fail("expected a JSON object")
            _require(line, row, "id", str, "a string")
            rows.append(convert(line, dataset, row))
    if not rows and not allow_empty:
        raise UserError(f"{path} holds no samples")
    return rows


def sft_rows(dataset: DatasetFolder, split: str) -> list[dict]:
    """Prompt (system + user) and completion (the assistant's block), so loss falls on the answer only.
    The validation split may be empty (a small export); train may not."""
    return _read_rows(dataset, f"sft/{split}.jsonl", _sft_row, allow_empty=split == "validation")


def grpo_rows(dataset: DatasetFolder, split: str) -> list[dict]:
    return _read_rows(dataset, f"grpo/{split}.jsonl", _grpo_row, allow_empty=split == "validation")


def evaluation_rows(dataset: DatasetFolder) -> list[dict]:
    return _read_rows(dataset, "test.jsonl", _grpo_row)


def to_hf_dataset(rows: list[dict]):
    """A datasets.Dataset whose `images` column decodes to PIL images lazily, on access."""
    from datasets import Dataset, Image, List

    return Dataset.from_list(rows).cast_column("images", List(Image()))
