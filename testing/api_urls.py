"""UAT under /api/v1/projects/{code}/ (namespace api-testing). PLACEHOLDER until the API lands."""

app_name = "api-testing"

urlpatterns: list = []
