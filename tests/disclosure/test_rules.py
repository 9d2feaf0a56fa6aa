"""Per-source protection rules (the source's agreement), declared as data: parsed with clear errors,
applied by the suppression and enforced by the audit and by publishing, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from ilms.disclosure import protect
from ilms.disclosure.settings import Rule, RuleError, Settings, load_rules, parse_rules
from ilms.store import releases, sources, write

from .helpers import audit, sex_by_origin, suppress

SOURCE = "XA_9083"                       # the helpers' cells are of this source
CELLS = dict(men={"IND": 0.205, "CHN": 0.05, "X": 5.0}, women={"IND": 0.19, "CHN": 0.04, "X": 4.0})
PRIMARY = {("SEX_F", "IND")}


def _value(cells, which) -> float:
    return sum(abs(c.value) for c in cells if c.cell() in which)


def test_a_source_with_a_wider_range_gets_more_suppression_and_the_audit_enforces_it():
    cells = sex_by_origin(**CELLS, confidential=PRIMARY)
    plain = Settings(protection=0.1)
    strict = Settings(protection=0.1, rules={SOURCE: Rule(0.9, 0.001)})
    narrow, _ = suppress(cells, plain)
    wide, proofs = suppress(cells, strict)
    assert _value(cells, wide) > _value(cells, narrow)
    (proof,) = audit(cells, wide, strict)
    assert proof.ok and proof.upper >= 0.19 * 1.9 - 1e-9 and proof.lower <= 0.19 * 0.1 + 1e-9
    # the pattern good for +-10 % fails the source's +-90 %: the audit applies the source's rule
    (weak,) = audit(cells, narrow, strict)
    assert not weak.ok and (weak.need_upper, weak.need_lower) == pytest.approx((0.19 * 1.9, 0.19 * 0.1))
    assert audit(cells, narrow, plain)[0].ok


def test_another_sources_rule_changes_nothing():
    cells = sex_by_origin(**CELLS, confidential=PRIMARY)
    plain = Settings(protection=0.1)
    other = Settings(protection=0.1, rules={"XA_1": Rule(0.9, 0.001)})
    assert suppress(cells, plain)[0] == suppress(cells, other)[0]


@pytest.mark.parametrize("doc, message", [
    ({"sources": {SOURCE: {"protection": 1.5}}}, f"source '{SOURCE}': protection 1.5 is not a share from 0 to 1"),
    ({"sources": {SOURCE: {"protection": "wide"}}}, f"source '{SOURCE}': protection 'wide' is not a number"),
    ({"sources": {SOURCE: {"protection": 0.2, "min_range": -1}}}, f"source '{SOURCE}': min_range -1 is not"),
    ({"sources": {SOURCE: {"protecton": 0.2}}}, f"source '{SOURCE}': a rule needs at least `protection`"),
    ({"sources": {SOURCE: {"protection": 0.2, "share": 1}}}, f"source '{SOURCE}': unknown field(s) share"),
    ({"sources": {"ZZ_1": {"protection": 0.2}}}, "source 'ZZ_1': not a source code"),
    ({"rules": {}}, "expected a mapping with one key, `sources`"),
])
def test_a_bad_rule_is_refused_naming_the_file_and_the_source(doc, message):
    with pytest.raises(RuleError) as err:
        parse_rules(doc, "agreements.yaml")
    assert str(err.value).startswith("agreements.yaml: ") and message in str(err.value)


def test_rules_come_from_the_file_the_environment_names(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(f"sources:\n  {SOURCE}:\n    protection: 0.3\n    agreement: MoU 2019\n", encoding="utf-8")
    made = Settings.from_env({"ILMS_DISCLOSURE_RULES": str(path), "ILMS_DISCLOSURE_MIN_RANGE": "0.01"})
    assert made.rule(SOURCE) == Rule(0.3, 0.01, "MoU 2019")            # min_range: the global one
    assert made.rule("BA_1") == Rule(0.15, 0.01)
    assert made.required(10.0, SOURCE) == pytest.approx((13.0, 7.0))
    assert Settings.from_env({}).rules == {}                           # the shipped rules.yaml: none
    assert load_rules() == {}
    with pytest.raises(RuleError, match=r"ILMS_DISCLOSURE_RULES=.*nope.yaml: cannot read it"):
        Settings.from_env({"ILMS_DISCLOSURE_RULES": str(tmp_path / "nope.yaml")})
    (tmp_path / "bad.yaml").write_text("sources: [\n", encoding="utf-8")
    with pytest.raises(RuleError, match="bad.yaml: not valid YAML"):
        Settings.from_env({"ILMS_DISCLOSURE_RULES": str(tmp_path / "bad.yaml")})


def test_publishing_enforces_the_sources_rule(engine, tmp_path, monkeypatch):
    with engine.begin() as conn:
        sources.ensure(conn, {SOURCE: "THA"})
        write.write(conn, sex_by_origin(**CELLS, confidential=PRIMARY), kind="load", by="pytest")
        releases.create(conn, "R1", by="pytest")                       # under the global +-15 %
    path = tmp_path / "rules.yaml"
    path.write_text(f"sources:\n  {SOURCE}:\n    protection: 0.9\n", encoding="utf-8")
    monkeypatch.setenv("ILMS_DISCLOSURE_RULES", str(path))              # the agreement asks for +-90 %
    with pytest.raises(releases.ReleaseError) as err:
        with engine.begin() as conn:
            releases.publish(conn, "R1", by="pytest")
    assert f"source {SOURCE}: +-90%" in str(err.value) and "SEX_F.IND" in str(err.value)
    with engine.begin() as conn:
        assert not releases.get(conn, "R1").published
        lines = protect.report_lines(protect.audit(conn, "R1"))
        assert f"source {SOURCE}: +-90% (its rule)" in lines[1] and lines[-1] == "audit: FAILED for 1 cell(s)"
        protect.protect(conn, "R1")
        assert protect.audit(conn, "R1").ok
        assert releases.publish(conn, "R1", by="pytest").published
