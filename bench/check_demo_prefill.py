"""Full run: every demo country and year, prefilled and sent back unchanged, checks with no error.

    ILMS_DATABASE_URL=sqlite:////tmp/demo.sqlite .venv/bin/ilms demo
    ILMS_DATABASE_URL=sqlite:////tmp/demo.sqlite .venv/bin/python bench/check_demo_prefill.py [--jobs 1]

Writes each questionnaire to a temporary folder, checks it against the database (as `ilms check`
does) and prints errors, warnings and seconds per country and year, then the totals. Exit status
1 when any unchanged questionnaire has an error. Not a test (the bounded test over a sample is
tests/check/test_demo_prefill.py); the measured figures are in docs/accounts.md.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from ilms.check import check_file
from ilms.collect.questionnaire.writer import write_questionnaire
from ilms.demo.plan import FIRST_YEAR, LAST_YEAR
from ilms.store.db import database_url, make_engine
from ilms.tables import structure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", action="append", help="only these countries (default: the region's members)")
    parser.add_argument("--year", type=int, action="append", help="only these years (default: the demo's years)")
    args = parser.parse_args()
    countries = args.country or sorted(structure().default_region.all_members())
    years = args.year or list(range(FIRST_YEAR, LAST_YEAR + 1))
    engine = make_engine(database_url())
    failed, rules = [], collections.Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, engine.connect() as conn:
        for country in tqdm(countries, desc="countries"):
            for year in years:
                path = Path(tmp) / f"{country}_{year}.xlsx"
                t0 = time.perf_counter()
                write_questionnaire(path, conn, country, year, prefill=True)
                report = check_file(path, conn=conn)
                rules.update(f"{f.severity} {f.rule}" for f in report.findings)
                tqdm.write(f"{country} {year}: {report.errors} errors, {report.warnings} warnings, "
                           f"{report.observations} cells, {time.perf_counter() - t0:.1f} s")
                if report.errors:
                    failed.append((country, year, [f.message for f in report.findings if f.severity == "error"][:3]))
    n = len(countries) * len(years)
    print(f"\n{n} questionnaires in {time.perf_counter() - started:.0f} s; with errors: {len(failed)}")
    for rule, count in rules.most_common():
        print(f"  {count:>6} {rule}")
    for country, year, messages in failed:
        print(f"FAILED {country} {year}: {messages}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
