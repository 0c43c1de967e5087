"""API for the vendor comparison: vendors, offers with their cost lines, criteria, scores, fit-gap and the
comparison itself (weighted score, rank, knock-outs, must-have coverage, TCO, sensitivity).

Reads need "view", writes "edit"; a vendor-portal member (role "respond" only) gets 403 on all of it.
Every write goes through `requirements.selection`; a stale `version` is 409 Conflict, a refused change
400 with the rule's message. Scores stay independent as on the pages: a user sees the others' scores of
an offer only after submitting their own, and always writes as themselves.
"""

from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from projects.models import Project
from requirements import evaluation
from requirements import selection as svc
from requirements.api import ProjectRequirementField
from requirements.comparison import Comparison, OfferRow, build_comparison
from requirements.models import Criterion, Fit, Offer, QuoteLine, Score, ScoreSubmission, Vendor
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

ONE_TIME, YEARLY = "one_time", "yearly"
UNANSWERED = evaluation.UNANSWERED

# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ProjectVendorField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no vendor {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[Vendor]:
        return Vendor.objects.filter(project=self.context["project"])


@extend_schema_field(OpenApiTypes.INT)
class ProjectOfferField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no offer {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[Offer]:
        return Offer.objects.filter(project=self.context["project"]).select_related("project")


@extend_schema_field(OpenApiTypes.INT)
class ProjectCriterionField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no criterion {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[Criterion]:
        return Criterion.objects.filter(project=self.context["project"])


@extend_schema_field({"type": "string", "enum": [ONE_TIME, YEARLY]})
class CostTypeField(serializers.Field):
    """DESIGN's cost-line type: a quote line's kind decides whether it is paid once or every year."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="recurring", read_only=True, **kwargs)

    def to_representation(self, recurring: bool) -> str:
        return YEARLY if recurring else ONE_TIME


# --- Serializers -----------------------------------------------------------------------------


class VendorSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "contacts", "website", "notes", "version"]
        validators: list = []  # the service checks the name and says so in words


class CostLineSerializer(serializers.ModelSerializer):
    type = CostTypeField(help_text=_("one_time or yearly; follows from the kind (subscription, maintenance, …)."))

    class Meta:
        model = QuoteLine
        fields = ["id", "kind", "type", "amount", "year_from", "year_to", "note"]


class OfferSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    vendor = ProjectVendorField(help_text=_("Id of a vendor of this project; an offer stays with its vendor."))
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    cost_lines = CostLineSerializer(
        source="quote_lines",
        many=True,
        read_only=True,
        help_text=_("The quote; change it under …/offers/{offer_id}/cost-lines/."),
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "product",
            "deployment",
            "product_version",
            "notes",
            "version",
            "cost_lines",
        ]
        validators: list = []  # the service refuses a duplicate product with its own message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        vendor = attrs.get("vendor")
        if self.instance is not None and vendor is not None and vendor.pk != self.instance.vendor_id:
            raise serializers.ValidationError(
                {"vendor": [_("An offer stays with its vendor; create a new offer for another vendor.")]}
            )
        return attrs


class CriterionSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    share = serializers.SerializerMethodField(
        help_text=_("The weight as a share of all the criteria's weights (0–1), as the ranking uses it.")
    )

    class Meta:
        model = Criterion
        fields = ["id", "name", "group", "weight", "share", "description", "version"]
        validators: list = []

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_share(self, criterion: Criterion) -> float:
        # Computed once per response, after any write, so that a new weight shows in every share.
        if "shares" not in self.context:
            self.context["shares"] = criterion_shares(self.context["project"])
        return self.context["shares"].get(criterion.pk, 0.0)


class ScoreSerializer(serializers.ModelSerializer):
    offer = ProjectOfferField(help_text=_("Id of an offer of this project."))
    criterion = ProjectCriterionField(help_text=_("Id of a criterion of this project."))
    evaluator = serializers.CharField(
        source="evaluator.username", read_only=True, help_text=_("Always you when you write: you score as yourself.")
    )
    submitted = serializers.BooleanField(
        read_only=True, help_text=_("The evaluator has submitted their scores for this offer: they are fixed.")
    )

    class Meta:
        model = Score
        fields = ["id", "offer", "criterion", "evaluator", "value", "note", "submitted", "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list = []  # POST sets your score whether it exists or not


class ScoreSubmitSerializer(serializers.Serializer):
    offer = ProjectOfferField(help_text=_("Id of the offer whose scores you submit; every criterion must be scored."))


class ScoreSubmissionSerializer(serializers.ModelSerializer):
    evaluator = serializers.CharField(source="evaluator.username", read_only=True)
    submitted_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ScoreSubmission
        fields = ["offer", "evaluator", "submitted_at"]
        read_only_fields = fields


class FitSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    offer = ProjectOfferField(help_text=_("Id of an offer of this project."))
    requirement = ProjectRequirementField(help_text=_("Key of a requirement of this project (REQ-001)."))

    class Meta:
        model = Fit
        fields = ["id", "offer", "requirement", "level", "effort_days", "cost", "note", "version"]
        validators: list = []  # POST sets the fit of an offer and a requirement whether it exists or not
        extra_kwargs = {
            "effort_days": {"help_text": _("Customisation only.")},
            "cost": {"help_text": _("Customisation only; counts in the offer's TCO.")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in ("offer", "requirement"):
                if name in attrs and attrs[name].pk != getattr(self.instance, f"{name}_id"):
                    raise serializers.ValidationError(
                        {name: [_("A fit answers for one offer and one requirement; set a new fit instead.")]}
                    )
        return attrs


# The comparison (read-only) ------------------------------------------------------------------


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True, **kwargs)


class ExclusionSerializer(serializers.Serializer):
    condition = serializers.CharField(read_only=True, help_text=_("The knock-out condition the offer fails."))
    reason = serializers.CharField(read_only=True)


class GapSerializer(serializers.Serializer):
    requirement = serializers.CharField(read_only=True, help_text=_("Key of the must-have (REQ-001)."))
    level = serializers.ChoiceField(
        choices=[Fit.Level.CUSTOMISATION, Fit.Level.NOT_SUPPORTED, UNANSWERED],
        read_only=True,
        help_text=_("Why it is not met without customisation; unanswered: no fit given yet."),
    )


class CoverageSerializer(serializers.Serializer):
    share = serializers.FloatField(read_only=True, allow_null=True, help_text=_("met ÷ total; null: no must-haves."))
    met = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text=_("Open must-haves (not rejected or deferred)."))
    gaps = GapSerializer(many=True, read_only=True)


class TcoSerializer(serializers.Serializer):
    total = _money(help_text=_("Quote over the horizon plus fit-gap customisation."))
    npv = _money(allow_null=True, help_text=_("Present value at the discount rate; null without a rate."))
    one_time = _money()
    recurring = _money()
    customisation = _money(help_text=_("The cost of the customisation fits, paid in year 1."))
    by_year = serializers.ListField(child=_money(), read_only=True, help_text=_("Year 1 first."))


class ComparedOfferSerializer(serializers.Serializer):
    offer = serializers.IntegerField(read_only=True, help_text=_("Id of the offer."))
    vendor = serializers.IntegerField(read_only=True, help_text=_("Id of the vendor."))
    vendor_name = serializers.CharField(read_only=True)
    product = serializers.CharField(read_only=True)
    deployment = serializers.ChoiceField(choices=Offer.Deployment.choices, read_only=True)
    score = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Weighted agreed score, 1–5; null: nothing scored.")
    )
    score_percent = serializers.FloatField(read_only=True, allow_null=True, help_text=_("The score on 0–100 %."))
    scored_share = serializers.FloatField(read_only=True, help_text=_("The share of the weight already scored."))
    rank = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("null: excluded or unscored."))
    excluded = serializers.BooleanField(read_only=True, help_text=_("It fails a knock-out condition."))
    exclusions = ExclusionSerializer(many=True, read_only=True)
    unchecked_knockouts = serializers.IntegerField(read_only=True, help_text=_("Conditions not yet checked."))
    must_have_coverage = CoverageSerializer(read_only=True)
    tco = TcoSerializer(read_only=True)
    customisation_days = serializers.DecimalField(max_digits=None, decimal_places=1, read_only=True)


class GroupShareSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=Criterion.Group.choices, read_only=True)
    share = serializers.FloatField(read_only=True, help_text=_("The group's share of all the weight (0–1)."))


class SensitivitySerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=Criterion.Group.choices, read_only=True)
    current = serializers.FloatField(read_only=True, help_text=_("The group's share now (0–1)."))
    threshold = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("The share at which another offer draws level with the leader; null: never."),
    )
    new_leader = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Id of that offer."))
    leader = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Id of the leader now."))


class ComparisonSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    years = serializers.IntegerField(read_only=True, help_text=_("The TCO horizon."))
    discount_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True, allow_null=True)
    leader = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Id of the offer ranked 1st."))
    offers = ComparedOfferSerializer(many=True, read_only=True, help_text=_("Ranked first, by rank."))
    groups = GroupShareSerializer(many=True, read_only=True)
    sensitivity = SensitivitySerializer(many=True, read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The read model as plain data for ComparisonSerializer: the same figures the comparison page shows."""
    selection = comparison.selection
    leader = comparison.leader
    return {
        "currency": selection.currency,
        "years": selection.years,
        "discount_rate": selection.discount_rate,
        "leader": leader.offer.pk if leader else None,
        "offers": [_offer_data(row) for row in comparison.rows],
        "groups": [{"group": group.value, "share": group.share} for group in comparison.groups],
        "sensitivity": [
            {
                "group": t.group,
                "current": t.current,
                "threshold": t.weight,
                "new_leader": t.new_leader,
                "leader": t.leader,
            }
            for t in comparison.sensitivity
        ],
        "warnings": [str(warning) for warning in comparison.warnings],
    }


def _offer_data(row: OfferRow) -> dict[str, Any]:
    offer, tco, coverage = row.offer, row.tco, row.coverage
    return {
        "offer": offer.pk,
        "vendor": offer.vendor_id,
        "vendor_name": offer.vendor.name,
        "product": offer.product,
        "deployment": offer.deployment,
        "score": row.score.total,
        "score_percent": row.total_percent,
        "scored_share": row.score.scored_share,
        "rank": row.rank,
        "excluded": row.excluded,
        "exclusions": [{"condition": e.condition, "reason": e.reason} for e in row.exclusions],
        "unchecked_knockouts": row.unchecked,
        "must_have_coverage": {
            "share": coverage.share,
            "met": coverage.met,
            "total": coverage.total,
            "gaps": [{"requirement": key, "level": level} for key, level in coverage.gaps],
        },
        "tco": {
            "total": tco.total,
            "npv": tco.npv,
            "one_time": tco.one_time,
            "recurring": tco.recurring,
            "customisation": tco.customisation,
            "by_year": tco.by_year,
        },
        "customisation_days": row.customisation_days,
    }


# --- Selectors -------------------------------------------------------------------------------


def criterion_shares(project: Project) -> dict[int, float]:
    """Each criterion's normalised weight, as the comparison computes it (all 0 when every weight is 0)."""
    specs = [
        evaluation.CriterionSpec(pk, group, float(weight))
        for pk, group, weight in Criterion.objects.filter(project=project).values_list("pk", "group", "weight")
    ]
    if not specs:
        return {}
    try:
        return evaluation.criterion_weights(specs)
    except ValueError:  # every weight is 0
        return {spec.id: 0.0 for spec in specs}


def visible_scores(project: Project, viewer: Any) -> QuerySet[Score]:
    """The scores `viewer` may see, with `submitted` annotated: their own always, another evaluator's only when
    both of them have submitted for that offer (the rule of `requirements.comparison.evaluator_scores`)."""
    evaluator_submitted = Exists(
        ScoreSubmission.objects.filter(offer=OuterRef("offer_id"), evaluator=OuterRef("evaluator_id"))
    )
    viewer_submitted = Exists(ScoreSubmission.objects.filter(offer=OuterRef("offer_id"), evaluator=viewer))
    return (
        Score.objects.filter(offer__project=project)
        .annotate(submitted=evaluator_submitted)
        .filter(Q(evaluator=viewer) | (Q(submitted=True) & viewer_submitted))
        .select_related("evaluator")
        .order_by("offer__vendor__name", "offer__product", "criterion__group", "criterion__order", "criterion_id", "pk")
    )


# --- Filters ---------------------------------------------------------------------------------


def _id_filter(field_name: str, label: str) -> django_filters.NumberFilter:
    return extend_schema_field(OpenApiTypes.INT)(django_filters.NumberFilter(field_name=field_name, label=label))


class OfferFilter(django_filters.FilterSet):
    vendor = _id_filter("vendor_id", _("Only the offers of this vendor (id)."))

