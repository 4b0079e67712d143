"""Bulk entry on one area of a scorecard: rows saved inline (htmx), "save all" in one transaction,
several evidence files at once, who may do it, and what the page says happens next."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.parindex.models import Campaign, Criterion, Evidence, Item, Phase
from cchc.parindex.queries.entry import working_days_left
from cchc.parindex.queries.scorecards import reported_input
from cchc.parindex.scoring import check_points
from cchc.parindex.services import items as item_services
from tests.conftest import _person
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def appraiser(province):
    return _person("thamdinh", "Vũ Thị Thẩm Định", (province, Role.APPRAISER))


@pytest.fixture
def justice_card(self_assessing, cast):
    return self_assessing.assessments.get(unit=cast["justice"])


def _manual_items(assessment, count=2):
    """Leaves scored by points entered, from one area, so that one area's form holds them all."""
    items = assessment.items.filter(criterion__method="manual").select_related("criterion")
    by_area = {}
    for item in items.order_by("criterion__position"):
        by_area.setdefault(_area(item).pk, []).append(item)
    fullest = max(by_area.values(), key=len)
    assert len(fullest) >= count, "the shipped set has an area with several point-scored leaves"
    return fullest[:count]


def _area(item):
    node = item.criterion
    while node.parent_id is not None:
        node = node.parent
    return node


def _row(item, **values):
    """The posted fields of one row, named as the area form names them."""
    fields = {f"i{item.pk}-version": str(values.pop("version", item.version))}
    fields.update({f"i{item.pk}-{name}": value for name, value in values.items()})
    return fields


def _inline(client, item, **values):
    return client.post(reverse("parindex:item-entry", args=[item.pk]), _row(item, **values), **HTMX)


def _entries(item):
    return AuditEntry.objects.for_object(item).filter(action="par_item.self_assess").count()


# -- inline saving ----------------------------------------------------------------------------------------


def test_an_inline_save_stores_the_score_writes_the_audit_row_and_answers_with_the_row_status(
    client, cast, justice_card
):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    response = _inline(client, item, reported="1", note="Theo báo cáo năm")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đã lưu lúc" in body
    item.refresh_from_db()
    assert item.self_score == 1
    assert item.unit_note == "Theo báo cáo năm"
    assert _entries(item) == 1
    # The row gets its new version, so its next change is not taken for a stale one.
    assert f'id="version-{item.pk}"' in body and f'value="{item.version}"' in body
    assert _inline(client, item, reported="1", note="Theo báo cáo năm").status_code == 200
    assert _entries(item) == 1, "the same values again write nothing"


def test_an_invalid_score_is_refused_in_vietnamese_and_changes_nothing(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    response = _inline(client, item, reported="999")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Điểm của {item.criterion.code} phải từ 0 đến" in body
    assert "Đã lưu" not in body
    item.refresh_from_db()
    assert item.self_score is None and item.version == 0
    assert _entries(item) == 0


def test_a_row_based_on_an_older_version_is_refused_not_overwritten(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1", expected_version=0)
    client.force_login(cast["justice_focal"])
    body = _inline(client, item, version=0, reported="0").content.decode()
    assert "Người khác đã lưu tiêu chí" in body
    item.refresh_from_db()
    assert item.self_score == 1


def test_without_htmx_an_inline_save_redirects_back_to_the_area(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    response = client.post(reverse("parindex:item-entry", args=[item.pk]), _row(item, reported="1"))
    assert response.status_code == 302
    assert response.url.endswith(f"/areas/{_area(item).pk}/#item-{item.pk}")


# -- save all ----------------------------------------------------------------------------------------------


def test_save_all_saves_nothing_when_one_row_is_refused_and_says_which(client, cast, justice_card):
    good, bad = _manual_items(justice_card)
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(good).pk])
    response = client.post(url, {**_row(good, reported="1"), **_row(bad, reported="abc")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa lưu gì" in body
    assert "“abc” không phải là số" in body
    assert 'value="abc"' in body, "the refused values stay in the form to be corrected"
    for item in (good, bad):
        item.refresh_from_db()
        assert item.self_score is None and item.version == 0
        assert _entries(item) == 0

    response = client.post(url, {**_row(good, reported="1"), **_row(bad, reported="0,5")})
    assert response.status_code == 302
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.self_score, bad.self_score) == (1, 0.5)
    assert (_entries(good), _entries(bad)) == (1, 1)


def test_save_all_skips_unchanged_rows(client, cast, justice_card):
    first, second = _manual_items(justice_card)
    item_services.self_assess(actor=cast["justice_focal"], item=first, reported="1")
    first.refresh_from_db()
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(first).pk])
    # The first row was saved inline with the version the page still carries: unchanged, not stale.
    client.post(url, {**_row(first, version=0, reported="1"), **_row(second, reported="0")})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.version == 1 and second.self_score == 0


