"""The Markdown the harness prints and, with --write, keeps in BENCHMARKS.md."""
import datetime
import os
import platform
import subprocess


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({model}), Linux {platform.release()}"


def revision(root):
    def git(*args):
        return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift")
    return commit + (" (with uncommitted changes in Sources)" if dirty else "")


def load_average():
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def render(context, sections):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Exporter benchmarks",
        "",
        "The latest run of `Benchmarks/exporter/run` (see `Benchmarks/exporter/README.md` for what each "
        "figure means and how it is measured). Encoder micro-benchmarks are in `Benchmarks/README.md`.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}; load average {context['load_before']} before the run, {load_average()} after",
        f"- Revision: {revision(context['root'])}; exporter and qga-sim release builds; {context['agent_version']}",
        f"- Command: `{context['command']}`",
    ]
    if context.get("note"):
        lines.append(f"- Note: {context['note']}")
    for title, body in sections:
        lines += ["", f"## {title}", "", body]
    return "\n".join(lines) + "\n"
