"""Evaluation metrics on hand-worked values (the definitions of core/metrics.ts and core/fidelity-metrics.ts)."""
import math

import pytest
from personaact_trainer.action_block import parse_action_block
from personaact_trainer.metrics import Truth, evaluation_metrics, f1, histogram, pearson, smape, watch_kl


def test_smape_counts_zero_zero_as_zero_and_is_bounded_by_two():
    assert smape([0.0, 10.0, 0.0], [0.0, 5.0, 3.0]) == pytest.approx((0 + 2 * 5 / 15 + 2) / 3)


def test_pearson_is_none_for_a_constant_side():
    assert pearson([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(1.0)
    assert pearson([1.0, 1.0, 1.0], [2.0, 4.0, 6.0]) is None
    assert pearson([1.0], [2.0]) is None


def test_f1_is_none_when_no_side_has_the_flag():
    assert f1([True, False, True], [True, True, False]) == pytest.approx(0.5)
    assert f1([False, False], [False, False]) is None


def test_histogram_bins_over_zero_to_top_with_smoothing():
    bins = histogram([0.0, 10.0, 5.0, 4.99], 10.0)
    raw = [0.25] + [0.0] * 8 + [0.25, 0.25] + [0.0] * 8 + [0.25]
    total = sum(r + 1e-6 for r in raw)
    assert bins == pytest.approx([(r + 1e-6) / total for r in raw])


def test_kl_is_zero_for_equal_samples_and_grows_with_misplaced_mass():
    assert watch_kl([1.0, 2.0], [2.0, 1.0]) == pytest.approx(0.0)
    # Truth all in the top bin, predictions all in bin 0; every bin gets ε = 1e-6, Z = 1 + 20ε:
    # p = (ε, ε, …, 1 + ε)/Z and q = (1 + ε, ε, …, ε)/Z; the 18 middle bins contribute 0.
    eps = 1e-6
    z = 1 + 20 * eps
    expected = (eps / z) * math.log(eps / (1 + eps)) + ((1 + eps) / z) * math.log((1 + eps) / eps)
    assert watch_kl([0.0], [10.0]) == pytest.approx(expected)


def test_evaluation_metrics_on_hand_values():
    predictions = [parse_action_block("watch(4)\nlike()"), parse_action_block("watch(10)"), None]
    truths = [Truth(4.0, frozenset({"like"})), Truth(5.0, frozenset()), Truth(2.0, frozenset({"share"}))]
    metrics = evaluation_metrics(predictions, truths)
    assert metrics["samples"] == 3
    assert metrics["formatRate"] == pytest.approx(2 / 3)
    assert metrics["smape"] == pytest.approx((0 + 10 / 15 + 2) / 3)
    assert metrics["mae"] == pytest.approx((0 + 5 + 2) / 3)
    assert metrics["typeAccuracy"] == pytest.approx(2 / 3)  # like = like, watch = watch, unparsed ≠ share
    assert metrics["f1"] == {"like": 1.0, "comment": None, "share": 0.0}
    assert metrics["pearson"] == pytest.approx(pearson([4.0, 10.0, 0.0], [4.0, 5.0, 2.0]))
    assert metrics["kl"] == pytest.approx(watch_kl([4.0, 10.0, 0.0], [4.0, 5.0, 2.0]))
