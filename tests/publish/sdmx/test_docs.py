"""docs/sdmx.md carries the pinned identifiers exactly as structure() derives them."""
from pathlib import Path

from ilms.publish.sdmx.docs import generated_block
from ilms.tables import structure

DOC = Path(__file__).resolve().parents[3] / "docs" / "sdmx.md"


def test_the_pinned_identifier_table_matches_the_declarations():
    text = DOC.read_text(encoding="utf-8")
    assert generated_block() in text, "regenerate the block with ilms.publish.sdmx.docs.generated_block()"
    for table in structure().tables.values():
        assert f"| `{'.'.join(table.key_order)}` |" in text and table.id in text
