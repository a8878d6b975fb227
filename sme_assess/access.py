"""Who may see or change what — one place for every ownership check.

Owners answer without an account: holding a draft's resume code (or having opened the draft in
this browser session) grants access to that draft; holding a results link grants read access to
that one submitted assessment. Later roles (advisor by consent share, ministry aggregates only)
extend these predicates, not the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .lookups import DraftRef
from .models import Assessment

SESSION_KEY = "drafts"


def drafts_in_session(sess: Mapping[str, Any]) -> dict[str, str]:
    """public id → resume code of the drafts this browser session has opened."""
    value = sess.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


def can_edit_draft(sess: Mapping[str, Any], assessment: Assessment | DraftRef) -> bool:
    return assessment.public_id in drafts_in_session(sess)


def grant_draft(sess: Any, assessment: Assessment, code: str) -> None:
    drafts = drafts_in_session(sess)
    drafts[assessment.public_id] = code
    # keep the cookie small: the ten most recent drafts
    sess[SESSION_KEY] = dict(list(drafts.items())[-10:])
    sess.permanent = True


def revoke_draft(sess: Any, assessment: Assessment) -> None:
    drafts = drafts_in_session(sess)
    drafts.pop(assessment.public_id, None)
    sess[SESSION_KEY] = drafts
