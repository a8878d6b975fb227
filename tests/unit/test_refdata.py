"""Reference data rules as tables with hand-written expected values: the tax-code check digit
and its written forms, and the SME size classes of Decree 80/2021/NĐ-CP, Article 5."""

from __future__ import annotations

import pytest

from sme_assess.refdata import TaxCodeError, normalise_tax_code, size_class

# Check digit (DOMAIN §4): N10 = 10 − (Σ Ni·Wi mod 11), weights 31 29 23 19 17 13 7 5 3.
# Each valid code below is worked out by hand in its comment.
VALID = [
    # 0·31+1·29+0·23+0·19+2·17+3·13+3·7+4·5+8·3 = 167; 167 mod 11 = 2; 10 − 2 = 8
    ("0100233488", "0100233488"),
    # 3·29+1·23+4·19+4·17+9·7+5·3 = 332; 332 mod 11 = 2; 10 − 2 = 8
    ("0314409058", "0314409058"),
    # 1·31 = 31; 31 mod 11 = 9; 10 − 9 = 1
    ("1000000001", "1000000001"),
    # branch (dependent unit) forms of 0314409058
    ("0314409058-002", "0314409058-002"),
    ("0314409058002", "0314409058-002"),  # 13 bare digits are a code and a branch
    ("0314409058 - 002", "0314409058-002"),
    ("0314 409 058", "0314409058"),
    ("0314409058–002", "0314409058-002"),  # en dash
    ("0314409058.002", "0314409058-002"),
    ("0314409058-999", "0314409058-999"),
    (" 0100233488\t", "0100233488"),
]

INVALID = [
    # Σ = 0 → 0 mod 11 = 0 → 10 − 0 = 10: no digit can be 10, so no code with these nine
    # digits is valid — "0" must not stand for 10
    ("0000000000", "check_digit"),
    # 1·31 + 2·23 = 77 = 7·11 → check value 10 again
    ("1020000000", "check_digit"),
    ("1020000001", "check_digit"),
    ("0100233487", "check_digit"),  # one off the right digit (8)
    ("1000000000", "check_digit"),  # the right digit is 1
    ("0314409058-000", "branch"),  # branch numbers start at 001
    ("0314409058-02", "format"),
    ("0314409058-0020", "format"),
    ("031440905800", "format"),  # 12 digits
    ("03144090580021", "format"),  # 14 digits
    ("031440905", "format"),
    ("", "format"),
    ("031440905A", "format"),
    ("0314409058/002", "format"),
    # digits of other scripts are not accepted as the digits 0-9
    ("٠٣١٤٤٠٩٠٥٨", "format"),  # Arabic-Indic
    ("０３１４４０９０５８", "format"),  # full-width (the form converts these first)
    ("0314409058-٠٠٢", "format"),
]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_valid_tax_codes_are_normalised(raw: str, expected: str) -> None:
    assert normalise_tax_code(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), INVALID)
def test_invalid_tax_codes_are_refused_with_their_reason(raw: str, reason: str) -> None:
    with pytest.raises(TaxCodeError) as err:
        normalise_tax_code(raw)
    assert err.value.reason == reason


# Decree 80/2021/NĐ-CP, Art. 5: the first size whose rule holds, employees ≤ L and
# (revenue ≤ R or capital ≤ K), amounts in VND billions; else large.
#   agriculture, industry, construction (VSIC A–F): micro 10 / 3 / 3, small 100 / 50 / 20,
#                                                   medium 200 / 200 / 100
#   trade and services (VSIC G–U):                  micro 10 / 10 / 3, small 50 / 100 / 50,
#                                                   medium 100 / 300 / 100
# Band ids name their range; a band's upper bound is the threshold it is cut at.
SIZES = [
    # section C (first group)
    ("C", "0-10", "0-3", "100+", "micro"),  # revenue alone qualifies ("or", not "and")
    ("C", "0-10", "300+", "0-3", "micro"),  # capital alone qualifies
    ("C", "0-10", "3-10", "3-20", "small"),  # revenue 10 > 3 and capital 20 > 3
    ("C", "11-50", "0-3", "0-3", "small"),  # 50 employees > 10
    ("C", "51-100", "10-50", "100+", "small"),  # 100 employees: the limit itself is small
    ("C", "51-100", "300+", "3-20", "small"),  # capital 20 ≤ 20
    ("C", "51-100", "300+", "20-50", "medium"),  # capital 50 > 20, 50 ≤ 100
    ("C", "101-200", "100-200", "100+", "medium"),  # 200 employees, revenue 200 ≤ 200
    ("C", "101-200", "200-300", "100+", "large"),  # revenue 300 > 200, capital > 100
    ("C", "201+", "0-3", "0-3", "large"),  # more than 200 employees
    # section A and F are in the first group too
    ("A", "0-10", "3-10", "0-3", "micro"),
    ("F", "101-200", "50-100", "50-100", "medium"),
    # section G (second group)
    ("G", "0-10", "3-10", "100+", "micro"),  # revenue 10 ≤ 10 (first group: small)
    ("G", "0-10", "10-50", "3-20", "small"),
    ("G", "0-10", "300+", "0-3", "micro"),  # capital alone qualifies
    ("G", "11-50", "50-100", "100+", "small"),  # revenue 100 ≤ 100 (first group: medium)
    ("G", "11-50", "100-200", "20-50", "small"),  # capital 50 ≤ 50 (first group: medium)
    ("G", "11-50", "100-200", "50-100", "medium"),  # revenue 200 > 100, capital 100 > 50
    ("G", "51-100", "50-100", "0-3", "medium"),  # 100 employees > 50; the limit 100 is medium
    ("G", "51-100", "300+", "50-100", "medium"),  # capital 100 ≤ 100
    ("G", "51-100", "300+", "100+", "large"),
    ("G", "101-200", "0-3", "0-3", "large"),  # 200 employees > 100 (first group: medium)
    ("I", "11-50", "10-50", "3-20", "small"),
    ("U", "0-10", "0-3", "0-3", "micro"),
]


