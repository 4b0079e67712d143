"""Loading a province's official units from the vietnamadminunits data set.

Lai Châu (12, unchanged, 38 communes) is the smallest province in the data set; Khánh Hòa (56) is
small, was merged with Ninh Thuận, has divided communes and reuses old commune codes, so it is
used for everything that needs merges, splits and reused codes.
"""

import datetime
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cchc.core.models import AuditEntry, LegalDocument
from cchc.units import queries
from cchc.units.management.commands import units as units_command
from cchc.units.models import Unit, UnitLineage, UnitType
from cchc.units.services import official
from cchc.units.services import units as unit_services

OLD_END = datetime.date(2025, 6, 30)
NEW_START = datetime.date(2025, 7, 1)


def weights_by_predecessor():
    totals = defaultdict(Decimal)
    for predecessor_id, weight in UnitLineage.objects.values_list("predecessor_id", "weight"):
        totals[predecessor_id] += weight
    return totals


# The data set against the law, without the database -------------------------------------------


def test_lam_dong_plan_matches_the_published_figures():
    plan = official.read_province("68")
    assert plan.name == "Tỉnh Lâm Đồng"
    assert sorted(plan.old_provinces) == ["Tỉnh Bình Thuận", "Tỉnh Lâm Đồng", "Tỉnh Đắk Nông"]
    new_communes = [
        unit for unit in plan.units if unit.type == UnitType.COMMUNE and unit.valid_from == NEW_START
    ]
    assert len(new_communes) == 124
    assert Counter(unit.kind for unit in new_communes) == {"Xã": 103, "Phường": 20, "Đặc khu": 1}
    by_code = {unit.code: unit.name for unit in new_communes}
    # QĐ 19/2025/QĐ-TTg gives these new wards the codes of old communes.
    assert by_code["22918"] == "Phường Mũi Né"
    assert by_code["22945"] == "Phường Phan Thiết"
    assert by_code["24611"] == "Phường Bắc Gia Nghĩa"
    provinces = {
        (unit.code, unit.valid_from, unit.valid_to) for unit in plan.units if unit.type == UnitType.PROVINCE
    }
    assert provinces == {
        ("68", NEW_START, None),
        ("68", None, OLD_END),
        ("67", None, OLD_END),
        ("60", None, OLD_END),
    }


def test_every_old_commune_of_the_plan_hands_on_exactly_all_of_itself():
    plan = official.read_province("68")
    totals = defaultdict(Decimal)
    for link in plan.links:
        totals[link.predecessor_key] += link.weight
    old_communes = {
        unit.key for unit in plan.units if unit.type == UnitType.COMMUNE and unit.valid_to == OLD_END
    }
    assert old_communes <= set(totals)
    assert set(totals.values()) == {Decimal(1)}


def test_there_are_34_current_provinces():
    choices = dict(official.province_choices())
    assert len(choices) == 34
    assert choices["56"] == "Tỉnh Khánh Hòa" and choices["01"] == "Thành phố Hà Nội"


def test_unknown_province_lists_the_valid_codes():
    with pytest.raises(official.UnknownProvince) as raised:
        official.read_province("99")
    assert "56 Tỉnh Khánh Hòa" in str(raised.value) and len(raised.value.choices) == 34


def test_split_weights_follow_areas_and_add_up_to_one():
    weights, by_area = official.split_weights([122.0, 149.9])
    assert by_area and weights == [Decimal("0.448694"), Decimal("0.551306")]
    weights, by_area = official.split_weights([1.0, 1.0, 1.0])
    assert sum(weights) == 1 and by_area


@pytest.mark.parametrize("areas", [[73.3, 0.0], [10.0, None], [None, None, None]])
def test_split_weights_are_equal_when_an_area_is_missing(areas):
    weights, by_area = official.split_weights(areas)
    assert not by_area
    assert sum(weights) == 1 and max(weights) - min(weights) <= Decimal("0.000001")


def test_a_tiny_area_still_gets_a_positive_share():
    weights, _ = official.split_weights([0.0000001, 500.0])
    assert all(weight > 0 for weight in weights) and sum(weights) == 1


