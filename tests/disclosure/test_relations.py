"""The relations come from the declarations: hierarchies (through the check module) and agreements."""
from __future__ import annotations

from ilms.disclosure.relations import relations

from .helpers import ISSUE, key, sex_by_origin, t10


def _by_origin(rels):
    return {r.origin for r in rels}


def test_sex_and_partner_relations_of_a_table():
    rels = relations(sex_by_origin(**ISSUE))
    assert _by_origin(rels) == {"H_SEX SEX_T", "H_PARTNER TOTAL"}
    sexes = [r for r in rels if r.origin == "H_SEX SEX_T"]
    assert len(sexes) == 4                                     # one per origin: IND, CHN, X, TOTAL
    ind = next(r for r in sexes if r.terms[0][0] == key("SEX_T", "IND"))
    assert dict(ind.terms) == {key("SEX_T", "IND"): 1.0, key("SEX_M", "IND"): -1.0, key("SEX_F", "IND"): -1.0}
    assert ind.hi == -ind.lo == 3 * 0.0005                     # the check's rounding tolerance, 3 decimals
    partners = [r for r in rels if r.origin == "H_PARTNER TOTAL"]
    assert len(partners) == 3 and all(len(r.terms) == 4 for r in partners)   # TOTAL = IND + CHN + X


def test_an_unreported_component_is_a_latent_cell():
    cells = [c for c in sex_by_origin(**ISSUE) if c.key[3] != "SEX_F"]
    rels = relations(cells)
    ind = next(r for r in rels if r.origin == "H_SEX SEX_T" and r.terms[0][0] == key("SEX_T", "IND"))
    assert key("SEX_F", "IND") in ind.cells()                   # unknown, but still in the relation


def test_cross_table_agreement_links_tables_9_and_10():
    cells = sex_by_origin(**ISSUE) + [t10("SEX_T", "EDU_ISCED11_TOTAL", 11.695)]
    cross = [r for r in relations(cells) if r.origin == "cross.inflow_working_age"]
    assert len(cross) == 1
    assert set(cross[0].cells()) == {key("SEX_T", "TOTAL"), (10, key("SEX_T", "TOTAL")[1][:4] + ("EDU_ISCED11_TOTAL",), "2020")}
    assert cross[0].lo < 0 < cross[0].hi


def test_wages_take_no_part():
    from ilms.observation import Observation
    wage = Observation(8, ("THA", "XA_9083", "CIT", "SEX_T", "MIG_STATUS_TOTAL"), "2020", 350.0)
    assert relations([wage]) == []
