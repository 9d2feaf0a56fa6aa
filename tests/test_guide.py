"""docs/guide.md stays true: its `run` blocks are run in order on a fresh database — the shell lines
through the real CLI, the Python blocks against the web application served on loopback (uvicorn)
— after writing its `file=` blocks to disk."""
from __future__ import annotations

import re
import shlex
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import free_port

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def blocks():
    for lang, info, body in BLOCK.findall(GUIDE.read_text("utf-8")):
        yield lang, info.strip(), body


class _Server:
    def __init__(self, engine):
        import uvicorn

        from ilms.web import create_app
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return f"http://127.0.0.1:{self.port}"
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def test_every_run_block_of_the_guide_works(sqlite_engine, tmp_path, monkeypatch):
    url = sqlite_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ILMS_DATABASE_URL", url)
    monkeypatch.setenv("ILMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ILMS_REGIONS_DIR", str(tmp_path / "regions"))
    monkeypatch.chdir(tmp_path)
    from ilms.cli import main
    runner = CliRunner()
    ran = {"sh": 0, "python": 0, "file": 0}
    for lang, info, body in blocks():
        if info.startswith("file="):
            target = tmp_path / info.split("=", 1)[1]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            ran["file"] += 1
        elif info == "run" and lang == "sh":
            for line in body.splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                args = shlex.split(line, comments=True)
                assert args[0] == "ilms", line
                result = runner.invoke(main, args[1:], catch_exceptions=False)
                assert result.exit_code == 0, f"{line}\n{result.output}"
                ran["sh"] += 1
        elif info == "run" and lang == "python":
            with _Server(sqlite_engine) as base:
                exec(compile(body, f"{GUIDE.name} (python block)", "exec"), {"BASE": base})   # noqa: S102
            ran["python"] += 1
        elif info == "run":
            pytest.fail(f"a run block in {lang}: only sh and python blocks are run")
    assert ran["sh"] >= 10 and ran["python"] >= 2 and ran["file"] >= 2
    assert (tmp_path / "quality.xlsx").is_file() and (tmp_path / "report.html").is_file()
    assert (tmp_path / "PHL_2024.xlsx").is_file()
