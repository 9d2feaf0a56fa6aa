"""``ilms demo`` on a real database (SQLite and PostgreSQL): one full load per backend."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from ilms.cli import main
from ilms.demo import DEMO_NOTICE
from ilms.disclosure import pattern, protect
from ilms.demo.dataset import observations
from ilms.demo.load import release_name
from ilms.store import releases, sources
from ilms.store.db import make_engine
from ilms.store.releases import checksum
from ilms.store.schema import changeset, observation
from ilms.tables import structure

SEED = 7


def expected_checksum(seed: int, withheld: set = frozenset()) -> tuple[str, int]:
    """The release checksum computed from the generator alone, the way the store computes it: the
    confidential cells and the release's secondary suppression pattern (``withheld``) masked."""
    ordered = sorted(observations(seed), key=lambda o: (o.table, ".".join(o.key).encode(), o.time.encode()))
    return checksum(o.with_(value=None, confidential=True) if o.confidential or o.cell() in withheld else o
                    for o in ordered)


@pytest.mark.slow
def test_demo_loads_publishes_and_then_leaves_the_database_alone(env_database):
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output

    first = runner.invoke(main, ["demo", "--seed", str(SEED), "--if-empty"])
    assert first.exit_code == 0, first.output
    assert DEMO_NOTICE in first.output

    engine = make_engine(env_database)
    try:
        with engine.connect() as conn:
            r = releases.get(conn, release_name(SEED))
            assert r is not None and r.published and r.synthetic
            assert DEMO_NOTICE in r.description
            assert releases.latest_published(conn).name == r.name
            withheld = set(pattern.cells(conn, r.name))
            assert withheld and pattern.get(conn, r.name).n_secondary == len(withheld)
            assert (r.checksum, r.n_observations) == expected_checksum(SEED, withheld)   # same seed, same checksum
            assert releases.verify(conn, r.name)[0]
            assert protect.audit(conn, r.name).ok        # no confidential value derivable (issue 13)
            catalogue = sources.catalogue(conn)
            assert {s["ref_area"] for s in catalogue} == set(structure().default_region.all_members())
            assert all(DEMO_NOTICE in s["notes"] and s["name"] and s["agency"] for s in catalogue)
            n_changesets = conn.execute(select(func.count()).select_from(changeset)).scalar()
            n_versions = conn.execute(select(func.count()).select_from(observation)).scalar()
            assert conn.execute(select(changeset.c.kind)).scalars().all() == ["demo"]

        again = runner.invoke(main, ["demo", "--seed", str(SEED), "--if-empty"])
        assert again.exit_code == 0 and "already holds observations" in again.output
        refused = runner.invoke(main, ["demo", "--seed", str(SEED + 1)])
        assert refused.exit_code != 0 and "empty database" in refused.output

        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(changeset)).scalar() == n_changesets
            assert conn.execute(select(func.count()).select_from(observation)).scalar() == n_versions
            assert len(releases.all_releases(conn)) == 1
    finally:
        engine.dispose()
