"""Input normalisation in one place: every piece of free text a person types goes through here
before it is validated or stored.

- text is put in Unicode NFC (Vietnamese typed as base letter + combining marks and as
  precomposed letters compares equal), runs of white space become one space, ends are trimmed;
- control characters, bidirectional controls (e.g. U+202E, which reorders text on /verify and
  in the PDF), zero-width and other invisible format characters, private-use, unassigned and
  surrogate code points are refused (`InputError("control")`);
- a name must contain at least one letter (`InputError("letter")`): a name of only invisible
  characters or symbols (braille blank, punctuation) is refused;
- digits are ASCII only: full-width digits are converted (NFKC), digits of other scripts
  (Arabic-Indic, Devanagari, …) are refused (`InputError("digits")`).

Pure functions (no Flask): the forms call them and turn `InputError.reason` into a translated
message.
"""

from __future__ import annotations

import re
import unicodedata

# categories refused anywhere in typed text: controls, format characters (bidi controls,
# zero-width characters, soft hyphen…), surrogates, private use, unassigned
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# white space that becomes a plain space: Unicode space separators, line/paragraph separators
# and the ordinary tab and line breaks (other control characters are refused, not tidied away)
_SPACE = re.compile(r"[\t\n\r\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


class InputError(ValueError):
    """Typed text that cannot be accepted; `reason` is one of control, letter, digits."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def tidy(raw: str | None) -> str:
    """NFC, white space collapsed to single spaces (tabs, newlines, non-breaking and other
    Unicode spaces included), trimmed. Never raises (a WTForms filter)."""
    if raw is None:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(raw))).strip()


def has_refused_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in text)


def clean_text(raw: str | None) -> str:
    """`tidy`, then refuse control, bidi-control and other invisible characters."""
    text = tidy(raw)
    if has_refused_characters(text):
        raise InputError("control")
    return text


def clean_name(raw: str | None) -> str:
    """A name (business, person): `clean_text` and at least one letter."""
    text = clean_text(raw)
    if text and not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise InputError("letter")
    return text


def ascii_digits(raw: str | None) -> str:
    """Text whose digits are ASCII: full-width forms are converted (NFKC); a digit of any other
    script is refused. Other characters are left as NFKC gives them (callers check formats)."""
    text = unicodedata.normalize("NFKC", raw or "")
    for ch in text:
        if not ch.isascii() and unicodedata.category(ch) == "Nd":
            raise InputError("digits")
    if has_refused_characters(text):
        raise InputError("control")
    return text
