"""The registry of readers: formats register themselves; detect picks one, gzip transparently."""
from __future__ import annotations

import gzip

import pytest

from ilms.collect import registry
from ilms.collect.registry import ReadError, detect, readers, register_reader
from ilms.observation import Observation


@pytest.fixture
def private_registry(monkeypatch):
    monkeypatch.setattr(registry, "_READERS", dict(readers()))


def test_builtin_readers_register_themselves():
    assert {"ilostat-csv", "ilo-sdmx-csv"} <= set(readers())


def test_a_new_format_registers_with_the_decorator_and_is_detected(private_registry, tmp_path):
    @register_reader("pipe-demo")
    class PipeDemo:
        """A made-up format for this test: a first line "#pipe"."""

        def sniff(self, path, head):
            return head.startswith(b"#pipe")

        def read(self, path, *, log=None, **options):
            for n, line in enumerate(path.read_text().splitlines()[1:], start=2):
                area, value = line.split("|")
                if area != "THA":
                    raise ReadError(path, f"line {n}", f"unexpected area {area}")
                yield Observation(15, ("THA", "XA_1", "_Z", "SEX_T", "TOTAL"), "2020", float(value))

    plain = tmp_path / "a.txt"
    plain.write_text("#pipe\nTHA|1.5\n")
    zipped = tmp_path / "a.txt.gz"
    zipped.write_bytes(gzip.compress(b"#pipe\nVNM|2\n"))
    assert detect(plain).name == "pipe-demo" and detect(zipped).name == "pipe-demo"
    assert [o.value for o in registry.read(plain)] == [1.5]
    (tmp_path / "b.txt").write_text("#pipe\nVNM|2\n")
    with pytest.raises(ReadError, match=r"^b.txt, line 2: unexpected area VNM$"):
        list(registry.read(tmp_path / "b.txt"))
    with pytest.raises(ValueError, match="registered already"):
        register_reader("pipe-demo")(type("Other", (), {"sniff": None, "read": None}))


def test_unknown_format_name_and_missing_file(tmp_path):
    with pytest.raises(KeyError, match="no reader for format 'nope'"):
        registry.get_reader("nope")
    with pytest.raises(ReadError, match="missing.csv: no such file"):
        detect(tmp_path / "missing.csv")
