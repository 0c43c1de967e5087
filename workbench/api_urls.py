"""Every app's API under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("projects.api.urls")),
    path("", include("requirements.api_urls")),
    path("", include("testing.api_urls")),
]
