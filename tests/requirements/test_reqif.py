"""ReqIF: export validates against the ReqIF 1.2 XSD and reads back with the reqif package, baselines,
the round trip, files written by Polarion and DOORS (Capella Requirements VP), value mapping, access."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree
from reqif.parser import ReqIFParser

from projects.models import Membership
from requirements import reqif
from requirements.models import Requirement
from requirements.services import baseline_sign, requirement_create, requirement_transition, requirement_update
from requirements.views.reqif import ReqIFMappingForm
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "reqif"

RICH = (
    "The system **must** record *every* goods receipt.\n"
    "It shows a confirmation.\n\n"
    "- scan the barcode\n"
    "- confirm the quantity\n\n"
    "1. first\n"
    "2. second\n\n"
    "See [the manual](https://example.com/manual) and `GR-01`."
)


def url(name: str, code: str = "ACME") -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": code})


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def approve(requirement, owner) -> None:
    for to_status in ("in_review", "approved"):
        requirement_transition(
            requirement=requirement, to_status=to_status, membership=member(requirement.project, owner)
        )


@pytest.fixture
def requirements(project):
    parent = requirement_create(
        project=project,
        title="Receive goods",
        statement=RICH,
        acceptance_criteria="Given a delivery\nwhen it is scanned\nthen stock rises by the **quantity**.",
        layer="core",
        category="purchasing",
        priority="must",
    )
    child = requirement_create(
        project=project,
        title="Partial deliveries",
        statement="Partial deliveries keep the order open.",
        layer="extended",
        category="warehouse",
        priority="could",
        parent=parent,
    )
    other = requirement_create(
        project=project,
        title="Encrypt backups",
        statement="Backups are encrypted at rest.",
        layer="nonfunctional",
        category="security",
        priority="wont",
    )
    return [parent, child, other]


def export(client, code: str = "ACME", query: str = "") -> bytes:
    response = client.get(url("requirement-reqif-export", code) + query)
    assert response.status_code == 200, response.status_code
    return response.content


def upload(client, content: bytes, name: str = "file.reqif", code: str = "ACME"):
    file = SimpleUploadedFile(name, content, content_type="application/xml")
    return client.post(url("requirement-reqif-import", code), {"action": "upload", "file": file})


def mapping_data(response, **overrides) -> dict[str, str]:
    """What the mapping form posts when the user accepts what it suggests (plus overrides)."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        initial = form.get_initial_for_field(field, name)
        if isinstance(initial, bool):
            if initial:
                data[name] = "on"
        else:
            data[name] = initial or ""
    data.update(overrides)
    return data


def import_file(client, content: bytes, name: str = "file.reqif", code: str = "ACME", **overrides):
    """Upload, accept the suggested mapping, preview, apply; returns (preview response, apply response)."""
    assert upload(client, content, name, code).status_code == 302
    page = client.get(url("requirement-reqif-import", code))
    assert page.status_code == 200
    data = mapping_data(page, **overrides)
    preview = client.post(url("requirement-reqif-import", code), {**data, "action": "preview"})
    assert preview.status_code == 200
    applied = client.post(url("requirement-reqif-import", code), {**data, "action": "apply"})
    return preview, applied


# Export


def test_export_validates_against_the_reqif_xsd_and_reads_back_with_the_reqif_parser(project, owner, requirements):
    content = export(client_for(owner))
    assert reqif.validation_errors(content) == []

    bundle = ReqIFParser.parse_from_string(content.decode())
    assert bundle.exceptions == []
    data = bundle.core_content.req_if_content
    assert [o.identifier for o in data.spec_objects] == ["wb-ACME-REQ-001", "wb-ACME-REQ-002", "wb-ACME-REQ-003"]
    assert all(o.last_change for o in data.spec_objects)
    object_type = data.spec_types[0]
    assert object_type.long_name == "Requirement"
    kinds = {a.long_name: a.attribute_type.name for a in object_type.attribute_definitions}
    assert kinds == {
        "ReqIF.ForeignID": "STRING",
        "ReqIF.Name": "STRING",
        "ReqIF.Text": "XHTML",
        "Acceptance criteria": "XHTML",
        "Layer": "ENUMERATION",
        "Category": "ENUMERATION",
        "Priority": "ENUMERATION",
        "Status": "ENUMERATION",
    }
    (specification,) = data.specifications
    top = [(node.spec_object, [c.spec_object for c in node.children or []]) for node in specification.children]
    assert top == [("wb-ACME-REQ-001", ["wb-ACME-REQ-002"]), ("wb-ACME-REQ-003", [])]
    statement = bundle.get_spec_object_by_ref("wb-ACME-REQ-001").attribute_map["wb-ACME-attr-statement"]
    assert "<strong>must</strong>" in statement.value_stripped_xhtml
    assert "<li>scan the barcode</li>" in statement.value_stripped_xhtml


