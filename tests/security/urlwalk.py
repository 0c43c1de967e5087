"""Walks the URLconf so that access tests cover every view, including ones added later."""

from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

SAFE = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    route: str  # the joined route, e.g. "p/<slug:project_code>/team/<int:membership_id>/edit/"
    name: str  # "namespace:name"
    callback: Any
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name or self.route

    @property
    def project_scoped(self) -> bool:
        return "project_code" in self.kwargs

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")

    def methods(self) -> list[str]:
        """The HTTP methods this view answers (besides HEAD/OPTIONS)."""
        if self.is_api:
            return sorted(m.upper() for m in self.callback.actions if m not in {"head", "options"})
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None:
            return sorted(
                m.upper()
                for m in view_class.http_method_names
                if hasattr(view_class, m) and m not in {"head", "options"}
            )
        return ["GET", "POST"]

    def required_capability(self, method: str) -> str | None:
        """The capability the view declares for `method`, or None when it declares none."""
        if self.is_api:
            cls = self.callback.cls
            return (
                getattr(cls, "read_capability", "view") if method in SAFE else getattr(cls, "write_capability", "edit")
            )
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None:
            if method not in SAFE and getattr(view_class, "write_capability", None):
                return view_class.write_capability
            return getattr(view_class, "required_capability", None)
        return getattr(self.callback, "required_capability", None)


def _walk(patterns: list, prefix: str, namespace: str, converters: dict) -> list[Route]:
    routes = []
    for entry in patterns:
        pattern = str(entry.pattern)
        names = getattr(entry.pattern, "converters", None) or entry.pattern.regex.groupindex
        conv = {**converters, **dict.fromkeys(names)}
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            routes += _walk(entry.url_patterns, prefix + pattern, full_ns, conv)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            routes.append(Route(prefix + pattern, name, entry.callback, tuple(conv)))
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns, "", "", {})
