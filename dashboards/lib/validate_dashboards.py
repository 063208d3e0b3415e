#!/usr/bin/env python3
"""Structural validation of the Grafana dashboards (no Grafana needed).

Checks what the Grafana classic dashboard schema (kinds/dashboard, schemaVersion 36+) requires
and what makes a dashboard portable and correct:
- required top-level fields and their types; a `datasource` variable of type datasource and
  `job` and `guest` query variables; unique variable names;
- panels: unique integer ids, a known type, gridPos with integer h/w/x/y inside the 24-column
  grid and no two panels overlapping;
- no hard-coded datasource: every datasource reference is the ${datasource} variable (only the
  built-in Grafana annotation source is allowed besides);
- every non-row panel has targets, each with a unique refId and a non-empty expr;
- units: a known Grafana unit; counters (*_total) only inside a range function; rate()
  windows use $__rate_interval; per-second units only on rates.
Usage: validate_dashboards.py [FILE...]   (default: every dashboards/*.json). Exit 1 on errors.
"""
import re
import sys

import qgadash

DS_REF = {"type": "prometheus", "uid": "${datasource}"}
BUILTIN_ANNOTATION_DS = {"type": "grafana", "uid": "-- Grafana --"}
PANEL_TYPES = {"row", "timeseries", "stat", "gauge", "bargauge", "table", "piechart",
               "state-timeline", "status-history", "text", "heatmap"}
UNITS = {"short", "none", "percent", "percentunit", "s", "ms", "bytes", "decbytes", "Bps",
         "binBps", "iops", "pps", "reqps", "dateTimeAsIso", "dateTimeFromNow"}
PER_SECOND_UNITS = {"Bps", "binBps", "iops", "pps", "reqps"}
REQUIRED_TOP = {"title": str, "uid": str, "schemaVersion": int, "panels": list,
                "templating": dict, "time": dict, "editable": bool, "graphTooltip": int,
                "tags": list, "annotations": dict, "version": int, "refresh": str,
                "timezone": str, "links": list}
COUNTER = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*_total)\b(\{[^}]*\})?")
RATE_WINDOW = re.compile(r"\b(?:rate|irate|increase)\((?:[^()\[]|\([^()]*\))*\[([^\]]+)\]")


