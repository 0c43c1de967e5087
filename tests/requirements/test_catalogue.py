"""The requirement catalogue: its entries, pulling them into a project, and the catalogue page."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from requirements import services
from requirements.catalogue import BY_KEY, CATALOGUE, LAYER_SUMMARIES, CatalogueEntry, catalogue_filter
from requirements.models import Requirement
from requirements.services import RequirementError, catalogue_pull, requirement_create
from tests.conftest import client_for
from workbench.markdown import render_markdown

URL = reverse("requirements:requirement-catalogue", kwargs={"project_code": "ACME"})
LIST_URL = reverse("requirements:requirement-list", kwargs={"project_code": "ACME"})
KEY_PATTERN = re.compile(r"^[a-z]{3}-[a-z0-9]+(-[a-z0-9]+)*$")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def chinese_entry(monkeypatch):
    """A catalogue entry whose title the translation catalogue already knows ("Requirements" → "需求")."""
    entry = CatalogueEntry(
        "tst-language",
        Requirement.Layer.CORE,
        Requirement.Category.SALES,
        Requirement.Priority.MUST,
        gettext_lazy("Requirements"),
        gettext_lazy("Requirements"),
        gettext_lazy("Requirements"),
    )
    monkeypatch.setitem(services.CATALOGUE, entry.key, entry)
    return entry


# The entries


def test_the_catalogue_is_large_enough_and_its_keys_are_unique_and_stable():
    keys = [entry.key for entry in CATALOGUE]
    assert len(keys) >= 60
    assert len(set(keys)) == len(keys)
    assert set(BY_KEY) == set(keys)
    for key in keys:
        assert KEY_PATTERN.match(key), key
        assert len(key) <= Requirement._meta.get_field("catalogue_key").max_length


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.key)
def test_every_entry_is_valid(entry):
    assert entry.layer in Requirement.Layer.values
    assert entry.category in Requirement.Category.values
    assert entry.category != Requirement.Category.OTHER
    assert entry.priority in Requirement.Priority.values
    title, statement, criteria = str(entry.title), str(entry.statement), str(entry.acceptance_criteria)
    assert title.strip() and statement.strip() and criteria.strip()
    assert len(title) <= Requirement._meta.get_field("title").max_length
    lines = criteria.split("\n")
    assert len(lines) >= 2, "at least two checks"
    assert all(line.startswith("- ") for line in lines), "acceptance criteria are a Markdown list"
    assert render_markdown(criteria).count("<li>") == len(lines)


def test_the_catalogue_covers_every_layer_and_category():
    assert {e.layer for e in CATALOGUE} == set(Requirement.Layer.values)
    assert {e.category for e in CATALOGUE} == set(Requirement.Category.values) - {Requirement.Category.OTHER}
    assert set(LAYER_SUMMARIES) == set(Requirement.Layer.values)


def test_it_filters_by_layer_category_and_text():
    integration = catalogue_filter(layer=Requirement.Layer.INTEGRATION)
    assert integration and all(e.layer == "integration" for e in integration)
    finance = catalogue_filter(layer=Requirement.Layer.INTEGRATION, category=Requirement.Category.FINANCE)
    assert finance and set(finance) < set(integration)
    assert [e.key for e in catalogue_filter(text="E-INVOIC")] == ["fin-einvoice"]
    assert catalogue_filter(text="no such words anywhere") == []


# Pulling


def test_pulling_copies_entries_as_drafts_in_english(project):
    with translation.override("en"):
        created = catalogue_pull(project=project, keys=["pur-po-create", "inv-stocktake"])

    assert [r.key for r in created] == ["REQ-001", "REQ-002"]
    first = Requirement.objects.get(project=project, key="REQ-001")
    entry = BY_KEY["pur-po-create"]
    assert first.title == "Create purchase orders"
    assert first.statement == str(entry.statement)
    assert first.acceptance_criteria == str(entry.acceptance_criteria)
    assert (first.layer, first.category, first.priority) == (entry.layer, entry.category, entry.priority)
    assert first.status == Requirement.Status.DRAFT
    assert first.catalogue_key == "pur-po-create"
    assert first.source == "Requirement catalogue"


def test_pulling_stores_the_texts_in_the_active_language(project, chinese_entry):
    with translation.override("zh-hans"):
        (chinese,) = catalogue_pull(project=project, keys=[chinese_entry.key])
        (standard,) = catalogue_pull(project=project, keys=["sal-return"])
        expected = str(BY_KEY["sal-return"].title)
    with translation.override("en"):
        (english,) = catalogue_pull(project=project, keys=[chinese_entry.key])

    assert chinese.title == chinese.statement == "需求"
    assert english.title == "Requirements"
    assert standard.title == expected  # Chinese once the translator has done it, English until then


def test_an_unknown_key_adds_nothing(project):
    with pytest.raises(RequirementError, match="no-such-entry"):
        catalogue_pull(project=project, keys=["pur-po-create", "no-such-entry"])

    assert not project.requirements.exists()


# The page


def test_a_viewer_reads_the_catalogue_grouped_by_layer_and_category(project, viewer):
    response = client_for(viewer).get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert [g["layer"] for g in response.context["groups"]] == list(Requirement.Layer.values)
    core = response.context["groups"][0]
    assert [c["category"] for c in core["categories"]][:3] == ["purchasing", "sales", "inventory"]
    assert response.context["match_count"] == len(CATALOGUE)
    assert "Create purchase orders" in content
    assert "<li>A purchase order can be created, saved, printed and e-mailed to the supplier.</li>" in content
    assert 'name="keys"' not in content  # no checkboxes and no button without the right to add
    assert "Add selected to the project" not in content
    assert LIST_URL in content  # breadcrumb back to the requirements


def test_an_editor_gets_checkboxes_and_the_button(project, editor):
    content = client_for(editor).get(URL).content.decode()

    assert content.count('name="keys"') == len(CATALOGUE)
    assert 'value="pur-po-create"' in content
    assert "Add selected to the project" in content


def test_it_filters_by_query_parameters(project, viewer):
    response = client_for(viewer).get(URL, {"layer": "integration", "category": "finance", "q": "invoice"})

    shown = [item["entry"].key for g in response.context["groups"] for c in g["categories"] for item in c["entries"]]
    assert shown and "fin-einvoice" in shown
    assert all(BY_KEY[key].layer == "integration" and BY_KEY[key].category == "finance" for key in shown)
    assert "pur-po-create" not in response.content.decode()


def test_unknown_filter_values_show_everything(project, viewer):
    response = client_for(viewer).get(URL, {"layer": "bogus", "category": "<script>"})

    assert response.status_code == 200
    assert response.context["match_count"] == len(CATALOGUE)


def test_no_match_shows_an_empty_state(project, viewer):
    response = client_for(viewer).get(URL, {"q": "nothing like this"})

    assert response.context["groups"] == []
    assert 'data-testid="catalogue-empty"' in response.content.decode()


def test_a_viewer_cannot_add(project, viewer):
    response = client_for(viewer).post(URL, {"keys": ["pur-po-create"]})

    assert response.status_code == 403
    assert not project.requirements.exists()


def test_an_outsider_gets_404(project, outsider):
    assert client_for(outsider).get(URL).status_code == 404
    assert client_for(outsider).post(URL, {"keys": ["pur-po-create"]}).status_code == 404


def test_an_editor_adds_two_entries(project, editor):
    response = client_for(editor).post(URL, {"keys": ["pur-po-create", "sal-return"]})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    pulled = list(project.requirements.order_by("number").values_list("key", "catalogue_key", "status"))
    assert pulled == [("REQ-001", "pur-po-create", "draft"), ("REQ-002", "sal-return", "draft")]
    assert any("REQ-001, REQ-002" in message for message in messages_of(response))


def test_an_editor_adds_in_their_language(project, editor, chinese_entry):
    client_for(editor).post(URL, {"keys": [chinese_entry.key]}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert project.requirements.get().title == "需求"


def test_entries_already_in_the_project_are_marked(project, viewer):
    requirement_create(project=project, title="Something else", statement="Not from the catalogue.")
    with translation.override("en"):
        catalogue_pull(project=project, keys=["inv-stocktake"])  # REQ-002

    response = client_for(viewer).get(URL)

    content = response.content.decode()
    assert 'data-key="inv-stocktake" data-pulled="REQ-002"' in content
    assert "already in the project" in content
    assert reverse("requirements:requirement-detail", kwargs={"project_code": "ACME", "key": "REQ-002"}) in content
    assert content.count('data-testid="already-pulled"') == 1


def test_pulling_again_is_allowed_but_warned(project, editor):
    with translation.override("en"):
        catalogue_pull(project=project, keys=["inv-stocktake"])

    response = client_for(editor).post(URL, {"keys": ["inv-stocktake"]})

    assert response.status_code == 302
    assert list(project.requirements.filter(catalogue_key="inv-stocktake").values_list("key", flat=True)) == [
        "REQ-001",
        "REQ-002",
    ]
    assert any("REQ-002" in m and "REQ-001" in m and "already" in m for m in messages_of(response))


def test_an_unknown_key_is_refused_and_nothing_is_created(project, editor):
    response = client_for(editor).post(URL, {"keys": ["pur-po-create", "no-such-entry"]})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert not project.requirements.exists()
    assert any("no-such-entry" in m and "Nothing was added" in m for m in messages_of(response))


def test_posting_nothing_asks_for_a_selection(project, editor):
    response = client_for(editor).post(URL, {})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert not project.requirements.exists()
    assert messages_of(response) == ["Select at least one catalogue entry to add."]


def test_a_repeated_key_in_one_post_is_added_once(project, editor):
    client_for(editor).post(URL, {"keys": ["pur-po-create", "pur-po-create"]})

    assert project.requirements.count() == 1


def test_the_page_uses_a_fixed_number_of_queries(project, viewer, django_assert_num_queries):
    with translation.override("en"):
        catalogue_pull(project=project, keys=["inv-stocktake", "pur-po-create", "sal-return"])
    client = client_for(viewer)

    with django_assert_num_queries(4):  # session, user, membership, what was pulled
        client.get(URL)
