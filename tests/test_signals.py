"""The lexical signals the matcher combines with similarity: stance, age, element cues."""

from __future__ import annotations

import pytest

from gapcheck.ages import stated_minimum_age
from gapcheck.catalog import Element
from gapcheck.elements import find_cue, missing_elements
from gapcheck.modality import Modality, detect_modality, expected_modality


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You may not use outputs to train models.", Modality.PROHIBIT),
        ("Users shall not reverse engineer the Service.", Modality.PROHIBIT),
        ("Do not attempt to jailbreak the assistant.", Modality.PROHIBIT),
        ("Scraping the Service is strictly prohibited.", Modality.PROHIBIT),
        ("You may use the Service only for lawful purposes.", Modality.PROHIBIT),
        ("You may use outputs for any purpose, including training models.", Modality.PERMIT),
        ("The Recipient may disclose Confidential Information to its employees.", Modality.PERMIT),
        ("Nothing in this Agreement shall prevent the Recipient from sharing it.", Modality.PERMIT),
        ("The Recipient shall notify the Discloser promptly.", Modality.REQUIRE),
        ("You may be required to provide your name and email address.", Modality.NONE),
        ("You may also need to verify your identity.", Modality.NONE),
        ("You must give accurate details; you may be asked to confirm them.", Modality.REQUIRE),
        ("Outputs may not be accurate, complete or current.", Modality.NONE),
        ("AI-generated content may be inaccurate.", Modality.NONE),
    ],
)
def test_stance(text: str, expected: Modality) -> None:
    assert detect_modality(text) is expected


def test_expected_stance_is_the_examples_majority() -> None:
    assert expected_modality(["You may not a.", "Users must not b.", "Ok c."]) is Modality.PROHIBIT
    assert expected_modality(["You may a.", "You may not b."]) is Modality.NONE
    assert expected_modality([]) is Modality.NONE
    assert Modality.PERMIT.opposes(Modality.PROHIBIT)
    assert not Modality.REQUIRE.opposes(Modality.PROHIBIT)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("You must be at least 13 years old to use the Service.", 13),
        ("You must be eighteen (18) years of age or older.", 18),
        ("Adults only (18+).", 18),
        ("Children under 13 may not use it. You must be 18 or older to subscribe.", 18),
        ("You must be 13 or older; users under 18 need a parent's consent.", 13),
        ("We keep logs for 30 days.", None),
        ("Section 18 applies to refunds.", None),
    ],
)
def test_minimum_age(text: str, age: int | None) -> None:
    assert stated_minimum_age(text) == age


def test_element_cues_match_word_starts_and_inflections() -> None:
    element = Element(name="misuse reporting", cues=["report misuse", "prohibit"])
    assert find_cue(element, "You can Report  Misusing accounts here") == "report misuse"
    assert find_cue(element, "This is prohibited.") == "prohibit"
    assert find_cue(element, "unprohibited") == ""
    consent = Element(name="consent", cues=["parent\u2019s consent"])
    assert find_cue(consent, "with a parent's consent") == "parent\u2019s consent"
    assert missing_elements([element, consent], "nothing relevant") == [
        "misuse reporting",
        "consent",
    ]


def test_admitted_age_ignores_exclusions_alone() -> None:
    from gapcheck.ages import admitted_age

    assert admitted_age("Children under 13 may not use the Service.") is None
    assert stated_minimum_age("No one under the age of 18 may register.") == 18
    assert admitted_age("Business accounts: you must be 18 or older.") == 18
    assert admitted_age("You must be 13 or older; under 18 needs a parent's consent.") == 13


def test_an_exclusion_lifted_with_consent_admits_the_age_below_it() -> None:
    from gapcheck.ages import admitted_age

    lifted = (
        "If you are younger than 13 we will allow you to use the Service once your parent "
        "or guardian has given written consent."
    )
    assert admitted_age(lifted) == 12
    # Refusing, not lifting: "do not allow" keeps the exclusion.
    refused = "We do not allow children under 13, and users under 18 need a parent's consent."
    assert admitted_age(refused) is None


def test_conflict_cue_yields_to_its_unless_phrases() -> None:
    from gapcheck.catalog import ConflictCue
    from gapcheck.elements import find_conflict_cue

    broad = ConflictCue(
        name="non-technical information included",
        cues=["business", "financial"],
        unless=["excluded", "limited to"],
    )
    assert (
        find_conflict_cue(broad, "Confidential Information means technical and business data.")
        == "business"
    )
    narrow = "Confidential Information is limited to technical data; business data is excluded."
    assert find_conflict_cue(broad, narrow) == ""
    assert find_conflict_cue(broad, "Confidential Information means technical data.") == ""
