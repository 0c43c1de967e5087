"""The RACI matrix as a page shows it, with the warnings a project lead should see."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from projects.models import Membership, Project, RaciActivity, RaciAssignment
from projects.selectors import team_list


@dataclass
class RaciRow:
    activity: RaciActivity
    letters: list[str]  # one per member, in the order of `RaciMatrix.members`; "" when blank
    warnings: list[str] = field(default_factory=list)


@dataclass
class RaciMatrix:
    members: list[Membership]
    rows: list[RaciRow]

    @property
    def warning_count(self) -> int:
        return sum(len(row.warnings) for row in self.rows)


def raci_warnings(letters: list[str]) -> list[str]:
    """What is wrong with one activity's letters: no A, more than one A, or no R."""
    warnings = []
    accountable = letters.count(RaciAssignment.Letter.ACCOUNTABLE)
    if accountable == 0:
        warnings.append(_("Nobody is accountable (A)."))
    elif accountable > 1:
        warnings.append(_("%(count)s people are accountable; exactly one should be.") % {"count": accountable})
    if RaciAssignment.Letter.RESPONSIBLE not in letters:
        warnings.append(_("Nobody is responsible (R)."))
    return warnings


def raci_matrix(*, project: Project) -> RaciMatrix:
    """Activities × members with their letters and warnings, in three queries."""
    members = list(team_list(project=project))
    column = {m.pk: i for i, m in enumerate(members)}
    activities = list(project.raci_activities.order_by("order", "pk"))
    letters = {a.pk: [""] * len(members) for a in activities}
    for activity_id, member_id, letter in RaciAssignment.objects.filter(activity__project=project).values_list(
        "activity_id", "membership_id", "letter"
    ):
        letters[activity_id][column[member_id]] = letter
    rows = [RaciRow(a, letters[a.pk], raci_warnings(letters[a.pk])) for a in activities]
    return RaciMatrix(members, rows)
