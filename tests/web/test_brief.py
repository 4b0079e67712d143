"""The one-page brief: the files say what the overview says, on one A4 page, in Vietnamese; the page
lets only the unit's people ask for and download it; a wrong period is refused in words.

The world is the overview's (tests/web/test_overview.py): the province's 2026 plan, overdue tasks,
dossiers from January to May, the 2025 PAR Index, a SIPAS campaign and feedback; today 15/6/2026.
"""

import datetime
import io
import re

import pypdf
import pytest
import time_machine
from django.urls import reverse
from docx import Document

from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.core.templatetags.cchc_format import number, percent
from cchc.web.brief import as_docx, as_pdf
from cchc.web.brief.from_overview import content_from_overview
from cchc.web.models import Brief, BriefStatus
from cchc.web.overview.data import build_overview
from tests.web.test_overview import NOW, TODAY, build_world

pytestmark = pytest.mark.django_db

PERIOD = Period.parse("2026-H1")


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a DOCX, read back with python-docx."""
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return flat("\n".join(parts))


def pdf_text(content: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def flat(text: str) -> str:
    """Spaces of any kind (the no-break space before "%", line breaks) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture
def world(cast):
    units = [cast["justice"], cast["home_affairs"], cast["east_ward"], cast["west_commune"]]
    with time_machine.travel(NOW, tick=False):
        build_world(cast, units)
        yield cast


@pytest.fixture
def overview(world):
    return build_overview(world["reform_admin"], world["province"], PERIOD, TODAY)


@pytest.fixture
def content(overview, settings):
    from django.utils import translation

    with translation.override("vi"):
        yield content_from_overview(overview, TODAY)


def overview_figures(overview) -> list[str]:
    """The overview's numbers formatted as the overview page formats them (web/overview.html)."""
    s = overview
    figures = [number(count.count) for count in s.targets.counts]
    figures += [number(s.tasks.total)] + [number(row.count) for row in s.tasks.by_unit]
    figures += [percent(s.onestop.value), number(s.onestop.numerator), number(s.onestop.denominator)]
    figures += [percent(row.value) for row in s.onestop.worst]
    figures += [percent(s.parindex.mean_index, 2), number(s.parindex.units_scored)]
    figures += [percent(s.sipas.index, 2), percent(s.sipas.low, 2), percent(s.sipas.high, 2)]
    figures += [number(s.feedback.received), number(s.feedback.handled), number(s.feedback.overdue)]
    figures += [percent(s.feedback.on_time)]
    return [flat(text) for text in figures]


def test_the_world_gives_the_brief_real_figures(overview):
    """Guards the tests below: the figures compared are numbers, not dashes."""
    assert len(overview.onestop.worst) == 4
    assert overview.tasks.total == 4
    assert overview.targets.plan_pk is not None
    assert overview.sipas.index is not None
    assert overview.parindex.units_scored == 4


def test_the_docx_states_the_overviews_figures(content, overview):
    text = docx_text(as_docx.render(content))
    for figure in overview_figures(overview):
        assert figure in text
    for line in overview.targets.worst:
        assert line.label in text
    for row in overview.tasks.by_unit:
        assert row.unit_name in text


def test_the_pdf_states_the_overviews_figures(content, overview):
    text = pdf_text(as_pdf.render(content))
    for figure in overview_figures(overview):
        assert figure in text
    for row in overview.onestop.worst:
        assert row.unit_name in text


