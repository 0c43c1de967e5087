"""HTML → PDF with WeasyPrint: one place for fonts, base URL and the CJK font family.

WeasyPrint embeds (and, with HarfBuzz's subsetter, subsets) the fonts it uses, so a PDF written in
Chinese reads the same on a machine without Noto CJK. Static files are resolved from the app's own
static folder (`base_url`), never fetched over the network.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# Noto Sans CJK SC carries Latin glyphs too, so one family gives Chinese and English the same look;
# naming it first also keeps Chinese from falling back to Japanese glyph forms.
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "DejaVu Sans", sans-serif'
MONO_FAMILY = '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace'


def static_base_url() -> str:
    """A file:// URL of the static folder, so `<img src="img/logo.svg">` in a PDF template resolves locally."""
    folder = Path(settings.STATICFILES_DIRS[0]) if settings.STATICFILES_DIRS else Path(settings.STATIC_ROOT)
    return folder.resolve().as_uri() + "/"


def _local_only():
    """A WeasyPrint URL fetcher that fetches local files and data: URLs only: a PDF never calls out."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"})


def html_to_pdf(html: str, *, base_url: str | None = None, report: Callable[[int, str], None] | None = None) -> bytes:
    """Render an HTML document to PDF bytes; fonts are embedded and subset, only local files are fetched.

    `report(percent, message)`, when given, hears when the layout is done and the file is being written.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    document = HTML(string=html, base_url=base_url or static_base_url(), url_fetcher=_local_only())
    laid_out = document.render(font_config=font_config)
    if report is not None:
        report(80, _("Writing the PDF (%(pages)s pages)") % {"pages": len(laid_out.pages)})
    return laid_out.write_pdf()
