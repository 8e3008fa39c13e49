"""The plain risk core: levels, negations, figures of speech, spellings, and never raising."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.safety import risk
from kindred.safety.risk import LexiconError, assess, parse_lexicon


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I want to die.", "high"),
        ("Everyone would be better off without me", "high"),
        ("I've been giving my things away", "high"),
        ("I wish I could go to sleep and not wake up", "high"),
        ("I've been cutting myself again", "high"),
        ("I have taken all my tablets", "imminent"),
        ("I want to die tonight", "imminent"),
        ("I want to die and I have a box of pills next to me", "imminent"),
        ("By the time you read this I'll be gone", "imminent"),
        ("I feel completely hopeless", "concern"),
        ("My friend told me she wants to kill herself", "concern"),
        ("Thanks, see you on Thursday", "none"),
    ],
)
def test_it_gives_each_kind_of_message_its_level(text, level):
    assert assess(text).level == level


# Wording the blind-written rows showed the lexicon missing (development half only): chat
# without the "I", misspellings, an act told with its time, means at hand.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("lowkey suicidal rn and idk who else to tell", "high"),
        ("lowkey wanna unalive. highkey exhausted", "high"),
        ("evry day i wnt to die a bit more", "high"),
        ("i relly dont want 2 b alive. sorry 4 msg so late", "high"),
        ("Relapsed. Cutting again, deeper than before.", "high"),
        ("burnt myself with the straighteners on purpose last night", "high"),
        ("Honestly I'd be fine if I just didn't wake up after this run of nights.", "high"),
        ("i took an overdose at midnight. i just needed to say it", "imminent"),
        ("did it. cut my wrists in the shower", "imminent"),
        ("got a rope in the boot of the car", "imminent"),
        ("I have the tablets counted out on the kitchen counter.", "imminent"),
        ("bought rope today for the climbing wall, finally", "none"),
        ("I think my girlfriend is cutting again, I saw marks on her arms", "concern"),
    ],
)
def test_chat_wording_the_blind_rows_taught_it(text, level):
    assert assess(text, second_opinion=False).level == level


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to hurt myself",
        "I would never kill myself",
        "I'm not suicidal, just tired",
        "I don't want to die, I want the exams to be over",
    ],
)
def test_a_negation_is_not_a_signal(text):
    assert assess(text).level == "none"


def test_a_negation_before_a_breaker_still_counts_the_signal():
    assert assess("I can't stop thinking about killing myself").level == "high"
    assert assess("Not gonna lie, I want to die").level == "high"
    assert assess("If I didn't have my dog I would have killed myself by now").level == "high"


@pytest.mark.parametrize(
    "text",
    [
        "This exam is killing me",
        "I nearly died of embarrassment on the ward round",
        "I've been killing myself revising",
        "I cut myself shaving",
        "I could kill myself for forgetting my stethoscope",
    ],
)
def test_figures_of_speech_are_not_signals(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "My patient said he wanted to kill himself",
        "We had a lecture on suicide prevention",
        '"Suicide is painless" is the theme tune of M*A*S*H',
    ],
)
def test_clinical_and_media_talk_is_not_a_signal(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text", ["kms", "I feel sucidal", "i want to unalive myself", "i wanna die", "im suicidial"]
)
def test_chat_spellings_and_misspellings_are_read(text):
    assert assess(text).level == "high"


def test_the_past_is_noted_as_concern():
    found = assess("I was suicidal in first year but I'm much better now")
    assert found.level == "concern"
    assert "past" in found.reasons


def test_a_joking_tone_lowers_high_to_concern_unless_it_says_it_is_serious():
    assert assess("exams make me want to die lol").level == "concern"
    assert assess("i want to die lol but seriously").level == "high"


def test_reasons_name_the_group_first_and_the_modifiers_after():
    found = assess("I want to die tonight")
    assert found.reasons == ("wish_to_die", "timing")
    assert risk.label_for("wish_to_die") == "says they want to die or wish they were dead"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("😢😢😢", "no words"),
        ("12345 !!!", "no words"),
        ("x" * 100_000, "too long"),
        ("Je suis très triste et je ne sais pas quoi faire", "other language"),
        ("我不想活了", "other language"),
        (None, "not text"),
        (b"I want to die", "not text"),
    ],
)
def test_odd_input_is_not_assessed(text, why):
    found = assess(text)
    assert found.level == "none"
    assert found.reasons == ("not assessed", why)
    assert not found.assessed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_it_never_raises_on_any_text(text):
    found = assess(text)
    assert found.level in risk.LEVELS
    assert all(isinstance(reason, str) for reason in found.reasons)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "i",
                "not",
                "want",
                "to",
                "die",
                "kill",
                "myself",
                "lol",
                "tonight",
                "pills",
                ",",
                "but",
                "never",
                '"',
                "patient",
                "'",
                "if",
                "hopeless",
                "💀",
                "\n",
                "ı",
                "ß",
            ]
        ),
        max_size=60,
    )
)
def test_it_never_raises_on_risky_word_salad(words):
    assert assess(" ".join(words)).level in risk.LEVELS


def test_the_longest_message_is_still_read_and_risk_at_its_end_is_found():
    # How fast: make bench (docs/performance.md), never a timed assertion here.
    filler = "I have had a long week on the wards and I am tired. "
    text = (filler * 380)[: risk.MAX_CHARS - 40] + " I want to kill myself."
    assert len(text) <= risk.MAX_CHARS
    assert assess(text).level == "high"
    assert assess((filler * 380)[: risk.MAX_CHARS]).level == "none"


def test_the_lexicon_file_parses_and_every_group_has_a_source_and_label():
    lexicon = risk.lexicon()
    assert len(lexicon.groups) >= 15
    assert all(group.label for group in lexicon.groups)
    source = risk.LEXICON_PATH.read_text()
    for header in [line for line in source.splitlines() if line.startswith("[signal")]:
        following = source.split(header, 1)[1].lstrip("\n").splitlines()[0]
        assert following.startswith("# ["), f"{header} names no source"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("pattern before a section", "outside any"),
        ("[signal dire code] Label\nx", "unknown level"),
        ("[mystery]\nx", "unknown section"),
        ("[signal high code] Label\n(unclosed", "code"),
        ("[signal high code] Label\n{NOPE}", "unknown macro"),
        ("[rewrite]\nno arrow here", "REPLACEMENT"),
    ],
)
def test_a_malformed_lexicon_is_refused_with_a_reason(source, message):
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(source)