def test_the_export_is_a_download_named_after_the_project_with_stable_identifiers(project, owner, requirements):
    client = client_for(owner)
    response = client.get(url("requirement-reqif-export"))
    assert response["Content-Disposition"] == 'attachment; filename="ACME-requirements.reqif"'
    assert response["Content-Type"].startswith("application/xml")

    def identifiers(content: bytes) -> list[str]:
        return etree.fromstring(content).xpath("//*/@IDENTIFIER")

    first = identifiers(response.content)
    assert identifiers(export(client)) == first
    assert len(first) == len(set(first))


def test_the_schema_check_is_not_vacuous(project, owner, requirements):
    content = export(client_for(owner))
    broken = content.replace(b"<TYPE>", b"<TYPO>", 1).replace(b"</TYPE>", b"</TYPO>", 1)
    assert reqif.validation_errors(broken)


def test_markdown_that_html_allows_but_xhtml_1_1_does_not_still_validates(project, owner):
    requirement_create(
        project=project,
        title="Odd markup",
        statement="<blockquote>loose text</blockquote>\n\n<s>gone</s> ![logo](https://example.com/l.png)\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n> quoted\n\n## Heading\n\n```\ncode\n```",
    )
    assert reqif.validation_errors(export(client_for(owner))) == []


def test_baseline_export_holds_exactly_the_baseline_items_as_signed(project, owner, requirements):
    parent, child, other = requirements
    approve(parent, owner)
    approve(child, owner)
    baseline = baseline_sign(project=project, membership=member(project, owner), name="Tender", password=PASSWORD)
    parent.refresh_from_db()
    requirement_update(requirement=parent, expected_version=parent.version, user=owner, title="Changed later")

    content = export(client_for(owner), query=f"?baseline={baseline.pk}")
    assert reqif.validation_errors(content) == []
    document = reqif.read_reqif(content, "baseline.reqif")
    mapping = reqif.Mapping.guess(document)
    keys = [reqif.raw_value(o, mapping, "key") for o in document.objects]
    assert keys == ["REQ-001", "REQ-002"]
    assert reqif.raw_value(document.objects[0], mapping, "title") == "Receive goods"
    assert document.objects[1].parent_id == document.objects[0].id


def test_a_baseline_of_another_project_or_no_baseline_is_404(project, owner, requirements):
    other = ProjectFactory(code="OTHER2")
    MembershipFactory(project=other, user=owner, role=Membership.Role.OWNER)
    requirement = requirement_create(project=other, title="Theirs", statement="Theirs.")
    approve(requirement, owner)
    foreign = baseline_sign(project=other, membership=member(other, owner), name="B", password=PASSWORD)
    client = client_for(owner)
    assert client.get(url("requirement-reqif-export") + f"?baseline={foreign.pk}").status_code == 404
    assert client.get(url("requirement-reqif-export") + "?baseline=999999").status_code == 404
    assert client.get(url("requirement-reqif-export") + "?baseline=x").status_code == 404


# Round trip


FIELDS = ["title", "statement", "acceptance_criteria", "layer", "category", "priority"]


def test_round_trip_into_the_same_project_changes_nothing(project, owner, requirements):
    client = client_for(owner)
    before = {r.key: (r.version, *(getattr(r, f) for f in FIELDS)) for r in project.requirements.all()}
    preview, applied = import_file(client, export(client))
    assert [row.action for row in preview.context["rows"]] == ["unchanged"] * 3
    assert [row.status_in_file for row in preview.context["rows"]] == ["Draft"] * 3
    assert applied.status_code == 302
    after = {r.key: (r.version, *(getattr(r, f) for f in FIELDS)) for r in project.requirements.all()}
    assert after == before


