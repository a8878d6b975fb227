"""Resume and verification codes as people type them: the documented normalisation (upper
case; spaces, dashes and other signs dropped; O read as 0, I and L as 1, U as V) and the check
character (Luhn mod 32 over the alphabet 0-9 A-Z without I, L, O, U)."""

from __future__ import annotations

import re

import pytest

from sme_assess.security import (
    check_character,
    code_has_typo,
    hash_code,
    new_code,
    new_verification_code,
    normalise_code,
)

NORMALISED = [
    ("7kq2-m9xd-4rtb-hc3f", "7KQ2M9XD4RTBHC3F"),
    (" 7KQ2 M9XD\t4RTB—HC3F ", "7KQ2M9XD4RTBHC3F"),  # spaces, a tab, an em dash
    ("o0-O0", "0000"),  # O is read as 0
    ("i1-I1", "1111"),  # I is read as 1
    ("l1-L1", "1111"),  # L is read as 1
    ("uv-UV", "VVVV"),  # U is read as V
    ("O1IL-LOIU", "0111101V"),
    ("ab.cd/ef", "ABCDEF"),
    ("Äb", "B"),  # letters outside ASCII are dropped, not guessed
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISED)
def test_codes_are_normalised_as_documented(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


def test_a_code_typed_differently_has_the_same_hash() -> None:
    assert hash_code("abcd-efgh-jkmn-pqr0") == hash_code("ABCDEFGHJKMNPQRO")
    assert hash_code("1111") == hash_code("i-l-I-L")
    assert hash_code("ABCD") != hash_code("ABCE")


# Luhn mod 32 by hand: from the right, factors 2, 1, 2, …; each addend's two base-32 digits
# are summed; the check character brings the total to a multiple of 32.
CHECKS = [
    ("0", "0"),  # 0 → (32 − 0) mod 32 = 0
    ("1", "Y"),  # 2·1 = 2 → 32 − 2 = 30 → Y
    ("G", "Z"),  # G = 16: 2·16 = 32 → 1 + 0 = 1 → 31 → Z
    ("12", "V"),  # 2·2 = 4, 1·1 = 1 → 5 → 27 → V
    ("Z", "1"),  # Z = 31: 2·31 = 62 = 1·32 + 30 → 1 + 30 = 31 → 32 − 31 = 1
]


@pytest.mark.parametrize(("body", "expected"), CHECKS[:5])
def test_check_character_by_hand(body: str, expected: str) -> None:
    assert check_character(body) == expected


def test_position_decides_the_factor() -> None:
    # "1000": the 1 is fourth from the right, factor 1 → total 1 → 31 → Z
    assert check_character("1000") == "Z"
    # "100": third from the right, factor 2 → total 2 → 30 → Y
    assert check_character("100") == "Y"


@pytest.mark.parametrize(
    ("raw", "typo"),
    [
        ("0000-0000-0000-0000", False),  # fifteen 0s: check character 0
        ("0000-0000-0000-0001", True),
        ("0000-0000-0000-000o", False),  # o is read as 0
        # fifteenth from the right, the 1 has factor 2 → total 2 → check Y
        ("1000-0000-0000-000Y", False),
        ("1000-0000-0000-0000", True),
        ("0100-0000-0000-000Y", True),  # fourteenth: factor 1 → check Z
        ("0100-0000-0000-000Z", False),
        ("0000-0000-0000", False),  # not the length of a resume code: not judged
    ],
)
def test_typing_mistakes_are_told_apart(raw: str, typo: bool) -> None:
    assert code_has_typo(raw) is typo


def test_new_codes_are_grouped_and_check_themselves() -> None:
    for _ in range(50):
        code = new_code()
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}", code), code
        assert not code_has_typo(code)
        assert normalise_code(code) == code.replace("-", "")
    v = new_verification_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", v)
