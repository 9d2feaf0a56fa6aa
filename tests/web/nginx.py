"""nginx in front of ``ilms serve``, with the configuration documented in docs/deployment.md: the
``nginx`` block of that page is taken as it is written, and only what names this machine is
changed (the port it listens on, the application's address, the downloads folder). Used by
tests/web/test_reverse_proxy.py and ``bench/load_test.py --nginx``.

The documented block sits in a minimal ``nginx.conf`` (no daemon, files in a temporary folder)
that logs, for every request, whether it went to the application (``$upstream_addr``) or was
served from disk (``-``)."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deployment.md"
WRAPPER = """\
{user}daemon off;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    {mime}default_type application/octet-stream;
    log_format upstream '$status $request_method $request_uri upstream=$upstream_addr';
    access_log {folder}/access.log upstream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{server}
}}
"""


def nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def documented_block() -> str:
    found = re.search(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, f"no nginx configuration in {DOC}"
    return found.group(1)


def configure(block: str, *, port: int, app_port: int, downloads: Path) -> str:
    """The documented block with this machine's addresses: every substitution must apply."""
    changes = [(r"listen 443 ssl http2;", f"listen 127.0.0.1:{port};"),
               (r"server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
               (r"root /srv/ilms/data/downloads;", f"root {downloads};")]
    for old, new in changes:
        assert old in block, f"docs/deployment.md's nginx block no longer has {old!r}"
        block = block.replace(old, new)
    return block


@dataclass
class Proxy:
    port: int
    folder: Path
    proc: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> list[str]:
        path = self.folder / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(folder: Path, *, app_port: int, downloads: Path, block: str | None = None) -> Proxy:
    """Start nginx (``nginx -t`` first) on a free loopback port; returns when it answers."""
    binary = nginx()
    if binary is None:
        raise RuntimeError("nginx is not installed (scripts/system-packages.sh nginx-light)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    mime = "/etc/nginx/mime.types"
    conf = folder / "nginx.conf"
    conf.write_text(WRAPPER.format(
        user="user root;\n" if os.geteuid() == 0 else "",      # workers must read the temporary folders
        folder=folder, mime=f"include {mime};\n    " if os.path.exists(mime) else "",
        server=configure(block or documented_block(), port=port, app_port=app_port, downloads=downloads)))
    checked = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}\n{conf.read_text()}")
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx stopped: {proc.stderr.read()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return Proxy(port, folder, proc)
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("nginx did not listen in time")
