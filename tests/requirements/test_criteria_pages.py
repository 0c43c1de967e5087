"""The criteria pages as users meet them: weights shown as shares, AHP, the evaluators' sheets and the agreed scores."""

from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requirements import selection as svc
from requirements.models import AgreedScore, Criterion, Score, ScoreSubmission
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory


def url(name: str, project, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": project.code, **kwargs})


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def texts(tree, testid: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath(f'.//*[@data-testid="{testid}"]')]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def offer(project):
    vendor = svc.vendor_create(project=project, name="Alpha Soft")
    return svc.offer_create(vendor=vendor, product="Alpha ERP", deployment="saas")


@pytest.fixture
def three(project):
    """Three criteria weighted 3, 1 and 1: shares 60 %, 20 %, 20 %; functionality 80 %, cost 20 %."""
    return [
        svc.criterion_create(project=project, name="Batch and expiry", group="functionality", weight=Decimal(3)),
        svc.criterion_create(project=project, name="Mobile stock-taking", group="functionality", weight=Decimal(1)),
        svc.criterion_create(project=project, name="Licence price", group="cost", weight=Decimal(1)),
    ]


# Criteria and weights -------------------------------------------------------------------------------------------------


def test_weights_are_shown_as_shares_of_the_total(project, viewer, three):
    tree = page(client_for(viewer).get(url("criterion-list", project)))

    shares = {
        row.get("data-criterion"): " ".join(row.xpath('.//*[@data-testid="criterion-share"]')[0].text_content().split())
        for row in tree.xpath('//*[@data-testid="criterion-row"]')
    }
    assert shares == {str(three[0].pk): "60.0 %", str(three[1].pk): "20.0 %", str(three[2].pk): "20.0 %"}
    groups = {g.get("data-group"): texts(g, "group-share") for g in tree.xpath('//*[@data-testid="criteria-group"]')}
    assert groups["functionality"] == ["80 %"] and groups["cost"] == ["20 %"]
    assert groups["service"] == []  # an empty group shows no share, only that it is empty
    assert texts(tree, "criteria-count") and texts(tree, "criteria-count")[0].startswith("3 criteria")
    assert not tree.xpath('//*[@data-testid="criterion-add"]')  # a viewer reads only


def test_a_page_with_every_weight_zero_says_so(project, owner):
    svc.criterion_create(project=project, name="Batch and expiry", group="functionality", weight=Decimal(0))
    tree = page(client_for(owner).get(url("criterion-list", project)))
    assert texts(tree, "all-zero")
    assert texts(tree, "criterion-share") == ["—"]


def test_no_criteria_shows_what_to_do_first(project, owner):
    tree = page(client_for(owner).get(url("criterion-list", project)))
    assert texts(tree, "criteria-empty")
    assert tree.xpath('//*[@data-testid="criterion-add"]')


def test_an_editor_adds_a_criterion_and_a_duplicate_name_is_refused(project, editor, three):
    client = client_for(editor)
    data = {"name": "Open API", "group": "technology", "weight": "2", "description": "5 = REST with webhooks"}
    response = client.post(url("criterion-list", project), data, follow=True)
    added = Criterion.objects.get(project=project, name="Open API")
    assert added.weight == Decimal(2) and added.group == "technology"
    assert any("Open API" in m for m in messages_of(response))

    response = client.post(url("criterion-list", project), {**data, "group": "cost"})
    assert response.status_code == 200
    assert "A criterion with this name exists already." in messages_of(response)
    assert Criterion.objects.filter(project=project, name="Open API").count() == 1
    assert 'value="Open API"' in response.content.decode()  # what was typed is kept


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(project, owner, editor, three):
    batch = three[0]
    edit = url("criterion-edit", project, criterion_id=batch.pk)
    form = {"name": "Batch tracking", "group": "functionality", "weight": "3", "description": "", "version": "1"}
    assert client_for(editor).post(edit, form).status_code == 302

    response = client_for(owner).post(edit, {**form, "name": "Expiry dates", "version": "1"})

    batch.refresh_from_db()
    assert batch.name == "Batch tracking"
    html = response.content.decode()
    assert "Not saved" in html and "changed this criterion after you opened it" in html
    assert 'value="Expiry dates"' in html  # what the owner typed is still there
    assert texts(page(response), "stored-version")  # and what is stored now beside it
    # A second, deliberate save wins.
    retry = page(response).xpath('//input[@name="version"]')[0].get("value")
    assert client_for(owner).post(edit, {**form, "name": "Expiry dates", "version": retry}).status_code == 302
    batch.refresh_from_db()
    assert batch.name == "Expiry dates"


def test_a_scored_criterion_cannot_be_deleted(project, editor, offer, three):
    svc.score_set(offer=offer, criterion=three[0], evaluator=editor, value=4)
    client = client_for(editor)
    delete = url("criterion-delete", project, criterion_id=three[0].pk)
    assert texts(page(client.get(delete)), "delete-scored")

    response = client.post(delete, follow=True)

    assert Criterion.objects.filter(pk=three[0].pk).exists()
    assert any("set its weight to 0 instead" in m for m in messages_of(response))
    client.post(url("criterion-delete", project, criterion_id=three[2].pk))
    assert not Criterion.objects.filter(pk=three[2].pk).exists()


# AHP -----------------------------------------------------------------------------------------------------------------


@pytest.fixture
def abc(project):
    return [
        svc.criterion_create(project=project, name=name, group="functionality", weight=Decimal(1))
        for name in ("Purchasing", "Warehouse", "Reporting")
    ]


def judge(client, project, abc, ab: str, ac: str, bc: str):
    a, b, c = abc
    data = {
        "action": "save",
        f"pair_{a.pk}_{b.pk}": ab,
        f"pair_{a.pk}_{c.pk}": ac,
        f"pair_{b.pk}_{c.pk}": bc,
    }
    return client.post(url("criterion-ahp", project) + "?group=functionality", data, follow=True)


def ahp_shares(tree) -> dict[str, str]:
    return {
        row.get("data-criterion"): " ".join(row.xpath('.//*[@data-testid="share-ahp"]')[0].text_content().split())
        for row in tree.xpath('//*[@data-testid="ahp-row"]')
    }


def test_the_textbook_matrix_gives_its_weights_and_consistency(project, owner, abc):
    """(1, 3, 5 / 1/3, 1, 3 / 1/5, 1/3, 1): eigenvector 0.6370, 0.2583, 0.1047; λmax 3.0385; CR 0.0332."""
    response = judge(client_for(owner), project, abc, "3", "5", "3")

    tree = page(response)
    a, b, c = abc
    assert ahp_shares(tree) == {str(a.pk): "63.7 %", str(b.pk): "25.8 %", str(c.pk): "10.5 %"}
    assert texts(tree, "ahp-cr") == ["CR 0.033"]
    assert texts(tree, "ahp-lambda") == ["3.0385"]
    assert not texts(tree, "ahp-inconsistent")
    # The choices show the words of Saaty's scale, and the saved judgement is selected.
    select = tree.xpath(f'//select[@name="pair_{a.pk}_{c.pk}"]')[0]
    assert select.xpath(".//option[@selected]")[0].text_content() == "5 · strongly more important"


def test_inconsistent_judgements_are_flagged_with_the_pairs_to_revisit(project, owner, abc):
    # Purchasing ≫ Warehouse ≫ Reporting, yet Reporting ≫ Purchasing: a circle.
    tree = page(judge(client_for(owner), project, abc, "9", "1/9", "9"))

    warning = texts(tree, "ahp-inconsistent")
    assert warning and "inconsistent" in warning[0] and "revisit the pairs" in warning[0]
    assert tree.xpath('//*[@data-testid="ahp-pair"][@data-revisit="1"]')


def test_use_these_weights_stores_the_ahp_weights_and_keeps_the_total(project, owner, abc):
    client = client_for(owner)
    judge(client, project, abc, "3", "5", "3")

    response = client.post(url("criterion-ahp", project) + "?group=functionality", {"action": "apply"}, follow=True)

    weights = [Criterion.objects.get(pk=c.pk).weight for c in abc]
    hand = [Decimal("0.6370"), Decimal("0.2583"), Decimal("0.1047")]  # the textbook eigenvector, times the total 3
    assert all(abs(w - 3 * h) < Decimal("0.0005") for w, h in zip(weights, hand, strict=True)), weights
    assert abs(sum(weights) - 3) < Decimal("0.001")
    assert any("follow the pairwise comparison" in m for m in messages_of(response))


def test_fewer_than_two_criteria_are_explained(project, owner):
    svc.criterion_create(project=project, name="Licence price", group="cost")
    client = client_for(owner)
    assert texts(page(client.get(url("criterion-ahp", project) + "?group=cost")), "ahp-too-few")
    response = client.post(url("criterion-ahp", project) + "?group=cost", {"action": "apply"}, follow=True)
    assert "Pairwise comparison needs at least two criteria." in messages_of(response)


def test_a_viewer_reads_the_ahp_page_but_cannot_judge(project, viewer, abc):
    client = client_for(viewer)
    tree = page(client.get(url("criterion-ahp", project)))
    assert len(tree.xpath('//*[@data-testid="ahp-row"]')) == 3  # the weights are there to read
    assert not tree.xpath('//*[@data-testid="ahp-apply"]')
    assert all(select.get("disabled") is not None for select in tree.xpath('//*[@data-testid="ahp-form"]//select'))
    assert judge(client, project, abc, "3", "5", "3").status_code == 403


# Score sheets --------------------------------------------------------------------------------------------------------


def score_all(client, project, offer, criteria, value: int, note: str, submit: bool = False):
    data = {}
    for criterion in criteria:
        data[f"value_{criterion.pk}"] = str(value)
        data[f"note_{criterion.pk}"] = note
    name = "offer-score-submit" if submit else "offer-score"
    return client.post(url(name, project, offer_id=offer.pk), data, follow=True)


def test_an_evaluator_sees_nobody_elses_scores_until_submitting(project, owner, editor, offer, three):
    owner_client, editor_client = client_for(owner), client_for(editor)
    score_all(owner_client, project, offer, three, 5, "owner says excellent batch handling", submit=True)
    score_all(editor_client, project, offer, three[:1], 2, "editor draft thoughts")

    sheet = url("offer-score", project, offer_id=offer.pk)
    html = editor_client.get(sheet).content.decode()
    assert "owner says excellent batch handling" not in html
    assert "1 evaluator has submitted so far." in html
    agreed_html = editor_client.get(url("offer-agreed", project, offer_id=offer.pk)).content.decode()
    assert "owner says excellent batch handling" not in agreed_html  # not on the agreed page either
    # The owner has submitted, but the editor's draft stays private.
    assert "editor draft thoughts" not in owner_client.get(sheet).content.decode()

    response = score_all(editor_client, project, offer, three, 2, "editor draft thoughts", submit=True)

    tree = page(response)
    assert ScoreSubmission.objects.filter(offer=offer, evaluator=editor).exists()
    assert "owner says excellent batch handling" in response.content.decode()
    spreads = texts(tree, "score-spread")
    assert spreads == ["3", "3", "3"]  # 5 against 2
    assert len(tree.xpath('//*[@data-testid="score-row"][@data-wide="1"]')) == 3


def test_a_small_spread_is_not_highlighted(project, owner, editor, offer, three):
    score_all(client_for(owner), project, offer, three, 4, "", submit=True)
    tree = page(score_all(client_for(editor), project, offer, three, 3, "", submit=True))
    assert texts(tree, "score-spread") == ["1", "1", "1"]
    assert not tree.xpath('//*[@data-wide="1"]')


def test_submitting_is_refused_while_a_criterion_is_unscored(project, editor, offer, three):
    client = client_for(editor)
    response = score_all(client, project, offer, three[:2], 4, "fine", submit=True)

    assert not ScoreSubmission.objects.filter(offer=offer, evaluator=editor).exists()
    assert any("Score every criterion before submitting" in m and "Licence price" in m for m in messages_of(response))
    # What was typed is saved as a draft, the sheet is still open.
    assert Score.objects.filter(offer=offer, evaluator=editor).count() == 2
    assert page(response).xpath('//*[@data-testid="score-form"]')


def test_a_submitted_sheet_cannot_change(project, editor, offer, three):
    client = client_for(editor)
    score_all(client, project, offer, three, 4, "fine", submit=True)

    response = score_all(client, project, offer, three, 1, "changed my mind")

    assert set(Score.objects.filter(offer=offer, evaluator=editor).values_list("value", flat=True)) == {4}
    assert any("can no longer change" in m for m in messages_of(response))
    assert not page(response).xpath('//*[@data-testid="score-form"]')  # read-only now
    again = client.post(url("offer-score-submit", project, offer_id=offer.pk), follow=True)
    assert any("already" in m for m in messages_of(again))


def test_a_score_once_given_cannot_be_blanked(project, editor, offer, three):
    client = client_for(editor)
    score_all(client, project, offer, three[:1], 4, "")
    response = client.post(url("offer-score", project, offer_id=offer.pk), {f"note_{three[0].pk}": "x"})
    assert response.status_code == 200
    assert "change the score, not remove it" in response.content.decode()
    assert Score.objects.get(offer=offer, evaluator=editor).value == 4


@pytest.mark.parametrize("role", ["viewer", "tester"])
def test_only_owners_and_editors_score(project, team, offer, three, role):
    client = client_for(team[role])
    sheet = url("offer-score", project, offer_id=offer.pk)
    assert texts(page(client.get(sheet)), "not-evaluator")
    assert score_all(client, project, offer, three, 3, "").status_code == 403
    assert client.post(url("offer-score-submit", project, offer_id=offer.pk)).status_code == 403
    assert not Score.objects.exists()


def test_the_score_sheet_costs_the_same_queries_however_many_criteria_and_evaluators(project, owner, offer):
    def sheet_queries() -> int:
        client = client_for(owner)
        client.get(url("offer-score", project, offer_id=offer.pk))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("offer-score", project, offer_id=offer.pk)).status_code == 200
        return len(queries)

    def add_criteria(names):
        return [svc.criterion_create(project=project, name=n, group="service") for n in names]

    def evaluate(user, criteria):
        for criterion in criteria:
            svc.score_set(offer=offer, criterion=criterion, evaluator=user, value=3, note="n")
        svc.scores_submit(offer=offer, evaluator=user)

    add_criteria(["Hotline", "Training"])
    open_small = sheet_queries()
    add_criteria([f"Service {n}" for n in range(6)])
    assert sheet_queries() == open_small  # the open sheet

    every = list(Criterion.objects.filter(project=project))
    others = [UserFactory(username=f"evaluator{n}") for n in range(3)]
    for user in others:
        MembershipFactory(project=project, user=user, role="editor")
    evaluate(others[0], every)
    evaluate(owner, every)
    submitted_one = sheet_queries()
    for user in others[1:]:
        evaluate(user, every)
    assert sheet_queries() == submitted_one  # the submitted sheet with 2 and with 4 evaluators


