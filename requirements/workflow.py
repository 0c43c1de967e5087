"""The review workflow: which status may follow which, and who may move it.

Editors propose and carry out; owners approve, reject and defer; testers verify what was implemented.
"""

from django.utils.translation import gettext_lazy as _

from requirements.models import Requirement

S = Requirement.Status

# {from: {to: capability needed}}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.IN_REVIEW: "edit", S.REJECTED: "manage", S.DEFERRED: "manage"},
    S.IN_REVIEW: {S.APPROVED: "manage", S.DRAFT: "edit", S.REJECTED: "manage", S.DEFERRED: "manage"},
    S.APPROVED: {S.IMPLEMENTED: "edit", S.IN_REVIEW: "manage", S.DEFERRED: "manage"},
    S.IMPLEMENTED: {S.VERIFIED: "execute", S.APPROVED: "edit"},
    S.VERIFIED: {S.IMPLEMENTED: "manage"},
    S.REJECTED: {S.DRAFT: "manage"},
    S.DEFERRED: {S.DRAFT: "manage", S.IN_REVIEW: "edit"},
}

# Statuses whose content counts as agreed: a baseline freezes these, and changing their meaning
# sends them back to review.
AGREED = frozenset({S.APPROVED, S.IMPLEMENTED, S.VERIFIED})

# The button label for each move, in the order buttons are shown.
ACTION_LABELS = {
    S.IN_REVIEW: _("Send to review"),
    S.APPROVED: _("Approve"),
    S.IMPLEMENTED: _("Mark implemented"),
    S.VERIFIED: _("Mark verified"),
    S.DRAFT: _("Back to draft"),
    S.REJECTED: _("Reject"),
    S.DEFERRED: _("Defer"),
}


def allowed_moves(status: str, membership) -> list[str]:
    """The statuses this member may move a requirement in `status` to."""
    return [to for to, needed in TRANSITIONS.get(status, {}).items() if membership.can(needed)]


def can_move(status: str, to_status: str, membership) -> bool:
    needed = TRANSITIONS.get(status, {}).get(to_status)
    return needed is not None and membership.can(needed)