    class Meta:
        model = Offer
        fields = ["vendor", "deployment"]


class CriterionFilter(django_filters.FilterSet):
    class Meta:
        model = Criterion
        fields = ["group"]


class ScoreFilter(django_filters.FilterSet):
    offer = _id_filter("offer_id", _("Only the scores of this offer (id)."))
    criterion = _id_filter("criterion_id", _("Only the scores on this criterion (id)."))

    class Meta:
        model = Score
        fields = ["offer", "criterion"]


class FitFilter(django_filters.FilterSet):
    offer = _id_filter("offer_id", _("Only the fits of this offer (id)."))
    requirement = django_filters.CharFilter(
        field_name="requirement__key", lookup_expr="iexact", label=_("Only the fits of this requirement (key).")
    )

    class Meta:
        model = Fit
        fields = ["offer", "requirement", "level"]


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


class VendorViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The vendors taking part in the comparison, by name. Deleting one deletes its offers."""

    serializer_class = VendorSerializer
    queryset = Vendor.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "vendor_id"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Vendor]:
        return Vendor.objects.filter(project=self.project).order_by("name", "pk")

    def perform_create(self, serializer: VendorSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            vendor = svc.vendor_create(project=self.project, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=vendor.pk)

    def perform_update(self, serializer: VendorSerializer) -> None:
        expected, data = _changes(serializer)
        vendor = Vendor.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors():
            svc.vendor_update(vendor=vendor, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=vendor.pk)

    def perform_destroy(self, instance: Vendor) -> None:
        with service_errors():
            svc.vendor_delete(vendor=instance)


class OfferViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The offers, by vendor and product, each with its cost lines. Filter by ?vendor=<id> and ?deployment=."""

