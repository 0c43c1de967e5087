from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from workbench import views

account_urls = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("settings/", views.AccountSettingsView.as_view(), name="account-settings"),
    path("token/", views.token_regenerate, name="account-token"),
]

urlpatterns = [
    path("", include("projects.urls")),
    path("", include("requirements.urls")),
    path("", include("testing.urls")),
    path("accounts/", include(account_urls)),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("api/v1/", include("workbench.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "workbench.views.permission_denied"
