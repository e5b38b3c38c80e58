"""The Python trainer and core/ (TypeScript) must agree: the same action blocks parse to the same
decisions or fail with the same message, and the same predictions give the same metrics.
test/trainer/ts-reference.ts computes the TypeScript side's answers with core/decision.ts and
core/fidelity-metrics.ts."""
import json
import subprocess

import pytest
from conftest import REPO
from personaact_trainer.action_block import ActionBlockError, parse_action_block
from personaact_trainer.metrics import Truth, evaluation_metrics

BLOCKS = [
    "```python\nwatch(4.95)\nlike()\n```",
    "watch(second=12.5), like(), comment(好看)",
    'Reasoning first.\n```\nwatch( 3 ) ; share("a \\"friend\\"")\nnot_interested()  # no more\n```\ntrailing',
    "watch()\ncomment('x\\u4f60')\nshare()",
    "```python\nlike()\n```",
    "watch(.5)\nwatch(1e1)",
    "watch(1e1)",
    "watch(0x1A)",
    "```python\nwatch(3)\nskip()\n```",
    "watch(-2)",
    "watch(abc)",
    "like(now)",
    "comment()",
    'comment("unterminated)',
    "watch(3",
    "watch 3",
    "```python\n\n```",
    "好看()",
    "comment(a (nested) remark)",
]

PREDICTED = ["watch(4)\nlike()", "watch(10)", "watch(2)\nshare()", "watch(0)\nnot_interested()", "watch(7.5)\ncomment(hi)"]
TRUTH = [(4.0, ["like"]), (5.0, []), (2.5, ["share", "like"]), (0.0, []), (30.0, ["comment"])]


@pytest.fixture(scope="module")
def typescript():
    request = {"blocks": BLOCKS, "metrics": {"predicted": PREDICTED,
                                             "truth": [{"watchSeconds": w, "actions": a} for w, a in TRUTH]}}
    result = subprocess.run(["node", "--import", "tsx", "test/trainer/ts-reference.ts"], input=json.dumps(request),
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_action_blocks_parse_alike(typescript, index):
    expected = typescript["parses"][index]
    try:
        decision = parse_action_block(BLOCKS[index])
    except ActionBlockError as error:
        assert not expected["ok"], f"TypeScript parsed it: {expected}"
        assert (str(error), error.line) == (expected["error"], expected.get("line"))
        return
    assert expected["ok"], f"TypeScript failed: {expected['error']}"
    ts = expected["decision"]
    assert decision.watch_seconds == ts["watchSeconds"]
    assert (decision.like, decision.comment, decision.share, decision.not_interested) == (
        ts["like"], ts.get("comment"), ts.get("share"), ts["notInterested"])


def test_metrics_agree(typescript):
    metrics = evaluation_metrics([parse_action_block(b) for b in PREDICTED], [Truth(w, frozenset(a)) for w, a in TRUTH])
    ts = typescript["metrics"]
    for key in ("smape", "mae", "pearson", "typeAccuracy", "kl"):
        assert metrics[key] == pytest.approx(ts[key], rel=1e-12), key
    assert metrics["f1"] == ts["f1"]
