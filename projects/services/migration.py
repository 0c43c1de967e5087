"""Write operations of data migration, with their rules.

- Dependencies between data objects stay inside the project and never form a cycle; the load order is derived
  from them (`load_order`): an object comes after everything it depends on; among objects that are free to
  go, static master data before dynamic data, then by wave, then by name.
- A reconciliation's verdict follows from its control figures: pending without any, fail when one is outside
  its tolerance, pass otherwise (`reconciliation_refresh`, called whenever a figure changes).
- Only the object's data steward signs a reconciliation, by re-entering the password; a failing one only
  with a comment that says why. Signatures are immutable (`DataSignOff`).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from projects.models import (
    DataObject,
    DataSignOff,
    Measure,
    Project,
    QualityCheck,
    Reconciliation,
    TrialLoad,
    Wave,
)
from workbench.errors import BusinessRuleError
from workbench.graphs import find_cycle
from workbench.locking import save_versioned


class MigrationError(BusinessRuleError):
    """A data migration rule refused the change; the message is shown to the user as it is."""


class DependencyCycle(MigrationError):
    def __init__(self, cycle: list[int], message: str = "") -> None:
        self.cycle = cycle
        super().__init__(message or _("These objects depend on each other in a circle."))


# Load order -----------------------------------------------------------------------------------------------


def load_order(nodes: Mapping[int, Any], edges: Mapping[int, Iterable[int]]) -> list[int]:
    """The nodes in an order where each comes after those it depends on (`edges[a]` = what a depends on).

    Among nodes free to go, the one with the smallest `nodes[node]` sort key goes first. Raises MigrationError
    naming the cycle when there is one.
    """
    if cycle := find_cycle(edges):
        raise DependencyCycle(cycle)
    waiting = {node: {d for d in edges.get(node, ()) if d in nodes} for node in nodes}
    order: list[int] = []
    while waiting:
        ready = [node for node, deps in waiting.items() if not deps]
        node = min(ready, key=lambda n: (nodes[n], n))
        order.append(node)
        del waiting[node]
        for deps in waiting.values():
            deps.discard(node)
    return order


def _sort_key(data_object: DataObject) -> tuple:
    static_first = 0 if data_object.nature == DataObject.Nature.STATIC else 1
    wave = data_object.wave.number if data_object.wave_id else 10_000
    return (static_first, wave, data_object.name.lower())


def project_load_order(project: Project) -> list[DataObject]:
    """The project's data objects in load order (two queries)."""
    objects = {o.pk: o for o in project.data_objects.select_related("wave", "steward__user")}
    edges: dict[int, set[int]] = {pk: set() for pk in objects}
    through = DataObject.depends_on.through
    for from_id, to_id in through.objects.filter(from_dataobject__project=project).values_list(
        "from_dataobject_id", "to_dataobject_id"
    ):
        edges[from_id].add(to_id)
    try:
        order = load_order({pk: _sort_key(o) for pk, o in objects.items()}, edges)
    except DependencyCycle as cycle:  # only data written around the services can hold one
        raise DependencyCycle(
            cycle.cycle,
            _("These objects depend on each other in a circle: %(cycle)s.")
            % {"cycle": " → ".join(objects[pk].name for pk in cycle.cycle)},
        ) from None
    return [objects[pk] for pk in order]


def _cycle_names(project: Project, cycle: Sequence[int]) -> str:
    names = dict(project.data_objects.filter(pk__in=cycle).values_list("pk", "name"))
    return " → ".join(names.get(pk, "?") for pk in cycle)


def _check_dependencies(data_object: DataObject, depends_on: Iterable[DataObject]) -> list[DataObject]:
    """The dependencies, if they keep the project free of cycles; otherwise MigrationError naming the circle."""
    depends_on = list(depends_on)
    project = data_object.project
    if any(d.project_id != project.pk for d in depends_on):
        raise MigrationError(_("An object can only depend on objects of the same project."))
    if any(d.pk == data_object.pk for d in depends_on):
        raise MigrationError(_("An object cannot depend on itself."))
    edges: dict[int, set[int]] = {}
    through = DataObject.depends_on.through
    for from_id, to_id in through.objects.filter(from_dataobject__project=project).values_list(
        "from_dataobject_id", "to_dataobject_id"
    ):
        edges.setdefault(from_id, set()).add(to_id)
    edges[data_object.pk] = {d.pk for d in depends_on}
    if cycle := find_cycle(edges):
        raise MigrationError(
            _("That would make the objects depend on each other in a circle: %(cycle)s.")
            % {"cycle": _cycle_names(project, cycle)}
        )
    return depends_on


