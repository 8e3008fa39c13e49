"""The labelled evaluation set: big enough, balanced, and detection that cannot quietly fall."""

from tests.safety.evaluation import UNSEEN_PATH, evaluate, rows


def test_the_set_has_at_least_300_sentences_about_half_of_them_risk():
    found = rows()
    risky = [r for r in found if r.level != "none"]
    assert len(found) >= 300
    assert 0.45 <= len(risky) / len(found) <= 0.55
    assert {r.category for r in found} >= {"clinical", "hyperbole", "media", "joke", "negation"}


def test_the_held_out_half_is_about_half():
    found = rows()
    held = [r for r in found if r.held_out]
    assert 0.4 <= len(held) / len(found) <= 0.6


# The target is recall 0.95 with precision 0.8 on high or imminent. On the held-out
# half (never seen by the lexicon's tuning or the second opinion's training) lexicon and
# second opinion together reach the figures in docs/performance.md; these floors sit just
# under them, so a change that makes detection worse fails here. Raise them as detection
# improves; never lower them to pass.
RECALL_FLOOR = 0.935
PRECISION_FLOOR = 0.81


def test_high_or_imminent_on_the_held_out_half_does_not_fall_below_what_it_reached():
    result = evaluate([r for r in rows() if r.held_out])["high or imminent"]
    assert result.recall >= RECALL_FLOOR
    assert result.precision >= PRECISION_FLOOR


# The first 464 rows are the ones the lexicon was written and tuned with; on them the lexicon
# alone reached recall 0.87 at precision 0.98. Its own floor keeps it from rotting behind the
# second opinion.
LEXICON_ROWS = 464


def test_the_lexicon_alone_keeps_what_it_reached_on_its_own_rows():
    result = evaluate(rows()[:LEXICON_ROWS], second_opinion=False)["high or imminent"]
    assert result.recall >= 0.86
    assert result.precision >= 0.95


def test_the_unseen_set_shares_no_sentence_with_the_evaluation_set():
    # Rows trained or tuned on must not leak into the set that checks the trained model.
    unseen = rows(UNSEEN_PATH)
    known = {r.text.lower() for r in rows()}
    assert len(unseen) >= 2000
    assert not [r.text for r in unseen if r.text.lower() in known]
    assert 0.45 <= sum(r.level != "none" for r in unseen) / len(unseen) <= 0.55


# On rows written after the model was trained (docs/safety.md): floors just under what it
# reached, as above.
UNSEEN_RECALL_FLOOR = 0.94
UNSEEN_PRECISION_FLOOR = 0.79


def test_high_or_imminent_on_the_unseen_set_does_not_fall_below_what_it_reached():
    result = evaluate(rows(UNSEEN_PATH))["high or imminent"]
    assert result.recall >= UNSEEN_RECALL_FLOOR
    assert result.precision >= UNSEEN_PRECISION_FLOOR
