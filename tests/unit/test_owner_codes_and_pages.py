"""Resume codes (16 characters with a Luhn mod 32 check character), the sealed results token,
and how the questionnaire is cut into pages and numbered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sme_assess.questionnaire import load_questionnaire
from sme_assess.questionnaire.pages import (
    MAX_PAGE_PX,
    all_pages,
    counted_question_ids,
    estimate,
    height_of,
    neighbours,
    page_numbers,
    pillar_pages,
)
from sme_assess.security import (
    check_character,
    code_has_typo,
    hash_code,
    new_code,
    normalise_code,
    seal_token,
    unseal_token,
)

ROOT = Path(__file__).resolve().parents[2]
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("000000000000000", "0"),
        # last character doubled: 2 × 1 = 2; 32 − 2 = 30 → "Y"
        ("000000000000001", "Y"),
        # second to last taken once: 1; 32 − 1 = 31 → "Z"
        ("000000000000010", "Z"),
        # Z = 31 doubled = 62 → digits in base 32: 1 + 30 = 31; 32 − 31 = 1 → "1"
        ("00000000000000Z", "1"),
    ],
)
def test_check_character_by_hand(body: str, check: str) -> None:
    assert check_character(body) == check


def test_new_codes_are_16_characters_in_4_groups_and_check() -> None:
    for _ in range(200):
        code = new_code()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code), code
        assert not code_has_typo(code)


def test_every_single_typo_and_neighbour_swap_is_caught() -> None:
    code = normalise_code("7KQ2-M9XD-4RTB-HC3" + check_character("7KQ2M9XD4RTBHC3"))
    for i in range(16):
        for ch in ALPHABET:
            if ch != code[i]:
                assert code_has_typo(code[:i] + ch + code[i + 1 :]), (i, ch)
    for i in range(15):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert code_has_typo(swapped), i


def test_codes_are_read_the_way_people_type_them() -> None:
    assert normalise_code("abcd efgh-ijkl mnop") == "ABCDEFGH1JK1MN0P"
    assert normalise_code("uuuu") == "VVVV"
    assert normalise_code("１２３４") == ""  # full-width digits are not ours
    assert hash_code("7kq2 m9xd 4rtb hc3f") == hash_code("7KQ2-M9XD-4RTB-HC3F")
    # older 26-character codes still hash the same way (not judged for typos)
    assert not code_has_typo("0123-4567-89AB-CDEF-GHJK-MNPQ-RS")


def test_sealed_results_token_opens_only_with_its_code() -> None:
    token = "TIyWmFDkCG3PwV53QX-TYQ"
    code = "DDW1-708A-PMF8-83KP"
    sealed = seal_token(token, code)
    assert len(sealed) == 32 and token not in sealed
    assert unseal_token(sealed, "ddw1 708a pmf8 83kp") == token
    assert unseal_token(sealed, "DDW1-708A-PMF8-83KQ") != token


@pytest.fixture(scope="module")
def dbi():  # type: ignore[no-untyped-def]
    return load_questionnaire(ROOT / "questionnaires" / "dbi-2021-sme.yaml")


def test_pages_follow_components_in_runs_that_fit_three_screens(dbi) -> None:  # type: ignore[no-untyped-def]
    # components per pillar: 1.1 (9 criteria) 1.2 (4) | 2.1 (1) | 3.1 (2) 3.2 (14) |
    # 4.1 (6) 4.2 (7) | 5.1 (5) 5.2 (5) | 6.1 (7); a level-choice criterion is about 1,000 px
    # on a phone without JavaScript, a band question about 600
    sizes = [[len(p.criteria) for p in pillar_pages(pl, n)] for n, pl in enumerate(dbi.pillars, 1)]
    assert sizes == [
        [2, 3, 2, 2, 4],
        [1],
        [2, 3, 2, 1, 2, 2, 2, 2],
        [2, 2, 2, 3, 2, 2],
        [3, 2, 3, 2],
        [2, 2, 2, 1],
    ]
    pages = all_pages(dbi)
    assert len(pages) == 28
    assert [(p.step, p.part, p.component.code) for p in pages[6:9]] == [
        (3, 1, "3.1"),
        (3, 2, "3.2"),
        (3, 3, "3.2"),
    ]
    assert pages[8].continued and not pages[7].continued
    assert all(sum(height_of(c) for c in p.criteria) <= MAX_PAGE_PX for p in pages)
    before, after = neighbours(dbi, pages[0])
    assert before is None and after is pages[1]
    before, after = neighbours(dbi, pages[-1])
    assert before is pages[-2] and after is None


def test_numbering_counts_the_longest_open_path(dbi) -> None:  # type: ignore[no-untyped-def]
    pages = all_pages(dbi)
    nums = page_numbers(dbi, pages[0], {})
    # page 1: 1.1.1 and 1.1.2 (gate + detail each); page 2: 1.1.3–1.1.5 (one band each)
    assert (nums.first, nums.last, nums.total) == (1, 4, 93)
    assert len(counted_question_ids(dbi, {})) == 93
    no_website = page_numbers(dbi, pages[1], {"q1_1_1_has": "no"})
    assert (no_website.first, no_website.last, no_website.total) == (4, 6, 92)


def test_numbering_follows_each_change_of_a_gate_answer(dbi) -> None:  # type: ignore[no-untyped-def]
    """The numbering is computed once per combination of gate answers: going back and forth
    between answers gives each one's own count, and answers to non-gate questions change
    nothing."""
    sequence = [
        ({}, 93),
        ({"q1_1_1_has": "no"}, 92),
        ({"q1_1_1_has": "yes"}, 93),
        ({"q1_1_1_has": "no", "q1_1_2_has": "no"}, 91),
        ({"q1_1_1_has": "no"}, 92),
        ({}, 93),
    ]
    for answers, total in sequence * 2:
        assert len(counted_question_ids(dbi, answers)) == total, answers
    one = counted_question_ids(dbi, {"q1_1_1_has": "no"})
    assert "q1_1_1_level" not in one and "q1_1_1_has" in one
    assert "q1_1_1_level" in counted_question_ids(dbi, {"q1_1_1_has": "yes"})
    with_other = counted_question_ids(dbi, {"q1_1_1_has": "no", "q1_1_3_band": "2"})
    assert with_other == one


def test_page_numbers_follow_the_page_and_the_gate_answers_back_and_forth(dbi) -> None:  # type: ignore[no-untyped-def]
    """Each page's numbers are kept per combination of gate answers: asking again, for another
    page or after a change and back, gives that page's own numbers (written out by hand)."""
    pages = all_pages(dbi)
    sequence = [
        (pages[0], {}, (1, 4, 93)),
        (pages[1], {}, (5, 7, 93)),
        (pages[1], {"q1_1_1_has": "no"}, (4, 6, 92)),
        (pages[0], {"q1_1_1_has": "no"}, (1, 3, 92)),
        (pages[1], {"q1_1_1_has": "no", "q1_1_2_has": "no"}, (3, 5, 91)),
        (pages[1], {}, (5, 7, 93)),
        (pages[0], {}, (1, 4, 93)),
    ]
    for page, answers, expected in sequence * 2:
        nums = page_numbers(dbi, page, answers)
        assert (nums.first, nums.last, nums.total) == expected, (page.step, page.part, answers)
    # a multiple-choice answer among the gates cannot be a key as it is: read as its texts
    assert len(counted_question_ids(dbi, {"q1_1_1_has": ["yes"]})) == 93


def test_estimate_range_and_branch(dbi) -> None:  # type: ignore[no-untyped-def]
    full = estimate(dbi)
    assert (full.low, full.high, full.questions_low, full.questions_high) == (30, 55, 60, 93)
    all_no = {q.id: "no" for q in dbi.iter_questions() if q.type == "yes_no"}
    short = estimate(dbi, all_no)
    assert (short.questions_low, short.questions_high) == (60, 60)
    assert short.high < full.high
    done = estimate(dbi, {q.id: "no" for q in dbi.iter_questions()}, remaining_only=True)
    assert (done.low, done.high, done.questions_high) == (0, 0, 0)
