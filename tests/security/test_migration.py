"""Migration 0002 adds the profile snapshot to assessments and fills it for existing rows from
their business; downgrade removes it. Runs on the suite's database kind: a temporary SQLite
file, or a temporary schema on PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from sme_assess.migrate import downgrade, upgrade


@pytest.fixture()
def empty_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        engine = create_engine("sqlite:///" + str(tmp_path / "migration.sqlite3"))
        yield engine
        engine.dispose()
        return
    schema = "mig_" + secrets.token_hex(4)
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = create_engine(database_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def test_snapshot_columns_are_filled_from_the_business(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0001")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO business (id, public_id, name, tax_code, business_type, province_code,"
                " industry_section, industry_classification, employees_band, revenue_band,"
                " capital_band, size_class, email) VALUES (7, 'b7', 'Cửa hàng Cũ', '0100233488',"
                " 'enterprise', '01', 'C', 'VSIC-2018', '11-50', '3-50', '3-20', 'small',"
                " 'a@example.com')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessment (id, public_id, business_id, questionnaire_id,"
                " questionnaire_version, status, locale) VALUES"
                " (1, 'a1', 7, 'dbi-2021-sme', '1.0', 'submitted', 'vi')"
            )
        )
    upgrade(empty_engine, "0002")
    with empty_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT profile_name, profile_business_type, profile_tax_code,"
                " profile_province_code, profile_industry_section, profile_employees_band,"
                " profile_revenue_band, profile_capital_band, profile_size_class"
                " FROM assessment WHERE id = 1"
            )
        ).one()
    assert tuple(row) == (
        "Cửa hàng Cũ",
        "enterprise",
        "0100233488",
        "01",
        "C",
        "11-50",
        "3-50",
        "3-20",
        "small",
    )
    downgrade(empty_engine, "0001")
    columns = {c["name"] for c in inspect(empty_engine).get_columns("assessment")}
    assert not {c for c in columns if c.startswith("profile_")}
    upgrade(empty_engine, "0002")  # and up again
    columns = {c["name"] for c in inspect(empty_engine).get_columns("assessment")}
    assert "profile_size_class" in columns
