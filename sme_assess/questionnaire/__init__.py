"""Questionnaire files: load, validate, freeze (no Flask, no database)."""

from .loader import QuestionnaireError, load_directory, load_questionnaire, parse_questionnaire
from .model import (
    DEFAULT_LOCALE,
    LOCALES,
    AnswerValue,
    Criterion,
    LocalText,
    Option,
    Pillar,
    Question,
    Questionnaire,
    visible_question_ids,
)

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "AnswerValue",
    "Criterion",
    "LocalText",
    "Option",
    "Pillar",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "load_directory",
    "load_questionnaire",
    "parse_questionnaire",
    "visible_question_ids",
]