def test_round_trip_into_another_project_loses_nothing_we_exported(project, owner, requirements):
    target = ProjectFactory(code="TARGET")
    MembershipFactory(project=target, user=owner, role=Membership.Role.OWNER)
    client = client_for(owner)
    approve(requirements[2], owner)  # a status that is exported, shown, and not taken over
    preview, applied = import_file(client, export(client), code="TARGET")
    assert applied.status_code == 302
    assert [row.status_in_file for row in preview.context["rows"]] == ["Draft", "Draft", "Approved"]

    copies = list(target.requirements.order_by("number"))
    assert [c.key for c in copies] == ["REQ-001", "REQ-002", "REQ-003"]
    for original, copy in zip(requirements, copies, strict=True):
        original.refresh_from_db()
        assert [getattr(copy, f) for f in FIELDS] == [getattr(original, f) for f in FIELDS]
        assert copy.status == "draft"
        assert copy.source == f"ReqIF: {original.key}"
    assert copies[1].parent == copies[0]
    assert copies[0].parent is None and copies[2].parent is None


def test_an_edited_export_updates_the_matching_requirement(project, owner, requirements):
    client = client_for(owner)
    content = export(client).replace(b'THE-VALUE="Encrypt backups"', b'THE-VALUE="Encrypt all backups"')
    preview, applied = import_file(client, content)
    assert [row.action for row in preview.context["rows"]] == ["unchanged", "unchanged", "update"]
    assert applied.status_code == 302
    requirements[2].refresh_from_db()
    assert requirements[2].title == "Encrypt all backups"
    assert project.requirements.count() == 3


# Files written by other tools


def test_polarion_export_imports_its_requirement_and_skips_the_heading(project, owner):
    client = client_for(owner)
    preview, applied = import_file(client, (DATA / "polarion_sample1.reqif").read_bytes(), "polarion.reqif")
    (row,) = preview.context["rows"]
    assert row.status_in_file == "Draft"
    assert applied.status_code == 302
    (requirement,) = project.requirements.all()
    assert requirement.title == "SW: Lorem Ipsum"  # ReqIF.ChapterName, there is no ReqIF.Name
    assert requirement.statement == "The Lorem Ipsum shall do something."  # ReqIF.Text
    assert requirement.source == "ReqIF: LOREM-818"  # ReqIF.ForeignID
    assert (requirement.layer, requirement.priority, requirement.status) == ("core", "should", "draft")

    # The same file again updates instead of duplicating.
    preview, applied = import_file(client, (DATA / "polarion_sample1.reqif").read_bytes(), "polarion.reqif")
    assert [row.action for row in preview.context["rows"]] == ["unchanged"]
    assert project.requirements.count() == 1


def test_polarion_headings_can_be_imported_as_parents_when_asked(project, owner):
    client = client_for(owner)
    assert upload(client, (DATA / "polarion_sample1.reqif").read_bytes()).status_code == 302
    page = client.get(url("requirement-reqif-import"))
    assert [g["type"].name for g in page.context["form"].groups()] == ["Heading", "System Requirement"]
    data = mapping_data(page, t0_import="on")
    assert client.post(url("requirement-reqif-import"), {**data, "action": "apply"}).status_code == 302
    heading, requirement = project.requirements.order_by("number")
    assert (heading.title, heading.statement) == ("Section 1", "Section text...")
    assert requirement.parent == heading


def test_doors_capella_export_imports_with_the_xhtml_text_and_object_name(project, owner):
    client = client_for(owner)
    content = (DATA / "doors_capella_requirements_vp.reqif").read_bytes()
    preview, applied = import_file(client, content, "doors.reqif")
    assert applied.status_code == 302
    (requirement,) = project.requirements.all()
    assert requirement.title == "Requirement-1"  # the object's LONG-NAME: there is no name attribute
    assert requirement.statement == "Requirement-1"  # ReqIF.Text, an XHTML value
    assert requirement.source == "ReqIF: PUID-1"  # IE PUID