    serializer_class = OfferSerializer
    queryset = Offer.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "offer_id"
    filterset_class = OfferFilter

    def get_queryset(self) -> QuerySet[Offer]:
        return (
            Offer.objects.filter(project=self.project)
            .select_related("vendor")
            .prefetch_related("quote_lines")
            .order_by("vendor__name", "product", "pk")
        )

    def perform_create(self, serializer: OfferSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            offer = svc.offer_create(user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=offer.pk)

    def perform_update(self, serializer: OfferSerializer) -> None:
        expected, data = _changes(serializer)
        offer = Offer.objects.select_related("project", "vendor").get(pk=serializer.instance.pk)
        with service_errors():
            svc.offer_update(offer=offer, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=offer.pk)

    def perform_destroy(self, instance: Offer) -> None:
        with service_errors():
            svc.offer_delete(offer=instance)


class CostLineViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The quote of one offer, line by line. The kind decides the type: subscription, maintenance, support and
    hosting are paid every year (from year_from to year_to, empty: to the horizon), the others once."""

    serializer_class = CostLineSerializer
    queryset = QuoteLine.objects.none()  # for the schema; get_queryset scopes to the offer
    lookup_url_kwarg = "line_id"
    filter_backends: list = []

    @cached_property
    def offer(self) -> Offer:
        """The offer from the URL, looked up through the project: another project's offer is 404."""
        return get_object_or_404(Offer.objects.filter(project=self.project), pk=self.kwargs["offer_id"])

    def get_queryset(self) -> QuerySet[QuoteLine]:
        return self.offer.quote_lines.order_by("year_from", "kind", "pk")

    def perform_create(self, serializer: CostLineSerializer) -> None:
        with service_errors():
            serializer.instance = svc.quote_line_create(
                offer=self.offer, user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer: CostLineSerializer) -> None:
        line = QuoteLine.objects.get(pk=serializer.instance.pk)
        with service_errors():
            serializer.instance = svc.quote_line_update(line=line, user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: QuoteLine) -> None:
        with service_errors():
            svc.quote_line_delete(line=instance)


class CriterionViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The scoring criteria by group, with their weights and normalised shares. Filter by ?group=.

    A criterion offers have been scored on cannot be deleted: set its weight to 0 instead."""

    serializer_class = CriterionSerializer
    queryset = Criterion.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "criterion_id"
    filterset_class = CriterionFilter

    def get_queryset(self) -> QuerySet[Criterion]:
        return Criterion.objects.filter(project=self.project).order_by("group", "order", "pk")

    def perform_create(self, serializer: CriterionSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            criterion = svc.criterion_create(project=self.project, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=criterion.pk)

    def perform_update(self, serializer: CriterionSerializer) -> None:
        expected, data = _changes(serializer)
        criterion = Criterion.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors():
            svc.criterion_update(criterion=criterion, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=criterion.pk)

    def perform_destroy(self, instance: Criterion) -> None:
        with service_errors():
            svc.criterion_delete(criterion=instance)


class ScoreViewSet(ProjectScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your scores, and the other evaluators' submitted scores of the offers you have submitted yourself.
    Filter by ?offer=<id> and ?criterion=<id>.

    POST sets your score of an offer on a criterion (201 new, 200 changed); you always score as yourself,
    and not after you submitted your scores for that offer."""

    serializer_class = ScoreSerializer
    queryset = Score.objects.none()  # for the schema; get_queryset scopes to the project and the viewer
    filterset_class = ScoreFilter

    def get_queryset(self) -> QuerySet[Score]:
        return visible_scores(self.project, self.request.user)

    @extend_schema(responses={200: ScoreSerializer, 201: ScoreSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = Score.objects.filter(offer=data["offer"], criterion=data["criterion"], evaluator=request.user)
        existed = existed.exists()
        with service_errors():
            score = svc.score_set(evaluator=request.user, **data)
        fresh = self.get_queryset().get(pk=score.pk)
        return Response(
            self.get_serializer(fresh).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class ScoreSubmitViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """Submit your scores of an offer: they are fixed from then on, the team sees them, and you see theirs."""

    serializer_class = ScoreSubmitSerializer
    queryset = ScoreSubmission.objects.none()  # for the schema; nothing is listed here
    filter_backends: list = []
    pagination_class = None

    @extend_schema(request=ScoreSubmitSerializer, responses={201: ScoreSubmissionSerializer})
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        with service_errors("offer"):
            submission = svc.scores_submit(offer=params.validated_data["offer"], evaluator=request.user)
        return Response(ScoreSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class FitViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """Fit-gap: how each offer meets each requirement. Filter by ?offer=<id>, ?requirement=<key>, ?level=.

    POST sets the fit of an offer and a requirement (201 new, 200 changed); send the `version` you read to be
    told (409) when someone changed it meanwhile. Effort and cost belong to customisation only."""

    serializer_class = FitSerializer
    queryset = Fit.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "fit_id"
    filterset_class = FitFilter

    def get_queryset(self) -> QuerySet[Fit]:
        return (
            Fit.objects.filter(offer__project=self.project)
            .select_related("requirement")
            .order_by("offer__vendor__name", "offer__product", "offer_id", "requirement__number", "pk")
        )

    @extend_schema(responses={200: FitSerializer, 201: FitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected, data = _changes(serializer)
        existed = Fit.objects.filter(offer=data["offer"], requirement=data["requirement"]).exists()
        with service_errors():
            fit = svc.fit_set(user=request.user, expected_version=expected, **data)
        fresh = self.get_queryset().get(pk=fit.pk)
        return Response(
            self.get_serializer(fresh).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    def perform_update(self, serializer: FitSerializer) -> None:
        expected, data = _changes(serializer)
        fit = Fit.objects.select_related("offer", "requirement").get(pk=serializer.instance.pk)
        values = {name: getattr(fit, name) for name in ("level", "effort_days", "cost", "note")}
        values.update({name: data[name] for name in values if name in data})
        with service_errors():
            svc.fit_set(
                offer=fit.offer,
                requirement=fit.requirement,
                user=self.request.user,
                expected_version=expected,
                **values,
            )
        serializer.instance = self.get_queryset().get(pk=fit.pk)

    def perform_destroy(self, instance: Fit) -> None:
        with service_errors():
            svc.fit_clear(offer=instance.offer, requirement=instance.requirement)


class ComparisonViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """The comparison as the page shows it: per offer the weighted agreed score and rank (knocked-out offers
    unranked, with the failed conditions), must-have coverage and TCO over the horizon; per criterion group its
    share and the share at which the lead would change hands."""

    serializer_class = ComparisonSerializer
    queryset = Offer.objects.none()  # for the schema; the comparison reads the whole project
    filter_backends: list = []
    pagination_class = None

    def comparison(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(comparison_data(build_comparison(self.project))).data)
