from decimal import Decimal


def plain_decimal(value: Decimal | int | float | str | None) -> str:
    """A number as people write it: no trailing zeros and no exponent (99.5000 → "99.5", 100.0000 → "100").

    Decimal.normalize() alone turns 100 into "1E+2"; formatting with "f" keeps it plain.
    """
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)).normalize(), "f")