def test_a_reqifz_archive_is_read(project, owner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/doors.reqif", (DATA / "doors_capella_requirements_vp.reqif").read_bytes())
        archive.writestr("export/picture.png", b"\x89PNG")
    preview, applied = import_file(client_for(owner), buffer.getvalue(), "doors.reqifz")
    assert applied.status_code == 302
    assert project.requirements.get().title == "Requirement-1"


def test_files_that_are_not_reqif_are_refused_at_the_upload(project, owner):
    client = client_for(owner)
    for name, content in [
        ("notes.txt", b"hello"),
        ("broken.reqif", b"<REQ-IF"),
        ("entities.reqif", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><REQ-IF/>'),
    ]:
        response = upload(client, content, name)
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert not project.requirements.exists()


# Values


def test_an_unknown_enumeration_value_gets_a_select_and_the_users_choice(project, owner, requirements):
    client = client_for(owner)
    target = ProjectFactory(code="TARGET")
    MembershipFactory(project=target, user=owner, role=Membership.Role.OWNER)
    content = (
        export(client)
        .replace(b'LONG-NAME="Must"', b'LONG-NAME="Blocker"')
        .replace(b'OTHER-CONTENT="must"', b'OTHER-CONTENT="blocker"')
    )
    assert upload(client, content, code="TARGET").status_code == 302
    page = client.get(url("requirement-reqif-import", "TARGET"))
    (priority,) = [g for g in page.context["form"].value_rows() if g["name"] == "priority"]
    unknown = {raw: (field, ok) for raw, field, ok in priority["values"]}
    assert unknown["Blocker"][1] is False and unknown["Could"][1] is True
    assert unknown["Blocker"][0].value() == "should"  # the default until the user says otherwise
    assert b'data-testid="unknown-value"' in page.content

    choice = {unknown["Blocker"][0].html_name: "must"}
    preview = client.post(
        url("requirement-reqif-import", "TARGET"), {**mapping_data(page, **choice), "action": "preview"}
    )
    assert [row.priority for row in preview.context["rows"]] == ["must", "could", "wont"]
    data = {**mapping_data(page, **choice), "action": "apply"}
    assert client.post(url("requirement-reqif-import", "TARGET"), data).status_code == 302
    assert list(target.requirements.order_by("number").values_list("priority", flat=True)) == ["must", "could", "wont"]


def test_a_type_without_a_statement_mapping_is_refused(project, owner):
    client = client_for(owner)
    assert upload(client, (DATA / "doors_capella_requirements_vp.reqif").read_bytes()).status_code == 302
    page = client.get(url("requirement-reqif-import"))
    response = client.post(url("requirement-reqif-import"), {**mapping_data(page, t0_statement=""), "action": "apply"})
    assert response.status_code == 200
    assert response.context["form"].errors["t0_statement"]
    assert not project.requirements.exists()


def test_xhtml_from_other_tools_becomes_markdown():
    value = etree.fromstring(
        '<THE-VALUE xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:div>'
        "<xhtml:p>The <xhtml:b>pump</xhtml:b> shall <xhtml:i>stop</xhtml:i><xhtml:br/>within 2 s.</xhtml:p>"
        "<xhtml:ul><xhtml:li>one<xhtml:ul><xhtml:li>nested</xhtml:li></xhtml:ul></xhtml:li>"
        '<xhtml:li><xhtml:span style="color:red">two</xhtml:span></xhtml:li></xhtml:ul>'
        '<xhtml:object data="ole.bin" type="application/x-ole">picture</xhtml:object>'
        "<xhtml:table><xhtml:tr><xhtml:td>a</xhtml:td><xhtml:td>b</xhtml:td></xhtml:tr><xhtml:tr><xhtml:td>1</xhtml:td><xhtml:td>2</xhtml:td></xhtml:tr></xhtml:table>"
        "</xhtml:div></THE-VALUE>"
    )
    assert reqif.xhtml_to_markdown(value) == (
        "The **pump** shall *stop*\nwithin 2 s.\n\n"
        "- one\n    - nested\n- two\n\n"
        "picture\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |"
    )


def test_guessing_values_knows_codes_labels_and_synonyms():
    assert reqif.guess_value("priority", "Must") == "must"
    assert reqif.guess_value("priority", "high") == "must"
    assert reqif.guess_value("layer", "Non-functional") == "nonfunctional"
    assert reqif.guess_value("category", "Finance integration") == "finance"
    assert reqif.guess_value("priority", "Blocker") is None


# Access


def test_a_viewer_may_export_but_not_import(project, viewer, requirements):
    client = client_for(viewer)
    assert client.get(url("requirement-reqif-export")).status_code == 200
    assert client.get(url("requirement-reqif-import")).status_code == 403
    content = (DATA / "polarion_sample1.reqif").read_bytes()
    assert upload(client, content).status_code == 403
    assert not project.requirements.filter(source__startswith="ReqIF").exists()


def test_an_outsider_gets_404_for_export_and_import(project, outsider, requirements):
    client = client_for(outsider)
    assert client.get(url("requirement-reqif-export")).status_code == 404
    assert client.get(url("requirement-reqif-import")).status_code == 404
    assert upload(client, (DATA / "polarion_sample1.reqif").read_bytes()).status_code == 404


def test_the_upload_page_and_the_mapping_page_render(project, owner):
    client = client_for(owner)
    page = client.get(url("requirement-reqif-import"))
    assert page.status_code == 200
    assert b'data-testid="reqif-upload-form"' in page.content
    upload(client, (DATA / "polarion_sample1.reqif").read_bytes(), "polarion.reqif")
    page = client.get(url("requirement-reqif-import"))
    assert b'data-testid="reqif-mapping-form"' in page.content
    assert b'data-testid="reqif-preview"' in page.content
    assert b"LOREM-818" in page.content
    assert isinstance(page.context["form"], ReqIFMappingForm)
    assert client.get(url("requirement-reqif-import") + "?restart=1").status_code == 302
    assert b'data-testid="reqif-upload-form"' in client.get(url("requirement-reqif-import")).content


def test_the_round_trip_keeps_an_existing_parent_when_the_file_has_none(project, owner, requirements):
    parent, child, _other = requirements
    content = export(client_for(owner), query="")
    # A file holding only the child: its parent is not in the file, so the link stays.
    document = reqif.read_reqif(content)
    mapping = reqif.Mapping.guess(document)
    document.objects = [o for o in document.objects if o.id == "wb-ACME-REQ-002"]
    document.objects[0].parent_id = None
    rows = reqif.build_rows(document, mapping, project)
    assert [r.action for r in rows] == ["unchanged"]
    reqif.apply_rows(project=project, user=owner, rows=rows)
    child.refresh_from_db()
    assert child.parent == parent
    assert Requirement.objects.filter(project=project).count() == 3


def test_the_tabular_import_pipeline_reads_reqif_through_its_parser_registry(project, owner, requirements):
    from requirements import interchange

    table = interchange.parse("reqif", export(client_for(owner)))
    assert table.headers[:3] == ["Key", "Title", "Statement"]
    assert [row.cells[0] for row in table.rows] == ["REQ-001", "REQ-002", "REQ-003"]
    assert table.rows[0].cells[2] == RICH
    preview = interchange.import_preview(
        project=project, table=table, mapping={"columns": interchange.guess_columns(table.headers), "values": {}}
    )
    assert [row.outcome for row in preview.rows] == ["unchanged"] * 3

    polarion = interchange.parse("reqif", (DATA / "polarion_sample1.reqif").read_bytes())
    assert [row.cells[1:3] for row in polarion.rows] == [["SW: Lorem Ipsum", "The Lorem Ipsum shall do something."]]
    with pytest.raises(interchange.InterchangeError):
        interchange.parse("reqif", b"<nonsense/>")


def test_the_requirement_list_offers_reqif_export_to_all_and_import_to_editors(project, owner, viewer):
    export_url = url("requirement-reqif-export").encode()
    import_url = url("requirement-reqif-import").encode()
    page = client_for(owner).get(url("requirement-list")).content
    assert export_url in page and import_url in page
    page = client_for(viewer).get(url("requirement-list")).content
    assert export_url in page and import_url not in page
