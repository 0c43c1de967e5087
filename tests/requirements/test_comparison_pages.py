"""The comparison page and the PDF vendor report, on the hand-computed case of test_comparison.py:
A scores 3.4, B 3.8, C 5 but fails a knock-out; TCO over 5 years A 192,000, B 190,000."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html
from pypdf import PdfReader

from requirements import selection as svc
from requirements import services
from requirements.vendor_report import report_context, report_pdf
from tests.conftest import client_for
from tests.requirements.test_comparison import case  # noqa: F401 - the shared fixture


def _page(client, project):
    response = client.get(reverse("requirements:comparison", args=[project.code]))
    assert response.status_code == 200
    return response, lxml_html.fromstring(response.content.decode())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _wide(row) -> list[str]:
    """The row's cells as a wide screen shows them: without the lines repeated for phones."""
    for phone_only in row.xpath('.//*[contains(@class, "d-sm-none") or contains(@class, "d-md-none")]'):
        phone_only.getparent().remove(phone_only)
    return [_text(cell) for cell in row.xpath("./td")]


def _cells(tree, testid: str) -> list[str]:
    return [_text(e) for e in tree.xpath(f'//*[@data-testid="{testid}"]')]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_offers_are_ranked_with_score_coverage_tco_and_customisation(project, owner, case):  # noqa: F811
    _response, tree = _page(client_for(owner), project)
    rows = tree.xpath('//table[@data-testid="ranking-table"]//tr[@data-testid="offer-row"]')
    # B 3.8 first, A 3.4 second; C is knocked out and not in the ranking table
    assert [r.get("data-offer") for r in rows] == [str(case["b"].pk), str(case["a"].pk)]
    assert [r.get("data-rank") for r in rows] == ["1", "2"]
    # rank, offer, score of 5 and % ((3.8 − 1) / 4 = 70 %), group scores (B functionality (.6·3 + .2·5)/.8 = 3.5,
    # cost 5; A 3.75 and 2), must-haves met of the 2 open ones (A needs customisation for REQ-001, B did not
    # answer REQ-002), TCO over 5 years, customisation days from the fit-gap
    assert [_wide(r) for r in rows] == [
        ["1", "Beta Cloud · Beta SaaS", "3.80 / 5 70 %", "3.50", "5.00", "50 % 1/2", "190,000", "—"],
        ["2", "Alpha Soft · Alpha On-premise", "3.40 / 5 60 %", "3.75", "2.00", "50 % 1/2", "192,000", "10 d"],
    ]
    fit_link = reverse("requirements:offer-fit", args=[project.code, case["a"].pk])
    assert tree.xpath(f'//tr[@data-offer="{case["a"].pk}"]//td[@data-testid="coverage"]/a/@href') == [fit_link]
    detail = reverse("requirements:offer-detail", args=[project.code, case["b"].pk])
    assert tree.xpath(f'//tr[@data-offer="{case["b"].pk}"]//a/@href')[0] == detail
    assert "In the lead: Beta Cloud · Beta" in _cells(tree, "comparison-leader")[0]


def test_the_knocked_out_offer_is_listed_apart_with_its_reason(project, owner, case):  # noqa: F811
    _response, tree = _page(client_for(owner), project)
    excluded = tree.xpath('//*[@data-testid="excluded-row"]')
    assert [e.get("data-offer") for e in excluded] == [str(case["c"].pk)]
    assert _cells(tree, "exclusion") == ["Runs on our intranet — Cloud only"]
    assert "Gamma" not in _text(tree.xpath('//table[@data-testid="ranking-table"]')[0])


def test_npv_is_shown_once_a_discount_rate_is_set(project, owner, case):  # noqa: F811
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=selection.version, discount_rate=Decimal("0.08"))
    _response, tree = _page(client_for(owner), project)
    # A: 179,618.28 (worked out in test_comparison.py)
    assert "NPV 179,618.28" in _cells(tree, "tco")[1]
    assert "discounted at 8 % a year" in _cells(tree, "comparison-counts")[0]