def test_the_pdf_is_one_a4_page(content):
    reader = pypdf.PdfReader(io.BytesIO(as_pdf.render(content)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1
    assert abs(float(box.height) - 841.89) < 1


def test_a_brief_with_far_more_rows_still_fits_one_page(content):
    """A long plan or long unit names: the PDF shrinks its type instead of running onto a second page."""
    from dataclasses import replace

    from cchc.web.brief.content import Table

    long_table = Table(
        headers=("Đơn vị", "Số"), rows=tuple((f"Ủy ban nhân dân xã số {n}", str(n)) for n in range(30))
    )
    sections = tuple(
        replace(section, tables=(*section.tables, long_table)) for section in content.sections[:2]
    )
    reader = pypdf.PdfReader(
        io.BytesIO(as_pdf.render(replace(content, sections=sections + content.sections[2:])))
    )
    assert len(reader.pages) == 1


def test_vietnamese_survives_in_both_files(world, settings):
    from django.utils import translation

    october = Period.parse("2026-10")
    with translation.override("vi"):
        overview = build_overview(
            world["reform_admin"], world["home_affairs"], october, datetime.date(2026, 11, 5)
        )
        content = content_from_overview(overview, datetime.date(2026, 11, 5))
        pdf, docx_file = pdf_text(as_pdf.render(content)), docx_text(as_docx.render(content))
    for text in (pdf, docx_file):
        assert "Sở Nội vụ" in text
        assert "Tháng 10/2026" in text
        assert "Nhiệm vụ quá hạn" in text  # a heading of the brief, translated
        assert "05/11/2026" in text


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def in_june():
    with time_machine.travel(NOW, tick=False):
        yield


def ask(client, unit, period):
    return client.post(reverse("web:brief"), {"unit": unit.pk, "period": period})


def test_asking_for_a_brief_writes_both_files_in_the_background(
    world, client, jobs_run_in_process, in_june, django_capture_on_commit_callbacks
):
    client.force_login(world["reform_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, world["province"], "2026-05")
    brief = Brief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:brief-detail", args=[brief.pk])
    assert brief.status == BriefStatus.DONE
    page = client.get(reverse("web:brief-detail", args=[brief.pk]))
    assert 'data-status="done"' in page.content.decode()
    pdf = client.get(reverse("web:brief-download", args=[brief.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Tháng 5/2026" in pdf_text(b"".join(pdf.streaming_content))
    word = client.get(reverse("web:brief-download", args=[brief.pk, "docx"]))
    assert "Tỉnh Thử Nghiệm" in docx_text(b"".join(word.streaming_content))
    assert AuditEntry.objects.filter(action="brief.request", object_id=str(brief.pk)).exists()


def test_a_waiting_brief_follows_itself(world, client, in_june):
    """Without a worker (the database queue), the page says it is being prepared and asks again."""
    client.force_login(world["reform_admin"])
    ask(client, world["province"], "2026-05")
    brief = Brief.objects.get()
    assert brief.status == BriefStatus.QUEUED
    page = client.get(reverse("web:brief-detail", args=[brief.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert client.get(reverse("web:brief-download", args=[brief.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("period", "message"),
    [("2026-13", "không phải là một kỳ"), ("tháng 5", "không phải là một kỳ"), ("2026-09", "chưa bắt đầu")],
)
def test_a_bad_period_is_refused_in_vietnamese(world, client, in_june, period, message):
    client.force_login(world["reform_admin"])
    response = ask(client, world["province"], period)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Brief.objects.exists()


def test_a_focal_point_asks_for_a_brief_of_their_own_unit(
    world, client, jobs_run_in_process, in_june, django_capture_on_commit_callbacks
):
    client.force_login(world["justice_focal"])
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, world["justice"], "2026-05").status_code == 302
    brief = Brief.objects.get()
    assert (brief.unit, brief.status) == (world["justice"], BriefStatus.DONE)


def test_another_units_brief_stays_hidden(world, client, jobs_run_in_process, in_june):
    client.force_login(world["justice_focal"])
    ask(client, world["justice"], "2026-05")
    brief = Brief.objects.get()
    client.force_login(world["commune_officer"])
    assert client.get(reverse("web:brief-detail", args=[brief.pk])).status_code == 404
    assert client.get(reverse("web:brief-download", args=[brief.pk, "pdf"])).status_code == 404
    assert client.get(reverse("web:brief-download", args=[brief.pk, "docx"])).status_code == 404
    assert "Sở Tư pháp" not in client.get(reverse("web:brief")).content.decode()
    # Asking for another unit's brief: the unit is no choice of theirs, nothing is recorded.
    response = ask(client, world["justice"], "2026-05")
    assert response.status_code == 200
    assert Brief.objects.count() == 1


def test_a_brief_is_opened_only_by_who_asked_for_it(world, client, in_june):
    """The brief shows the overview as its asker sees it (their draft plans too): another viewer of
    the same unit, guessing its number, gets nothing."""
    client.force_login(world["reform_admin"])
    ask(client, world["province"], "2026-05")
    brief = Brief.objects.get()
    Brief.objects.filter(pk=brief.pk).update(status=BriefStatus.DONE)
    client.force_login(world["leader"])  # views the province, did not ask
    assert client.get(reverse("web:brief-detail", args=[brief.pk])).status_code == 404
    assert client.get(reverse("web:brief-download", args=[brief.pk, "pdf"])).status_code == 404


def test_a_user_without_a_role_gets_no_brief(world, client, in_june):
    from tests.conftest import _person

    client.force_login(_person("khach", "Người Không Vai Trò"))
    assert client.get(reverse("web:brief")).status_code == 200
    assert ask(client, world["province"], "2026-05").status_code == 200
    assert not Brief.objects.exists()


def test_the_overview_leads_to_the_brief_of_what_it_shows(world, client, in_june):
    client.force_login(world["reform_admin"])
    overview_page = client.get(
        reverse("web:overview"), {"unit": world["justice"].pk, "period": "2026-Q1"}
    ).content.decode()
    assert f"{reverse('web:brief')}?unit={world['justice'].pk}&amp;period=2026-Q1" in overview_page
    page = client.get(
        reverse("web:brief"), {"unit": world["justice"].pk, "period": "2026-Q1"}
    ).content.decode()
    assert f'<option value="{world["justice"].pk}" selected>' in page
    assert '<option value="2026-Q1" selected>' in page
