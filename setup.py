"""Build hook: an installed wheel carries the top-level `templates/`, `translations/` and
`questionnaires/` folders as `sme_assess/_resources/<folder>` (found by `sme_assess.paths`).
An editable install needs no copy: it reads the checkout's folders. Metadata is in
pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
FOLDERS = ("templates", "translations", "questionnaires")


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "sme_assess" / "_resources"
        for name in FOLDERS:
            shutil.copytree(
                ROOT / name,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        compile_catalogs(target / "translations")


def compile_catalogs(folder: Path) -> None:
    """messages.po -> messages.mo beside it (the checkout ignores compiled catalogs)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in folder.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


setup(cmdclass={"build_py": BuildPyWithResources})
