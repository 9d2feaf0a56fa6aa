"""The HTML report (Jinja2 template ``templates/report.html``): accessible, no colour-only signals."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from .arithmetic import fmt
from .location import locate
from .registry import RULES
from .report import Report


def _env() -> Environment:
    env = Environment(loader=PackageLoader("ilms.check", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fmt=fmt, locate=locate, rule_title=lambda rid: RULES[rid].title if rid in RULES else rid)
    return env


def render(report: Report) -> str:
    return _env().get_template("report.html").render(report=report)
