"""Form views that hand their work to a service."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from workbench.errors import BusinessRuleError
from workbench.locking import StaleVersionError


class ServiceFormMixin:
    """`form_valid` calls `save(form)` and answers with `saved(result)`; nothing is saved when it is refused.

    A stale version becomes a form error, a refusal of the rules (`BusinessRuleError`) one on `error_field`,
    a model check (`ValidationError`) one on its fields; the form comes back with what was typed.
    """

    error_field: str | None = None

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def saved(self, result: Any) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.save(form)
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except BusinessRuleError as exc:
            form.add_error(self.error_field, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return self.saved(result)
