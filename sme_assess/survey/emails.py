"""The emails of the owner's journey: the resume link, and the results link on submission.

Sent with `sme_assess.mail.send_mail` in the owner's language. A failure never costs an
answer: the caller tells the owner the email could not be sent (and the link is on screen).
"""

from __future__ import annotations

import logging

from flask import render_template

from ..i18n import gettext as _
from ..mail import MailError, send_mail
from ..urls import external_url

log = logging.getLogger(__name__)


def send_resume_link(to: str, code: str, business_name: str) -> bool:
    """Email the resume code and link; True when handed to the mail backend."""
    link = external_url("survey.resume_link", code=code)
    body = render_template(
        "survey/email/resume.txt", code=code, link=link, business_name=business_name
    )
    return _send(to, _("Your resume code for the digital transformation assessment"), body)


def send_results_link(to: str, token: str, code: str | None, business_name: str) -> bool:
    """Email the permanent results link (and the resume code, which now leads there too)."""
    link = external_url("survey.results", token=token)
    pdf = external_url("reports.pdf", token=token)
    body = render_template(
        "survey/email/results.txt",
        link=link,
        pdf=pdf,
        code=code,
        business_name=business_name,
    )
    return _send(to, _("Your digital transformation assessment results"), body)


def _send(to: str, subject: str, body: str) -> bool:
    try:
        send_mail(to, subject, body)
    except MailError:
        log.warning("an owner email could not be sent")
        return False
    return True
