"""Small-number suppression for anything aggregate: no count under 10 is shown (no Django)."""

THRESHOLD = 10


def suppressed(count: int, *, threshold: int = THRESHOLD) -> str:
    """A count as shown to coordinators: "none", "fewer than 10", or the number."""
    if count <= 0:
        return "none"
    if count < threshold:
        return f"fewer than {threshold}"
    return str(count)


def is_shown(count: int, *, threshold: int = THRESHOLD) -> bool:
    return count == 0 or count >= threshold
