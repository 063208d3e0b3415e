"""Order statistics and the units the report prints."""
import statistics


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, fraction):
    """Linear interpolation between the closest ranks (as numpy's default does)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def milliseconds(seconds, digits=2):
    return f"{seconds * 1000:.{digits}f} ms"


def megabytes(count):
    """Decimal megabytes, the unit of the issue's memory target."""
    return f"{count / 1e6:.1f} MB"


def size(count):
    if count >= 1e6:
        return megabytes(count)
    return f"{count / 1e3:.1f} kB"
