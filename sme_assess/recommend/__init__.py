"""Scores + business profile + platform catalogue → a 12-month plan of needs.

Pure: no Flask, no database (the click commands live in `recommend.cli`, imported only by the
app's CLI). `load_catalog` validates ``sme_assess/data/platforms.yaml`` (its header comment
documents every key); `recommend` applies the fit, "already has it", order, phase and
alternatives rules documented in `recommend.engine`; `plan_to_dict` gives the JSON shape used by
the CLI.

Catalogue format (``platforms.yaml``), in short::

    version: "2026.12"
    note: {vi: …, en: …}
    programme_terms: [{date, text: {vi, en}, source}]      # dated facts, not per-platform offers
    activities: [{id, name, sections, implied}]            # e.g. ships_goods, lodging, pharmacy
    starter: {business_types, sizes, max_overall_level}    # who starts with `starter` categories
    default_relevance: 2
    relevance: [{criteria, fits?, relevance}]              # order of "what holds a pillar back"
    advanced: {criteria, needed_for: [fits]}               # "later, not needed at your size"
    needs: [{id, name}]                                    # groups of alternative categories
    categories:
      - id, name, description, pillars, criteria (primary first)
        need?, fits?, good_level?, requires?, effort?, core_for?, starter?, basic?, basic_for?,
        phase?, action?, use_more?
    platforms:
      - id, name, provider, category, description, pillars, criteria, sizes, industries,
        business_types, cost (free_public | free_trial {months, source, as_of} | paid | unknown),
        offer, website, source (external pages; null when none is known), verified, verified_on
"""

from .catalog import (
    BUSINESS_TYPES,
    COST_KINDS,
    INDUSTRY_SECTIONS,
    PHASES,
    PILLARS,
    SIZES,
    Activity,
    BasicFor,
    Catalog,
    CatalogError,
    CatalogProblem,
    Category,
    Cost,
    Fit,
    Platform,
    Profile,
    check_source,
    load_catalog,
    parse_catalog,
)
from .engine import (
    ALTERNATIVES_ORDER,
    MESSAGES,
    CriterionGap,
    Phase,
    PillarGain,
    Plan,
    Reason,
    Recommendation,
    TriggerAnswer,
    answer_text,
    cost_to_dict,
    plan_to_dict,
    recommend,
    render_reason,
)

__all__ = [
    "ALTERNATIVES_ORDER",
    "BUSINESS_TYPES",
    "COST_KINDS",
    "INDUSTRY_SECTIONS",
    "MESSAGES",
    "PHASES",
    "PILLARS",
    "SIZES",
    "Activity",
    "BasicFor",
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "Category",
    "Cost",
    "CriterionGap",
    "Fit",
    "Phase",
    "PillarGain",
    "Plan",
    "Platform",
    "Profile",
    "Reason",
    "Recommendation",
    "TriggerAnswer",
    "answer_text",
    "check_source",
    "cost_to_dict",
    "load_catalog",
    "parse_catalog",
    "plan_to_dict",
    "recommend",
    "render_reason",
]
