"""An upload that is previewed before it is applied: upload → preview → apply, with the file kept in between.

The view previews the file (usually by importing it in a transaction rolled back at the end) and shows an "Import"
button carrying the file's digest. The file waits in the session meanwhile, so that the import applies exactly the
file that was previewed: another upload in between (another tab) changes the digest, and the import then asks to
check the new preview instead of applying a file nobody has looked at.
"""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _


class StagedUploadMixin:
    """For a project view: set `upload_form_class` (a form with a `file` field) and `session_prefix`, and write
    `preview(data, name, digest)` (renders the preview) and `apply_upload(data)` (applies the file; returns where to
    go, or None after saying why nothing was applied, and the preview is shown again)."""

    upload_form_class: type[forms.Form]
    session_prefix: str
    request: HttpRequest

    @property
    def session_key(self) -> str:
        return f"{self.session_prefix}.{self.project.pk}"  # type: ignore[attr-defined]

    def preview(self, data: bytes, name: str, digest: str) -> HttpResponse:
        raise NotImplementedError

    def apply_upload(self, data: bytes) -> HttpResponse | None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.POST.get("action") == "apply":
            return self._apply()
        form = self.upload_form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]
        upload = form.cleaned_data["file"]
        data = upload.read()
        digest = hashlib.sha256(data).hexdigest()
        request.session[self.session_key] = {
            "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
            "digest": digest,
        }
        return self.preview(data, upload.name, digest)

    def _apply(self) -> HttpResponse:
        stored = self.request.session.get(self.session_key)
        if not stored:
            messages.error(self.request, _("The uploaded file is no longer there: upload it again."))
            return HttpResponseRedirect(self.request.path)
        data = base64.b64decode(stored["data"])
        if stored.get("digest") != self.request.POST.get("digest"):
            messages.error(
                self.request,
                _("Another file was uploaded since this preview: check its preview below before importing."),
            )
        else:
            done = self.apply_upload(data)
            if done is not None:
                del self.request.session[self.session_key]
                return done
        return self.preview(data, stored["name"], stored["digest"])
