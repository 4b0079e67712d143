"""The calendar page: the year's days off with their legal bases, the calculator, and the override editor."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cchc.core.models import AuditEntry, LegalDocument
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

PAGE = reverse("workdays:calendar")
SAVE = reverse("workdays:override_save")
DELETE = reverse("workdays:override_delete")


def snapshot():
    return (
        list(
            CalendarOverride.objects.order_by("pk").values_list(
                "pk", "date", "kind", "name", "legal_basis", "note"
            )
        ),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def focal_client(client, justice_focal):
    client.force_login(justice_focal)
    return client


class TestYearView:
    def test_lists_holidays_and_overrides_with_their_legal_basis(self, focal_client):
        response = focal_client.get(PAGE, {"year": 2026})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Tết Nguyên Đán" in body
        assert "Ngày Văn hóa Việt Nam" in body
        for override in CalendarOverride.objects.filter(date__year=2026):
            assert f'data-testid="override-{override.pk}"' in body
            assert override.name in body
            assert override.date.strftime("%d/%m/%Y") in body
        assert "12729/VPCP-KGVX (25/12/2025)" in body
        assert ">chưa đối chiếu</span>" in body  # "not verified"

    def test_each_override_links_to_its_history(self, client, leader, justice_focal, commune_officer):
        override = CalendarOverride.objects.get(date=datetime.date(2026, 8, 22))
        client.force_login(leader)
        body = client.get(PAGE, {"year": 2026}).content.decode()
        content_type = ContentType.objects.get_for_model(override)
        history = reverse("core:history", args=[content_type.pk, str(override.pk)])
        assert f'href="{history}"' in body
        response = client.get(history)
        assert response.status_code == 200
        assert override.name in response.content.decode()
        # Overrides belong to no unit: their history is only for those who see the whole province.
        for user in (justice_focal, commune_officer):
            client.force_login(user)
            assert f'href="{history}"' not in client.get(PAGE, {"year": 2026}).content.decode()
            assert client.get(history).status_code == 404

    def test_the_month_grid_marks_days_off_and_make_up_days(self, focal_client):
        body = focal_client.get(PAGE, {"year": 2026}).content.decode()
        assert 'data-date="2026-02-16" data-working="0"' in body  # Tết
        assert 'data-date="2026-08-22" data-working="1"' in body  # make-up Saturday
        assert 'data-date="2026-08-23" data-working="0"' in body  # an ordinary Sunday
        assert 'data-date="2026-03-02" data-working="1"' in body

    def test_another_year_shows_its_own_overrides(self, focal_client):
        body = focal_client.get(PAGE, {"year": 2025}).content.decode()
        assert "26/04/2025" in body
        assert "8726/VPCP-KGVX" in body
        assert "12729/VPCP-KGVX" not in body

    def test_a_bad_year_says_so_and_shows_the_current_year(self, focal_client):
        response = focal_client.get(PAGE, {"year": "20x6"})
        assert response.status_code == 200
        assert "“20x6” không phải là năm trong phạm vi của lịch" in response.content.decode()
        assert response.context["year"] == datetime.date.today().year

    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        response = client.get(PAGE)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


class TestCalculator:
    def test_adds_working_days_from_a_dd_mm_yyyy_date(self, focal_client):
        response = focal_client.get(PAGE, {"start": "13/02/2026", "n": "5"})
        assert response.context["add_result"] == datetime.date(2026, 2, 27)
        assert "27/02/2026" in response.content.decode()

    def test_counts_working_days_in_a_range(self, focal_client):
        response = focal_client.get(PAGE, {"first": "01/02/2026", "last": "28/02/2026"})
        assert response.context["count_result"] == 15
        assert 'data-testid="count-result"' in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"start": "31/02/2026", "n": "5"}, "Ghi ngày theo dạng dd/mm/yyyy, ví dụ 13/02/2026."),
            ({"start": "13/02/2026", "n": "năm"}, "Nhập số nguyên ngày làm việc."),
            ({"start": "13/02/2026", "n": "-1"}, "Số ngày làm việc phải từ 0 trở lên."),
        ],
        ids=["impossible-date", "not-a-number", "negative"],
    )
    def test_bad_input_gives_a_message_and_no_result(self, focal_client, query, message):
        response = focal_client.get(PAGE, query)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "add_result" not in response.context

    def test_a_reversed_range_gives_a_message(self, focal_client):
        response = focal_client.get(PAGE, {"first": "28/02/2026", "last": "01/02/2026"})
        assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
        assert "count_result" not in response.context


class TestEditing:
    def test_only_administrators_see_the_editor(self, client, justice_focal, reform_admin):
        client.force_login(justice_focal)
        assert 'data-testid="override-form"' not in client.get(PAGE).content.decode()
        client.force_login(reform_admin)
        assert 'data-testid="override-form"' in client.get(PAGE).content.decode()

    def test_an_administrator_adds_an_override(self, reform_client):
        document = LegalDocument.objects.create(number="99/TB-UBND", issued_on=datetime.date(2026, 3, 1))
        response = reform_client.post(
            SAVE,
            {"date": "06/03/2026", "kind": "day_off", "name": "Nghỉ do bão", "legal_basis": document.pk},
        )
        assert response.status_code == 302
        assert response["Location"].endswith("?year=2026")
        override = CalendarOverride.objects.get(date=datetime.date(2026, 3, 6))
        assert override.legal_basis == document
        assert AuditEntry.objects.for_object(override).get().actor.username == "snv.admin"

    def test_a_refused_override_shows_why_and_changes_nothing(self, reform_client):
        before = snapshot()
        response = reform_client.post(SAVE, {"date": "06/03/2026", "kind": "working", "name": "Làm thêm"})
        assert response.status_code == 200
        assert "Ngày 06/03/2026 vốn đã là ngày làm việc" in response.content.decode()
        assert snapshot() == before

    def test_a_bad_date_shows_why_and_changes_nothing(self, reform_client):
        before = snapshot()
        response = reform_client.post(SAVE, {"date": "32/01/2026", "kind": "day_off", "name": "Nghỉ"})
        assert response.status_code == 200
        assert "Ghi ngày theo dạng dd/mm/yyyy" in response.content.decode()
        assert snapshot() == before

    def test_the_edit_link_fills_the_form(self, reform_client):
        override = CalendarOverride.objects.get(date=datetime.date(2026, 8, 22))
        body = reform_client.get(PAGE, {"edit": override.pk}).content.decode()
        assert f'name="id" value="{override.pk}"' in body
        assert 'value="22/08/2026"' in body

    def test_an_administrator_edits_an_override(self, reform_client):
        override = CalendarOverride.objects.get(date=datetime.date(2026, 8, 22))
        response = reform_client.post(
            SAVE,
            {
                "id": override.pk, "date": "22/08/2026", "kind": "working", "name": "Làm bù 31/8",
                "legal_basis": override.legal_basis_id, "reason": "Rút gọn tên",
            },
        )  # fmt: skip
        assert response.status_code == 302
        override.refresh_from_db()
        assert override.name == "Làm bù 31/8"
        entry = AuditEntry.objects.for_object(override).get(action="calendar_override.update")
        assert entry.reason == "Rút gọn tên"

    def test_an_administrator_deletes_an_override(self, reform_client):
        override = CalendarOverride.objects.get(date=datetime.date(2026, 8, 22))
        response = reform_client.post(DELETE, {"id": override.pk})
        assert response.status_code == 302
        assert not CalendarOverride.objects.filter(pk=override.pk).exists()

    def test_a_focal_point_is_refused_and_nothing_changes(self, focal_client):
        override = CalendarOverride.objects.get(date=datetime.date(2026, 8, 22))
        before = snapshot()
        new = {"date": "06/03/2026", "kind": "day_off", "name": "Nghỉ"}
        assert focal_client.post(SAVE, new).status_code == 403
        changed = {"id": override.pk, "date": "22/08/2026", "kind": "working", "name": "Khác"}
        assert focal_client.post(SAVE, changed).status_code == 403
        assert focal_client.post(DELETE, {"id": override.pk}).status_code == 403
        assert snapshot() == before

    def test_the_edit_endpoints_take_only_post(self, reform_client):
        assert reform_client.get(SAVE).status_code == 405
        assert reform_client.get(DELETE).status_code == 405

    def test_an_unknown_override_is_not_found(self, reform_client):
        assert reform_client.post(DELETE, {"id": 999999}).status_code == 404

    def test_posts_need_the_csrf_token(self, reform_admin):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(reform_admin)
        before = snapshot()
        response = strict.post(SAVE, {"date": "06/03/2026", "kind": "day_off", "name": "Nghỉ"})
        assert response.status_code == 403
        assert snapshot() == before
