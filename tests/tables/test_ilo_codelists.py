"""Every code ILMS uses is the ILO's code with the ILO's meaning, or a listed, explained extension.

Checked against the ILO's own SDMX-ML 2.1 structure message in ../shared/sdmx-reference/ilo/.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pytest
from lxml import etree

from ilms.tables import structure

NS = {"xml": "http://www.w3.org/XML/1998/namespace",
      "s": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
      "c": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"}

# Our label differs in words from the ILO's but means the same: each with the reason.
SAME_MEANING = {
    ("CL_LMS", "LMS_STATUS_TOTAL"): "the ILO's 'Total' of labour market status is the working-age population",
    ("CL_AGE", "AGE_10YRBANDS_TOTAL"): "'Total' of working-age bands; ILMS states the 15+ scope in the label",
    ("CL_AGE", "AGE_AGGREGATE_TOTAL"): "as AGE_10YRBANDS_TOTAL",
    ("CL_MIG", "MIG_STATUS_NONMIG"): "'Non migrants' spelled with a hyphen",
    ("CL_MIG", "MIG_STATUS_X"): "the ILO's 'Unknown' status, as CBR_BIR_X / CCT_CIT_X 'Status unknown'",
}

PARTNER_PREFIXES = {"CL_CBR": "CBR_BRT_", "CL_CCT": "CCT_CTZ_", "CL_CRS": "CRS_RES_", "CL_CDS": "CDS_DES_"}


@lru_cache(maxsize=1)
def ilo_codelists(path) -> dict[str, dict[str, str]]:
    tree = etree.parse(str(path))
    return {cl.get("id"): {c.get("id"): c.findtext("c:Name[@xml:lang='en']", namespaces=NS) or ""
                           for c in cl.findall("s:Code", NS)}
            for cl in tree.iterfind(".//s:Codelist", NS)}


@pytest.fixture(scope="module")
def ilo(shared_dir):
    files = sorted((shared_dir / "sdmx-reference" / "ilo").glob("*.xml"))
    assert files, "the ILO structure message is missing"
    return ilo_codelists(files[0])


def normalise(label: str) -> str:
    label = re.sub(r"\(.*?\)", "", label.lower())
    return re.sub(r"[^a-z0-9]+", " ", label).strip()


def comparable(ours: str, theirs: str) -> bool:
    a, b = normalise(ours), normalise(theirs)
    words_a, words_b = set(a.split()), set(b.split())
    return (a == b or (words_b and words_b <= words_a) or (words_a and words_a <= words_b)
            or difflib.SequenceMatcher(None, a, b).ratio() >= 0.95)


def test_the_label_comparison_can_fail():
    assert not comparable("Male", "Female")
    assert not comparable("Employed", "Unemployed")
    assert comparable("6. Bachelor's or equivalent level", "6. Bachelor's or equivalent level")
    assert comparable("Total (15+)", "Total")


def ilo_following_codelists():
    return [cl for cl in structure().codelists.values() if cl.ilo]


@pytest.mark.parametrize("codelist", ilo_following_codelists(), ids=lambda cl: cl.id)
def test_codes_exist_in_the_ilo_codelist_with_the_same_meaning(codelist, ilo):
    theirs = ilo[codelist.ilo]
    missing, differ = [], []
    for code in codelist:
        if code.id in codelist.extensions:
            assert code.id not in theirs, f"{code.id} is listed as an extension but the ILO has it"
            assert codelist.extensions[code.id].strip(), f"extension {code.id} needs a reason"
            continue
        if code.id not in theirs:
            missing.append(code.id)
        elif not comparable(code.name, theirs[code.id]) and (codelist.id, code.id) not in SAME_MEANING:
            differ.append(f"{code.id}: ours {code.name!r}, ILO {theirs[code.id]!r}")
    assert not missing, f"{codelist.id}: not in the ILO's {codelist.ilo} and not declared as extensions: {missing}"
    assert not differ, f"{codelist.id}: labels differ in meaning: {differ}"


def test_migrant_status_maps_to_the_ilo_basis_specific_codes(ilo):
    mig = structure().codelists["CL_MIG"]
    for basis, ilo_list in (("BIR", "CL_CBR"), ("CIT", "CL_CCT")):
        mapping = mig.ilostat[basis]
        assert set(mapping) == {c.id for c in mig}
        for ours, theirs in mapping.items():
            assert theirs in ilo[ilo_list], f"{theirs} not in {ilo_list}"
    # same meaning: migrants are the foreign-born / non-citizens
    assert ilo["CL_CBR"][mig.ilostat["BIR"]["MIG_STATUS_MIGRANT"]] == "Foreign-born"
    assert ilo["CL_CCT"][mig.ilostat["CIT"]["MIG_STATUS_MIGRANT"]] == "Non-citizens"


def test_countries_have_the_ilo_names(ilo):
    countries = structure().codelists["CL_COUNTRY"]
    area = ilo["CL_AREA"]
    for code in countries:
        if code.id in countries.extensions:
            assert code.id not in area
            continue
        assert code.id in area, f"{code.id} not in the ILO's CL_AREA"
        assert code.name == area[code.id], f"{code.id}: ours {code.name!r}, ILO {area[code.id]!r}"
    assert countries.label("TWN") == "Taiwan, China" and countries.label("HKG") == "Hong Kong, China"
    assert "KOS" in countries and "MAC" in countries


# Partner codes the ILO's partner lists lack although its CL_AREA has them (the ILO's gap, not ours).
ILO_PARTNER_GAPS = {
    "CL_CBR": {"FSM"}, "CL_CCT": {"FSM"}, "CL_CDS": {"FSM"},
    "CL_CRS": {"FSM", "CUW"},
}


# The ILO's partner lists keep older or abbreviated names of these countries; ours follow its
# CL_AREA (current names). Same country, same code.
PARTNER_NAME_VARIANTS = {"CZE", "IRN", "LAO", "LBY", "MKD", "PRK", "PSE", "SWZ", "VEN"}


@pytest.mark.parametrize("ilo_list,prefix", sorted(PARTNER_PREFIXES.items()))
def test_partner_codes_with_ilostat_prefixes_exist(ilo, ilo_list, prefix):
    """Every partner code, written with the ILOSTAT prefix, is the ILO's code with the ILO's name."""
    partner = structure().codelists["CL_PARTNER"]
    countries = structure().codelists["CL_COUNTRY"]
    theirs = ilo[ilo_list]
    absent = {c.id for c in partner if prefix + c.id not in theirs} - set(countries.extensions)
    assert absent == ILO_PARTNER_GAPS[ilo_list]
    for code in partner:
        if prefix + code.id in theirs and code.id not in PARTNER_NAME_VARIANTS | {"X"}:
            assert comparable(code.name, theirs[prefix + code.id]), (code.id, code.name, theirs[prefix + code.id])
    assert "other" in theirs[prefix + "X"].lower() or "rest" in theirs[prefix + "X"].lower()


def test_every_extension_is_listed_with_a_reason():
    """The deliberate extensions, listed (the test output names them when run with -rA)."""
    listed = {(cl.id, code): why for cl in structure().codelists.values() for code, why in cl.extensions.items()}
    assert ("CL_LMS", "LMS_STATUS_LF") in listed
    assert all(why.strip() for why in listed.values())
    own = [cl.id for cl in structure().codelists.values() if not cl.ilo and not cl.open and cl.id != "CL_PARTNER"]
    for cl_id in own:   # our own lists: every code is an extension with a reason
        cl = structure().codelists[cl_id]
        assert set(cl.extensions) == {c.id for c in cl}, f"{cl_id}: every code of our own list needs a reason"
