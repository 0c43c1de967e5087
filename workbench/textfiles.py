"""Uploaded text files as Chinese offices save them: UTF-8 (with or without BOM) or GB18030 from Excel."""

from django.utils.translation import gettext as _


class UnreadableText(ValueError):
    """The bytes are neither UTF-8 nor GB18030; the message is shown to the user as it is."""


def decode_text(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8 (a BOM is dropped), else GB18030; raises UnreadableText."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableText(_("The file is not UTF-8 or GB18030 text. Save it as “CSV UTF-8” and try again."))
