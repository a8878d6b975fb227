"""Where the project's top-level resource folders are.

`templates/`, `translations/` and `questionnaires/` live at the top of the checkout beside
`sme_assess/` (the design card's layout). An installed wheel carries copies under
`sme_assess/_resources/` (see `setup.py`), and that copy wins when it exists; a checkout or an
editable install has none and uses the top-level folders. Pure: no Flask.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_resources"

#: the top-level folders an installed package carries with it
RESOURCE_FOLDERS = ("templates", "translations", "questionnaires")


def resource_dir(name: str) -> Path:
    """The folder `name` (one of `RESOURCE_FOLDERS`): the installed copy if there is one, else
    the checkout's top-level folder. Raises `ValueError` for any other name."""
    if name not in RESOURCE_FOLDERS:
        raise ValueError(f"not a resource folder: {name!r}")
    bundled = BUNDLED_DIR / name
    if bundled.is_dir():
        return bundled
    return CHECKOUT_DIR / name


TEMPLATES_DIR = resource_dir("templates")
TRANSLATIONS_DIR = resource_dir("translations")
QUESTIONNAIRES_DIR = resource_dir("questionnaires")
