"""A small published database with accounts, for the tests of the web workflow (API and pages):
Thailand's table 15 for 2024, a Thai and a Vietnamese focal point, a curator and an admin."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ilms.accounts import accounts, tokens
from ilms.collect.questionnaire.writer import write_questionnaire
from ilms.limits import Limits
from ilms.observation import Observation
from ilms.store import releases, sources, write
from ilms.web import create_app
from ilms.web.settings import Settings

PASSWORD = "correct horse battery"
T15 = {("SEX_M", "MYS"): 20.0, ("SEX_F", "MYS"): 10.5, ("SEX_T", "MYS"): 30.5,
       ("SEX_M", "X"): 4.25, ("SEX_F", "X"): 1.75, ("SEX_T", "X"): 6.0,
       ("SEX_M", "TOTAL"): 24.25, ("SEX_F", "TOTAL"): 12.25, ("SEX_T", "TOTAL"): 36.5}
LIMIT = 400_000


@dataclass
class Site:
    engine: object
    client: TestClient
    tokens: dict[str, str]
    questionnaire: Path          # Thailand 2024, prefilled
    refused: Path
    tmp: Path

    def bearer(self, name: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def new_client(self) -> TestClient:
        return TestClient(self.client.app, base_url="https://testserver")


@pytest.fixture
def site(engine, tmp_path, monkeypatch) -> Site:
    monkeypatch.setenv("ILMS_ARGON2_PROFILE", "CHEAPEST")   # real Argon2id, cheapest parameters (speed)
    with engine.begin() as conn:
        sources.upsert(conn, "XA_7", "THA", name="Overseas employment register", type="XA",
                       agency="Department of Employment")
        write.write(conn, [Observation(15, ("THA", "XA_7", "_Z", sex, dest), "2024", v, decimals=3)
                           for (sex, dest), v in T15.items()], kind="load", by="curator")
        releases.create(conn, "2025-1", by="curator")
        releases.publish(conn, "2025-1", by="curator")
        accounts.add(conn, "ana", "focal-point", countries="THA", password=PASSWORD)
        accounts.add(conn, "vu", "focal-point", countries="VNM", password=PASSWORD)
        accounts.add(conn, "cora", "curator", password=PASSWORD)
        accounts.add(conn, "adam", "admin", password=PASSWORD)
        made = {name: tokens.create(conn, name) for name in ("ana", "vu", "cora")}
        path = tmp_path / "THA_2024.xlsx"
        write_questionnaire(path, conn, "THA", 2024, prefill=True)
    refused = tmp_path / "refused"
    app = create_app(engine, Settings(limits=Limits(upload_bytes=LIMIT), refused_dir=str(refused),
                                      downloads_dir=str(tmp_path / "downloads")))
    return Site(engine, TestClient(app, base_url="https://testserver"), made, path, refused, tmp_path)
