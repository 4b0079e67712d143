"""The SIPAS results workbook and report: read back and compared with the indices they are made of."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from cchc.surveys.documents import HEADER_ROW, percent_text
from cchc.surveys.indices import campaign_total, index_table
from cchc.surveys.models import CampaignStatus, UnitQuota
from cchc.surveys.services import sipas
from tests.surveys.conftest import satisfied_answers

pytestmark = pytest.mark.usefixtures("english", "every_group_shown")  # small samples


def _enter(campaign, unit, level, day, actor, **extra):
    answers = satisfied_answers(level, **extra.pop("answers", {}))
    channel = extra.pop("channel", "paper")
    sipas.enter_response(
        actor=actor, campaign=campaign, unit=unit, answers=answers, channel=channel, answered_on=day, **extra
    )


@pytest.fixture
def two_years(cast, sipas_campaign):
    """2025: Xã Tây 100 %. 2026: Xã Tây three forms, Sở Tư pháp one phone interview."""
    admin = cast["reform_admin"]
    last = sipas.new_campaign(
        actor=admin, organiser=cast["province"], template="sipas", year=2025, code="SIPAS-2025"
    )
    sipas.set_status(actor=admin, campaign=last, status=CampaignStatus.OPEN)
    _enter(last, cast["west_commune"], 5, datetime.date(2025, 10, 1), admin)
    day = datetime.date(2026, 3, 2)
    _enter(sipas_campaign, cast["west_commune"], 5, day, admin, field="Hộ tịch")
    _enter(sipas_campaign, cast["west_commune"], 4, day, admin, answers={"TC-HL": "2"}, field="Hộ tịch")
    _enter(sipas_campaign, cast["west_commune"], 2, day, admin, field="Đất đai")
    _enter(sipas_campaign, cast["justice"], 1, day, admin, channel="phone")
    return {"current": sipas_campaign, "last": last}


def _float(value):
    return None if value is None else pytest.approx(float(value))


def _sheet_rows(sheet):
    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = []
    for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        rows.append(dict(zip(header, values, strict=True)))
    return header, rows


def _download(client, name, campaign):
    response = client.get(reverse(name, args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_workbook_matches_the_index_table(client, cast, two_years):
    current = two_years["current"]
    client.force_login(cast["leader"])
    workbook = load_workbook(io.BytesIO(_download(client, "surveys:results-xlsx", current)))
    assert workbook.sheetnames == ["Theo đơn vị", "Theo lĩnh vực", "Theo kênh"]
    _header, rows = _sheet_rows(workbook["Theo đơn vị"])
    by_code = {row["Mã đơn vị"]: row for row in rows if row["Mã đơn vị"]}
    quotas = {quota.unit.code: quota.quota for quota in UnitQuota.objects.filter(campaign=current)}
    assert set(by_code) == set(quotas)  # every surveyed unit, with or without forms
    elements = list(current.elements.order_by("position"))
    computed = {row.unit.code: row for row in index_table(current)}
    for code, row in computed.items():
        line = by_code[code]
        assert (line["Tên đơn vị"], line["Số phiếu"], line["Số phiếu tối thiểu"]) == (
            row.unit.name,
            row.n,
            row.quota,
        )
        assert line["Đủ mẫu"] == ("Chưa đạt" if row.below_quota else "Đạt")
        for element in elements:
            assert line[f"{element.code}. {element.title}"] == _float(row.elements.get(element.code))
        assert line["Chỉ số hài lòng chung (%)"] == _float(row.overall)
        assert (line["Cận dưới KTC 95% (%)"], line["Cận trên KTC 95% (%)"]) == (
            _float(row.ci_low),
            _float(row.ci_high),
        )
    last_year = {row.unit.code: row.overall for row in index_table(two_years["last"])}
    assert by_code["99002"]["Chỉ số chung năm 2025 (%)"] == _float(last_year["99002"]) == 100.0
    assert by_code["99.STP"]["Chỉ số chung năm 2025 (%)"] is None
    assert by_code["99001"]["Số phiếu"] == 0 and by_code["99001"]["Chỉ số hài lòng chung (%)"] is None
    [total] = [row for row in rows if row["Tên đơn vị"] == "Chung"]
    expected = campaign_total(current)
    assert total["Số phiếu"] == expected.n and total["Chỉ số hài lòng chung (%)"] == _float(expected.overall)

    _header, fields = _sheet_rows(workbook["Theo lĩnh vực"])
    computed_fields = index_table(current, by="field")
    assert [(line["Số phiếu"], line["Chỉ số hài lòng chung (%)"]) for line in fields] == [
        (row.n, _float(row.overall)) for row in computed_fields
    ]
    assert "Hộ tịch" in {line["Lĩnh vực"] for line in fields}
    _header, channels = _sheet_rows(workbook["Theo kênh"])
    assert sorted(line["Số phiếu"] for line in channels) == sorted(
        row.n for row in index_table(current, by="channel")
    )


def _table_with(document, first_header):
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table starting with {first_header}")


def test_report_states_the_figures_of_the_indices(client, cast, two_years):
    current = two_years["current"]
    client.force_login(cast["reform_admin"])
    document = Document(io.BytesIO(_download(client, "surveys:report-docx", current)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(13))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert any(text.startswith("Kết quả khảo sát sự hài lòng") and "2026" in text for text in texts)
    total, before = campaign_total(current), campaign_total(two_years["last"])
    overall = next(text for text in texts if text.startswith("Chỉ số hài lòng chung năm 2026"))
    assert percent_text(total.overall) in overall and percent_text(before.overall) in overall

    units = _table_with(document, "STT")
    lines = {row.cells[1].text: [cell.text for cell in row.cells] for row in units.rows[1:]}
    for row in index_table(current):
        line = lines[row.unit.name]
        assert line[2] == f"{row.n} / {row.quota}"
        assert line[3] == percent_text(row.overall)
    assert lines["Xã Tây"][4] == "100,00%"  # last year's figure of the same unit
    assert lines["Phường Đông"][3] == "—"

    elements = _table_with(document, "Mã")
    shown = {row.cells[0].text: row.cells[3].text for row in elements.rows[1:]}
    assert shown["TC"] == percent_text(total.elements["TC"]) == "25,00%"
    assert "- Xã Tây: 3/150 phiếu." in texts


def test_files_need_the_right_to_view_the_organiser(client, cast, two_years):
    current = two_years["current"]
    client.force_login(cast["justice_focal"])
    for name in ("surveys:results-xlsx", "surveys:report-docx"):
        assert client.get(reverse(name, args=[current.pk])).status_code == 403
    client.force_login(cast["leader"])
    response = client.get(reverse("surveys:report-docx", args=[current.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')


def test_empty_campaign_still_gives_files(client, cast, sipas_campaign):
    client.force_login(cast["reform_admin"])
    workbook = load_workbook(io.BytesIO(_download(client, "surveys:results-xlsx", sipas_campaign)))
    _header, rows = _sheet_rows(workbook["Theo đơn vị"])
    assert {row["Số phiếu"] for row in rows} == {0}
    document = Document(io.BytesIO(_download(client, "surveys:report-docx", sipas_campaign)))
    assert any(paragraph.text.startswith("Chưa có phiếu") for paragraph in document.paragraphs)
