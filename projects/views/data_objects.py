"""The data inventory: data objects in load order, their quality checks, cleansing rules (with the trend of the
failures they fix), profiled extracts, migration waves and history."""

from collections import defaultdict
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView

from projects.forms.data import (
    CleansingRuleEditForm,
    CleansingRuleForm,
    DataObjectEditForm,
    DataObjectForm,
    ExtractUploadForm,
    QualityCheckForm,
    WaveEditForm,
    WaveForm,
)
from projects.models import CleansingRule, DataObject, ExtractProfile, QualityCheck, Reconciliation, Wave
from projects.profiling import ProfilingError
from projects.services import migration as services
from projects.services.migration import MigrationError
from projects.services.profiling import check_trend, profile_upload
from workbench.access import ProjectAccessMixin, is_htmx
from workbench.forms import ServiceFormMixin
from workbench.history import Change, HistoryEntry, history_entries

HISTORY_PAGE_SIZE = 30
OPEN_RULE_STATUSES = (CleansingRule.Status.PROPOSED, CleansingRule.Status.IN_PROGRESS)
GOOD_SCORE = Decimal(95)
FAIR_SCORE = Decimal(80)
VERDICT_STATES = {
    Reconciliation.Verdict.PASS: ("good", "ti-check"),
    Reconciliation.Verdict.FAIL: ("bad", "ti-x"),
    Reconciliation.Verdict.PENDING: ("idle", "ti-clock"),
}

Crumbs = list[tuple[str, str | None]]


def _score_state(value: Any) -> str:
    if value is None:
        return "idle"
    value = Decimal(str(value))
    return "good" if value >= GOOD_SCORE else "warn" if value >= FAIR_SCORE else "bad"


def scores(profile: Any) -> list[dict[str, Any]]:
    """The three scores of a profile (a model or a values() dict) as label, value and state."""

    def get(name: str) -> Any:
        return profile[name] if isinstance(profile, dict) else getattr(profile, name)

    return [
        {"name": name, "label": label, "value": get(name), "state": _score_state(get(name))}
        for name, label in (
            ("completeness", _("Completeness")),
            ("accuracy", _("Accuracy")),
            ("uniqueness", _("Uniqueness")),
        )
    ]


def trend_of(points: list[int]) -> dict[str, Any]:
    """The failures of a check across extracts, and whether they went down (good), up (bad) or stayed."""
    if not points:
        return {"points": [], "direction": "none", "state": "idle"}
    first, last = points[0], points[-1]
    if len(points) == 1 or first == last:
        direction, state = "flat", ("good" if last == 0 else "idle")
    elif last < first:
        direction, state = "down", "good"
    else:
        direction, state = "up", "bad"
    shown = points if len(points) <= 4 else [points[0], None, *points[-2:]]  # None: "…"
    return {"points": shown, "direction": direction, "state": state, "first": first, "last": last}