# -- evidence files ---------------------------------------------------------------------------------------


def test_several_files_at_once_a_bad_one_refuses_only_itself(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    files = [
        SimpleUploadedFile("ke-hoach.pdf", PDF),
        SimpleUploadedFile("gia-mao.pdf", b"not a pdf at all"),
        SimpleUploadedFile("bao-cao.pdf", PDF),
    ]
    response = client.post(
        reverse("parindex:item-files", args=[item.pk]), {f"i{item.pk}-files": files}, **HTMX
    )
    body = response.content.decode()
    assert sorted(Evidence.objects.filter(item=item).values_list("name", flat=True)) == [
        "bao-cao.pdf",
        "ke-hoach.pdf",
    ]
    assert "gia-mao.pdf không được đính kèm" in body
    assert "Nội dung tệp gia-mao.pdf không đúng định dạng PDF" in body
    item.refresh_from_db()
    assert f'value="{item.version}"' in body, "the row's version follows the attached files"


# -- who may do it, and when ------------------------------------------------------------------------------


def test_an_appraiser_cannot_self_assess(client, appraiser, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(appraiser)
    assert _inline(client, item, reported="1").status_code == 403
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(item).pk])
    assert client.post(url, _row(item, reported="1")).status_code == 403
    files = {f"i{item.pk}-files": [SimpleUploadedFile("a.pdf", PDF)]}
    assert client.post(reverse("parindex:item-files", args=[item.pk]), files).status_code == 403
    item.refresh_from_db()
    assert item.self_score is None and not item.evidence.exists()
    page = client.get(reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk]))
    assert page.status_code == 200
    assert 'data-mode="read"' in page.content.decode()


def test_another_units_focal_point_sees_nothing(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["commune_officer"])
    area = _area(item).pk
    assert client.get(reverse("parindex:area-entry", args=[justice_card.pk, area])).status_code == 404
    assert _inline(client, item, reported="1").status_code == 404
    url = reverse("parindex:area-save", args=[justice_card.pk, area])
    assert client.post(url, _row(item, reported="1")).status_code == 404
    item.refresh_from_db()
    assert item.self_score is None


def test_after_the_deadline_nothing_is_saved(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    Campaign.objects.filter(pk=justice_card.campaign_id).update(
        self_assessment_until=datetime.date(2026, 1, 5)
    )
    client.force_login(cast["justice_focal"])
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC), tick=False):
        body = _inline(client, item, reported="1").content.decode()
        assert "Đã hết thời hạn của giai đoạn “Tự đánh giá” (05/01/2026)" in body
        url = reverse("parindex:area-save", args=[justice_card.pk, _area(item).pk])
        client.post(url, _row(item, reported="1"))
    item.refresh_from_db()
    assert item.self_score is None and _entries(item) == 0


def test_the_page_says_who_submits_and_by_when(client, cast, justice_card, justice_leader):
    item = _manual_items(justice_card, 1)[0]
    Campaign.objects.filter(pk=justice_card.campaign_id).update(
        self_assessment_until=datetime.date(2026, 12, 11)
    )
    # Monday 7/12/2026: Tuesday to Friday are left, the last day included.
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC), tick=False):
        client.force_login(cast["justice_focal"])  # in the travelled time, so the session is fresh
        body = client.get(
            reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk])
        ).content.decode()
    assert 'data-mode="self"' in body
    assert "Đỗ Văn Giám Đốc" in body
    assert "11/12/2026" in body
    assert "còn 4 ngày làm việc" in body