def test_the_sensitivity_says_where_the_lead_changes(project, owner, case):  # noqa: F811
    _response, tree = _page(client_for(owner), project)
    rows = [_wide(r) for r in tree.xpath('//*[@data-testid="sensitivity-row"]')]
    # functionality 80 % → A level at 3/3.25 = 92.3 % (+12.3 points); cost 20 % → 0.25/3.25 = 7.7 % (−12.3)
    assert rows == [
        ["Functionality", "80.0 %", "92.3 %", "Alpha Soft · Alpha", "+12.3 points"],
        ["Cost", "20.0 %", "7.7 %", "Alpha Soft · Alpha", "-12.3 points"],
    ]
    assert not tree.xpath('//*[@data-testid="never"]')


def test_the_sensitivity_says_never_when_the_leader_wins_at_any_weight(project, owner, case):  # noqa: F811
    for criterion in case["criteria"]:  # A now trails B in every group: no weight gives A the lead
        svc.agreed_score_set(offer=case["a"], criterion=criterion, value=2)
    _response, tree = _page(client_for(owner), project)
    assert _cells(tree, "never") == ["never in 0–100 %", "never in 0–100 %"]
    assert not tree.xpath('//*[@data-testid="threshold"]')


def test_both_charts_are_inline_svg(project, owner, case):  # noqa: F811
    _response, tree = _page(client_for(owner), project)
    for testid in ("group-chart", "tco-chart"):
        svg = tree.xpath(f'//*[@data-testid="{testid}"]//svg')
        assert svg, testid
        assert "Beta Cloud" in _text(svg[0])  # one offer per vendor: the legend names the vendor
    # the knocked-out offer has costs but no place among the scored bars
    assert "Gamma" in _text(tree.xpath('//*[@data-testid="tco-chart"]')[0])
    assert "Gamma" not in _text(tree.xpath('//*[@data-testid="group-chart"]')[0])


def test_summary_and_recommendation_render_as_markdown(project, owner, case):  # noqa: F811
    selection = svc.selection_for(project)
    svc.selection_update(
        selection=selection,
        expected_version=selection.version,
        summary="Three offers, **scored by six people**.",
        recommendation="Choose *Beta* <script>alert(1)</script>",
    )
    response, tree = _page(client_for(owner), project)
    assert "<strong>scored by six people</strong>" in response.content.decode()
    assert "<em>Beta</em>" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


def test_the_report_link_shows_to_every_reader(project, viewer, case):  # noqa: F811
    report = reverse("requirements:comparison-report", args=[project.code])
    tree = _page(client_for(viewer), project)[1]
    assert tree.xpath('//a[@data-testid="report-link"]/@href') == [report]  # reading the report needs only "view"


def test_without_offers_the_page_says_what_to_do_first(project, owner):
    response, tree = _page(client_for(owner), project)
    empty = tree.xpath('//*[@data-testid="comparison-empty"]')
    assert empty
    links = empty[0].xpath(".//a/@href")
    for name in ("vendor-list", "criterion-list", "knockout-list"):
        assert reverse(f"requirements:{name}", args=[project.code]) in links
    assert not tree.xpath('//*[@data-testid="ranking-table"]')


def test_the_page_reads_the_same_number_of_queries_for_2_or_5_offers(project, owner, case):  # noqa: F811
    client = client_for(owner)
    _page(client, project)  # settles the session and the settings row
    with CaptureQueriesContext(connection) as first:
        _page(client, project)
    knockout = case["c"].knockout_checks.first().knockout
    for n in range(3):
        offer = svc.offer_create(
            vendor=svc.vendor_create(project=project, name=f"Extra {n}"), product=f"X{n}", deployment="saas"
        )
        svc.quote_line_create(offer=offer, kind="hosting", amount=Decimal(1000))
        svc.fit_set(offer=offer, requirement=case["r1"], level="customisation", cost=Decimal(5), effort_days=1)
        svc.knockout_check(knockout=knockout, offer=offer, passed=n != 0, reason="No" if n == 0 else "")
        for criterion in case["criteria"]:
            svc.agreed_score_set(offer=offer, criterion=criterion, value=3 + n % 2)
    with CaptureQueriesContext(connection) as second:
        response, tree = _page(client, project)
    assert len(tree.xpath('//*[@data-testid="offer-row"]')) == 4  # 2 + 2 ranked, the other 2 knocked out
    assert len(second) == len(first)


# The PDF report


