"""Profiling an uploaded extract of a data object against its quality checks (the engine: projects.profiling).

A small extract is profiled in the request: a file the engine cannot read (wrong encoding, no header, a
ragged row…) is refused with its message and nothing is stored. A large one is stored and profiled in the
background with progress on its page; if it then turns out unreadable, the profile says why and the file is
deleted. Reference checks compare values with the keys of the referenced object's latest profiled extract.
"""

import json
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.models import DataObject, ExtractProfile, QualityCheck
from projects.profiling import Check, ProfilingError, extract_keys, profile_extract
from projects.services.migration import MigrationError
from workbench.jobs import job_enqueue

SYNC_LIMIT = 2 * 1024 * 1024  # bytes profiled while the user waits; larger extracts go to the background
EXTENSIONS = (".csv", ".txt", ".xlsx")


def latest_profile(data_object: DataObject) -> ExtractProfile | None:
    return data_object.profiles.filter(status=ExtractProfile.Status.DONE).order_by("-created_at", "-pk").first()


def engine_checks(data_object: DataObject) -> list[Check]:
    checks = []
    for check in data_object.checks.select_related("reference").order_by("pk"):
        checks.append(
            Check(
                column=check.column,
                kind=check.kind,
                pattern=check.pattern,
                allowed=tuple(v.strip() for v in check.allowed.splitlines() if v.strip()),
                minimum=check.minimum,
                maximum=check.maximum,
                reference=str(check.reference_id or ""),
                label=str(check),
                id=check.pk,
            )
        )
    return checks


def reference_keys(data_object: DataObject) -> dict[str, set[str]]:
    """For each object a reference check points at, the keys of its latest profiled extract."""
    keys: dict[str, set[str]] = {}
    references = {
        c.reference for c in data_object.checks.select_related("reference").filter(kind=QualityCheck.Kind.REFERENCE)
    }
    for reference in references:
        profile = latest_profile(reference)
        if profile is None or not profile.file:
            raise MigrationError(
                _("Profile an extract of %(object)s first: a check compares values with its keys.")
                % {"object": reference.name}
            )
        with profile.file.open("rb") as stream:
            keys[str(reference.pk)] = extract_keys(stream, filename=profile.original_name, column=reference.keys[0])
    return keys


def _store_result(profile: ExtractProfile, result: Any) -> None:
    data = result.to_dict()
    profile.status = ExtractProfile.Status.DONE
    profile.progress = 100
    profile.rows = data.get("rows")
    profile.completeness = round(Decimal(str(result.completeness_score)), 1)
    profile.accuracy = round(Decimal(str(result.accuracy_score)), 1)
    profile.uniqueness = round(Decimal(str(result.uniqueness_score)), 1)
    profile.result = json.loads(json.dumps(data, default=str))  # Decimals and the like as text
    profile.finished_at = timezone.now()
    profile.save()
    if profile.rows is not None:
        DataObject.objects.filter(pk=profile.data_object_id).update(record_count=profile.rows)


def profile_run(profile: ExtractProfile, report: Any = None) -> ExtractProfile:
    """Profile a stored extract and keep the result on it (raises ProfilingError/MigrationError)."""
    data_object = profile.data_object

    def progress(percent: int, message: str = "") -> None:
        ExtractProfile.objects.filter(pk=profile.pk).update(progress=min(99, max(0, int(percent))))
        if report is not None:
            report(percent, message)

    references = reference_keys(data_object)
    with profile.file.open("rb") as stream:
        result = profile_extract(
            stream,
            filename=profile.original_name,
            key_columns=data_object.keys,
            checks=engine_checks(data_object),
            references=references,
            report=progress,
        )
    _store_result(profile, result)
    return profile


def profile_upload(*, data_object: DataObject, upload: UploadedFile, user: AbstractBaseUser) -> ExtractProfile:
    """Store and profile an extract; small ones at once (refused whole when unreadable), large ones in the
    background."""
    if not upload.name.lower().endswith(EXTENSIONS):
        raise MigrationError(_("Upload the extract as CSV or XLSX."))
    if upload.size == 0:
        raise MigrationError(_("The file is empty."))
    reference_keys(data_object)  # refuse now when a referenced object has no extract yet
    if upload.size <= SYNC_LIMIT:
        with transaction.atomic():
            profile = ExtractProfile.objects.create(
                data_object=data_object,
                file=upload,
                original_name=upload.name[:255],
                size=upload.size,
                uploaded_by=user,
                status=ExtractProfile.Status.RUNNING,
            )
            try:
                return profile_run(profile)
            except (ProfilingError, MigrationError):
                profile.file.delete(save=False)
                raise
    profile = ExtractProfile.objects.create(
        data_object=data_object, file=upload, original_name=upload.name[:255], size=upload.size, uploaded_by=user
    )
    job_enqueue(
        kind="profile",
        handler="projects.services.profiling.run_profile_job",
        project_code=data_object.project.code,
        user=user,
        params={"profile": profile.pk, "language": get_language() or "en"},
    )
    profile.refresh_from_db()
    return profile


def run_profile_job(job: Any, report: Any) -> tuple[str, str, bytes]:
    """Background handler: profiles the extract in params["profile"]; an unreadable file fails the profile
    with the reason, and the file is deleted."""
    from django.utils import translation

    profile = ExtractProfile.objects.select_related("data_object__project").get(pk=job.params["profile"])
    ExtractProfile.objects.filter(pk=profile.pk).update(status=ExtractProfile.Status.RUNNING)
    with translation.override(job.params.get("language") or "en"):
        try:
            profile_run(profile, report)
        except (ProfilingError, MigrationError) as exc:
            profile.file.delete(save=False)
            ExtractProfile.objects.filter(pk=profile.pk).update(
                status=ExtractProfile.Status.FAILED, error=str(exc), file="", finished_at=timezone.now()
            )
            raise
    return f"profile-{profile.pk}.json", "application/json", json.dumps(profile.result).encode()


def check_trend(check: QualityCheck) -> list[tuple[ExtractProfile, int]]:
    """How many values failed the check in each profiled extract of its object, oldest first: whether the
    cleansing rule that fixes it made the violations go down."""
    trend = []
    for profile in check.data_object.profiles.filter(status=ExtractProfile.Status.DONE).order_by("created_at", "pk"):
        for result in profile.result.get("checks", []):
            if result.get("check_id") == check.pk:
                trend.append((profile, int(result.get("failures", 0))))
    return trend