def test_an_appraiser_accepts_or_adjusts_row_by_row(client, cast, justice_card, appraiser):
    first, second = _manual_items(justice_card)
    for item in (first, second):
        item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    campaign = move_to(justice_card.campaign, Phase.APPRAISAL, cast["reform_admin"])
    assert campaign.phase == Phase.APPRAISAL
    first, second = (Item.objects.get(pk=item.pk) for item in (first, second))
    client.force_login(appraiser)
    assert "Đã lưu lúc" in _inline(client, first, score="1").content.decode()
    body = _inline(client, second, score="0").content.decode()
    assert "Nêu lý do điều chỉnh điểm." in body
    second.refresh_from_db()
    assert second.appraised_at is None
    assert "Đã lưu lúc" in _inline(client, second, score="0", reason="Thiếu văn bản").content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.appraised_score, first.adjusted) == (1, False)
    assert (second.appraised_score, second.appraisal_reason) == (0, "Thiếu văn bản")
    # The focal point may not appraise.
    client.force_login(cast["justice_focal"])
    assert _inline(client, first, score="0", reason="x").status_code == 403


def test_the_area_page_makes_no_query_per_row(client, cast, justice_card):
    areas = justice_card.criteria_set.criteria.filter(parent__isnull=True)
    sizes = {area.pk: 0 for area in areas}
    for item in justice_card.items.select_related("criterion"):
        sizes[_area(item).pk] += 1
    small, large = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    assert sizes[small] < sizes[large]
    client.force_login(cast["justice_focal"])
    counts = []
    for area in (small, large):
        url = reverse("parindex:area-entry", args=[justice_card.pk, area])
        client.get(url)  # the first request warms the per-process caches (calendar, settings)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_files_none_or_too_many_are_refused_with_a_message(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:item-files", args=[item.pk])
    assert "Hãy chọn một hoặc nhiều tệp" in client.post(url, {}, **HTMX).content.decode()
    many = [SimpleUploadedFile(f"tep-{number}.pdf", PDF) for number in range(21)]
    body = client.post(url, {f"i{item.pk}-files": many}, **HTMX).content.decode()
    assert "tối đa 20 tệp" in body
    assert not item.evidence.exists()


def test_a_submitted_self_assessment_is_read_only_and_says_so(client, cast, justice_card, justice_leader):
    for item in justice_card.items.select_related("criterion"):
        if item.criterion.method not in ("metric", "survey"):
            item_services.self_assess(actor=cast["justice_focal"], item=item, not_applicable=True)
    item_services.submit_assessment(actor=justice_leader, assessment=justice_card)
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    body = client.get(reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk])).content.decode()
    assert 'data-mode="read"' in body
    assert "Bản tự đánh giá đã được gửi" in body
    assert "Lưu tất cả" not in body
    item.refresh_from_db()
    refusal = _inline(client, item, reported="1").content.decode()
    assert "không thể thay đổi" in refusal
    item.refresh_from_db()
    assert item.not_applicable and item.self_score is None


# -- found in review ----------------------------------------------------------------------------------------


def test_save_all_refuses_a_row_of_another_scorecard(client, cast, justice_card):
    """An item id of another unit's scorecard, posted to this area's "save all", changes nothing."""
    item = _manual_items(justice_card, 1)[0]
    other_card = justice_card.campaign.assessments.exclude(pk=justice_card.pk).first()
    stranger = other_card.items.get(criterion=item.criterion)
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(item).pk])
    body = client.post(url, {**_row(item, reported="1"), **_row(stranger, reported="1")}).content.decode()
    assert "Chưa lưu gì" in body
    assert "Tiêu chí này không thuộc bảng điểm này." in body
    for changed in (item, stranger):
        changed.refresh_from_db()
        assert changed.self_score is None and changed.version == 0


def test_save_all_refuses_a_row_of_another_area_and_says_so(client, cast, justice_card):
    """The area's page shows only its own rows: a row of another area posted to it is refused, with a
    message that names it (there is no row beside which to show it), and nothing is saved."""
    items = justice_card.items.filter(criterion__method="manual").select_related("criterion")
    by_area = {}
    for item in items.order_by("criterion__position"):
        by_area.setdefault(_area(item).pk, item)
    assert len(by_area) >= 2, "the shipped set has point-scored leaves in several areas"
    here, elsewhere = list(by_area.values())[:2]
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(here).pk])
    response = client.post(url, {**_row(here, reported="1"), **_row(elsewhere, reported="1")})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Tiêu chí {elsewhere.criterion.code} không thuộc lĩnh vực này." in body
    for item in (here, elsewhere):
        item.refresh_from_db()
        assert item.self_score is None and _entries(item) == 0


