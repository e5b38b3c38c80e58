"""The evaluation metrics of `personaact eval`, defined as the TypeScript side defines them (SMAPE in
core/metrics.ts, the rest in core/fidelity-metrics.ts; trainer/README.md "Metrics") — keep them in step.

Each prediction is an action block (or None when the model's output did not parse); each truth is
(watch seconds, non-watch actions). An output that does not parse counts as 0 s, no flags, and a type
that matches nothing.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .action_block import Decision

SMAPE_EPSILON = 1e-8
HISTOGRAM_BINS = 20
KL_SMOOTHING = 1e-6
FLAGS = ("like", "comment", "share")
ENGAGEMENTS = ("like", "comment", "share", "not_interested")
UNPARSED = "unparsed"


@dataclass(frozen=True)
class Truth:
    watch_seconds: float
    actions: frozenset[str]  # the non-watch actions, e.g. {"like"}


def smape(predicted: Sequence[float], truth: Sequence[float]) -> float:
    """mean(2·|p − t| / max(|t| + |p|, 1e-8)), in [0, 2]."""
    if len(predicted) != len(truth):
        raise ValueError(f"smape: {len(predicted)} predicted values but {len(truth)} true values")
    if not predicted:
        raise ValueError("smape: no values to compare")
    return sum(2 * abs(p - t) / max(abs(t) + abs(p), SMAPE_EPSILON) for p, t in zip(predicted, truth, strict=True)) / len(predicted)


def mae(predicted: Sequence[float], truth: Sequence[float]) -> float:
    return sum(abs(p - t) for p, t in zip(predicted, truth, strict=True)) / len(predicted)


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """None when undefined: fewer than two values, or either side constant (tested on the values, not
    the variance, so a constant predictor gets no spurious ±1e-16)."""
    if len(x) < 2 or len(set(x)) == 1 or len(set(y)) == 1:
        return None
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def f1(predicted: Sequence[bool], truth: Sequence[bool]) -> float | None:
    """Binary F1 of a rare flag; None when neither side ever sets it (nothing to score)."""
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def histogram(values: Sequence[float], upper: float) -> list[float]:
    """Probabilities over 20 equal-width bins of [0, upper]; the last bin includes `upper`."""
    counts = [0] * HISTOGRAM_BINS
    for value in values:
        index = 0 if upper <= 0 else min(HISTOGRAM_BINS - 1, int(value / upper * HISTOGRAM_BINS))
        counts[max(0, index)] += 1
    smoothed = [c / len(values) + KL_SMOOTHING for c in counts]
    total = sum(smoothed)
    return [s / total for s in smoothed]


def watch_kl(predicted: Sequence[float], truth: Sequence[float]) -> float:
    """KL(true ‖ predicted), natural log, between 20-bin watch-time histograms over
    [0, max(observed ∪ predicted)], each smoothed by adding 1e-6 to every bin's probability and renormalised."""
    upper = max([*predicted, *truth])
    p, q = histogram(truth, upper), histogram(predicted, upper)
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True))


def predicted_seconds(decision: Decision | None) -> float:
    """A predicted non-watch action (or an output that does not parse) counts as 0 s."""
    return 0.0 if decision is None else decision.watch_seconds


def has_flag(decision: Decision | None, flag: str) -> bool:
    return decision is not None and flag in decision.actions


def action_type(actions: frozenset[str]) -> str:
    """"watch" when only watched, else the engagements in a fixed order: "like", "like+share", …"""
    taken = [a for a in ENGAGEMENTS if a in actions]
    return "+".join(taken) if taken else "watch"


def evaluation_metrics(predictions: Sequence[Decision | None], truths: Sequence[Truth]) -> dict:
    """One row of the fidelity table, in the shape of core/fidelity-metrics.ts FidelityMetrics, plus
    the sample count and the share of outputs that parsed."""
    if len(predictions) != len(truths):
        raise ValueError(f"{len(predictions)} predictions but {len(truths)} test samples")
    if not truths:
        raise ValueError("no test samples")
    p = [predicted_seconds(d) for d in predictions]
    t = [truth.watch_seconds for truth in truths]
    predicted_types = [UNPARSED if d is None else action_type(d.actions) for d in predictions]
    true_types = [action_type(truth.actions) for truth in truths]
    return {
        "samples": len(truths),
        "formatRate": sum(d is not None for d in predictions) / len(truths),
        "smape": smape(p, t),
        "mae": mae(p, t),
        "pearson": pearson(p, t),
        "typeAccuracy": sum(a == b for a, b in zip(predicted_types, true_types, strict=True)) / len(truths),
        "f1": {flag: f1([has_flag(d, flag) for d in predictions], [flag in truth.actions for truth in truths]) for flag in FLAGS},
        "kl": watch_kl(p, t),
    }
