"""The design card's layout: `templates/`, `translations/` and `questionnaires/` at the top of
the checkout, found both from the checkout and from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from sme_assess import paths

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_uses_the_top_level_folders() -> None:
    assert paths.TEMPLATES_DIR == ROOT / "templates"
    assert paths.TRANSLATIONS_DIR == ROOT / "translations"
    assert paths.QUESTIONNAIRES_DIR == ROOT / "questionnaires"
    assert (ROOT / "templates" / "base.html").is_file()
    assert not (ROOT / "sme_assess" / "templates").exists()
    assert not (ROOT / "sme_assess" / "translations").exists()


def test_unknown_resource_folder_is_refused() -> None:
    try:
        paths.resource_dir("../etc")
    except ValueError as exc:
        assert "../etc" in str(exc)
    else:  # pragma: no cover - the assertion is the test
        raise AssertionError("resource_dir accepted an unknown folder")


def test_installed_wheel_carries_and_finds_the_folders(tmp_path: Path) -> None:
    """Build the wheel as pip would, install it in a plain folder, and ask the installed
    package where its templates are."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("sme_assess-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sme_assess/_resources/templates/base.html" in names
    assert "sme_assess/_resources/questionnaires/dbi-2021-sme.yaml" in names
    assert "sme_assess/_resources/translations/vi/LC_MESSAGES/messages.mo" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from sme_assess import paths; print(paths.TEMPLATES_DIR); "
            "print(paths.QUESTIONNAIRES_DIR); print(paths.TRANSLATIONS_DIR)",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out == [
        str(target / "sme_assess" / "_resources" / "templates"),
        str(target / "sme_assess" / "_resources" / "questionnaires"),
        str(target / "sme_assess" / "_resources" / "translations"),
    ]