def test_a_survey_leaf_cannot_be_marked_not_applicable_by_a_forged_row(client, cast, justice_card):
    """The page offers no input on a survey leaf; a row posted for one anyway changes nothing."""
    survey = justice_card.items.filter(criterion__method="survey").select_related("criterion").first()
    assert survey is not None, "the shipped set has survey leaves"
    client.force_login(cast["justice_focal"])
    body = _inline(client, survey, not_applicable="on").content.decode()
    assert "Tiêu chí điều tra xã hội học được chấm điểm theo kết quả điều tra." in body
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(survey).pk])
    assert "Chưa lưu gì" in client.post(url, _row(survey, not_applicable="on")).content.decode()
    survey.refresh_from_db()
    assert not survey.not_applicable and survey.version == 0 and _entries(survey) == 0


def test_the_score_range_is_written_the_vietnamese_way(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    maximum = item.criterion.max_points
    client.force_login(cast["justice_focal"])
    body = _inline(client, item, reported="999").content.decode()
    assert f"{maximum:.2f}" not in body, "no decimal point, no trailing zeros"
    shown = f"{maximum.normalize():f}".replace(".", ",")
    assert f"Điểm của {item.criterion.code} phải từ 0 đến {shown}." in body
    with pytest.raises(ValidationError) as refusal:
        check_points(item.criterion, Decimal("999"))
    assert f"{maximum:.2f}" not in str(refusal.value)


def test_many_working_days_left_are_grouped_by_thousands(client, cast, justice_card):
    """The fixture's deadline is 31/12/2099: tens of thousands of working days, written 19.xxx."""
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    body = client.get(reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk])).content.decode()
    left = working_days_left(datetime.date(2099, 12, 31), timezone.localdate())
    assert left >= 1000
    assert f"còn {left:,} ngày làm việc".replace(",", ".") in body
    assert f"còn {left} ngày" not in body


def test_the_points_hint_is_written_the_vietnamese_way():
    """`Decimal.normalize()` printed a maximum of 10 as "1E+1" and 2.5 as "2.5"."""
    for maximum, shown in (("10.00", "10"), ("2.50", "2,5")):
        criterion = Criterion(code="1.1", title="Thử", method="manual", max_points=Decimal(maximum))
        assert reported_input(criterion, Item(self_input=""))["hint"] == f"Số điểm, từ 0 đến {shown}"


def test_an_appraised_score_is_shown_with_a_decimal_comma(client, cast, justice_card, appraiser):
    item = _manual_items(justice_card, 1)[0]
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    move_to(justice_card.campaign, Phase.APPRAISAL, cast["reform_admin"])
    item_services.appraise_item(actor=appraiser, item=item, accept=False, score="0,5", reason="Thiếu")
    client.force_login(appraiser)
    body = client.get(reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk])).content.decode()
    assert f'name="i{item.pk}-score" value="0,5"' in body
    # Sent back as shown, the row is unchanged: nothing is written again.
    item.refresh_from_db()
    assert "Không có thay đổi" in _inline(client, item, score="0,5", reason="Thiếu").content.decode()


def test_save_all_with_an_id_too_large_for_the_database_is_no_server_error(client, cast, justice_card):
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    url = reverse("parindex:area-save", args=[justice_card.pk, _area(item).pk])
    response = client.post(url, {f"i{'9' * 30}-version": "0", f"i{'9' * 30}-reported": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 0


def test_a_reported_value_too_long_is_refused_not_cut_short(client, cast, justice_card):
    """Cut at 200 characters, "1" followed by spaces and more text would have been saved as 1 point."""
    item = _manual_items(justice_card, 1)[0]
    client.force_login(cast["justice_focal"])
    body = _inline(client, item, reported="1" + " " * 199 + "điểm").content.decode()
    assert f"Giá trị báo cáo của tiêu chí {item.criterion.code} quá dài (tối đa 200 ký tự)." in body
    item.refresh_from_db()
    assert item.self_score is None and item.version == 0 and _entries(item) == 0


def test_a_tiers_percent_is_written_with_a_decimal_comma(client, cast, justice_card):
    item = justice_card.items.filter(criterion__method="tiered").select_related("criterion").first()
    assert item is not None, "the shipped set has tiered leaves"
    tiers = [{"label": "Đúng hạn", "percent": "100"}, {"label": "Chậm", "percent": "62.5"}]
    Criterion.objects.filter(pk=item.criterion_id).update(tiers=tiers)
    client.force_login(cast["justice_focal"])
    body = client.get(reverse("parindex:area-entry", args=[justice_card.pk, _area(item).pk])).content.decode()
    assert "Chậm = 62,5 %" in body and "62.5" not in body
