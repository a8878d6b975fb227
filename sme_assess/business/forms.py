"""Forms of the action plan (CSRF by Flask-WTF; our translated messages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField

# SelectChoice is new in WTForms 3.3; types-WTForms 3.2 does not know it yet
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, Optional

from ..models import ActionStatus

REQUIRED = _l("Please fill in this field.")
TITLE_LENGTH = _l("At most 300 characters.")
DATE = _l("Please enter a date (day, month, year).")
WHO_LENGTH = _l("At most 120 characters.")


class ActionForm(FlaskForm):
    title = StringField(validators=[DataRequired(REQUIRED), Length(max=300, message=TITLE_LENGTH)])
    who = StringField(validators=[Optional(), Length(max=120, message=WHO_LENGTH)])
    due = DateField(validators=[Optional()], format="%Y-%m-%d")
    platform_id = StringField(validators=[Optional(), Length(max=64)])


class ActionUpdateForm(FlaskForm):
    status = SelectField(
        choices=[SelectChoice(s.value, s.value) for s in ActionStatus], validators=[DataRequired()]
    )
    who = StringField(validators=[Optional(), Length(max=120, message=WHO_LENGTH)])
    due = DateField(validators=[Optional()], format="%Y-%m-%d")
