#!/usr/bin/env python3
"""Checks the Prometheus configuration snippets of docs/prometheus.md with promtool.

Every ```yaml block that holds Prometheus config keys (scrape_configs, remote_write, global,
rule_files) is wrapped into a complete config and checked with `promtool check config
--syntax-only`; every ```json block must parse (the file_sd example). Usage: doc_configs.py
"""
import json
import re
import subprocess
import sys
import tempfile

import yaml

import qgadash

DOC = qgadash.DASHBOARDS_DIR.parent / "docs" / "prometheus.md"
BLOCK = re.compile(r"```(yaml|json)\n(.*?)```", re.S)
CONFIG_KEYS = {"scrape_configs", "remote_write", "global", "rule_files"}


def main():
    failures, checked = 0, 0
    for number, (kind, text) in enumerate(BLOCK.findall(DOC.read_text()), start=1):
        where = f"{DOC.name} block {number} ({kind})"
        if kind == "json":
            try:
                json.loads(text)
                checked += 1
            except ValueError as err:
                failures += 1
                print(f"FAIL {where}: {err}")
            continue
        document = yaml.safe_load(text)
        if not isinstance(document, dict) or not CONFIG_KEYS & set(document):
            continue
        if "scrape_configs" not in document and "global" not in document:
            document.setdefault("scrape_configs", [])
        with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
            yaml.safe_dump(document, f)
            f.flush()
            result = subprocess.run(["promtool", "check", "config", "--syntax-only", f.name],
                                    capture_output=True, text=True)
        checked += 1
        if result.returncode != 0:
            failures += 1
            print(f"FAIL {where}:\n{result.stdout}{result.stderr}")
    if checked == 0:
        print(f"FAIL no configuration blocks found in {DOC}")
        return 1
    if not failures:
        print(f"ok   {checked} configuration blocks of docs/prometheus.md pass promtool")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
