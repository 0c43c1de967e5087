"""Write operations of training, with their rules.

- One training plan per role and project; its trainees are members of the project.
- Attendance is recorded for the plan's trainees only. A quiz score is 0–100 with at most one decimal place,
  and only someone who attended has one. A batch of attendance is saved whole or not at all.
- A material is a link (http or https) or an uploaded file — exactly one of the two. Files are PDF, office,
  OpenDocument, text, image or video files up to 20 MB, checked by content where the type has a signature,
  and stored under a generated name; they are served through the project only (`MaterialView`).
- Completion (a trainee attended every session of their role's plan) is defined in `golive.training_completion`.

Refusals raise `GoLiveError`, whose message is shown to the user as it is.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from projects.models import Attendance, Membership, Project, TrainingMaterial, TrainingPlan, TrainingSession
from projects.models.golive import TrainingRole
from projects.services.golive import GoLiveError
from workbench.locking import save_versioned

MATERIAL_MAX_BYTES = 20 * 1024 * 1024
LINK_SCHEMES = ("http", "https")

# The file types a material may have: extension → content type it is served with.
MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".avi": "video/x-msvideo",
    ".wmv": "video/x-ms-wmv",
}
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_MATROSKA = (b"\x1a\x45\xdf\xa3",)
# What the first bytes of a file of each type look like; types without an entry (text) are not checked.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".rtf": (b"{\\rtf",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webm": _MATROSKA,
    ".mkv": _MATROSKA,
    ".wmv": (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",),
}
_ISO_MEDIA_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")  # mp4, m4v, mov


def material_extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def material_content_type(material: TrainingMaterial) -> str:
    return MATERIAL_TYPES.get(material_extension(material.file.name), "application/octet-stream")


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension in (".mp4", ".m4v", ".mov"):
        return head[4:8] in _ISO_MEDIA_BOXES
    if extension == ".avi":
        return head[:4] == b"RIFF" and head[8:12] == b"AVI "
    signatures = _SIGNATURES.get(extension)
    return signatures is None or any(head.startswith(s) for s in signatures)


def _check_role(project: Project, role: str, plan: TrainingPlan | None = None) -> None:
    taken = project.training_plans.filter(role=role)
    if plan is not None and plan.pk:
        taken = taken.exclude(pk=plan.pk)
    if taken.exists():
        raise GoLiveError(
            _("There is already a training plan for the role %(role)s: open that plan, or choose another role.")
            % {"role": TrainingRole(role).label if role in TrainingRole.values else role}
        )


def _check_trainees(project: Project, trainees: Iterable[Membership]) -> list[Membership]:
    trainees = list(trainees)
    if any(member.project_id != project.pk for member in trainees):
        raise GoLiveError(_("Trainees must be members of this project."))
    return trainees


def _save_plan(plan: TrainingPlan, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            if "expected_version" in kwargs:
                save_versioned(plan, **kwargs)
            else:
                plan.save()
    except IntegrityError as exc:  # someone took the role between the check and the save
        _check_role(plan.project, plan.role, plan)
        raise GoLiveError(_("The plan could not be saved; reload the page and try again.")) from exc


# Plans ----------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    project: Project,
    role: str,
    title: str,
    objectives: str = "",
    trainees: Iterable[Membership] = (),
    user: AbstractBaseUser | None = None,
) -> TrainingPlan:
    _check_role(project, role)
    trainees = _check_trainees(project, trainees)
    plan = TrainingPlan(project=project, role=role, title=title.strip(), objectives=objectives)
    plan.full_clean(validate_constraints=False)
    plan._history_user = user
    _save_plan(plan)
    plan.trainees.set(trainees)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: TrainingPlan,
    expected_version: int,
    trainees: Iterable[Membership] | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> TrainingPlan:
    """Change the role, title or objectives and, when given, the trainees; refused if the plan changed meanwhile."""
    for frozen in ("project", "version"):
        fields.pop(frozen, None)
    for name, value in fields.items():
        setattr(plan, name, value.strip() if name == "title" else value)
    _check_role(plan.project, plan.role, plan)
    if trainees is not None:
        trainees = _check_trainees(plan.project, trainees)
    plan.full_clean(validate_constraints=False)
    plan._history_user = user
    _save_plan(plan, expected_version=expected_version)
    if trainees is not None and {t.pk for t in trainees} != set(plan.trainees.values_list("pk", flat=True)):
        plan.trainees.set(trainees)  # a history record of its own, with the new trainees
    return plan


def _files_of(materials: Any) -> list[tuple[Any, str]]:
    return [(m.file.storage, m.file.name) for m in materials if m.file]


def _delete_files_on_commit(files: list[tuple[Any, str]]) -> None:
    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def plan_delete(*, plan: TrainingPlan, user: AbstractBaseUser | None = None) -> None:
    """Delete the plan with its sessions, their attendance and materials (and the materials' files)."""
    files = _files_of(TrainingMaterial.objects.filter(session__plan=plan))
    plan._history_user = user
    plan.delete()
    _delete_files_on_commit(files)


# Sessions -------------------------------------------------------------------------------------------------

SESSION_FIELDS = ("title", "starts_at", "duration_minutes", "trainer", "location", "topics")


def _session_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    return {
        name: value.strip() if name in ("title", "trainer", "location") else value for name, value in fields.items()
    }


@transaction.atomic
def session_create(*, plan: TrainingPlan, user: AbstractBaseUser | None = None, **fields: Any) -> TrainingSession:
    session = TrainingSession(plan=plan, **_session_fields(fields))
    session.full_clean()
    session._history_user = user
    session.save()
    return session


@transaction.atomic
def session_update(
    *, session: TrainingSession, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> TrainingSession:
    for name, value in _session_fields(fields).items():
        setattr(session, name, value)
    session.full_clean()
    session._history_user = user
    save_versioned(session, expected_version=expected_version)
    return session


@transaction.atomic
def session_delete(*, session: TrainingSession, user: AbstractBaseUser | None = None) -> None:
    files = _files_of(session.materials.all())
    session._history_user = user
    session.delete()
    _delete_files_on_commit(files)


# Attendance -----------------------------------------------------------------------------------------------


@dataclass
class AttendanceRecord:
    member: Membership
    status: str
    quiz_score: Decimal | None = None


@dataclass
class AttendanceSaved:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _member_name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.get_username()


def check_quiz_score(value: Any) -> Decimal | None:
    """The score as a Decimal with one decimal place at most, between 0 and 100; GoLiveError if not."""
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise GoLiveError(_("Enter the quiz score as a number, e.g. 85 or 92.5.")) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise GoLiveError(_("A quiz score is between 0 and 100."))
    if score != score.quantize(Decimal("0.1")):
        raise GoLiveError(_("A quiz score has at most one decimal place, e.g. 92.5."))
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def attendance_save(
    *, session: TrainingSession, records: Iterable[AttendanceRecord], user: AbstractBaseUser | None = None
) -> AttendanceSaved:
    """Record who was invited, attended or was absent, with their quiz scores; all rows or none."""
    records = list(records)
    trainee_ids = set(session.plan.trainees.values_list("pk", flat=True))
    for record in records:
        who = _member_name(record.member)
        if record.member.pk not in trainee_ids:
            raise GoLiveError(_("%(name)s is not a trainee of this plan: add them to the plan first.") % {"name": who})
        if record.status not in Attendance.Status.values:
            raise GoLiveError(_("Choose whether %(name)s was invited, attended or was absent.") % {"name": who})
        try:
            record.quiz_score = check_quiz_score(record.quiz_score)
        except GoLiveError as exc:
            raise GoLiveError(f"{who}: {exc}") from None
        if record.quiz_score is not None and record.status != Attendance.Status.ATTENDED:
            raise GoLiveError(_("%(name)s: only someone who attended has a quiz score.") % {"name": who})
    existing = {a.member_id: a for a in session.attendances.select_for_update().filter(member__in=trainee_ids)}
    saved = AttendanceSaved()
    for record in records:
        attendance = existing.get(record.member.pk)
        if attendance is None:
            attendance = Attendance(session=session, member=record.member)
            saved.created += 1
        elif attendance.status == record.status and attendance.quiz_score == record.quiz_score:
            saved.unchanged += 1
            continue
        else:
            saved.updated += 1
        attendance.status = record.status
        attendance.quiz_score = record.quiz_score
        attendance._history_user = user
        attendance.save()
    return saved


# Materials ------------------------------------------------------------------------------------------------


def check_link(link: str) -> str:
    link = (link or "").strip()
    if link and urlsplit(link).scheme.lower() not in LINK_SCHEMES:
        raise GoLiveError(_("A link starts with http:// or https://."))
    return link


def check_upload(upload: UploadedFile) -> str:
    """The extension of an acceptable material file; GoLiveError saying what is wrong otherwise."""
    if upload.size > MATERIAL_MAX_BYTES:
        raise GoLiveError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Share larger videos as a link.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MATERIAL_MAX_BYTES // 1024 // 1024}
        )
    extension = material_extension(upload.name or "")
    if extension not in MATERIAL_TYPES:
        raise GoLiveError(
            _("Attach a PDF, an office or OpenDocument file, a text, image or video file (%(types)s).")
            % {"types": ", ".join(sorted({e.lstrip(".") for e in MATERIAL_TYPES}))}
        )
    if not _content_matches(upload, extension):
        raise GoLiveError(
            _("The content of “%(name)s” is not a %(type)s file.")
            % {"name": upload.name, "type": extension.lstrip(".")}
        )
    return extension


def material_add(
    *,
    session: TrainingSession,
    title: str = "",
    link: str = "",
    upload: UploadedFile | None = None,
    user: AbstractBaseUser | None = None,
) -> TrainingMaterial:
    """Add a link or a file (exactly one) to the session; the file is stored under a generated name."""
    link = check_link(link)
    if link and upload is not None:
        raise GoLiveError(_("Add either a link or a file, not both: add them as two materials."))
    if not link and upload is None:
        raise GoLiveError(_("Add a link or choose a file."))
    title = (title or "").strip()
    if upload is not None:
        extension = check_upload(upload)
        title = title or (upload.name or "").strip()
        upload.name = f"{uuid.uuid4().hex}{extension}"
    title = (title or link)[:200]
    material = TrainingMaterial(session=session, title=title, link=link)
    if upload is not None:
        material.file = upload
    material.full_clean(exclude=["file"])
    material._history_user = user
    material.save()
    return material


def material_delete(*, material: TrainingMaterial, user: AbstractBaseUser | None = None) -> None:
    files = _files_of([material])
    with transaction.atomic():
        material._history_user = user
        material.delete()
        _delete_files_on_commit(files)
