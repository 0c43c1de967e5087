"""PDF rendering: local images and data: URLs are drawn, nothing is fetched from the network."""

import base64
from io import BytesIO

from pypdf import PdfReader

from tests.conftest import PNG_1PX
from workbench.pdf import html_to_pdf


def _images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(BytesIO(data)).pages)


def test_a_data_url_image_is_drawn():
    src = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    pdf = html_to_pdf(f'<p>Photo</p><img src="{src}" style="width:2cm">')
    assert pdf.startswith(b"%PDF") and _images(pdf) == 1


def test_a_remote_image_is_never_fetched(monkeypatch):
    import urllib.request

    calls = []

    def no_network(self, request, *args, **kwargs):  # WeasyPrint would swallow an exception: record instead
        calls.append(getattr(request, "full_url", request))
        raise OSError("offline")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    pdf = html_to_pdf('<p>Logo</p><img src="https://example.com/logo.png">')
    assert pdf.startswith(b"%PDF") and _images(pdf) == 0
    assert calls == []
