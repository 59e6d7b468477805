"""Numbers as leadership reads them: rounded half up (四舍五入), in 亿元, with their unit."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["fmt_pct", "fmt_signed", "fmt_yi", "round_half_up"]


def round_half_up(value: float, digits: int = 0) -> float:
    """Round half away from zero (四舍五入), as Chinese statistics do, not to even.

    The value is read through its shortest decimal representation, so 2.675 (stored as
    2.67499999…) rounds to 2.68 as a person reading "2.675" expects.

    Examples
    --------
    >>> round_half_up(2.675, 2), round(2.675, 2)
    (2.68, 2.67)
    >>> round_half_up(0.125, 2), round_half_up(-11.65, 1), round_half_up(59.75, 1)
    (0.13, -11.7, 59.8)
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return value
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def fmt_yi(wan: float, digits: int = 2) -> str:
    """An amount in 万元 written in 亿元: ``fmt_yi(103600) == '10.36亿元'``.

    Examples
    --------
    >>> fmt_yi(103600), fmt_yi(12345.5), fmt_yi(float("nan"))
    ('10.36亿元', '1.23亿元', '—')
    """
    if wan is None or not math.isfinite(wan):
        return "—"
    return f"{round_half_up(wan / 1e4, digits):.{digits}f}亿元"


def fmt_pct(value: float, digits: int = 1) -> str:
    """A percentage with one decimal, half up: ``fmt_pct(59.75) == '59.8%'``.

    Examples
    --------
    >>> fmt_pct(59.75), fmt_pct(None)
    ('59.8%', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    return f"{round_half_up(value, digits):.{digits}f}%"


def fmt_signed(value: float | None, digits: int = 1) -> str:
    """A difference with its sign, half up, as a 通报 writes 与序时进度差: ``+10.3``, ``-5.0``,
    and ``0.0`` for what rounds to nothing.

    Examples
    --------
    >>> fmt_signed(10.25), fmt_signed(-5.0), fmt_signed(-0.04), fmt_signed(None)
    ('+10.3', '-5.0', '0.0', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    shown = round_half_up(value, digits)
    return f"{shown:+.{digits}f}" if shown else f"{0:.{digits}f}"
