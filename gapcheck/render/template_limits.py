"""Bounds on the work a report template may ask for.

Jinja's sandbox decides what a template may *reach* (no ``__class__``, no imports); it
does not bound how much it may *do*. A firm's template is user input, so
``{{ "x" * 10**10 }}``, ``{{ 2 ** 10**9 }}``, a macro that calls itself or a loop that
never ends must end in a one-line template error, not a frozen or killed process. Each
bound is far beyond what a report needs: the bundled DOCX report of a 60-obligation run
is about 2 MB of XML.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_BUILT_ITEMS = 10_000_000
"""Characters or items one ``*`` may build ("-" * 80 is fine; "x" * 10**10 is not)."""

MAX_POWER_BITS = 4096
"""Size of the integer one ``**`` may build (2 ** 4096 has 1,234 digits)."""

MAX_OUTPUT_CHARS = 200_000_000
"""Characters a whole template may render."""

RENDER_SECONDS = 120.0
"""Wall-clock time one rendering may take (enforced on POSIX, in the main thread)."""


class RenderTimeout(Exception):
    """Rendering a template outlasted :data:`RENDER_SECONDS`."""


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounds on repetition, powers and output size."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse a ``*`` or ``**`` whose result would be unreasonably large."""
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)

    def concat(self, pieces: Iterable[str]) -> str:
        """Join a template's output, stopping once it passes :data:`MAX_OUTPUT_CHARS`."""
        parts: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(
                    f"the template renders more than {MAX_OUTPUT_CHARS:,} characters"
                )
            parts.append(piece)
        return "".join(parts)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            built = len(sequence) * count
            if built > MAX_BUILT_ITEMS:
                raise SecurityError(
                    f"'*' would build {built:,} characters or items "
                    f"(a template may build at most {MAX_BUILT_ITEMS:,})"
                )


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        bits = exponent * math.log2(abs(base))
        if bits > MAX_POWER_BITS:
            raise SecurityError(
                f"'**' would build a {int(bits):,}-bit number "
                f"(a template may build at most {MAX_POWER_BITS:,} bits)"
            )


@contextmanager
def render_deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`RenderTimeout` inside the block once ``seconds`` have passed.

    ``seconds`` defaults to :data:`RENDER_SECONDS`.

    A Jinja loop that renders nothing (``{% for i in range(10**5) %}{% for j in
    range(10**5) %}{% endfor %}{% endfor %}``) touches no hook a sandbox can count, so
    the bound is a timer. Signals reach only the main thread and exist only on POSIX;
    elsewhere the block runs without a deadline.
    """
    limit = RENDER_SECONDS if seconds is None else seconds
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main_thread:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"rendering took longer than {limit:g} s")

    previous: Callable[..., Any] | int | None = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
