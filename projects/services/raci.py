"""Write operations on the RACI matrix."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Membership, Project, RaciActivity, RaciAssignment
from projects.services import ProjectError

# The upgrade path, in order; names are stored in the language of whoever adds them.
STANDARD_ACTIVITIES = [
    ("goals", gettext_lazy("Goals and KPIs")),
    ("process_mapping", gettext_lazy("As-is process mapping")),
    ("requirements", gettext_lazy("Requirements")),
    ("vendor_selection", gettext_lazy("Vendor selection")),
    ("uat", gettext_lazy("User acceptance testing")),
    ("data_migration", gettext_lazy("Data migration")),
    ("training", gettext_lazy("Training")),
    ("cutover", gettext_lazy("Cutover")),
    ("hypercare", gettext_lazy("Hypercare and support")),
]


@transaction.atomic
def raci_add_standard_activities(*, project: Project) -> list[RaciActivity]:
    """Add the standard upgrade-path activities the project does not have yet; returns the ones added."""
    have = set(project.raci_activities.exclude(standard_key="").values_list("standard_key", flat=True))
    start = (project.raci_activities.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    added = []
    for offset, (key, name) in enumerate(STANDARD_ACTIVITIES):
        if key in have:
            continue
        added.append(
            RaciActivity.objects.create(project=project, name=str(name), order=start + offset, standard_key=key)
        )
    return added


def raci_activity_add(*, project: Project, name: str) -> RaciActivity:
    """Add a project-specific activity at the end of the matrix."""
    last = project.raci_activities.order_by("-order").values_list("order", flat=True).first() or 0
    activity = RaciActivity(project=project, name=name.strip(), order=last + 1)
    activity.full_clean()
    activity.save()
    return activity


def raci_activity_delete(*, activity: RaciActivity) -> None:
    activity.delete()


@transaction.atomic
def raci_save(*, project: Project, cells: dict[tuple[int, int], str]) -> int:
    """Set the letters of the matrix: {(activity id, membership id): "R"|"A"|"C"|"I"|""}; returns changes made.

    Cells not mentioned stay as they are. Raises ProjectError for an activity or member of another project.
    """
    activity_ids = set(project.raci_activities.values_list("pk", flat=True))
    member_ids = set(Membership.objects.filter(project=project).values_list("pk", flat=True))
    letters = set(RaciAssignment.Letter.values)
    for (activity_id, member_id), letter in cells.items():
        if activity_id not in activity_ids or member_id not in member_ids:
            raise ProjectError(_("The matrix changed meanwhile (an activity or member is gone). Reload the page."))
        if letter and letter not in letters:
            raise ProjectError(_("“%(letter)s” is not one of R, A, C, I.") % {"letter": letter})
    current = {
        (a.activity_id, a.membership_id): a
        for a in RaciAssignment.objects.filter(activity__project=project).select_related(None)
    }
    changes = 0
    for key, letter in cells.items():
        existing = current.get(key)
        if existing is None and letter:
            RaciAssignment.objects.create(activity_id=key[0], membership_id=key[1], letter=letter)
        elif existing is not None and not letter:
            existing.delete()
        elif existing is not None and existing.letter != letter:
            existing.letter = letter
            existing.save()
        else:
            continue
        changes += 1
    return changes
