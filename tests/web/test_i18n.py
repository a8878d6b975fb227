"""Every user-facing string goes through Babel and has a Vietnamese translation; every page
renders in Vietnamese and in English without an untranslated UI string."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
# the same map as babel.cfg (emails are .txt templates)
METHOD_MAP = [
    ("sme_assess/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]


def _catalog() -> Any:
    with PO.open(encoding="utf-8") as f:
        return read_po(f, locale="vi")


def _extracted() -> set[str]:
    ids: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_every_string_in_the_code_has_a_vietnamese_translation() -> None:
    catalog = _catalog()
    missing = []
    for msgid in sorted(_extracted()):
        m = catalog.get(msgid)
        text = m.string if m else None
        if isinstance(text, tuple):
            text = text[0]
        if not m or not text or m.fuzzy:
            missing.append(msgid)
    assert not missing, f"untranslated for vi (run scripts/i18n.sh and translate): {missing}"


def test_the_catalogue_holds_only_strings_in_use_each_once() -> None:
    """No obsolete entries (`#~`, which GNU msgfmt refuses when they repeat a live msgid) and
    no entry for a string the code no longer has."""
    catalog = _catalog()
    assert not catalog.obsolete, (
        f"obsolete entries (scripts/i18n.sh drops them): {list(catalog.obsolete)}"
    )
    in_use = _extracted()
    stale = sorted(
        m.id
        for m in catalog
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in in_use
    )
    assert not stale, f"entries for strings no longer in the code: {stale}"


# Vietnamese entries that are the English word on purpose (in use as such in Vietnamese).
SAME_IN_BOTH = {
    "Email": "Vietnamese says “email” (also “thư điện tử”, which reads as dated on a form)",
}


def test_no_vietnamese_entry_is_left_as_the_english_text() -> None:
    same = []
    for m in _catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        identical = any(s and s.strip() == i.strip() for s, i in zip(strings, ids, strict=False))
        if identical and ids[0] not in SAME_IN_BOTH:
            same.append(ids[0])
    assert not same, f"Vietnamese identical to the English msgid (translate, or list why): {same}"


def test_translations_keep_their_placeholders() -> None:
    ph = re.compile(r"%\([a-z_]+\)[sd]")
    for m in _catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(ph.findall(ids[-1]))
        for s in strings:
            if s:  # untranslated entries are the other test's business
                assert set(ph.findall(s)) == want, m.id


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _word_in(phrase: str, text: str) -> bool:
    """`phrase` in `text` as whole words ("Micro" is not in "Microsoft")."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _vietnamese_content() -> str:
    """The Vietnamese texts of the questionnaire and the platform catalogue: names such as
    "Big Data" or "Sendo" belong there, so a msgid found in them proves no leak on a page."""
    import yaml

    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "vi" or (key in ("name", "provider") and isinstance(value, str)):
                    texts.append(str(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (
        ROOT / "questionnaires" / "dbi-2021-sme.yaml",
        ROOT / "sme_assess/data/platforms.yaml",
    ):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return "\n".join(texts)


def _english_only_msgids() -> list[str]:
    """msgids whose Vietnamese differs (so finding them on a vi page means a leak), except
    words the Vietnamese content itself uses."""
    content = _vietnamese_content()
    return [m for m in _msgids_translated_differently() if not _word_in(m, content)]


def _msgids_translated_differently() -> list[str]:
    out = []
    for m in _catalog():
        if not m.id or isinstance(m.id, tuple) or "%(" in m.id:
            continue
        if m.string and m.string != m.id and len(m.id) >= 4:
            out.append(m.id)
    return out


# pages that must answer 404 (their "not found" pages are translated too)
NOT_FOUND = ("/no-such-page", "/verify/XXXX-XXXX-XXXX")


@pytest.fixture()
def pages(client: Any, start_draft: Any, answer_all: Any, questionnaire: Any) -> list[str]:
    """Every page of the owner's journey, each in the state where a person sees it: the draft
    pages of an answered draft that is not submitted, the results of another one that is."""
    from sme_assess.questionnaire.pages import all_pages

    done, _ = start_draft()
    answer_all(done)
    token = csrf_token(client, f"/a/{done}/check")
    results = client.post(f"/a/{done}/submit", data={"csrf_token": token}).location.split("?")[0]
    pid, _ = start_draft()
    answer_all(pid)
    paths = [
        "/",
        "/resume",
        "/start",
        f"/a/{pid}/saved",
        f"/a/{pid}/profile",
        "/verify",
        *NOT_FOUND,
    ]
    for page in all_pages(questionnaire):
        paths.append(f"/a/{pid}/step/{page.step}" + (f"/{page.part}" if page.part > 1 else ""))
    paths += [f"/a/{pid}/check", results]
    code = re.search(
        r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b",
        client.get(results).get_data(as_text=True),
    )
    assert code, "no verification code on the results page"
    paths.append(f"/verify/{code.group(0)}")
    return paths


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_page_renders_in_both_languages(client: Any, pages: list[str], locale: str) -> None:
    leaks = []
    english = _english_only_msgids()
    for path in pages:
        resp = client.get(f"{path}?lang={locale}")
        assert resp.status_code == (404 if path in NOT_FOUND else 200), (path, resp.status_code)
        html = resp.get_data(as_text=True)
        assert f'<html lang="{locale}">' in html, path
        if locale == "vi":
            text = _visible_text(html)
            leaks += [(path, msgid) for msgid in english if _word_in(msgid, text)]
    assert not leaks, f"English UI text on Vietnamese pages: {leaks[:10]}"


def test_english_pages_use_english_questionnaire_text(
    client: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    page = client.get(f"/a/{pid}/step/1?lang=en").get_data(as_text=True)
    q = questionnaire.pillars[0].questions[0]
    assert unescape(q.text.get("en")) in unescape(page)
    assert unescape(q.text.get("vi")) not in unescape(page)


def test_the_kept_catalogue_follows_force_locale_and_each_request(app: Any) -> None:
    """`i18n.translations()` keeps the catalogue beside its locale: a message changes language
    inside `force_locale` (emails, PDFs) and back after it, and each request gets its own."""
    from flask_babel import force_locale

    from sme_assess.i18n import gettext

    with app.test_request_context("/?lang=vi"):
        assert gettext("Results") == "Kết quả"
        with force_locale("en"):
            assert gettext("Results") == "Results"
        assert gettext("Results") == "Kết quả"
        assert gettext("Part %(step)s of %(steps)s", step=2, steps=6) == "Phần 2/6"
    with app.test_request_context("/?lang=en"):
        assert gettext("Results") == "Results"
        assert app.jinja_env.from_string("{{ _('Results') }}").render() == "Results"
    with app.test_request_context("/?lang=vi"):
        assert app.jinja_env.from_string("{{ _('Results') }}").render() == "Kết quả"
