"""Forms: the business profile, and one form class per questionnaire page built from data.

WTForms validates and checks CSRF; inputs are rendered by Jinja macros
(`templates/macros/questions.html`), not by WTForms widgets (measured much slower per option).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms 3.2 does not know it yet
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..i18n import current_locale
from ..normalise import InputError, ascii_digits, clean_name, tidy
from ..questionnaire import Pillar, Question, Questionnaire
from ..refdata import (
    TaxCodeError,
    normalise_tax_code,
    personal_id_problem,
    provinces,
    sections,
    size_bands,
)
from . import messages as M

BUSINESS_TYPES = ("enterprise", "cooperative", "household")
#: The activities an owner may declare: ids of the recommendation catalogue's `activities`
#: (sme_assess/data/platforms.yaml). The engine adds those a VSIC section implies itself.
ACTIVITIES = ("lodging", "pharmacy", "food_service", "ships_goods")


def input_message(exc: InputError) -> str:
    """The translated message for text refused by `sme_assess.normalise`."""
    return str(
        {"control": M.TEXT_CONTROL, "letter": M.NAME_LETTER, "digits": M.DIGITS_ASCII}[exc.reason]
    )


def _tax_code(form: ProfileForm, field: Field) -> None:
    try:
        raw = ascii_digits(field.data or "").strip()
    except InputError as exc:
        raise ValidationError(input_message(exc)) from exc
    if not raw:
        if form.business_type.data in ("enterprise", "cooperative"):
            raise ValidationError(str(M.TAX_REQUIRED))
        field.data = None
        return
    compact = raw.replace(" ", "")
    if form.business_type.data == "household" and re.fullmatch(r"[0-9]{12}", compact):
        # a household may give the owner's 12-digit personal id: checked by its structure
        problem = personal_id_problem(compact)
        if problem is not None:
            raise ValidationError(str(M.PERSONAL_ID[problem]))
        field.data = compact
        return
    try:
        field.data = normalise_tax_code(raw)
    except TaxCodeError as exc:
        msg = {"format": M.TAX_FORMAT, "check_digit": M.TAX_CHECK_DIGIT, "branch": M.TAX_BRANCH}
        raise ValidationError(str(msg[exc.reason])) from exc


class ProfileForm(FlaskForm):
    name = StringField(
        filters=[tidy], validators=[DataRequired(M.REQUIRED), Length(2, 200, M.NAME_LENGTH)]
    )
    business_type = RadioField(
        # plain values: the template writes each type's label itself
        choices=list(BUSINESS_TYPES),  # type: ignore[arg-type]
        validators=[DataRequired(M.REQUIRED_CHOICE)],
    )
    tax_code = StringField(validators=[Length(max=20)])  # rules in validate_tax_code
    province = SelectField(validators=[DataRequired(M.REQUIRED_CHOICE)])
    industry = SelectField(validators=[DataRequired(M.REQUIRED_CHOICE)])
    employees = RadioField(validators=[DataRequired(M.REQUIRED_CHOICE)])
    revenue = RadioField(validators=[DataRequired(M.REQUIRED_CHOICE)])
    capital = RadioField(validators=[DataRequired(M.REQUIRED_CHOICE)])
    email = EmailField(
        validators=[Optional(), Email(M.EMAIL, check_deliverability=False), Length(max=254)]
    )
    activities = SelectMultipleField(choices=list(ACTIVITIES))  # type: ignore[arg-type]

    def __init__(self, *args: Any, locale: str = "vi", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province.choices = [SelectChoice(p.code, p.label(locale)) for p in provinces()]
        self.industry.choices = [SelectChoice(s.code, s.label(locale)) for s in sections()]
        for field, kind in (
            (self.employees, "employees"),
            (self.revenue, "revenue"),
            (self.capital, "capital"),
        ):
            field.choices = [SelectChoice(b.id, b.label(locale)) for b in size_bands(kind)]
        for f in (
            self.business_type,
            self.province,
            self.industry,
            self.employees,
            self.revenue,
            self.capital,
        ):
            f.pre_validate = _choice_check(f)  # type: ignore[method-assign, assignment]
        self.activities.pre_validate = _choices_check(  # type: ignore[method-assign, assignment]
            self.activities
        )

    def validate_tax_code(self, field: Field) -> None:
        _tax_code(self, field)

    def validate_name(self, field: Field) -> None:
        try:
            field.data = clean_name(field.data)
        except InputError as exc:
            raise ValidationError(input_message(exc)) from exc


def _choice_check(field: Any) -> Callable[[Any], None]:
    """A pre-validation that accepts only the field's own choices (a radio or select field)."""

    def check(form: Any) -> None:
        if field.data not in {c if isinstance(c, str) else c.value for c in field.choices}:
            raise ValidationError(str(M.INVALID_CHOICE))

    return check


def _choices_check(field: Any) -> Callable[[Any], None]:
    """A pre-validation that accepts only the field's own choices, each at most once (a
    multiple-choice field; none is fine)."""

    def check(form: Any) -> None:
        values = list(field.data or [])
        if len(set(values)) != len(values) or any(v not in field.choices for v in values):
            raise ValidationError(str(M.INVALID_CHOICE))

    return check


# --- questionnaire pages -----------------------------------------------------------------------


class Tampered(Exception):
    """The POST could not have come from our page (unknown field, unknown option id)."""


class PageForm(FlaskForm):
    """Base of the generated page forms. `questions` maps field name → Question.

    The CSRF token of every POST is checked once, before any view runs, by Flask-WTF's
    `CSRFProtect` (security.py); the page form does not check it a second time (nor mint a new
    token for a field that is never rendered).
    """

    class Meta:
        csrf = False

    questions: dict[str, Question] = {}


