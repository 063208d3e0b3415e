"""Reading dashboards and rule files: the PromQL they hold, with Grafana variables substituted.

Shared by dashboards/check (static checks) and dashboards/check-live (a real Prometheus).
"""
import json
import pathlib
import re

import yaml

DASHBOARDS_DIR = pathlib.Path(__file__).resolve().parent.parent
RULE_FILES = [DASHBOARDS_DIR / "rules" / "qga-alerts.yml",
              DASHBOARDS_DIR / "rules" / "qga-recording.yml"]

# What Grafana puts in for its built-in variables when the scrape interval is 15s (its default):
# $__rate_interval = max(4 x scrape interval, $__interval + scrape interval).
BUILTIN_VALUES = {"__rate_interval": "1m", "__interval": "15s", "__range": "6h",
                  "__range_s": "21600", "__interval_ms": "15000"}

_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)")
_LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*(\w+)\s*\)\s*$", re.S)


def dashboard_files():
    return sorted(DASHBOARDS_DIR.glob("*.json"))


def load(path):
    return json.loads(pathlib.Path(path).read_text())


def iter_panels(board):
    """Every panel, including those nested in collapsed rows."""
    for panel in board.get("panels", []):
        yield panel
        for inner in panel.get("panels", []) or []:
            yield inner


def panel_queries(board):
    """(panel title, refId, raw expr, is range query) for every query target of every panel."""
    for panel in iter_panels(board):
        for tgt in panel.get("targets", []) or []:
            yield (panel.get("title", "?"), tgt.get("refId", "?"), tgt.get("expr"),
                   tgt.get("range", not tgt.get("instant", False)))


def variable_queries(board):
    """(variable name, series selector expr, label) of every label_values() query variable."""
    for var in board.get("templating", {}).get("list", []):
        if var.get("type") != "query":
            continue
        query = var.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        match = _LABEL_VALUES.match(text or "")
        if match:
            yield var["name"], match.group(1), match.group(2)
        else:
            yield var["name"], None, None


def substitute(expr, values):
    """Replaces $var, ${var}, ${var:fmt} and [[var]] with values (builtins included).

    Raises KeyError naming a variable that has no value, so nothing unsubstituted slips through.
    """
    merged = {**BUILTIN_VALUES, **values}

    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in merged:
            raise KeyError(name)
        return merged[name]

    return _VARIABLE.sub(replace, expr)


def rules(paths=RULE_FILES):
    """(kind, name, expr) for every alerting and recording rule in the given files."""
    for path in paths:
        for group in yaml.safe_load(pathlib.Path(path).read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    yield "alert", rule["alert"], rule["expr"]
                else:
                    yield "record", rule["record"], rule["expr"]
