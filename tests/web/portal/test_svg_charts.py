"""The pages' SVG charts: escaped text, gaps never drawn as zero, a drawing for wide and for narrow
screens, labels that fit."""
from __future__ import annotations

import re

from ilms.web.portal import svg_charts


def test_text_is_escaped_and_there_is_a_wide_and_a_narrow_drawing():
    svg = str(svg_charts.bar_chart([("<script>x</script>", 5.0), ("B & C", 2.0)], title='T "1" <b>'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert 'aria-label="T &#34;1&#34; &lt;b&gt;"' in svg or 'aria-label="T &quot;1&quot; &lt;b&gt;"' in svg
    assert svg.count("<svg ") == 2 and 'class="svg-chart bar-chart wide"' in svg and "bar-chart narrow" in svg
    assert " style=" not in svg


def test_confidential_bar_says_so_and_a_line_breaks_at_a_gap():
    bars = str(svg_charts.bar_chart([("A", None), ("B", 3.0)], title="t", confidential="vertraulich"))
    assert bars.count("vertraulich") == 2 and bars.count("<rect") == 2          # one bar per drawing
    line = str(svg_charts.line_chart({"s": [("2019", 1.0), ("2020", None), ("2021", 3.0), ("2022", 4.0)]},
                                     title="t"))
    wide = line.split("</svg>")[0]
    assert wide.count("<polyline") == 1 and wide.count("<circle") == 3          # 2019 alone, 2021-2022 joined
    assert svg_charts.line_chart({"s": [("2020", None)]}, title="t") == ""


def test_numbers_ticks_and_nothing_to_draw():
    assert [svg_charts.short(v) for v in (0, 0.42, 12.5, 655.0, 1250.0, 2_500_000.0)] == \
        ["0", "0.42", "12.5", "655", "1,250", "2.5M"]
    assert svg_charts.nice_ticks(3969) == [0, 1000, 2000, 3000, 4000]
    assert svg_charts.bar_chart([], title="t") == "" and svg_charts.sankey([("A", "B", 0)], title="t") == ""


def test_sankey_keeps_small_nodes_tall_enough_for_their_labels():
    flows = [("MMR", "THA", 1000.0), ("LAO", "THA", 500.0)] + [(f"C{i}", "MYS", 1.0) for i in range(6)]
    wide = str(svg_charts.sankey(flows, title="t", names={"MMR": "Myanmar"})).split("</svg>")[0]
    heights = [float(h) for h in re.findall(r'<rect x="200" y="[\d.]+" width="14" height="([\d.]+)"', wide)]
    assert len(heights) == 8 and min(heights) >= 13
    tops = sorted(float(y) for y in re.findall(r'<rect x="200" y="([\d.]+)"', wide))
    assert max(tops) + 13 <= 460                                                 # all inside the drawing
    assert ">Myanmar<" in wide
