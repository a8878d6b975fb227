"""Scores + business profile + platform catalogue → ranked platforms and a 12-month plan.

Pure: no Flask, no database (the click commands live in `recommend.cli`, imported only by the
app's CLI). `load_catalog` validates ``sme_assess/data/platforms.yaml``; `recommend` applies the
gap, ranking and phasing rules documented in `recommend.engine`; `plan_to_dict` gives the JSON
shape used by the CLI and the API.

Catalogue format (``platforms.yaml``)::

    version: "2026.11"
    note: {vi: …, en: …}                      # optional
    categories:
      - id: e_invoice                          # [a-z0-9][a-z0-9_-]*, unique
        name: {vi: …, en: …}
        description: {vi: …, en: …}
        pillars: [infrastructure, operations]  # pillar ids of the questionnaires
        criteria: [c3_2_3]                     # criterion ids (checked against the questionnaires)
        basic: true                            # optional, default false
        basic_for: {business_types: [...], sizes: [...]}   # optional, only when basic
        phase: "6-12"                          # optional earliest plan phase (0-3, 3-6, 6-12)
    platforms:
      - id: vnpt-invoice                       # unique
        name: "VNPT Invoice"
        provider: "…"
        category: e_invoice                    # a category id
        description: {vi: …, en: …}
        pillars: [infrastructure, operations]
        criteria: [c3_2_3]                     # may be empty: the category's criteria apply
        sizes: [micro, small, medium]          # among micro, small, medium, large
        industries: all                        # or a list of VSIC 2018 section letters A–U
        business_types: [enterprise, cooperative, household]
        free_months: 6                         # 0..12
        offer: {vi: …, en: …}
        website: "https://…"
        source: "…"
        verified: false
        verified_on: null                      # YYYY-MM-DD, required iff verified
"""

from .catalog import (
    BUSINESS_TYPES,
    INDUSTRY_SECTIONS,
    PHASES,
    PILLARS,
    SIZES,
    BasicFor,
    Catalog,
    CatalogError,
    CatalogProblem,
    Category,
    Platform,
    Profile,
    load_catalog,
    parse_catalog,
)
from .engine import (
    MESSAGES,
    CriterionGap,
    Gap,
    Phase,
    PillarGain,
    Plan,
    Reason,
    Recommendation,
    TriggerAnswer,
    answer_text,
    pillar_level,
    plan_to_dict,
    recommend,
    render_reason,
)

__all__ = [
    "BUSINESS_TYPES",
    "INDUSTRY_SECTIONS",
    "MESSAGES",
    "PHASES",
    "PILLARS",
    "SIZES",
    "BasicFor",
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "Category",
    "CriterionGap",
    "Gap",
    "Phase",
    "PillarGain",
    "Plan",
    "Platform",
    "Profile",
    "Reason",
    "Recommendation",
    "TriggerAnswer",
    "answer_text",
    "load_catalog",
    "parse_catalog",
    "pillar_level",
    "plan_to_dict",
    "recommend",
    "render_reason",
]