# Loading ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_an_unchanged_province():
    result = official.load_province("12")
    assert result.units_created == {"province": 2, "district": 8, "commune": 144}
    new = Unit.objects.get(type=UnitType.PROVINCE, valid_from=NEW_START)
    old = Unit.objects.get(type=UnitType.PROVINCE, valid_to=OLD_END)
    assert (new.code, new.name, new.kind, new.valid_to) == ("12", "Tỉnh Lai Châu", "Tỉnh", None)
    assert (old.code, old.valid_from) == ("12", None)
    link = UnitLineage.objects.get(predecessor=old)
    assert (link.successor, link.relation, link.weight) == (new, "rename", 1)
    assert link.legal_basis.number == "202/2025/QH15"
    assert link.legal_basis.issued_on == datetime.date(2025, 6, 12)
    communes = new.children.all()
    assert communes.count() == 38 and {unit.type for unit in communes} == {UnitType.COMMUNE}
    assert Counter(communes.values_list("kind", flat=True)) == {"Xã": 36, "Phường": 2}
    districts = old.children.all()
    assert districts.count() == 8 and {(unit.type, unit.valid_to) for unit in districts} == {
        ("district", OLD_END)
    }
    assert not UnitLineage.objects.filter(predecessor__type=UnitType.DISTRICT).exists()  # districts just end
    # Old communes sit under their districts and end on 30/6/2025.
    old_communes = Unit.objects.filter(type=UnitType.COMMUNE, valid_to=OLD_END)
    assert old_communes.count() == 106
    assert set(old_communes.values_list("parent__type", flat=True)) == {UnitType.DISTRICT}
    assert set(weights_by_predecessor().values()) == {Decimal(1)}
    # New codes rest on the decision that published them.
    assert new.codes.get().legal_basis.number == "19/2025/QĐ-TTg"
    assert old.codes.get().legal_basis is None
    assert AuditEntry.objects.filter(action="unit.create", actor__isnull=True).count() == 154


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    official.load_province("12")
    counts = (Unit.objects.count(), UnitLineage.objects.count(), AuditEntry.objects.count())
    again = official.load_province("12")
    assert again.nothing_to_do
    assert again.units_existing == 154 and again.links_unchanged == 107 and again.legal_documents_created == 0
    assert (Unit.objects.count(), UnitLineage.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.django_db
def test_merged_province_with_reused_codes_splits_and_history():
    result = official.load_province("56")
    assert result.units_created == {"province": 3, "district": 16, "commune": 259}

    # 22333: Phường Vĩnh Phước of Nha Trang until 30/6/2025, then Phường Bắc Nha Trang.
    old_ward = Unit.objects.by_code("22333", OLD_END).get()
    new_ward = Unit.objects.by_code("22333", NEW_START).get()
    assert (old_ward.name, old_ward.kind, old_ward.valid_to) == ("Phường Vĩnh Phước", "Phường", OLD_END)
    assert old_ward.parent.name == "Thành phố Nha Trang" and old_ward.parent.kind == "Thành phố"
    assert (new_ward.name, new_ward.valid_from) == ("Phường Bắc Nha Trang", NEW_START)
    assert new_ward.parent.code == "56" and new_ward.parent.valid_from == NEW_START
    # The province code continues: old Khánh Hòa until 30/6, the merged province from 1/7.
    old_province, new_province = (
        Unit.objects.by_code("56", OLD_END).get(),
        Unit.objects.by_code("56", NEW_START).get(),
    )
    assert old_province != new_province
    ninh_thuan = Unit.objects.get(code="58")
    assert set(new_province.predecessor_links.values_list("predecessor_id", "relation", "weight")) == {
        (old_province.pk, "merge", Decimal(1)),
        (ninh_thuan.pk, "merge", Decimal(1)),
    }

    # Divided communes: several successors whose weights add up to 1.
    assert set(weights_by_predecessor().values()) == {Decimal(1)}
    cam_hoa = Unit.objects.get(name="Xã Cam Hòa", valid_to=OLD_END)
    links = {
        link.successor.name: link
        for link in cam_hoa.successor_links.select_related("successor", "legal_basis")
    }
    assert set(links) == {"Xã Cam Hiệp", "Xã Cam Lâm", "Xã Suối Dầu"}
    assert {link.relation for link in links.values()} == {"split"}
    assert links["Xã Suối Dầu"].weight == Decimal("0.376617")  # 160.1 of 425.1 km²
    assert "(160,1 trên 425,1 km²)" in links["Xã Suối Dầu"].note  # the notes are read in Vietnamese
    commune_basis = links["Xã Suối Dầu"].legal_basis
    assert not commune_basis.verified and "Chưa rõ số và ngày" in commune_basis.note
    assert commune_basis.issuer == "Ủy ban Thường vụ Quốc hội"

    # The history reads back through the queries.
    before = queries.units_as_of("56", OLD_END)
    after = queries.units_as_of("56", NEW_START)
    assert before.filter(type=UnitType.COMMUNE).count() == 132  # old Khánh Hòa alone
    assert before.filter(type=UnitType.DISTRICT).count() == 9
    assert old_ward in before and new_ward not in before
    assert after.count() == 66 and new_ward in after and old_ward not in after
    assert not after.filter(type=UnitType.DISTRICT).exists()
    assert queries.inheritors(old_ward, NEW_START) == [(new_ward, Decimal(1))]
    shares = {unit.name: share for unit, share in queries.inheritors(cam_hoa, NEW_START)}
    assert shares == {
        "Xã Suối Dầu": Decimal("0.376617"),
        "Xã Cam Lâm": Decimal("0.352623"),
        "Xã Cam Hiệp": Decimal("0.270760"),
    }


@pytest.mark.django_db
def test_a_conflicting_unit_stops_the_whole_load():
    # Someone already gave the code of the last unit in the plan to a unit without an end date,
    # so the load fails after creating everything else: all of it must be undone.
    last = official.read_province("56").units[-1]
    unit_services.create_unit(actor=None, name="Đơn vị thử", type=UnitType.PROVINCE, code=last.code)
    documents = LegalDocument.objects.count()
    # "Nothing was loaded: code … already belongs to …", in the default language, Vietnamese.
    with pytest.raises(
        CommandError, match=f"^Không nạp được, chưa ghi gì: Mã {last.code} đã thuộc về Đơn vị thử"
    ):
        call_command("units", "load-official", "--province", "56")
    assert Unit.objects.count() == 1
    assert not UnitLineage.objects.exists()
    assert LegalDocument.objects.count() == documents


@pytest.mark.django_db
def test_command_prints_a_summary_in_vietnamese_then_nothing_to_do(capsys):
    call_command("units", "load-official", "--province", "12")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "12 Tỉnh Lai Châu"
    # The operator reads Vietnamese, the tiers from the top down, as the other commands speak.
    assert lines[1] == "Đơn vị đã tạo: 154 (cấp tỉnh: 2, cấp huyện: 8, cấp xã: 144); đã có sẵn: 0"
    assert lines[2] == "Quan hệ kế thừa đã tạo: 107, đã cập nhật: 0, giữ nguyên: 0"
    assert re.fullmatch(r"Văn bản pháp lý đã tạo: 3; thời gian chạy: \d+,\d giây", lines[3])
    call_command("units", "load-official", "--province", "12")
    again = capsys.readouterr().out
    assert "Không có gì cần nạp: 154 đơn vị và 107 quan hệ kế thừa đã có sẵn." in again
    assert "Văn bản pháp lý đã tạo: 0;" in again
    call_command("units", "load-official", "--province", "12", "--json")
    summary = json.loads(capsys.readouterr().out)  # the keys scripts read stay as they were
    assert summary["nothing_to_do"] is True
    assert summary["units_created_total"] == 0 and summary["units_existing"] == 154
    assert summary["links_unchanged"] == 107


def test_large_counts_are_grouped_the_vietnamese_way():
    line = units_command._units_line({"commune": 3321, "district": 696, "province": 97}, 12345)
    assert line == "Đơn vị đã tạo: 4.114 (cấp tỉnh: 97, cấp huyện: 696, cấp xã: 3.321); đã có sẵn: 12.345"


@pytest.mark.django_db
def test_all_provinces_report_each_one_and_the_total_in_vietnamese(capsys, monkeypatch):
    # The whole country takes minutes (the test below); the wording is the same for one province.
    monkeypatch.setattr(official, "province_choices", lambda: [("12", "Tỉnh Lai Châu")])
    call_command("units", "load-official", "--all")
    out = capsys.readouterr().out
    assert out.startswith("12 Tỉnh Lai Châu\nĐơn vị đã tạo: 154 (")
    assert (
        "\nTổng cộng: 1 tỉnh, thành phố\nĐơn vị đã tạo: 154 (cấp tỉnh: 2, cấp huyện: 8, cấp xã: 144)" in out
    )


@pytest.mark.django_db
def test_all_provinces_stopped_by_one_name_it_and_keep_those_before(capsys, monkeypatch):
    monkeypatch.setattr(
        official, "province_choices", lambda: [("12", "Tỉnh Lai Châu"), ("56", "Tỉnh Khánh Hòa")]
    )
    last = official.read_province("56").units[-1]
    unit_services.create_unit(actor=None, name="Đơn vị thử", type=UnitType.PROVINCE, code=last.code)
    with pytest.raises(CommandError) as stopped:
        call_command("units", "load-official", "--all")
    assert str(stopped.value).startswith(
        f"Đã dừng ở 56 Tỉnh Khánh Hòa, tỉnh này chưa được nạp: Mã {last.code}"
    )
    assert "1 tỉnh, thành phố đứng trước đã nạp xong" in str(stopped.value)
    assert Unit.objects.filter(code="12").exists() and not Unit.objects.filter(code="56").exists()


@pytest.mark.django_db
def test_command_refuses_an_unknown_province():
    with pytest.raises(
        CommandError,
        match=r"^Không có tỉnh, thành phố hiện hành nào mang mã “63”\. "
        r"Các mã hợp lệ: 01 Thành phố Hà Nội, .*96 Tỉnh Cà Mau",
    ):
        call_command("units", "load-official", "--province", "63")
    assert not Unit.objects.exists()


def test_an_island_district_without_communes_becomes_its_special_zone():
    plan = official.read_province("44")
    units = {unit.key: unit for unit in plan.units}
    from_districts = [link for link in plan.links if units[link.predecessor_key].type == UnitType.DISTRICT]
    # Of the old districts only Cồn Cỏ, which had no communes, has a successor; the others simply end.
    assert [
        (units[link.predecessor_key].name, units[link.successor_key].name) for link in from_districts
    ] == [("Huyện Cồn Cỏ", "Đặc khu Cồn Cỏ")]
    assert (from_districts[0].relation, from_districts[0].weight) == ("merge", Decimal(1))


@pytest.mark.django_db
def test_load_all_provinces_once_then_nothing_to_do(capsys):
    """The national instance's `--all`: the 34 current provinces with their old units and lineage.

    The one test that loads the whole country (about three minutes on PostgreSQL); everything else
    about loading is tested on one small province above."""
    call_command("units", "load-official", "--all", "--json")
    first = json.loads(capsys.readouterr().out)
    assert first["total"]["provinces"] == 34 == len(first["provinces"])
    assert Unit.objects.filter(type=UnitType.PROVINCE, valid_from=NEW_START, parent=None).count() == 34
    # 63 provinces before 1/7/2025, each merged or renamed into exactly one of the 34.
    old = Unit.objects.filter(type=UnitType.PROVINCE, valid_to=OLD_END)
    assert old.count() == 63
    assert UnitLineage.objects.filter(predecessor__in=old).count() == 63
    assert first["total"]["units_created_total"] == Unit.objects.count()
    assert first["total"]["links_created"] == UnitLineage.objects.count()
    assert set(weights_by_predecessor().values()) == {Decimal(1)}  # every old unit passes on whole
    call_command("units", "load-official", "--all", "--json")
    second = json.loads(capsys.readouterr().out)["total"]
    assert second["nothing_to_do"] and second["units_created_total"] == 0 and second["links_created"] == 0
    assert second["units_existing"] == Unit.objects.count()