# Agreed scores -------------------------------------------------------------------------------------------------------


def test_agreed_scores_are_saved_and_give_the_weighted_total(project, owner, editor, viewer, offer, three):
    score_all(client_for(owner), project, offer, three, 5, "strong", submit=True)
    score_all(client_for(editor), project, offer, three, 2, "weak", submit=True)
    agreed = url("offer-agreed", project, offer_id=offer.pk)
    tree = page(client_for(owner).get(agreed))
    assert texts(tree, "agreed-mean") == ["3.5", "3.5", "3.5"]
    assert texts(tree, "agreed-spread") == ["3", "3", "3"]
    assert texts(tree, "weighted-total-none")

    batch, mobile, price = three
    data = {f"agreed_{batch.pk}": "4", f"agreed_note_{batch.pk}": "batch demo convinced us", f"agreed_{mobile.pk}": "2"}
    response = client_for(editor).post(agreed, data, follow=True)

    assert {a.criterion_id: a.value for a in AgreedScore.objects.filter(offer=offer)} == {batch.pk: 4, mobile.pk: 2}
    assert "2 agreed scores saved." in messages_of(response)
    # Weights 3 and 1 agreed (price not yet): (3·4 + 1·2) / 4 = 3.5
    assert texts(page(response), "weighted-total") == ["3.50"]

    as_viewer = client_for(viewer).get(agreed)
    viewer_tree = page(as_viewer)
    assert texts(viewer_tree, "agreed-value") == ["4", "2"]
    assert "batch demo convinced us" in as_viewer.content.decode()
    assert "strong" in as_viewer.content.decode()  # the submitted evaluators' notes are there to read
    assert client_for(viewer).post(agreed, {f"agreed_{price.pk}": "5"}).status_code == 403
    assert not AgreedScore.objects.filter(criterion=price).exists()