class DataMixin(ProjectAccessMixin):
    """The Data section: fetches objects, checks, rules, profiles and waves through the project."""

    section = "data"

    def list_url(self) -> str:
        return reverse("projects:data-object-list", kwargs={"project_code": self.project.code})

    def wave_plan_url(self) -> str:
        return reverse("projects:wave-plan", kwargs={"project_code": self.project.code})

    def object_url(self, object_id: int, anchor: str = "") -> str:
        url = reverse("projects:data-object-detail", kwargs={"project_code": self.project.code, "object_id": object_id})
        return f"{url}#{anchor}" if anchor else url

    def get_object(self) -> DataObject:
        objects = self.project.data_objects.select_related("wave", "steward__user")
        return get_object_or_404(objects, pk=self.kwargs["object_id"])

    @cached_property
    def data_object(self) -> DataObject:
        return self.get_object()

    def get_check(self) -> QualityCheck:
        checks = QualityCheck.objects.select_related("data_object__project", "reference")
        return get_object_or_404(checks, pk=self.kwargs["check_id"], data_object__project=self.project)

    @cached_property
    def check(self) -> QualityCheck:
        return self.get_check()

    def get_rule(self) -> CleansingRule:
        rules = CleansingRule.objects.select_related("data_object__project", "owner__user", "quality_check")
        return get_object_or_404(rules, pk=self.kwargs["rule_id"], data_object__project=self.project)

    @cached_property
    def rule(self) -> CleansingRule:
        return self.get_rule()

    def get_wave(self) -> Wave:
        return get_object_or_404(self.project.waves.all(), pk=self.kwargs["wave_id"])

    @cached_property
    def wave(self) -> Wave:
        return self.get_wave()

    def crumbs(self) -> Crumbs:
        return [(_("Data"), self.list_url())]

    def object_crumbs(self, data_object: DataObject) -> Crumbs:
        return [(_("Data"), self.list_url()), (data_object.name, self.object_url(data_object.pk))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


def _split_depends_on(form: Any) -> tuple[dict[str, Any], list[DataObject] | None]:
    data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    depends_on = data.pop("depends_on", None)
    return data, (list(depends_on) if depends_on is not None else None)


# The inventory


class DataObjectListView(DataMixin, TemplateView):
    template_name = "projects/data/object_list.html"

    def crumbs(self) -> Crumbs:
        return [(_("Data"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = self.project
        try:
            objects = services.project_load_order(project)
            context["order_error"] = ""
        except MigrationError as exc:  # only data written around the services can hold a cycle
            objects = list(project.data_objects.select_related("wave", "steward__user").order_by("name"))
            context["order_error"] = str(exc)
        names = {o.pk: o.name for o in objects}
        needs: dict[int, list[str]] = defaultdict(list)
        through = DataObject.depends_on.through
        for from_id, to_id in through.objects.filter(from_dataobject__project=project).values_list(
            "from_dataobject_id", "to_dataobject_id"
        ):
            needs[from_id].append(names.get(to_id, "?"))
        latest: dict[int, dict[str, Any]] = {}
        profiles = (
            ExtractProfile.objects.filter(data_object__project=project, status=ExtractProfile.Status.DONE)
            .order_by("data_object_id", "-created_at", "-pk")
            .values("pk", "data_object_id", "completeness", "accuracy", "uniqueness")
        )
        for profile in profiles:
            latest.setdefault(profile["data_object_id"], profile)
        open_rules = dict(
            CleansingRule.objects.filter(data_object__project=project, status__in=OPEN_RULE_STATUSES)
            .order_by()
            .values_list("data_object_id")
            .annotate(n=Count("pk"))
        )
        context["rows"] = [
            {
                "object": data_object,
                "order": position,
                "needs": sorted(needs[data_object.pk], key=str.lower),
                "profile": latest.get(data_object.pk),
                "scores": scores(latest[data_object.pk]) if data_object.pk in latest else [],
                "open_rules": open_rules.get(data_object.pk, 0),
            }
            for position, data_object in enumerate(objects, start=1)
        ]
        context["static_count"] = sum(1 for o in objects if o.nature == DataObject.Nature.STATIC)
        context["dynamic_count"] = len(objects) - context["static_count"]
        return context


class DataObjectCreateView(DataMixin, FormView):
    template_name = "projects/data/object_form.html"
    form_class = DataObjectForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New data object"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = DataObject(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def form_valid(self, form: DataObjectForm) -> HttpResponse:
        data, depends_on = _split_depends_on(form)
        try:
            data_object = services.data_object_create(
                project=self.project, depends_on=depends_on or (), user=self.request.user, **data
            )
        except MigrationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s” added. Add its quality checks, then upload an extract to profile it.")
            % {"name": data_object.name},
        )
        return HttpResponseRedirect(self.object_url(data_object.pk))


class DataObjectEditView(ServiceFormMixin, DataMixin, FormView):
    template_name = "projects/data/object_form.html"
    form_class = DataObjectEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()  # its own copy: the form writes what was typed onto it
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_object"] = self.data_object
        return context

    def save(self, form: DataObjectEditForm) -> DataObject:
        data, depends_on = _split_depends_on(form)
        return services.data_object_update(
            data_object=self.get_object(),
            expected_version=form.cleaned_data["version"],
            depends_on=depends_on,
            user=self.request.user,
            **data,
        )

    def saved(self, data_object: DataObject) -> HttpResponse:
        messages.success(self.request, _("“%(name)s” saved.") % {"name": data_object.name})
        return HttpResponseRedirect(self.object_url(data_object.pk))


class DataObjectDeleteView(DataMixin, TemplateView):
    template_name = "projects/data/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("Delete"), None)]

    def blockers(self) -> list[str]:
        data_object = self.data_object
        reasons = []
        needed_by = sorted(data_object.needed_by.values_list("name", flat=True))
        if needed_by:
            reasons.append(_("These objects depend on it: %(names)s.") % {"names": ", ".join(needed_by)})
        checked_by = sorted(
            set(
                data_object.referenced_by_checks.exclude(data_object=data_object).values_list(
                    "data_object__name", flat=True
                )
            )
        )
        if checked_by:
            reasons.append(
                _("Checks of these objects compare values with its keys: %(names)s.") % {"names": ", ".join(checked_by)}
            )
        loads = data_object.reconciliations.count()
        if loads:
            reasons.append(
                ngettext("%(count)s trial load reconciled it.", "%(count)s trial loads reconciled it.", loads)
                % {"count": loads}
            )
        return reasons

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data_object = self.data_object
        context["heading"] = _("Delete data object")
        context["question"] = _("Delete the data object “%(name)s”?") % {"name": data_object.name}
        context["blockers"] = self.blockers()
        counts = {
            "checks": data_object.checks.count(),
            "rules": data_object.cleansing_rules.count(),
            "profiles": data_object.profiles.count(),
        }
        context["consequence"] = _(
            "Its %(checks)s, %(rules)s and %(profiles)s (with their files) are deleted with it. The history keeps "
            "the object."
        ) % {
            "checks": ngettext("%(count)s check", "%(count)s checks", counts["checks"]) % {"count": counts["checks"]},
            "rules": ngettext("%(count)s cleansing rule", "%(count)s cleansing rules", counts["rules"])
            % {"count": counts["rules"]},
            "profiles": ngettext("%(count)s profiled extract", "%(count)s profiled extracts", counts["profiles"])
            % {"count": counts["profiles"]},
        }
        context["cancel_url"] = self.object_url(data_object.pk)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data_object = self.data_object
        try:
            services.data_object_delete(data_object=data_object)
        except MigrationError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.object_url(data_object.pk))
        messages.success(request, _("Data object “%(name)s” deleted.") % {"name": data_object.name})
        return HttpResponseRedirect(self.list_url())


class DataObjectDetailView(DataMixin, TemplateView):
    template_name = "projects/data/object_detail.html"

    def crumbs(self) -> Crumbs:
        return [(_("Data"), self.list_url()), (self.data_object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data_object = self.data_object
        checks = list(data_object.checks.select_related("reference").order_by("column", "pk"))
        rules = list(data_object.cleansing_rules.select_related("owner__user", "quality_check").order_by("pk"))
        trends: dict[int, dict[str, Any]] = {}
        for rule in rules:
            check = rule.quality_check
            if check is not None and check.pk not in trends:
                trends[check.pk] = trend_of([failures for _profile, failures in check_trend(check)])
            rule.trend = trends.get(rule.quality_check_id) if check is not None else None
        profiles = list(data_object.profiles.select_related("uploaded_by").defer("result"))
        for profile in profiles:
            profile.scores = scores(profile) if profile.status == ExtractProfile.Status.DONE else []
        reconciliations = list(data_object.reconciliations.select_related("load").order_by("load__number"))
        for reconciliation in reconciliations:
            reconciliation.state, reconciliation.icon = VERDICT_STATES[reconciliation.verdict]
        context.update(
            {
                "data_object": data_object,
                "needs": list(data_object.depends_on.order_by("name")),
                "needed_by": list(data_object.needed_by.order_by("name")),
                "checks": checks,
                "rules": rules,
                "profiles": profiles,
                "reconciliations": reconciliations,
            }
        )
        if context["can_edit"]:
            context["check_form"] = QualityCheckForm(data_object=data_object, prefix="check")
            context["rule_form"] = CleansingRuleForm(data_object=data_object, prefix="rule")
            context["upload_form"] = ExtractUploadForm()
        return context


class DataObjectHistoryView(DataMixin, TemplateView):
    """The object's changes, its dependencies', its checks' and its cleansing rules'."""

    template_name = "projects/data/object_history.html"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("History"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data_object = self.data_object
        entries = history_entries(
            [
                DataObject.history.filter(id=data_object.pk),
                QualityCheck.history.filter(data_object_id=data_object.pk),
                CleansingRule.history.filter(data_object_id=data_object.pk),
            ],
            hidden_fields=["project", "data_object"],
        )
        entries.extend(dependency_entries(data_object))
        entries.sort(key=lambda e: e.when, reverse=True)
        context["data_object"] = data_object
        context["page_obj"] = Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


def dependency_entries(data_object: DataObject) -> list[HistoryEntry]:
    """Changes of what the object depends on, from the history of its dependencies (two queries)."""
    records = list(
        DataObject.history.filter(id=data_object.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    through = DataObject.history.model._meta.get_field("historicaldataobject_depends_on").related_model
    sets: dict[int, set[int]] = defaultdict(set)
    for history_id, to_id in through.objects.filter(history__id=data_object.pk).values_list(
        "history_id", "to_dataobject_id"
    ):
        sets[history_id].add(to_id)
    ids = set().union(*sets.values()) if sets else set()
    names = dict(DataObject.objects.filter(pk__in=ids).values_list("pk", "name"))
    label = str(DataObject._meta.get_field("depends_on").verbose_name)

    def text(pks: set[int]) -> str:
        return ", ".join(sorted((names.get(pk, f"#{pk}") for pk in pks), key=str.lower))

    entries = []
    previous: set[int] = set()
    for record in records:
        current = sets.get(record.history_id, set())
        if record.history_type != "-" and current != previous:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    action="~",
                    model_label=str(DataObject._meta.verbose_name),
                    object_label=record.name,
                    reason="",
                    changes=[Change(label, (text(previous) or "—") if previous else "", text(current) or "—")],
                )
            )
        previous = current
    return entries


# Quality checks


class CheckFormMixin(DataMixin):
    template_name = "projects/data/check_form.html"
    form_class = QualityCheckForm
    required_capability = "edit"

    def owner_object(self) -> DataObject:
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["data_object"] = self.owner_object()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_object"] = self.owner_object()
        return context

    def save(self, form: QualityCheckForm, check: QualityCheck) -> QualityCheck | None:
        for name, value in form.cleaned_data.items():
            setattr(check, name, value)
        try:
            return services.quality_check_save(check)
        except MigrationError as exc:
            form.add_error(form.error_field(), str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        return None


class CheckCreateView(CheckFormMixin, FormView):
    def owner_object(self) -> DataObject:
        return self.data_object

    def get_prefix(self) -> str | None:
        return "check"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("New quality check"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = QualityCheck(data_object=self.data_object)
        return kwargs

    def form_valid(self, form: QualityCheckForm) -> HttpResponse:
        check = self.save(form, QualityCheck(data_object=self.data_object))
        if check is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Check “%(check)s” added; the next profiled extract is held to it.") % {"check": check}
        )
        return HttpResponseRedirect(self.object_url(self.data_object.pk, "checks"))


class CheckEditView(CheckFormMixin, FormView):
    def owner_object(self) -> DataObject:
        return self.check.data_object

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.check.data_object), (str(self.check), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_check()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["check"] = self.check
        return context

    def form_valid(self, form: QualityCheckForm) -> HttpResponse:
        check = self.save(form, self.get_check())
        if check is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Check “%(check)s” saved.") % {"check": check})
        return HttpResponseRedirect(self.object_url(check.data_object_id, "checks"))


class CheckDeleteView(DataMixin, TemplateView):
    template_name = "projects/data/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.check.data_object), (_("Delete check"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rules = self.check.cleansing_rules.count()
        context["heading"] = _("Delete quality check")
        context["question"] = _("Delete the check “%(check)s”?") % {"check": self.check}
        context["consequence"] = (
            ngettext(
                "%(count)s cleansing rule fixes it; the rule stays, without a check to follow.",
                "%(count)s cleansing rules fix it; the rules stay, without a check to follow.",
                rules,
            )
            % {"count": rules}
            if rules
            else _("Extracts profiled before keep their results. The history keeps the check.")
        )
        context["cancel_url"] = self.object_url(self.check.data_object_id, "checks")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check = self.check
        label = str(check)
        services.quality_check_delete(check=check)
        messages.success(request, _("Check “%(check)s” deleted.") % {"check": label})
        return HttpResponseRedirect(self.object_url(check.data_object_id, "checks"))


# Cleansing rules


class RuleCreateView(DataMixin, FormView):
    template_name = "projects/data/rule_form.html"
    form_class = CleansingRuleForm
    required_capability = "edit"

    def get_prefix(self) -> str | None:
        return "rule"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("New cleansing rule"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = CleansingRule(data_object=self.data_object)
        kwargs["data_object"] = self.data_object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_object"] = self.data_object
        return context

    def form_valid(self, form: CleansingRuleForm) -> HttpResponse:
        try:
            services.cleansing_rule_create(data_object=self.data_object, user=self.request.user, **form.cleaned_data)
        except MigrationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Cleansing rule added."))
        return HttpResponseRedirect(self.object_url(self.data_object.pk, "rules"))


class RuleEditView(ServiceFormMixin, DataMixin, FormView):
    template_name = "projects/data/rule_form.html"
    form_class = CleansingRuleEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.rule.data_object), (_("Edit cleansing rule"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_rule()
        kwargs["data_object"] = self.rule.data_object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_object"] = self.rule.data_object
        context["rule"] = self.rule
        return context

    def save(self, form: CleansingRuleEditForm) -> CleansingRule:
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        return services.cleansing_rule_update(
            rule=self.get_rule(), expected_version=form.cleaned_data["version"], user=self.request.user, **data
        )

    def saved(self, rule: CleansingRule) -> HttpResponse:
        messages.success(self.request, _("Cleansing rule saved."))
        return HttpResponseRedirect(self.object_url(rule.data_object_id, "rules"))


class RuleDeleteView(DataMixin, TemplateView):
    template_name = "projects/data/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.rule.data_object), (_("Delete cleansing rule"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Delete cleansing rule")
        context["question"] = _("Delete the cleansing rule “%(rule)s”?") % {"rule": self.rule}
        context["consequence"] = _("The history keeps it.")
        context["cancel_url"] = self.object_url(self.rule.data_object_id, "rules")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = self.rule
        services.cleansing_rule_delete(rule=rule)
        messages.success(request, _("Cleansing rule deleted. The history keeps it."))
        return HttpResponseRedirect(self.object_url(rule.data_object_id, "rules"))


# Profiled extracts


class ProfileUploadView(DataMixin, FormView):
    """POST an extract: profiled at once when small (refused whole when unreadable), in the background otherwise."""

    template_name = "projects/data/profile_upload.html"
    form_class = ExtractUploadForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.data_object), (_("Upload an extract"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_object"] = self.data_object
        return context

    def form_valid(self, form: ExtractUploadForm) -> HttpResponse:
        try:
            profile = profile_upload(
                data_object=self.data_object, upload=form.cleaned_data["file"], user=self.request.user
            )
        except (MigrationError, ProfilingError) as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if profile.status == ExtractProfile.Status.DONE:
            messages.success(self.request, _("Extract profiled."))
        elif profile.status != ExtractProfile.Status.FAILED:
            messages.info(self.request, _("The extract is large: it is profiled in the background."))
        url = reverse("projects:profile-detail", kwargs={"project_code": self.project.code, "profile_id": profile.pk})
        return HttpResponseRedirect(url)


DELIMITERS = {",": gettext_lazy("comma (,)"), ";": gettext_lazy("semicolon (;)"), "\t": gettext_lazy("tab")}


class ProfileDetailView(DataMixin, TemplateView):
    """The profile; while it is queued or running, the status part reloads itself every 2 s (htmx)."""

    template_name = "projects/data/profile_detail.html"
    partial_template = "projects/data/_profile_body.html"

    @cached_property
    def profile(self) -> ExtractProfile:
        profiles = ExtractProfile.objects.select_related("data_object__wave", "uploaded_by")
        return get_object_or_404(profiles, pk=self.kwargs["profile_id"], data_object__project=self.project)

    def get_template_names(self) -> list[str]:
        if is_htmx(self.request) or self.request.GET.get("partial"):
            return [self.partial_template]
        return [self.template_name]

    def crumbs(self) -> Crumbs:
        return [*self.object_crumbs(self.profile.data_object), (self.profile.original_name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        profile = self.profile
        context["profile"] = profile
        context["data_object"] = profile.data_object
        context["finished"] = profile.status in (ExtractProfile.Status.DONE, ExtractProfile.Status.FAILED)
        context["poll_url"] = f"{self.request.path}?partial=1"
        if profile.status == ExtractProfile.Status.DONE:
            result = profile.result or {}
            delimiter = result.get("delimiter", "")
            context["result"] = result
            context["scores"] = scores(profile)
            context["delimiter"] = DELIMITERS.get(delimiter, delimiter or "—")
            context["checks"] = [
                {**check, "state": "good" if not check.get("failures") else "bad"} for check in result.get("checks", [])
            ]
        return context


# Waves


class WavePlanView(DataMixin, FormView):
    """Everyone reads the plan; editors add waves (POST)."""

    template_name = "projects/data/wave_plan.html"
    form_class = WaveForm
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Waves"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            plan = services.wave_plan(self.project)
        except MigrationError as exc:
            plan = {"waves": [(wave, []) for wave in self.project.waves.all()], "unassigned": [], "problems": []}
            context["order_error"] = str(exc)
        context["plan"] = plan
        context["object_count"] = sum(len(objects) for _wave, objects in plan["waves"]) + len(plan["unassigned"])
        if not context["can_edit"]:
            context.pop("form", None)
        return context

    def form_valid(self, form: WaveForm) -> HttpResponse:
        data = {name: value for name, value in form.cleaned_data.items() if value is not None}
        try:
            wave = services.wave_create(project=self.project, user=self.request.user, **data)
        except MigrationError as exc:
            form.add_error("number", str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Wave %(wave)s added. Put objects in it from their edit page.") % {"wave": wave}
        )
        return HttpResponseRedirect(f"{self.wave_plan_url()}#wave-{wave.pk}")


class WaveEditView(ServiceFormMixin, DataMixin, FormView):
    template_name = "projects/data/wave_form.html"
    form_class = WaveEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Waves"), self.wave_plan_url()), (str(self.wave), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_wave()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["wave"] = self.wave
        return context

    error_field = "number"  # the rule refusing a wave edit is a wave number already taken

    def save(self, form: WaveEditForm) -> Wave:
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        return services.wave_update(
            wave=self.get_wave(), expected_version=form.cleaned_data["version"], user=self.request.user, **data
        )

    def saved(self, wave: Wave) -> HttpResponse:
        messages.success(self.request, _("Wave %(wave)s saved.") % {"wave": wave})
        return HttpResponseRedirect(f"{self.wave_plan_url()}#wave-{wave.pk}")


class WaveDeleteView(DataMixin, TemplateView):
    template_name = "projects/data/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Waves"), self.wave_plan_url()), (_("Delete wave"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        count = self.wave.data_objects.count()
        context["heading"] = _("Delete wave")
        context["question"] = _("Delete wave %(wave)s?") % {"wave": self.wave}
        context["consequence"] = (
            ngettext(
                "Its %(count)s object stays in the inventory, in no wave.",
                "Its %(count)s objects stay in the inventory, in no wave.",
                count,
            )
            % {"count": count}
            if count
            else _("No object is in it.")
        )
        context["cancel_url"] = self.wave_plan_url()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wave = self.wave
        label = str(wave)
        services.wave_delete(wave=wave, user=request.user)
        messages.success(request, _("Wave %(wave)s deleted.") % {"wave": label})
        return HttpResponseRedirect(self.wave_plan_url())
