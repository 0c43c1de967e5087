"""The requirement specification: PDF and self-contained HTML, current or from a baseline, and its pages."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from projects.models import Membership
from projects.services import goals as goal_services
from requirements import services
from requirements.specification import specification_context, specification_html, specification_pdf
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from workbench.models import Job


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    settings.WORKBENCH_JOBS_SYNC = True


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.fixture
def requirements_(project, owner):
    goal = goal_services.goal_create(project=project, statement="Stock is right")
    kpi = goal_services.kpi_create(goal=goal, name="Record accuracy", unit="%", baseline=92, target=99)
    first = services.requirement_create(
        project=project,
        title="Real-time stock",
        statement="Stock is updated **within a second**.",
        acceptance_criteria="- a sale lowers stock at once",
        layer="core",
        category="inventory",
        priority="must",
        goals=[goal],
        kpis=[kpi],
    )
    second = services.requirement_create(
        project=project, title="Batch numbers", statement="Track batches.", layer="integration", priority="could"
    )
    third = services.requirement_create(
        project=project, title="Fast search", statement="Search answers in 1 s.", layer="nonfunctional"
    )
    return [first, second, third]


def test_the_pdf_is_a_pdf_with_a_toc_and_every_key(project, requirements_):
    with translation.override("en"):
        data = specification_pdf(specification_context(project=project))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Table of contents" in text
    assert "Requirement specification" in text
    for requirement in requirements_:
        assert requirement.key in text
    assert "Traceability" in text
    assert re.search(r"Page \d+ of \d+", text)


def test_chinese_statements_extract_as_chinese(project):
    services.requirement_create(
        project=project, title="实时库存", statement="销售出库后库存**立即**减少。", layer="core", category="inventory"
    )
    with translation.override("zh-hans"):
        data = specification_pdf(specification_context(project=project))
    text = _pdf_text(data)
    assert "实时库存" in text
    assert "销售出库后库存" in text


def test_the_baseline_variant_says_so_and_holds_exactly_its_items(project, owner, requirements_):
    membership = Membership.objects.get(project=project, user=owner)
    frozen = requirements_[0]
    for status in ("in_review", "approved"):
        services.requirement_transition(requirement=frozen, to_status=status, membership=membership)
    baseline = services.baseline_sign(project=project, membership=membership, name="BL-7", password=PASSWORD)
    services.requirement_create(project=project, title="Added later", statement="Not frozen.")
    with translation.override("en"):
        context = specification_context(project=project, baseline=baseline)
        text = _pdf_text(specification_pdf(context))
    assert "Baseline BL-7, signed by" in text
    assert [item.key for item in context["items"]] == [frozen.key]
    assert frozen.key in text
    for other in requirements_[1:]:
        assert other.key not in text
    assert "Added later" not in text


def test_the_html_is_self_contained_and_lists_every_key(project, requirements_):
    services.requirement_create(
        project=project,
        title="Outside links",
        statement="See ![logo](https://cdn.example.com/logo.png) and [the law](https://example.com/law).",
    )
    with translation.override("en"):
        html = specification_html(specification_context(project=project))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html.lower()
    assert "<script" not in html.lower()
    assert "<style>" in html
    for requirement in requirements_:
        assert f'id="req-{requirement.key}"' in html
    assert "the law (https://example.com/law)" in html


def test_the_context_takes_a_fixed_number_of_queries(project, requirements_):
    with CaptureQueriesContext(connection) as few:
        specification_context(project=project)
    for n in range(10):
        services.requirement_create(project=project, title=f"More {n}", statement="More.", parent=requirements_[0])
    with CaptureQueriesContext(connection) as many:
        specification_context(project=project)
    assert len(many) == len(few) <= 6


def test_the_traceability_appendix_names_the_uat_cases_that_verify_each_requirement(project, requirements_):
    from testing import services as uat

    first, second, _third = requirements_
    uat.case_create(project=project, title="Sell from stock", steps=[("Sell", "Stock drops")], requirements=[first])
    uat.case_create(project=project, title="Sell again", steps=[("Sell", "Stock drops")], requirements=[first])
    with translation.override("en"):
        html = specification_html(specification_context(project=project))
    rows = {row.split("&emsp;")[0]: row for row in re.findall(r'<p class="trace-row">(.*?)</p>', html)}
    assert "UAT cases: UAT-001, UAT-002" in rows[first.key]
    assert "UAT cases: —" in rows[second.key]


def test_a_viewer_publishes_the_pdf_and_downloads_it(project, viewer, requirements_):
    client = client_for(viewer)
    url = reverse("requirements:requirement-specification", kwargs={"project_code": project.code})
    assert client.get(url).status_code == 200
    response = client.post(url, {"format": "pdf", "source": "current"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.progress, job.user) == ("done", 100, viewer)
    page = client.get(job.get_absolute_url())
    assert b'data-status="done"' in page.content and b"hx-get" not in page.content
    download = client.get(
        reverse(
            "requirements:requirement-specification-download", kwargs={"project_code": project.code, "job_id": job.pk}
        )
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="{project.code}-specification.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_html_download_is_html(project, owner_client, requirements_):
    url = reverse("requirements:requirement-specification", kwargs={"project_code": project.code})
    owner_client.post(url, {"format": "html", "source": "current"})
    job = Job.objects.get()
    download = owner_client.get(job.get_absolute_url() + "download/")
    assert download["Content-Type"].startswith("text/html")
    assert requirements_[0].key.encode() in b"".join(download.streaming_content)


def test_the_job_page_polls_while_the_job_runs(project, owner, owner_client):
    job = Job.objects.create(
        kind="specification",
        handler="x.y",
        view_name="requirements:requirement-specification-job",
        project_code=project.code,
        user=owner,
        status="running",
        progress=40,
        message="Laying out",
    )
    page = owner_client.get(job.get_absolute_url())
    assert b'hx-get="' + job.get_absolute_url().encode() in page.content
    assert b"40%" in page.content
    partial = owner_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b'data-status="running"' in partial.content
    download = owner_client.get(job.get_absolute_url() + "download/")
    assert download.status_code == 404  # nothing to download yet


def test_a_baseline_source_is_offered_and_used(project, owner, owner_client, requirements_):
    membership = Membership.objects.get(project=project, user=owner)
    for status in ("in_review", "approved"):
        services.requirement_transition(requirement=requirements_[0], to_status=status, membership=membership)
    baseline = services.baseline_sign(project=project, membership=membership, name="BL-1", password=PASSWORD)
    url = reverse("requirements:requirement-specification", kwargs={"project_code": project.code})
    form = owner_client.get(url + f"?baseline={baseline.pk}")
    assert f'value="{baseline.pk}" selected'.encode() in form.content
    owner_client.post(url, {"format": "html", "source": str(baseline.pk)})
    job = Job.objects.get()
    html = b"".join(owner_client.get(job.get_absolute_url() + "download/").streaming_content).decode()
    assert "Baseline BL-1, signed by" in html
    assert requirements_[0].key in html and requirements_[1].key not in html


def test_an_unknown_baseline_is_refused_by_the_form(project, owner_client):
    url = reverse("requirements:requirement-specification", kwargs={"project_code": project.code})
    response = owner_client.post(url, {"format": "pdf", "source": "999"})
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.fixture
def finished_job(project, owner):
    return Job.objects.create(
        kind="specification",
        handler="requirements.specification.run_specification_job",
        view_name="requirements:requirement-specification-job",
        project_code=project.code,
        user=owner,
        status="done",
        progress=100,
        result_name="ACME-specification.pdf",
        result_type="application/pdf",
        result=b"%PDF-1.7 test",
    )


def test_an_outsider_gets_404_on_job_and_download(finished_job, outsider):
    client = client_for(outsider)
    assert client.get(finished_job.get_absolute_url()).status_code == 404
    assert client.get(finished_job.get_absolute_url() + "download/").status_code == 404


def test_another_projects_job_is_404_through_this_project(finished_job, owner):
    other = ProjectFactory(code="BETA", name="Beta")
    MembershipFactory(project=other, user=owner, role=Membership.Role.OWNER)
    client = client_for(owner)
    for suffix in ("", "download/"):
        url = reverse(
            "requirements:requirement-specification-job", kwargs={"project_code": "BETA", "job_id": finished_job.pk}
        )
        assert client.get(url + suffix).status_code == 404


def test_a_member_who_left_cannot_download(finished_job, project):
    leaver = UserFactory(username="leaver")
    membership = MembershipFactory(project=project, user=leaver, role=Membership.Role.VIEWER)
    client = client_for(leaver)
    assert client.get(finished_job.get_absolute_url() + "download/").status_code == 200
    membership.delete()
    assert client.get(finished_job.get_absolute_url() + "download/").status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain.",
        "**Bold** and _em_\n\nno list",
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "<script>x</script>ok",
        "a\nb",
    ],
)
def test_the_batch_markdown_renders_like_render_markdown(text):
    from requirements.specification import _MarkdownBatch
    from workbench.markdown import render_markdown

    batch = _MarkdownBatch()
    batch.render("warm the parser up with **something** else\n\n1. first")
    assert batch.render(text) == render_markdown(text)


def test_list_markers_are_written_into_the_items():
    """Bullets and numbers are text in the document (cheap for WeasyPrint), numbered as Markdown numbers them."""
    from requirements.specification import _MarkdownBatch

    html = str(_MarkdownBatch().render("- one\n- two\n\n3. third\n4. fourth\n    - nested\n5. fifth"))

    assert "<li>• one</li>" in html and "<li>• two</li>" in html
    # the page renders this list 1, 2, 3 (the sanitiser keeps no start number), and so does the document
    assert "<li>1. third</li>" in html
    assert "2. fourth" in html and "<li>• nested</li>" in html
    assert "<li>3. fifth</li>" in html


def test_a_parent_link_in_the_pdf_leads_to_its_requirement(project, requirements_):
    """The PDF anchors the requirements that something links to; the HTML publish anchors every one."""
    first, second, _third = requirements_
    child = services.requirement_create(
        project=project, title="Stock by batch", statement="Per batch.", layer="core", parent=first
    )
    with translation.override("en"):
        context = specification_context(project=project)
    pdf_html, page_html = specification_html(context, for_pdf=True), specification_html(context)

    assert f'href="#req-{first.key}"' in pdf_html
    assert f'id="req-{first.key}"' in pdf_html
    assert f'id="req-{second.key}"' not in pdf_html and f'id="req-{child.key}"' not in pdf_html
    assert all(f'id="req-{r.key}"' in page_html for r in (first, second, child))
    data = specification_pdf(context)
    reader = PdfReader(BytesIO(data))
    assert f"req-{first.key}" in reader.named_destinations
