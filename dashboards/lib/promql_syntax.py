#!/usr/bin/env python3
"""PromQL syntax check of every dashboard query and variable query, without a server.

Substitutes the Grafana variables with sample values, writes every expression into a temporary
rules file as a recording rule and runs `promtool check rules`, which parses each with
Prometheus's own parser. Usage: promql_syntax.py  (exit 1 if anything fails to parse).
"""
import subprocess
import sys
import tempfile

import yaml

import qgadash

# A single guest for the single-value variables, the All value for the multi-value ones.
SAMPLE_VALUES = {"job": "qga", "hypervisor": ".*", "guest": "web1", "datasource": "prometheus"}


def collect():
    """(where, substituted expr) for every dashboard query and label_values() selector."""
    items = []
    for path in qgadash.dashboard_files():
        board = qgadash.load(path)
        for title, ref, expr, _ in qgadash.panel_queries(board):
            items.append((f"{path.name}: {title} [{ref}]", qgadash.substitute(expr, SAMPLE_VALUES)))
        for name, selector, _ in qgadash.variable_queries(board):
            if selector is None:
                raise SystemExit(f"{path.name}: variable {name} is not a label_values() query")
            items.append((f"{path.name}: variable {name}", qgadash.substitute(selector, SAMPLE_VALUES)))
    return items


def main():
    items = collect()
    rules = [{"record": f"dashboard_query:{i}", "expr": expr} for i, (_, expr) in enumerate(items)]
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, f)
        f.flush()
        result = subprocess.run(["promtool", "check", "rules", f.name],
                                capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        # promtool names the failing rule by its index; map it back to the panel.
        for i, (where, expr) in enumerate(items):
            if f'"dashboard_query:{i}"' in result.stdout + result.stderr:
                print(f"  dashboard_query:{i} = {where}: {expr}")
        return 1
    print(f"ok   {len(items)} dashboard expressions parse (promtool check rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