class NumberField(DecimalField):
    """A decimal number whose "not a number" message is ours (translated), not WTForms'."""

    #: numbers of this many digits before the point or more are refused (no question asks for
    #: one; 1e999999 would otherwise become a million-digit integer)
    DIGITS = 16

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            try:
                valuelist = [ascii_digits(str(valuelist[0])).strip(), *valuelist[1:]]
            except InputError as exc:
                raise ValueError(input_message(exc)) from exc
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(M.NUMBER)) from exc
        if self.data is not None:
            if not self.data.is_finite():  # NaN, sNaN, Infinity
                self.data = None
                raise ValueError(str(M.NUMBER))
            if self.data.adjusted() >= self.DIGITS:  # no arithmetic: 1e999999999 overflows
                self.data = None
                raise ValueError(str(M.NUMBER_NO_BAND))


def _number_field(q: Question) -> Field:
    rng = []
    if q.minimum is not None or q.maximum is not None:
        rng.append(
            NumberRange(
                min=Decimal(str(float(q.minimum))) if q.minimum is not None else None,
                max=Decimal(str(float(q.maximum))) if q.maximum is not None else None,
                message=M.NUMBER_RANGE,
            )
        )
    return NumberField(validators=[Optional(), *rng], places=None)


_PAGE_FORMS: dict[tuple[int, str], tuple[Questionnaire, type[PageForm]]] = {}


def page_form_class(questionnaire: Questionnaire, pillar_id: str) -> type[PageForm]:
    """The form class of a pillar's page, built once per questionnaire object and pillar.

    WTForms checks the CSRF token and validates number answers (range, decimal). Choice
    answers are not WTForms fields: every posted key and option id is checked against the
    questionnaire first (`check_tampering`; an unknown one is a tampered post → 400), which is
    all there is to validate about them, and a field per question would only carry the value
    (at a cost of several milliseconds per page; see docs/decisions/0004).
    """
    hit = _PAGE_FORMS.get((id(questionnaire), pillar_id))
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    pillar = questionnaire.pillar(pillar_id)
    assert pillar is not None
    attrs: dict[str, Any] = {"questions": {q.id: q for q in pillar.questions}}
    for q in pillar.questions:
        if q.type == "number":
            attrs[q.id] = _number_field(q)
    cls = type(f"Page_{pillar_id}", (PageForm,), attrs)
    _PAGE_FORMS[(id(questionnaire), pillar_id)] = (questionnaire, cls)
    return cls


ALLOWED_EXTRA = {"csrf_token", "action", "touched"}


def check_tampering(form_data: Any, pillar: Pillar) -> None:
    """Refuse posts naming questions that are not on this page or options that do not exist."""
    questions = {q.id: q for q in pillar.questions}
    for key in form_data:
        if key in ALLOWED_EXTRA:
            continue
        q = questions.get(key)
        if q is None:
            raise Tampered(f"unknown field {key!r}")
        values = form_data.getlist(key)
        if q.type in ("yes_no", "single", "number") and len(values) > 1:
            raise Tampered(f"several values for {key!r}")
        if q.type == "yes_no" and values[0] not in ("yes", "no"):
            raise Tampered(f"bad value for {key!r}")
        if q.type in ("single", "multiple"):
            for v in values:
                if q.option(v) is None:
                    raise Tampered(f"unknown option for {key!r}")


def answers_from_form(form: PageForm, formdata: Any) -> tuple[dict[str, Any], set[str]]:
    """(values to save, question ids to clear) from a validated page post.

    A radio question not sent keeps its saved answer (radios cannot be unselected); a
    multiple-choice question sent with nothing ticked, or a number field left empty, is cleared.
    Choice values come from `formdata` (checked by `check_tampering`), numbers from the form.
    """
    values: dict[str, Any] = {}
    cleared: set[str] = set()
    for qid, q in form.questions.items():
        if q.type in ("yes_no", "single"):
            v = formdata.get(qid)
            if v:
                values[qid] = v
        elif q.type == "multiple":
            chosen = formdata.getlist(qid)
            if chosen:
                values[qid] = list(chosen)
            else:
                cleared.add(qid)
        else:
            d = form[qid].data
            if d is None:
                cleared.add(qid)
            else:
                values[qid] = int(d) if d == d.to_integral_value() else float(d)
    return values, cleared


def page_errors(form: PageForm, formdata: Any) -> dict[str, list[str]]:
    """Messages per question id: WTForms' (numbers) plus what WTForms cannot express —
    an exclusive option combined with others, a number that falls in no band."""
    from fractions import Fraction

    errors: dict[str, list[str]] = {
        k: [str(m) for m in v] for k, v in form.errors.items() if k != "csrf_token"
    }
    for qid, q in form.questions.items():
        if q.type == "multiple":
            chosen = formdata.getlist(qid)
            if len(chosen) > 1:
                for oid in chosen:
                    opt = q.option(oid)
                    if opt is not None and opt.exclusive:
                        errors.setdefault(qid, []).append(
                            str(M.EXCLUSIVE % {"option": opt.text.get(current_locale())})
                        )
        elif q.type == "number" and form[qid].data is not None and not errors.get(qid):
            v = Fraction(str(form[qid].data))
            if not any(b.low <= v <= b.high for b in q.bands):
                errors.setdefault(qid, []).append(str(M.NUMBER_NO_BAND))
    return errors
