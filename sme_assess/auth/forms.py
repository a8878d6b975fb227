"""Sign-in, sign-up and claim forms (CSRF by Flask-WTF; messages are our translated strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .passwords import MIN_LENGTH

REQUIRED = _l("Please fill in this field.")
EMAIL = _l("Please enter a valid email address.")
PASSWORD_LENGTH = _l("The password must be at least %(n)s characters long.", n=MIN_LENGTH)
PASSWORD_MATCH = _l("The two passwords are not the same.")
LOGIN_FAILED = _l("Email or password is not correct, or the account is not active.")
EMAIL_TAKEN = _l("An account with this email exists already. Please sign in.")
CONSENT_REQUIRED = _l("Please tick the box to confirm that you agree to share.")
SHARE_CODE_UNKNOWN = _l("No advisor has this code. Check the code and try again.")
CLAIM_NOT_FOUND = _l("No assessment matches this code. Check the code and try again.")


class LoginForm(FlaskForm):
    email = EmailField(validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(validators=[DataRequired(REQUIRED), Length(max=1000)])


class RegisterForm(FlaskForm):
    email = EmailField(
        validators=[
            DataRequired(REQUIRED),
            Email(EMAIL, check_deliverability=False),
            Length(max=254),
        ]
    )
    password = PasswordField(
        validators=[DataRequired(REQUIRED), Length(MIN_LENGTH, 1000, PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        validators=[DataRequired(REQUIRED), EqualTo("password", PASSWORD_MATCH)]
    )


class ClaimForm(FlaskForm):
    code = StringField(validators=[DataRequired(REQUIRED), Length(max=64)])


class ShareForm(FlaskForm):
    code = StringField(validators=[DataRequired(REQUIRED), Length(max=32)])
    consent = BooleanField(validators=[DataRequired(CONSENT_REQUIRED)])