def check_datasource_refs(node, path, errors):
    """Walks the whole JSON: any datasource reference must be the variable."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if key == "datasource":
                ok = value == DS_REF or (value == BUILTIN_ANNOTATION_DS and ".annotations" in path)
                if isinstance(value, str):
                    ok = value == "${datasource}"
                if not ok:
                    errors.append(f"{where}: datasource {value!r} is not the ${{datasource}} variable")
            else:
                check_datasource_refs(value, where, errors)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            check_datasource_refs(value, f"{path}[{i}]", errors)


def check_top(board, errors):
    for key, kind in REQUIRED_TOP.items():
        if key not in board:
            errors.append(f"missing top-level field {key!r}")
        elif not isinstance(board[key], kind) or (kind is int and isinstance(board[key], bool)):
            errors.append(f"{key!r} must be {kind.__name__}")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", str(board.get("uid", ""))):
        errors.append("uid must be 1-40 characters of [A-Za-z0-9_-]")
    if isinstance(board.get("schemaVersion"), int) and board["schemaVersion"] < 36:
        errors.append("schemaVersion below 36 (Grafana 9); use the Grafana 10/11 schema")
    if board.get("graphTooltip") not in (0, 1, 2):
        errors.append("graphTooltip must be 0, 1 or 2")
    if not {"from", "to"} <= set(board.get("time", {})):
        errors.append("time needs from and to")
    if board.get("id") is not None:
        errors.append("id must be null in a shareable dashboard (Grafana assigns it)")
    if not isinstance(board.get("annotations", {}).get("list"), list):
        errors.append("annotations.list must be a list")


def check_variables(board, errors):
    variables = board.get("templating", {}).get("list")
    if not isinstance(variables, list):
        errors.append("templating.list must be a list")
        return
    names = [v.get("name") for v in variables]
    if len(names) != len(set(names)):
        errors.append(f"duplicate variable names: {names}")
    by_name = {v.get("name"): v for v in variables}
    ds = by_name.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        errors.append("needs a `datasource` variable of type datasource for prometheus")
    for name in ("job", "guest"):
        var = by_name.get(name)
        if not var or var.get("type") != "query":
            errors.append(f"needs a `{name}` query variable")
    for var in variables:
        if var.get("type") != "query":
            continue
        where = f"variable {var.get('name')}"
        if var.get("datasource") != DS_REF:
            errors.append(f"{where}: datasource must be the ${{datasource}} variable")
        if var.get("refresh") not in (1, 2):
            errors.append(f"{where}: refresh must be 1 (on load) or 2 (on time range change)")
        query = var.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        if not text or not isinstance(text, str):
            errors.append(f"{where}: empty query")
        if var.get("includeAll") and "allValue" not in var:
            errors.append(f"{where}: includeAll without an allValue sends a huge regex")


def check_panels(board, errors):
    seen_ids = set()
    cells = {}
    for panel in qgadash.iter_panels(board):
        title = panel.get("title")
        where = f"panel {panel.get('id')} {title!r}"
        pid = panel.get("id")
        if not isinstance(pid, int) or isinstance(pid, bool):
            errors.append(f"{where}: id must be an integer")
        elif pid in seen_ids:
            errors.append(f"{where}: duplicate panel id")
        seen_ids.add(pid)
        if panel.get("type") not in PANEL_TYPES:
            errors.append(f"{where}: unknown type {panel.get('type')!r}")
        if not isinstance(title, str) or not title:
            errors.append(f"{where}: needs a title")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in "hwxy"):
            errors.append(f"{where}: gridPos needs integer h, w, x, y")
            continue
        if not (1 <= grid["w"] <= 24 and 0 <= grid["x"] and grid["x"] + grid["w"] <= 24
                and grid["h"] >= 1 and grid["y"] >= 0):
            errors.append(f"{where}: gridPos {grid} outside the 24-column grid")
        for dx in range(grid["w"]):
            for dy in range(grid["h"]):
                cell = (grid["x"] + dx, grid["y"] + dy)
                if cell in cells:
                    errors.append(f"{where}: overlaps panel {cells[cell]}")
                    break
                cells[cell] = pid
            else:
                continue
            break
        if panel.get("type") == "row":
            if not isinstance(panel.get("panels"), list):
                errors.append(f"{where}: a row needs a panels list")
            continue
        check_panel_queries(panel, where, errors)


def check_panel_queries(panel, where, errors):
    if not panel.get("description"):
        errors.append(f"{where}: needs a description")
    targets = panel.get("targets") or []
    if not targets:
        errors.append(f"{where}: no targets")
    refs = [t.get("refId") for t in targets]
    if len(refs) != len(set(refs)) or not all(refs):
        errors.append(f"{where}: refIds must be present and unique: {refs}")
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    units = {unit} | {p["value"] for o in panel.get("fieldConfig", {}).get("overrides", [])
                      for p in o.get("properties", []) if p.get("id") == "unit"}
    for u in units:
        if u not in UNITS:
            errors.append(f"{where}: unknown unit {u!r}")
    for tgt in targets:
        expr = tgt.get("expr")
        if not isinstance(expr, str) or not expr.strip():
            errors.append(f"{where}: target {tgt.get('refId')} has no expr")
            continue
        for match in COUNTER.finditer(expr):
            if not expr[match.end():].startswith("["):
                errors.append(f"{where}: counter {match.group(1)} used without a range function")
        for window in RATE_WINDOW.findall(expr):
            if window != "$__rate_interval":
                errors.append(f"{where}: rate window {window!r}; use $__rate_interval")
        if unit in PER_SECOND_UNITS and "rate(" not in expr and ":rate" not in expr:
            errors.append(f"{where}: per-second unit {unit} on a query that is not a rate")


def validate(board):
    errors = []
    check_top(board, errors)
    check_variables(board, errors)
    check_panels(board, errors)
    check_datasource_refs(board, "$", errors)
    return errors


def main(paths):
    failed = 0
    for path in paths or qgadash.dashboard_files():
        errors = validate(qgadash.load(path))
        panels = sum(1 for _ in qgadash.iter_panels(qgadash.load(path)))
        if errors:
            failed += 1
            print(f"FAIL {path}:")
            for error in errors:
                print(f"  {error}")
        else:
            print(f"ok   {path}: {panels} panels")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