# Data objects and waves -----------------------------------------------------------------------------------


def _check_fields(project: Project, fields: dict[str, Any]) -> None:
    steward = fields.get("steward")
    if steward is not None and steward.project_id != project.pk:
        raise MigrationError(_("The data steward must be a member of this project."))
    wave = fields.get("wave")
    if wave is not None and wave.project_id != project.pk:
        raise MigrationError(_("Choose a wave of this project."))


@transaction.atomic
def data_object_create(
    *,
    project: Project,
    name: str,
    depends_on: Iterable[DataObject] = (),
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> DataObject:
    _check_fields(project, fields)
    if project.data_objects.filter(name__iexact=name.strip()).exists():
        raise MigrationError(_("There is a data object called “%(name)s” already.") % {"name": name.strip()})
    data_object = DataObject(project=project, name=name.strip(), **fields)
    data_object.full_clean()
    data_object._history_user = user
    data_object.save()
    data_object.depends_on.set(_check_dependencies(data_object, depends_on))
    return data_object


@transaction.atomic
def data_object_update(
    *,
    data_object: DataObject,
    expected_version: int,
    depends_on: Iterable[DataObject] | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> DataObject:
    for frozen in ("project", "version"):
        fields.pop(frozen, None)
    _check_fields(data_object.project, fields)
    name = fields.get("name", data_object.name).strip()
    if data_object.project.data_objects.filter(name__iexact=name).exclude(pk=data_object.pk).exists():
        raise MigrationError(_("There is a data object called “%(name)s” already.") % {"name": name})
    for field, value in fields.items():
        setattr(data_object, field, value)
    data_object.full_clean()
    data_object._history_user = user
    if depends_on is not None:
        depends_on = _check_dependencies(data_object, depends_on)
    save_versioned(data_object, expected_version=expected_version)
    if depends_on is not None:
        data_object.depends_on.set(depends_on)
    return data_object


@transaction.atomic
def wave_create(*, project: Project, name: str, user: AbstractBaseUser | None = None, **fields: Any) -> Wave:
    Project.objects.select_for_update().get(pk=project.pk)  # numbers are given one at a time
    number = fields.pop("number", None) or (project.waves.aggregate(last=Max("number"))["last"] or 0) + 1
    if project.waves.filter(number=number).exists():
        raise MigrationError(_("There is a wave %(number)s already.") % {"number": number})
    wave = Wave(project=project, number=number, name=name, **fields)
    wave.full_clean()
    wave._history_user = user
    wave.save()
    return wave


def wave_plan(project: Project) -> dict[str, Any]:
    """The waves with their objects in load order, the objects in no wave, and the dependencies that point
    to a later wave (or to no wave): an object cannot be loaded before what it needs."""
    order = project_load_order(project)
    waves = list(project.waves.all())
    by_wave: dict[int | None, list[DataObject]] = {wave.pk: [] for wave in waves}
    by_wave[None] = []
    for data_object in order:
        by_wave[data_object.wave_id].append(data_object)
    number = {o.pk: (o.wave.number if o.wave_id else None) for o in order}
    names = {o.pk: o.name for o in order}
    problems = []
    through = DataObject.depends_on.through
    for from_id, to_id in through.objects.filter(from_dataobject__project=project).values_list(
        "from_dataobject_id", "to_dataobject_id"
    ):
        mine, theirs = number[from_id], number[to_id]
        if mine is not None and (theirs is None or theirs > mine):
            problems.append(
                _("%(object)s (wave %(wave)s) needs %(needed)s, which is loaded later.")
                % {"object": names[from_id], "wave": mine, "needed": names[to_id]}
            )
    return {
        "waves": [(wave, by_wave[wave.pk]) for wave in waves],
        "unassigned": by_wave[None],
        "problems": problems,
    }


# Quality checks -------------------------------------------------------------------------------------------


def quality_check_save(check: QualityCheck) -> QualityCheck:
    """Save a check after testing that its settings fit its kind (a pattern compiles, a range is a range…)."""
    if not check.column.strip():
        raise MigrationError(_("Say which column the check applies to."))
    if check.kind == QualityCheck.Kind.PATTERN:
        try:
            re.compile(check.pattern)
        except re.error as exc:
            message = _("The pattern is not a valid regular expression: %(error)s") % {"error": exc}
            raise MigrationError(message) from None
        if not check.pattern:
            raise MigrationError(_("Give the pattern the values must match."))
    if check.kind == QualityCheck.Kind.ALLOWED and not [v for v in check.allowed.splitlines() if v.strip()]:
        raise MigrationError(_("List the allowed values, one per line."))
    if check.kind == QualityCheck.Kind.RANGE:
        if check.minimum is None and check.maximum is None:
            raise MigrationError(_("Give a minimum, a maximum or both."))
        if check.minimum is not None and check.maximum is not None and check.minimum > check.maximum:
            raise MigrationError(_("The minimum is above the maximum."))
    if check.kind == QualityCheck.Kind.REFERENCE:
        reference = check.reference
        if reference is None or reference.project_id != check.data_object.project_id:
            raise MigrationError(_("Choose the data object whose keys the values must be."))
        if not reference.keys:
            raise MigrationError(_("%(object)s has no key column yet; set it first.") % {"object": reference.name})
    check.full_clean()
    check.save()
    return check


# Trial loads and reconciliation ---------------------------------------------------------------------------


@transaction.atomic
def trial_load_create(*, project: Project, name: str, user: AbstractBaseUser | None = None, **fields) -> TrialLoad:
    Project.objects.select_for_update().get(pk=project.pk)  # numbers are given one at a time
    number = (project.trial_loads.aggregate(last=Max("number"))["last"] or 0) + 1
    load = TrialLoad(project=project, number=number, name=name, **fields)
    load.full_clean()
    load._history_user = user
    load.save()
    return load


def reconciliation_for(*, load: TrialLoad, data_object: DataObject) -> Reconciliation:
    if data_object.project_id != load.project_id:
        raise MigrationError(_("The data object belongs to another project."))
    reconciliation, _created = Reconciliation.objects.get_or_create(load=load, data_object=data_object)
    return reconciliation


def verdict_of(measures: Iterable[Measure]) -> str:
    measures = list(measures)
    if not measures:
        return Reconciliation.Verdict.PENDING
    if all(m.within_tolerance for m in measures):
        return Reconciliation.Verdict.PASS
    return Reconciliation.Verdict.FAIL


def reconciliation_refresh(reconciliation: Reconciliation) -> Reconciliation:
    verdict = verdict_of(reconciliation.measures.all())
    if verdict != reconciliation.verdict:
        reconciliation.verdict = verdict
        reconciliation.save(update_fields=["verdict", "updated_at"])
    return reconciliation


@transaction.atomic
def measure_set(
    *,
    reconciliation: Reconciliation,
    name: str,
    source_value: Decimal,
    target_value: Decimal,
    tolerance: Decimal = Decimal(0),
    tolerance_kind: str = Measure.ToleranceKind.ABSOLUTE,
) -> Measure:
    """Set a control figure by name (a second call with the same name changes it) and refresh the verdict.
    Once the reconciliation is signed its figures stay as they were signed."""
    if reconciliation.pk and reconciliation.signoffs.exists():
        raise MigrationError(_("The reconciliation is signed; its figures stay as they were signed."))
    if not name.strip():
        raise MigrationError(_("Name the control figure, e.g. record count."))
    if tolerance < 0:
        raise MigrationError(_("A tolerance cannot be negative."))
    order = (reconciliation.measures.aggregate(last=Max("order"))["last"] or 0) + 1
    measure, created = Measure.objects.get_or_create(
        reconciliation=reconciliation,
        name=name.strip(),
        defaults={
            "order": order,
            "source_value": source_value,
            "target_value": target_value,
            "tolerance": tolerance,
            "tolerance_kind": tolerance_kind,
        },
    )
    if not created:
        measure.source_value, measure.target_value = source_value, target_value
        measure.tolerance, measure.tolerance_kind = tolerance, tolerance_kind
    measure.full_clean()
    measure.save()
    reconciliation_refresh(reconciliation)
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    reconciliation = measure.reconciliation
    if reconciliation.signoffs.exists():
        raise MigrationError(_("The reconciliation is signed; its figures stay as they were signed."))
    measure.delete()
    reconciliation_refresh(reconciliation)


@transaction.atomic
def data_sign(
    *, reconciliation: Reconciliation, user: AbstractBaseUser, password: str, comment: str = ""
) -> DataSignOff:
    """The data steward signs one object in one load, re-entering the password."""
    if not user.check_password(password):
        raise MigrationError(_("The password is not right; nothing was signed."))
    steward = reconciliation.data_object.steward
    if steward is None:
        raise MigrationError(_("%(object)s has no data steward to sign it.") % {"object": reconciliation.data_object})
    if steward.user_id != user.pk:
        raise MigrationError(
            _("Only the data steward of %(object)s (%(steward)s) signs it.")
            % {"object": reconciliation.data_object, "steward": steward.user.get_full_name() or steward.user}
        )
    reconciliation = reconciliation_refresh(reconciliation)
    if reconciliation.verdict == Reconciliation.Verdict.PENDING:
        raise MigrationError(_("Enter the control figures before signing."))
    if reconciliation.verdict == Reconciliation.Verdict.FAIL and not comment.strip():
        raise MigrationError(_("The reconciliation fails: say in the comment why you sign it anyway."))
    return DataSignOff.objects.create(
        reconciliation=reconciliation, signer=user, verdict=reconciliation.verdict, comment=comment.strip()
    )


# Trial loads and reconciliation pages (area: data loads) ---------------------------------------------------


@transaction.atomic
def trial_load_update(
    *, load: TrialLoad, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> TrialLoad:
    """Change a trial load's name, environment, date or notes; StaleVersionError when it changed meanwhile."""
    for frozen in ("project", "number", "version"):
        fields.pop(frozen, None)
    for field, value in fields.items():
        setattr(load, field, value)
    load.full_clean()
    load._history_user = user
    save_versioned(load, expected_version=expected_version)
    return load


def _check_exception_owner(reconciliation: Reconciliation, owner: Any) -> None:
    if owner is not None and owner.project_id != reconciliation.load.project_id:
        raise MigrationError(_("The owner must be a member of this project."))


@transaction.atomic
def reconciliation_exception_add(
    *, reconciliation: Reconciliation, description: str, user: AbstractBaseUser | None = None, **fields: Any
) -> Any:
    """Record a record that did not arrive as it left (the owner must be a project member)."""
    from projects.models import ReconciliationException

    if not description.strip():
        raise MigrationError(_("Describe what is wrong with the record."))
    _check_exception_owner(reconciliation, fields.get("owner"))
    exception = ReconciliationException(reconciliation=reconciliation, description=description.strip(), **fields)
    exception.full_clean()
    exception._history_user = user
    exception.save()
    return exception


@transaction.atomic
def reconciliation_exception_update(
    *, exception: Any, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> Any:
    """Change an exception (owner, disposition…); StaleVersionError when it changed meanwhile."""
    for frozen in ("reconciliation", "version"):
        fields.pop(frozen, None)
    if "description" in fields:
        fields["description"] = fields["description"].strip()
        if not fields["description"]:
            raise MigrationError(_("Describe what is wrong with the record."))
    _check_exception_owner(exception.reconciliation, fields.get("owner"))
    for field, value in fields.items():
        setattr(exception, field, value)
    exception.full_clean()
    exception._history_user = user
    save_versioned(exception, expected_version=expected_version)
    return exception


# API ------------------------------------------------------------------------------------------------------


@transaction.atomic
def data_object_delete(*, data_object: DataObject) -> None:
    """Delete an object nothing else needs: no object depends on it, no other object's check compares with its
    keys and no load reconciled it (a reconciliation may carry signatures). Its extracts' files go with it."""
    needed_by = sorted(data_object.needed_by.values_list("name", flat=True))
    if needed_by:
        raise MigrationError(
            _("%(object)s cannot be deleted: %(others)s depend on it.")
            % {"object": data_object.name, "others": ", ".join(needed_by)}
        )
    checked_by = sorted(
        data_object.referenced_by_checks.exclude(data_object=data_object)
        .values_list("data_object__name", flat=True)
        .distinct()
    )
    if checked_by:
        raise MigrationError(
            _("%(object)s cannot be deleted: checks of %(others)s compare values with its keys.")
            % {"object": data_object.name, "others": ", ".join(checked_by)}
        )
    if data_object.reconciliations.exists():
        raise MigrationError(
            _("%(object)s cannot be deleted: trial loads have reconciled it.") % {"object": data_object.name}
        )
    files = [(p.file.storage, p.file.name) for p in data_object.profiles.only("file") if p.file]
    data_object.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def reconciliation_record(
    *, load: TrialLoad, data_object: DataObject, measures: Sequence[Mapping[str, Any]]
) -> tuple[Reconciliation, bool]:
    """Record control figures of one object in one load at once (`measure_set`): all or, when one
    is refused, none. A signed reconciliation keeps the figures it was signed with. Returns (it, created)."""
    created = not Reconciliation.objects.filter(load=load, data_object=data_object).exists()
    reconciliation = reconciliation_for(load=load, data_object=data_object)
    names = [str(m.get("name", "")).strip().lower() for m in measures]
    if len(set(names)) != len(names):
        raise MigrationError(_("Name each control figure once."))
    for measure in measures:
        measure_set(reconciliation=reconciliation, **measure)
    reconciliation.refresh_from_db()
    return reconciliation, created


# Data inventory pages (area: data objects) ----------------------------------------------------------------


@transaction.atomic
def quality_check_delete(*, check: QualityCheck) -> None:
    """Delete a check; cleansing rules that fixed it keep going, without a check (their trend is gone)."""
    check.delete()


def _check_rule_fields(data_object: DataObject, fields: dict[str, Any]) -> None:
    owner = fields.get("owner")
    if owner is not None and owner.project_id != data_object.project_id:
        raise MigrationError(_("The owner must be a member of this project."))
    check = fields.get("quality_check")
    if check is not None and check.data_object_id != data_object.pk:
        raise MigrationError(_("Choose one of this object's checks."))
    if "description" in fields:
        fields["description"] = fields["description"].strip()
        if not fields["description"]:
            raise MigrationError(_("Describe what the rule changes in the data."))


@transaction.atomic
def cleansing_rule_create(
    *, data_object: DataObject, description: str, user: AbstractBaseUser | None = None, **fields: Any
) -> Any:
    """A cleansing rule of the object; the owner is a project member and the check one of the object's."""
    from projects.models import CleansingRule

    fields["description"] = description
    _check_rule_fields(data_object, fields)
    rule = CleansingRule(data_object=data_object, **fields)
    rule.full_clean()
    rule._history_user = user
    rule.save()
    return rule


@transaction.atomic
def cleansing_rule_update(
    *, rule: Any, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> Any:
    """Change a rule; StaleVersionError when it changed after the user opened it."""
    for frozen in ("data_object", "version"):
        fields.pop(frozen, None)
    _check_rule_fields(rule.data_object, fields)
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.full_clean()
    rule._history_user = user
    return save_versioned(rule, expected_version=expected_version)


@transaction.atomic
def cleansing_rule_delete(*, rule: Any) -> None:
    rule.delete()


@transaction.atomic
def wave_update(*, wave: Wave, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any) -> Wave:
    """Rename or renumber a wave (numbers stay unique in the project); StaleVersionError when it changed."""
    for frozen in ("project", "version"):
        fields.pop(frozen, None)
    number = fields.get("number") or wave.number
    if wave.project.waves.filter(number=number).exclude(pk=wave.pk).exists():
        raise MigrationError(_("There is a wave %(number)s already.") % {"number": number})
    fields["number"] = number
    for field, value in fields.items():
        setattr(wave, field, value)
    wave.full_clean()
    wave._history_user = user
    return save_versioned(wave, expected_version=expected_version)


@transaction.atomic
def wave_delete(*, wave: Wave, user: AbstractBaseUser | None = None) -> int:
    """Delete a wave; its objects stay, in no wave (each change recorded in their history). Returns how many."""
    moved = 0
    for data_object in wave.data_objects.select_for_update().order_by("pk"):
        data_object.wave = None
        data_object._history_user = user
        save_versioned(data_object, expected_version=data_object.version)
        moved += 1
    wave._history_user = user
    wave.delete()
    return moved
