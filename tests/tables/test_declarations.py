"""The declaration files load into a consistent structure, and the pinned ids stay pinned."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from ilms.cli import main
from ilms.tables import COMMON_DIMENSIONS, structure
from ilms.tables.docs import identifiers_markdown
from ilms.tables.loader import Structure

ROOT = Path(__file__).resolve().parents[2]


def test_seventeen_tables_in_three_modules():
    s = structure()
    assert sorted(s.tables) == list(range(1, 18))
    assert [t.module for t in s.tables.values()] == list("AAAAAAAA") + list("BBBB") + list("CCCCC")


def test_key_orders_are_pinned():
    """Changing one of these breaks every SDMX client: add a new dataflow version instead."""
    s = structure()
    assert s.table(1).key_order == (*COMMON_DIMENSIONS, "AGE", "LMS", "MIG")
    assert s.table(5).key_order == (*COMMON_DIMENSIONS, "ECO", "MIG")
    assert s.table(15).key_order == (*COMMON_DIMENSIONS, "DESTINATION")
    assert [t.id for t in s.tables.values()] == [f"DF_ILMS_T{n:02d}" for n in range(1, 18)]


def test_identifiers_doc_is_current():
    assert (ROOT / "docs" / "identifiers.md").read_text(encoding="utf-8") == identifiers_markdown()


def test_every_ilostat_indicator_maps_to_one_table_both_bases():
    s = structure()
    assert s.indicator("mna_oemp_sex_cds_nb")[0].number == 15
    assert s.indicator("MST_TEMP_SEX_ECO_CCT_NB")[1].fixed["BASIS"] == "CIT"
    for n in range(1, 13):    # modules A and B: both the _CBR_/F and _CCT_/N variants
        bases = {m.fixed["BASIS"] for m in s.table(n).ilostat}
        assert bases == {"BIR", "CIT"}, n
    table1 = {m.indicator.split("_")[1] for m in s.table(1).ilostat}
    assert table1 == {"XWAP", "TEAP", "TEMP", "TUNE", "TEIP"}
    assert s.indicator("UNE_DEAP_SEX_AGE_RT") is None


def test_hierarchies_cover_the_required_codes_and_sum_rules():
    s = structure()
    lms = s.hierarchies["H_LMS"]
    assert lms.children("LMS_STATUS_TOTAL") == ("LMS_STATUS_LF", "LMS_STATUS_EIP")
    assert lms.children("LMS_STATUS_LF") == ("LMS_STATUS_EMP", "LMS_STATUS_UNE")
    sector = s.hierarchies["H_ECO_SECTOR"]
    sections = set(s.hierarchies["H_ECO_ISIC4"].children("ECO_ISIC4_TOTAL"))
    via_sectors = set()
    for sec in ("ECO_SECTOR_AGR", "ECO_SECTOR_IND", "ECO_SECTOR_SER", "ECO_SECTOR_X"):
        via_sectors |= set(sector.children(sec))
    assert via_sectors == sections          # every section in exactly one sector
    skill = s.hierarchies["H_OCU_SKILL"]
    groups = [g for lvl in ("OCU_SKILL_L3-4", "OCU_SKILL_L2", "OCU_SKILL_L1", "OCU_SKILL_X") for g in skill.children(lvl)]
    assert sorted(groups) == sorted(s.hierarchies["H_OCU_ISCO08"].children("OCU_ISCO08_TOTAL"))
    partner = s.hierarchies["H_PARTNER"]
    assert partner.children("TOTAL", {"TOTAL", "THA", "X"}) == ("THA", "X")


def test_asean_membership_is_dated():
    asean = structure().regions["ASEAN"]
    assert structure().default_region is asean
    assert "TLS" not in asean.members_in(2024) and "TLS" in asean.members_in(2025)
    assert len(asean.members_in(2025)) == 11 and len(asean.members_in(1990)) == 6
    assert asean.members_on(dt.date(2025, 10, 25)).count("TLS") == 0


def test_another_region_is_a_config_file_not_code(tmp_path, monkeypatch):
    (tmp_path / "saarc.yaml").write_text(
        "id: SAARC\nname: South Asian Association for Regional Cooperation\nagency: SAARC Secretariat\n"
        "members:\n  IND: {joined: 1985-12-08}\n  AFG: {joined: 2007-04-03}\n  BGD: {joined: 1985-12-08}\n",
        encoding="utf-8")
    monkeypatch.setenv("ILMS_REGIONS_DIR", str(tmp_path))
    s = Structure()
    assert s.regions["SAARC"].members_in(2000) == ("BGD", "IND")
    assert s.default_region.id == "ASEAN"


def test_cli_lists_tables_one_per_line_and_shows_one():
    runner = CliRunner()
    out = runner.invoke(main, ["tables"]).output.splitlines()
    assert len(out) == 17 and all(line.lstrip().startswith(str(n)) for n, line in enumerate(out, 1))
    detail = runner.invoke(main, ["tables", "5"])
    assert detail.exit_code == 0 and "ECO" in detail.output and "MST_TEMP_SEX_ECO_CBR_NB" in detail.output
    bad = runner.invoke(main, ["tables", "18"])
    assert bad.exit_code == 2 and "1 to 17" in bad.output
