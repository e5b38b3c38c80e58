"""GRPO rewards with the semantics of the paper's reward plugin (Silung/PersonaAct reward_plugin.py,
docs/method.md, "Training rewards"), split into three functions that GRPO combines with weights (hyperparameters):

- R_format   = 1 when the completion holds an action block that parses, else 0.
- R_action   = 1 when the set of actions written equals the true set; otherwise 0.5·F1 of the two
               sets; minus 0.1 per action beyond the true count; floored at 0.
- R_duration = watch credit 1 − min(1, |g − t| / t) for predicted g and true t seconds, relaxed to
               0.5 + 0.5·credit when both are ≥ 7 s (long watches are judged more leniently).

The released plugin folds the watch credit into its action match; here R_action counts watch() as an
action like any other and R_duration scores its seconds, so each can be weighted on its own. A
completion that does not parse scores 0 on all three (as in the plugin). The plugin divides by t and
so scores a true 0 s watch as 0 whatever the prediction; here t = 0 gives credit 1 for g = 0 exactly
and 0 otherwise. A block without watch() predicts 0 s.

Each function has TRL's reward signature: (completions, **dataset columns) → list of floats; the
GRPO rows carry `watch_seconds` (float) and `actions` (the true non-watch actions; watch() is always
part of the true set because the exporter always writes it).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .action_block import Decision, try_parse_action_block

LONG_WATCH_SECONDS = 7.0
EXTRA_ACTION_PENALTY = 0.1
PARTIAL_MATCH_WEIGHT = 0.5


def completion_text(completion: Any) -> str:
    """TRL passes conversational completions as [{"role": "assistant", "content": ...}]."""
    if isinstance(completion, str):
        return completion
    parts = []
    for message in completion:
        content = message.get("content", "")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts.extend(part.get("text") or "" for part in content if part.get("type") == "text")
    return "".join(parts)


def true_actions(actions: Sequence[str]) -> frozenset[str]:
    return frozenset(["watch", *actions])


def format_score(decision: Decision | None) -> float:
    return 0.0 if decision is None else 1.0


def action_score(decision: Decision | None, truth: frozenset[str]) -> float:
    if decision is None or not truth:
        return 0.0
    predicted = decision.actions
    if predicted == truth:
        return 1.0
    matched = len(predicted & truth)
    if matched == 0:
        return 0.0
    precision = matched / len(predicted)
    recall = matched / len(truth)
    score = PARTIAL_MATCH_WEIGHT * 2 * precision * recall / (precision + recall)
    extra = max(0, len(predicted) - len(truth))
    return max(0.0, score - EXTRA_ACTION_PENALTY * extra)


def watch_credit(predicted_seconds: float, true_seconds: float) -> float:
    if true_seconds <= 0:
        return 1.0 if predicted_seconds == 0 else 0.0
    credit = 1.0 - min(1.0, abs(predicted_seconds - true_seconds) / true_seconds)
    if predicted_seconds >= LONG_WATCH_SECONDS and true_seconds >= LONG_WATCH_SECONDS:
        return max(credit, 0.5 + 0.5 * credit)
    return credit


def duration_score(decision: Decision | None, true_seconds: float) -> float:
    return 0.0 if decision is None else watch_credit(decision.watch_seconds, true_seconds)


def _parse_all(completions: Sequence[Any]) -> list[Decision | None]:
    return [try_parse_action_block(completion_text(c)) for c in completions]


def format_reward(completions: Sequence[Any], **_: Any) -> list[float]:
    return [format_score(d) for d in _parse_all(completions)]


def action_reward(completions: Sequence[Any], actions: Sequence[Sequence[str]], **_: Any) -> list[float]:
    return [action_score(d, true_actions(a)) for d, a in zip(_parse_all(completions), actions, strict=True)]


def duration_reward(completions: Sequence[Any], watch_seconds: Sequence[float], **_: Any) -> list[float]:
    return [duration_score(d, t) for d, t in zip(_parse_all(completions), watch_seconds, strict=True)]


# In the order of the `reward_weights` hyperparameter (format, action, duration).
REWARD_FUNCTIONS = (format_reward, action_reward, duration_reward)
