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
from flask_babel import gettext
from markupsafe import Markup, escape

from ..questionnaire import Question

_CACHE: dict[tuple[int, str, str], tuple[Question, str]] = {}


def _macro() -> Any:
    return get_template_attribute("macros/questions.html", "question")


def question_html(q: Question, locale: str, value: Any, errors: list[Any]) -> Markup:
    if errors or q.type == "number":
        return Markup(_macro()(q, value, errors, locale, gettext("Yes"), gettext("No")))
    key = (id(q), q.id, locale)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not q:
        html = str(_macro()(q, None, [], locale, gettext("Yes"), gettext("No")))
        _CACHE[key] = hit = (q, html)
    html = hit[1]
    if value is None or value == "" or value == []:
        return Markup(html)
    for v in value if isinstance(value, list) else (value,):
        needle = f'name="{q.id}" value="{escape(str(v))}"'
        html = html.replace(needle, needle + " checked", 1)
    return Markup(html)


def component_html(
    component: Any, locale: str, values: dict[str, Any], errors: dict[str, list[Any]]
) -> Markup:
    """All questions of a component, in file order (one call from the template per component)."""
    return Markup("").join(
        question_html(q, locale, values.get(q.id), errors.get(q.id, []))
        for c in component.criteria
        for q in c.questions
    )