@pytest.mark.parametrize(("section", "employees", "revenue", "capital", "expected"), SIZES)
def test_size_class_by_decree_80(
    section: str, employees: str, revenue: str, capital: str, expected: str
) -> None:
    assert size_class(section, employees, revenue, capital) == expected


def test_unknown_band_is_an_error() -> None:
    with pytest.raises(KeyError):
        size_class("C", "0-10", "0-4", "0-3")


def test_unknown_band_names_itself() -> None:
    with pytest.raises(KeyError, match="unknown revenue band '0-4'"):
        size_class("C", "0-10", "0-4", "0-3")


def test_tax_code_error_says_its_reason() -> None:
    with pytest.raises(TaxCodeError) as err:
        normalise_tax_code("0000000000")
    assert str(err.value) == "check_digit"


# --- labels, in Vietnamese by default, in English on request ----------------------------------


def test_labels_in_both_languages() -> None:
    from sme_assess.refdata import provinces, sections, size_bands

    hanoi = provinces()[0]
    assert (hanoi.code, hanoi.label("vi"), hanoi.label("en"), hanoi.label("fr")) == (
        "01",
        "Hà Nội",
        "Hanoi",
        "Hà Nội",  # any other locale: Vietnamese
    )
    assert len(provinces()) == 34  # the provincial units since 1 July 2025
    a = sections()[0]
    assert (a.label("vi"), a.label("en")) == (
        "A — Nông nghiệp, lâm nghiệp và thủy sản",
        "A — Agriculture, forestry and fishing",
    )
    assert [s.code for s in sections()] == list("ABCDEFGHIJKLMNOPQRSTU")
    up_to_10 = size_bands("employees")[0]
    assert (up_to_10.id, up_to_10.upper, up_to_10.label("vi"), up_to_10.label("en")) == (
        "0-10",
        10,
        "Tối đa 10 người",
        "Up to 10 people",
    )
    assert [b.upper for b in size_bands("capital")] == [3, 20, 50, 100, None]


def test_data_files_are_read_fresh() -> None:
    """`_read` itself (the loaders cache what it returns)."""
    from sme_assess.refdata import _read

    assert _read("sizes.yaml")["source"] == "Nghị định 80/2021/NĐ-CP, Điều 5"


# --- a household's 12-digit personal id number --------------------------------------------------

# digits 1–3: "0" and the two-digit code of a province as before 1 July 2025 (01 Hà Nội … 96 Cà
# Mau; 03 was never used); digit 4: century and sex, 0–5; then six digits of birth year and
# serial, with no check digit
PERSONAL_IDS = [
    ("001099012345", None),
    ("079199012345", None),  # 79 Hồ Chí Minh City, century digit 1
    ("096599012345", None),  # 96 Cà Mau, century digit 5
    ("00109901234", "format"),  # 11 digits
    ("0010990123456", "format"),  # 13 digits
    ("00109901234a", "format"),
    ("٠٠١٠٩٩٠١٢٣٤٥", "format"),  # Arabic-Indic digits
    ("101099012345", "province"),  # must start with 0
    ("003099012345", "province"),  # no province 03
    ("097099012345", "province"),  # none above 96
    ("001699012345", "century"),
    ("001999012345", "century"),
]


@pytest.mark.parametrize(("raw", "problem"), PERSONAL_IDS)
def test_personal_id_structure(raw: str, problem: str | None) -> None:
    from sme_assess.refdata import personal_id_problem

    assert personal_id_problem(raw) == problem


def test_the_63_provinces_before_2025() -> None:
    from sme_assess.refdata import old_province_codes

    codes = old_province_codes()
    assert len(codes) == 63
    assert {"01", "79", "96"} <= codes
    assert not {"03", "97", "00"} & codes
