"""The go/no-go figures UAT owns, registered as criterion providers of `projects.gonogo` in `TestingConfig.ready()`.

- must_have_uat: of the project's must-have requirements, the share with a passing UAT case — a case whose
  latest result is pass, exactly as the coverage page reads it (`testing.coverage`: the complement of "a
  must-have requirement without a pass"). No data without a must-have requirement.
- open_severe_defects: the number of critical and major defects still open (open, fixed or in retest:
  `Defect.OPEN_STATUSES`). No data while the project has no test run and no defect, so that a project that
  has not tested yet does not read as having no severe defects.
- uat_runs_signed: the number of the project's test runs with at least one sign-off. No data without a run.
"""

from django.utils.translation import gettext as _

from projects.gonogo import PERCENT, Measured, listing, percent
from projects.models import Project
from requirements.models import Requirement
from testing.coverage import coverage_rows
from testing.models import Defect, SignOff, TestRun

SEVERE = (Defect.Severity.CRITICAL, Defect.Severity.MAJOR)


def must_have_uat(project: Project) -> Measured | None:
    rows = coverage_rows(project, priority=Requirement.Priority.MUST)
    if not rows:
        return Measured(None, _("No must-have requirement yet."))
    without = [row.key for row in rows if row.must_without_pass]
    passing = len(rows) - len(without)
    detail = _("%(passing)d of %(total)d must-have requirements have a passing UAT case.") % {
        "passing": passing,
        "total": len(rows),
    }
    if without:
        detail += " " + _("Without a pass: %(keys)s.") % {"keys": listing(without)}
    return Measured(percent(passing, len(rows)), detail, PERCENT)


def open_severe_defects(project: Project) -> Measured | None:
    if not TestRun.objects.filter(project=project).exists() and not Defect.objects.filter(project=project).exists():
        return Measured(None, _("No UAT data yet."))
    keys = list(
        Defect.objects.filter(project=project, severity__in=SEVERE, status__in=Defect.OPEN_STATUSES)
        .order_by("number")
        .values_list("key", flat=True)
    )
    if not keys:
        return Measured(0, _("No critical or major defect is open."))
    detail = _("Open: %(keys)s.") % {"keys": listing(keys)}
    return Measured(len(keys), detail)


def uat_runs_signed(project: Project) -> Measured | None:
    runs = TestRun.objects.filter(project=project)
    total = runs.count()
    if not total:
        return Measured(None, _("No UAT run yet."))
    signed = SignOff.objects.filter(run__project=project).values("run").distinct().count()
    detail = _("%(signed)d of %(total)d UAT runs signed.") % {"signed": signed, "total": total}
    return Measured(signed, detail)
