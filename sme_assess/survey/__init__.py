"""The owner's journey: landing, business profile, questionnaire pages, resume, results."""
