#!/usr/bin/env python3
"""Checks that the promtool unit tests and the runbook cover every rule.

- every alert, at every severity it has, is expected to FIRE in some alert_rule_test;
- every alert is also expected to stay SILENT (exp_alerts: []) at some evaluation;
- every recording rule is evaluated by some promql_expr_test;
- every alert has summary, description and a runbook_url whose anchor is a heading of
  docs/alerts.md.
Usage: rule_coverage.py   (exit 1 on any gap).
"""
import pathlib
import re
import sys

import yaml

import qgadash

TESTS = qgadash.DASHBOARDS_DIR / "rules" / "tests"
RUNBOOK = qgadash.DASHBOARDS_DIR.parent / "docs" / "alerts.md"


def github_anchor(heading):
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def main():
    errors = []
    alerts, records = {}, set()
    for path in qgadash.RULE_FILES:
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    alerts.setdefault(rule["alert"], []).append(rule)
                else:
                    records.add(rule["record"])

    fired, silent, evaluated = set(), set(), set()
    for path in sorted(TESTS.glob("*.yml")):
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                expected = case.get("exp_alerts") or []
                if not expected:
                    silent.add(case["alertname"])
                for alert in expected:
                    fired.add((case["alertname"], alert["exp_labels"].get("severity")))
            for case in test.get("promql_expr_test", []):
                evaluated.update(name for name in records if name in case["expr"])

    anchors = set()
    if RUNBOOK.exists():
        anchors = {github_anchor(line.lstrip("#")) for line in RUNBOOK.read_text().splitlines()
                   if line.startswith("#")}
    else:
        errors.append(f"missing runbook {RUNBOOK}")

    for name, variants in sorted(alerts.items()):
        for rule in variants:
            severity = rule["labels"]["severity"]
            if (name, severity) not in fired:
                errors.append(f"{name} ({severity}): no unit test expects it to fire")
            notes = rule.get("annotations", {})
            for key in ("summary", "description", "runbook_url"):
                if not notes.get(key):
                    errors.append(f"{name} ({severity}): no {key}")
            anchor = notes.get("runbook_url", "").partition("#")[2]
            if anchor not in anchors:
                errors.append(f"{name}: runbook anchor #{anchor} is not a heading of docs/alerts.md")
        if name not in silent:
            errors.append(f"{name}: no unit test expects it to stay silent")
    for name in sorted(records - evaluated):
        errors.append(f"recording rule {name}: no promql_expr_test evaluates it")

    for error in errors:
        print(f"FAIL {error}")
    if not errors:
        count = sum(len(v) for v in alerts.values())
        print(f"ok   {count} alerting rules ({len(alerts)} alerts) fire and stay silent in tests, "
              f"{len(records)} recording rules evaluated, runbook anchors present")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
