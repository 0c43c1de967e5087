"""Optimistic locking: of two edits based on the same version, the second one is refused."""

import pytest

from projects.models import Project
from tests.factories import ProjectFactory, UserFactory
from workbench.locking import StaleVersionError, save_versioned, stale_message


@pytest.fixture
def stored(db):
    project = ProjectFactory(code="ACME", name="Stored name")
    project.refresh_from_db()
    return project


def test_saving_with_the_current_version_saves_and_increments(stored):
    stored.name = "New name"

    saved = save_versioned(stored, expected_version=1)

    assert saved.version == 2
    row = Project.objects.get(pk=stored.pk)
    assert row.name == "New name"
    assert row.version == 2


def test_consecutive_saves_keep_counting(stored):
    save_versioned(stored, expected_version=1)
    save_versioned(stored, expected_version=2)

    assert Project.objects.get(pk=stored.pk).version == 3


def test_a_stale_version_is_refused_and_the_row_is_untouched(stored):
    first = Project.objects.get(pk=stored.pk)
    second = Project.objects.get(pk=stored.pk)
    first.name = "First writer"
    save_versioned(first, expected_version=1)

    second.name = "Second writer"
    with pytest.raises(StaleVersionError) as caught:
        save_versioned(second, expected_version=1)

    assert caught.value.instance is second
    row = Project.objects.get(pk=stored.pk)
    assert row.name == "First writer"
    assert row.version == 2


def test_a_version_from_the_future_is_refused_too(stored):
    stored.name = "Guessing"

    with pytest.raises(StaleVersionError):
        save_versioned(stored, expected_version=5)

    row = Project.objects.get(pk=stored.pk)
    assert row.name == "Stored name"
    assert row.version == 1


def test_a_refused_save_writes_no_history(stored):
    before = stored.history.count()
    stored.name = "Never saved"

    with pytest.raises(StaleVersionError):
        save_versioned(stored, expected_version=99)

    assert stored.history.count() == before


def test_the_message_names_who_saved_last(stored):
    grace = UserFactory(username="grace", first_name="Grace", last_name="Hopper")
    first = Project.objects.get(pk=stored.pk)
    first.name = "Grace's edit"
    first._history_user = grace
    save_versioned(first, expected_version=1)

    with pytest.raises(StaleVersionError) as caught:
        save_versioned(stored, expected_version=1)

    message = str(caught.value)
    assert message.startswith("Grace Hopper changed this record on ")
    assert "Your changes were not saved" in message


def test_the_message_falls_back_to_the_user_name_without_a_full_name(stored):
    first = Project.objects.get(pk=stored.pk)
    first._history_user = UserFactory(username="ghost", first_name="", last_name="")
    save_versioned(first, expected_version=1)

    assert stale_message(stored).startswith("ghost changed this record")


def test_the_message_says_someone_when_no_user_is_known(stored):
    with pytest.raises(StaleVersionError) as caught:
        save_versioned(stored, expected_version=7)

    assert str(caught.value).startswith("Someone changed this record after you opened it.")


def test_the_message_gives_the_time_in_local_time(stored, settings):
    from datetime import UTC, datetime

    from django.utils import formats, timezone

    settings.TIME_ZONE = "Asia/Shanghai"
    grace = UserFactory(username="grace", first_name="Grace", last_name="Hopper")
    first = Project.objects.get(pk=stored.pk)
    first._history_user = grace
    save_versioned(first, expected_version=1)
    latest = stored.history.order_by("-history_date").first()
    latest.history_date = datetime(2027, 1, 5, 1, 30, tzinfo=UTC)
    latest.save()

    message = stale_message(stored)

    local = timezone.localtime(latest.history_date)
    assert (local.hour, local.minute) == (9, 30)
    assert f"on {formats.date_format(local, 'SHORT_DATETIME_FORMAT')}," in message
    assert "1:30" not in message
