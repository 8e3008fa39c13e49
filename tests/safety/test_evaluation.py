"""The labelled evaluation set: big enough, balanced, and meeting the target on the whole set."""

from tests.safety.evaluation import evaluate, rows


def test_the_set_has_at_least_300_sentences_about_half_of_them_risk():
    found = rows()
    risky = [r for r in found if r.level != "none"]
    assert len(found) >= 300
    assert 0.45 <= len(risky) / len(found) <= 0.55
    assert {r.category for r in found} >= {"clinical", "hyperbole", "media", "joke", "negation"}


def test_high_or_imminent_meets_the_target_on_the_whole_set():
    result = evaluate(rows())["high or imminent"]
    assert result.recall >= 0.95
    assert result.precision >= 0.8


def test_the_held_out_half_is_about_half():
    found = rows()
    held = [r for r in found if r.held_out]
    assert 0.4 <= len(held) / len(found) <= 0.6
