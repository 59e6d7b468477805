"""The store remembers the unit groups of the county profile it was ingested with, and the
通报 made from the store (``zsa briefing --db … --docx …``) ranks units within them."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import duckdb
import pytest

from zsanalytics.briefing.docx import tongbao_from_store
from zsanalytics.cli import main
from zsanalytics.datasets import write_demo_folder
from zsanalytics.errors import ZsAnalyticsError
from zsanalytics.store import ingest, open_store

# A county whose 商务局 runs the park and whose 双河乡 is reported apart: groups the names
# alone would never give (县商务局 → 县直单位, 双河乡 → 乡镇（街道）)
PROFILE = """
[[units]]
name = "县商务局"
group = "园区"

[[units]]
name = "双河乡"
group = "其他"

[[units]]
name = "城东街道"
group = "街道"
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    files = write_demo_folder(tmp_path_factory.mktemp("county") / "files")
    (files / "zsa.toml").write_text(PROFILE, encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def db(folder, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "county.duckdb"
    ingest(folder, db=path)
    return path


def _groups_of(document) -> dict[str, set[str]]:
    """The level-2 heading over each ranking table → the units in the table."""
    headings = [p.text for p in document.paragraphs if p.style.name == "通报二级标题"]
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "排名"]
    return {h.split("）", 1)[1]: {r.cells[1].text for r in t.rows[1:-1]}
            for h, t in zip(headings, tables, strict=False)}


def test_the_store_keeps_the_profiles_groups(db):
    with open_store(db) as store:
        assert store.groups == {"县商务局": "园区", "双河乡": "其他", "城东街道": "街道"}
        tongbao = tongbao_from_store(store, as_of="2024-06")
    assert "县商务局" in set(tongbao.rankings["园区"]["单位"])
    assert set(tongbao.rankings["其他单位"]["单位"]) == {"双河乡"}
    # units the profile does not name are grouped by their names
    assert "县发改局" in set(tongbao.rankings["县直单位"]["单位"])


def test_cli_db_docx_ranks_within_the_profiles_groups(db, tmp_path, monkeypatch, capsys):
    import zsanalytics.briefing.images as images

    def no_browser(*args, **kwargs):
        raise ZsAnalyticsError("no Chromium")

    monkeypatch.setattr(images, "write_images", no_browser)
    out = tmp_path / "通报.docx"
    assert main(["briefing", "--db", str(db), "--as-of", "2024-06", "-o",
                 str(tmp_path / "b.html"), "--docx", str(out), "-q"]) == 0
    groups = _groups_of(docx.Document(str(out)))
    assert list(groups) == ["乡镇（街道）", "县直单位", "园区", "其他单位"]
    assert groups["园区"] == {"经济开发区", "高新产业园", "县商务局"}
    assert groups["县直单位"] == {"县发改局", "县工信局", "县农业农村局"}
    assert groups["其他单位"] == {"双河乡"}
    assert "城东街道" in groups["乡镇（街道）"]


def test_a_folder_without_a_profile_keeps_the_groups_and_an_older_store_has_none(
        folder, db, tmp_path):
    # ingesting a folder without zsa.toml into the same store forgets nothing
    copy = tmp_path / "db.duckdb"
    shutil.copy2(db, copy)
    bare = tmp_path / "bare"
    shutil.copytree(folder, bare)
    (bare / "zsa.toml").unlink()
    ingest(bare, db=copy)
    with open_store(copy) as store:
        assert store.groups == {"县商务局": "园区", "双河乡": "其他", "城东街道": "街道"}
    # a store written before groups were kept (no such meta row) opens and groups by names
    con = duckdb.connect(str(copy))
    con.execute("DELETE FROM meta WHERE key = 'unit_groups'")
    con.close()
    with open_store(copy) as store:
        assert store.groups is None
        tongbao = tongbao_from_store(store, as_of="2024-06")
    # the report rows still carry the group the reader gave each unit (reported.group, from
    # the profile it read them with), so the 通报 ranks as the profile says
    assert list(tongbao.rankings) == ["乡镇（街道）", "县直单位", "园区", "其他单位"]
    assert "县商务局" in set(tongbao.rankings["园区"]["单位"])
    assert set(tongbao.rankings["其他单位"]["单位"]) == {"双河乡"}
    # and without those either (a store of canonical tables), units are grouped by name
    con = duckdb.connect(str(copy))
    con.execute('UPDATE reported SET "group" = NULL')
    con.close()
    with open_store(copy) as store:
        tongbao = tongbao_from_store(store, as_of="2024-06")
    assert list(tongbao.rankings) == ["乡镇（街道）", "县直单位", "园区"]
    assert "县商务局" in set(tongbao.rankings["县直单位"]["单位"])


def test_report_sections_group_units_the_profile_does_not_name(db, tmp_path):
    """Monthly reports that print their units under 一、乡镇 / 二、县直部门 / 三、园区 headings
    carry the group on each row (reported.group). Here two units are put under headings by hand
    in a copy of the store: 城关镇 under 三、园区（开发区） (which its name would never give) and
    县商务局 under 一、乡镇 — but the profile names 县商务局 (园区), and the profile wins."""
    copy = tmp_path / "sections.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    con.execute("""UPDATE reported SET "group" = '三、园区（开发区）' WHERE unit = '城关镇'""")
    con.execute("""UPDATE reported SET "group" = '一、乡镇' WHERE unit = '县商务局'""")
    con.close()
    with open_store(copy) as store:
        t = tongbao_from_store(store, as_of="2024-06")
    assert set(t.rankings["园区"]["单位"]) == {"经济开发区", "高新产业园", "县商务局", "城关镇"}
    assert "城关镇" not in set(t.rankings["乡镇（街道）"]["单位"])