def _report(client, project):
    response = client.get(reverse("requirements:comparison-report", args=[project.code]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_report_is_a_pdf_download_with_offers_recommendation_and_tco(project, owner, case):  # noqa: F811
    selection = svc.selection_for(project)
    svc.selection_update(
        selection=selection, expected_version=selection.version, recommendation="We recommend Beta Cloud."
    )
    svc.demo_create(offer=case["b"], held_on=date(2026, 11, 20), place="Meeting room 3", notes="Good *scanning*.")
    response, data = _report(client_for(owner), project)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ACME-vendor-comparison.pdf"' in response["Content-Disposition"]
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for name in ("Alpha Soft · Alpha", "Beta Cloud · Beta", "Gamma ERP · Gamma"):
        assert name in text
    assert "We recommend Beta Cloud." in text
    assert "192,000" in text and "190,000" in text  # TCO totals
    assert "Cloud only" in text  # the knock-out reason
    assert "Meeting room 3" in text and "Good scanning." in text  # demo notes
    assert case["r1"].key in text  # A's must-have gap
    assert re.search(r"Page \d+ of \d+", text)


def test_the_report_extracts_chinese_in_a_chinese_run(project, owner):
    requirement = services.requirement_create(
        project=project, title="批次追溯", statement="按批次追溯", priority="must"
    )
    price = svc.criterion_create(project=project, name="价格", group="cost")
    fit = svc.criterion_create(project=project, name="批次管理", group="functionality")
    for name, product, values in (("金蝶软件", "云星空", (4, 3)), ("用友网络", "畅捷通", (3, 5))):
        offer = svc.offer_create(
            vendor=svc.vendor_create(project=project, name=name), product=product, deployment="saas"
        )
        for criterion, value in zip((price, fit), values, strict=True):
            svc.agreed_score_set(offer=offer, criterion=criterion, value=value)
        svc.quote_line_create(offer=offer, kind="subscription", amount=Decimal(12000))
    svc.fit_set(offer=offer, requirement=requirement, level="not_supported")
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=selection.version, recommendation="建议选择用友网络。")
    with translation.override("zh-hans"):
        text = _pdf_text(report_pdf(report_context(project=project)))
    assert "金蝶软件 · 云星空" in text and "用友网络 · 畅捷通" in text
    assert "建议选择用友网络" in text
    assert "批次追溯" in text
    # through the page, in the language the user chose: the running footer is Chinese
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    _response, data = _report(client, project)
    assert re.search(r"第 \d+ 页", _pdf_text(data))


def test_the_report_reads_a_fixed_number_of_queries(project, owner, case):  # noqa: F811
    svc.demo_create(offer=case["a"], held_on=date(2026, 11, 20))
    report_context(project=project)
    with CaptureQueriesContext(connection) as first:
        report_context(project=project)
    for n in range(3):
        offer = svc.offer_create(
            vendor=svc.vendor_create(project=project, name=f"Extra {n}"), product=f"X{n}", deployment="saas"
        )
        svc.demo_create(offer=offer, held_on=date(2026, 11, 21 + n), notes="Fine")
        svc.fit_set(offer=offer, requirement=case["r2"], level="not_supported")
    with CaptureQueriesContext(connection) as second:
        context = report_context(project=project)
    assert len(context["rows"]) == 6 and len(context["demos"]) == 4
    assert len(second) == len(first)


def test_the_report_needs_view_and_is_hidden_from_the_vendor_role(project, viewer, vendor, outsider, case):  # noqa: F811
    url = reverse("requirements:comparison-report", args=[project.code])
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(vendor).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_a_score_resting_on_part_of_the_weight_says_so(project, owner, case):  # noqa: F811
    batch, _mobile, _price = case["criteria"]
    offer = svc.offer_create(vendor=svc.vendor_create(project=project, name="Delta"), product="D", deployment="saas")
    svc.agreed_score_set(offer=offer, criterion=batch, value=4)  # batch alone carries 60 % of the weight
    _response, tree = _page(client_for(owner), project)
    row = tree.xpath(f'//tr[@data-offer="{offer.pk}"]')[0]
    assert _text(row.xpath('.//*[@data-testid="score"]')[0]) == "4.00 / 5 75 % scored: 60 % of the weight"
    assert [_text(e) for e in tree.xpath('//*[@data-testid="scored-share"]')] == ["scored: 60 % of the weight"]