def test_an_agreed_score_cannot_be_blanked(project, editor, offer, three):
    svc.agreed_score_set(offer=offer, criterion=three[0], value=3)
    response = client_for(editor).post(url("offer-agreed", project, offer_id=offer.pk), {f"agreed_{three[0].pk}": ""})
    assert response.status_code == 200
    assert "can be changed, not removed" in response.content.decode()
    assert AgreedScore.objects.get(offer=offer, criterion=three[0]).value == 3


def test_an_empty_sheet_cannot_be_submitted(project, editor, offer):
    response = client_for(editor).post(url("offer-score-submit", project, offer_id=offer.pk), follow=True)
    assert "There are no criteria to score on yet: add them first." in messages_of(response)
    assert texts(page(response), "score-no-criteria")
    assert not ScoreSubmission.objects.exists()


def test_an_offer_of_another_project_is_not_found(project, owner, three, outsider):
    from projects.models import Project

    other = Project.objects.get(code="OTHER")
    vendor = svc.vendor_create(project=other, name="Beta")
    foreign = svc.offer_create(vendor=vendor, product="Beta ERP", deployment="saas")
    client = client_for(owner)
    assert client.get(url("offer-score", project, offer_id=foreign.pk)).status_code == 404
    assert client.get(url("offer-agreed", project, offer_id=foreign.pk)).status_code == 404
