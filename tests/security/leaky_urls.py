"""The real URLconf plus one project page that forgot its access control (for the walk's self-test)."""

from django.urls import path
from django.views.generic import TemplateView

from workbench.urls import urlpatterns as real_urlpatterns


class LeakyOverview(TemplateView):
    template_name = "404.html"


urlpatterns = [
    *real_urlpatterns,
    path("p/<slug:project_code>/leaky/", LeakyOverview.as_view(), name="leaky-overview"),
]
