from decimal import Decimal


def plain_decimal(value: Decimal | int | float | str | None) -> str:
    """A number as people write it: no trailing zeros and no exponent (99.5000 → "99.5", 100.0000 → "100").

    Decimal.normalize() alone turns 100 into "1E+2"; formatting with "f" keeps it plain.
    """
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def hours_minutes(minutes: int, signed: bool = False) -> str:
    """Whole minutes as people read a duration: 80 → "1 h 20 min", 120 → "2 h", 45 → "45 min".

    Signed, for a difference from plan: "+1 h 20 min", "−35 min", "±0 min".
    """
    from django.utils.translation import gettext as _

    sign = ""
    if signed:
        sign = "+" if minutes > 0 else "−" if minutes < 0 else "±"
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        text = _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    elif hours:
        text = _("%(hours)d h") % {"hours": hours}
    else:
        text = _("%(minutes)d min") % {"minutes": rest}
    return sign + text
