"""Progress on stdout as JSON lines, one object per line, for the TypeScript backends to parse:

    {"event": "start", "stage": "sft", "model": "...", "output": "...", "resumeFrom": null}
    {"event": "progress", "stage": "sft", "step": 3, "maxSteps": 10, "loss": 2.31, ...}
    {"event": "checkpoint", "stage": "sft", "step": 5, "path": ".../checkpoint-5"}
    {"event": "done", "stage": "sft", "output": "...", "steps": 10, "metrics": {...}}
    {"event": "error", "message": "..."}

Everything else the libraries print goes to stderr.
"""
from __future__ import annotations

import json
import math
import sys
from typing import Any


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **_clean(fields)}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
