"""A cross-section (every country, one year: ``c[TIME_PERIOD]=ge:Y+le:Y``) is restricted in SQL,
where the period indexes serve it, not filtered on the stream."""
from __future__ import annotations

from ilms.store import read
from ilms.tables import structure
from ilms.web.sdmx.plan import make_plan
from ilms.web.sdmx.query import parse_data_v2, query_params

CSV = "application/vnd.sdmx.data+csv;version=2.0.0"


def test_a_one_year_cross_section_is_a_period_range_of_the_select(db):
    table = structure().table(5)
    key = ".".join(["*"] * len(table.key_order))
    query = parse_data_v2("dataflow", structure().agency, table.id, "~", key,
                          query_params("c[TIME_PERIOD]=ge:2020%2Ble:2020"))
    with db.engine.connect() as conn:
        plan = make_plan(conn, query, media_type=CSV)
        sql = str(read._statement(conn, plan.selection).compile(compile_kwargs={"literal_binds": True}))
        rows = list(read.observations(conn, plan.selection))
    assert not plan.predicates and (plan.selection.start, plan.selection.end) == ("2020", "2020")
    assert "observation.time_period >= '2020'" in sql and "observation.time_period <= '2020~'" in sql
    assert rows and {o.time for o in rows} == {"2020"}
