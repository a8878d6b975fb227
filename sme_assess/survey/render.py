"""Fast rendering of question inputs.

A question's markup depends only on the question, the locale, the saved answer and its errors.
The markup without answer and errors is rendered once per (questionnaire, question, locale) by
the Jinja macro and cached; the saved answer is then marked by adding ` checked` to the matching
inputs. This keeps the largest page cheap (the macro per option dominated the page's cost), and
the macro stays the single source of the markup (answers with errors, and numbers, are rendered
by the macro directly).
"""

from __future__ import annotations

from typing import Any

from flask import get_template_attribute
from markupsafe import Markup, escape

from ..i18n import gettext
from ..questionnaire import Question

_CACHE: dict[tuple[int, str, str], tuple[Question, str]] = {}


def _macro() -> Any:
    return get_template_attribute("macros/questions.html", "question")


def question_html(q: Question, locale: str, value: Any, errors: list[Any]) -> str:
    """A question's markup (safe HTML, as a plain string: callers wrap it once)."""
    if errors or q.type == "number":
        return str(_macro()(q, value, errors, locale, gettext("Yes"), gettext("No")))
    key = (id(q), q.id, locale)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not q:
        html = str(_macro()(q, None, [], locale, gettext("Yes"), gettext("No")))
        _CACHE[key] = hit = (q, html)
    html = hit[1]
    if value is None or value == "" or value == []:
        return html
    for v in value if isinstance(value, list) else (value,):
        needle = f'name="{q.id}" value="{escape(str(v))}"'
        html = html.replace(needle, needle + " checked", 1)
    return html


def component_html(
    component: Any, locale: str, values: dict[str, Any], errors: dict[str, list[Any]]
) -> Markup:
    """All questions of a component or page (anything with `criteria`), in file order."""
    get_value, get_errors = values.get, errors.get
    return Markup(
        "".join(
            question_html(q, locale, get_value(q.id), get_errors(q.id, []))
            for c in component.criteria
            for q in c.questions
        )
    )


# --- whole question pages ----------------------------------------------------------------------
# A question page is the same for every owner but for the answers (question markup, above), the
# CSRF token and the language links. Its shell is rendered once per (questionnaire, page,
# locale) with markers in those places, and each request fills them in. Only the plain GET uses
# this; a refused post (with error messages) is rendered by the template as usual.

_CSRF = "\x00csrf\x00"
_PROGRESS = "\x00progress\x00"
_PAGES: dict[tuple[int, str, int, str], tuple[Any, str]] = {}


def _lang_marker(code: str) -> str:
    return f"\x00lang-{code}\x00"


def _comp_marker(component: Any, *_args: Any) -> Markup:
    return Markup(f"\x00comp-{component.id}\x00")


def step_page(
    questionnaire: Any, page: Any, locale: str, values: dict[str, Any], **context: Any
) -> str:
    """The HTML of question page `page` showing `values` (see the comment above).

    `context["progress_text"]` (it depends on the answers) is filled in per request."""
    from flask import current_app, render_template

    from ..i18n import SUPPORTED
    from ..security import csrf_token

    lang_url: Any = current_app.jinja_env.globals["lang_url"]
    progress_text = context.pop("progress_text")
    if current_app.debug:  # templates may change under the debugger: no shell cache
        return render_template(
            "survey/step.html",
            questionnaire=questionnaire,
            page=page,
            pillar=page.pillar,
            locale=locale,
            values=values,
            errors={},
            form=None,
            component_html=component_html,
            progress_text=progress_text,
            **context,
        )
    key = (id(questionnaire), page.pillar.id, page.part, locale)
    hit = _PAGES.get(key)
    if hit is None or hit[0] is not questionnaire:
        shell = render_template(
            "survey/step.html",
            questionnaire=questionnaire,
            page=page,
            pillar=page.pillar,
            locale=locale,
            values={},
            errors={},
            form=None,
            component_html=_comp_marker,
            csrf_token=lambda: _CSRF,
            lang_url=_lang_marker,
            progress_text=_PROGRESS,
            **context,
        )
        _PAGES[key] = hit = (questionnaire, shell)
    html: str = hit[1].replace(_CSRF, csrf_token())
    html = html.replace(_PROGRESS, str(escape(progress_text)))
    for code in SUPPORTED:
        html = html.replace(_lang_marker(code), str(escape(lang_url(code))))
    return html.replace(f"\x00comp-{page.id}\x00", str(component_html(page, locale, values, {})))
