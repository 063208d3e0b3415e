"""What the generators of committed files share: write them, or with --check only compare."""
import sys


def write_or_check(script, outputs, check):
    """Writes each of `outputs` (path: text) or, with `check`, writes nothing and names those that
    differ from what is committed. `script` is the generator's path from the repository root.
    Returns the exit status: 1 when a file is out of date."""
    stale = []
    for path, text in outputs.items():
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        name = script.rsplit("/", 1)[-1]
        print(f"{name}: out of date: {', '.join(stale)}; run {script}", file=sys.stderr)
        return 1
    return 0
