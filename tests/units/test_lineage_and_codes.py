"""Units over time: codes reused by other units, merges and splits, and who inherits an old unit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.units import queries
from cchc.units.models import LineageRelation, Unit, UnitType
from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db

JUNE_30 = datetime.date(2025, 6, 30)
JULY_1 = datetime.date(2025, 7, 1)


def unit(name, type_, code, parent=None, valid_from=None, valid_to=None):
    return unit_services.create_unit(
        actor=None, name=name, type=type_, code=code, parent=parent, valid_from=valid_from, valid_to=valid_to
    )


@pytest.fixture
def reorganised():
    """Old province 98 with a district and three communes; from 1/7/2025 a new province 98 with two."""
    old_province = unit("Tỉnh Cũ", UnitType.PROVINCE, "98", valid_to=JUNE_30)
    district = unit("Huyện Núi", UnitType.DISTRICT, "981", old_province, valid_to=JUNE_30)
    a = unit("Xã A", UnitType.COMMUNE, "98001", district, valid_to=JUNE_30)
    b = unit("Xã B", UnitType.COMMUNE, "98002", district, valid_to=JUNE_30)
    c = unit("Xã C", UnitType.COMMUNE, "98003", district, valid_to=JUNE_30)
    new_province = unit("Tỉnh Mới", UnitType.PROVINCE, "98", valid_from=JULY_1)
    # The new ward reuses code 98001, which meant Xã A before.
    north = unit("Phường Bắc", UnitType.COMMUNE, "98001", new_province, valid_from=JULY_1)
    south = unit("Xã Nam", UnitType.COMMUNE, "98010", new_province, valid_from=JULY_1)
    link = unit_services.add_lineage
    link(
        actor=None, predecessor=old_province, successor=new_province, relation="merge", effective_date=JULY_1
    )
    link(actor=None, predecessor=a, successor=north, relation="merge", effective_date=JULY_1)
    link(actor=None, predecessor=b, successor=north, relation="merge", effective_date=JULY_1)
    link(
        actor=None,
        predecessor=c,
        successor=north,
        relation="split",
        effective_date=JULY_1,
        weight=Decimal("0.4"),
    )
    link(
        actor=None,
        predecessor=c,
        successor=south,
        relation="split",
        effective_date=JULY_1,
        weight=Decimal("0.6"),
    )
    return {
        "old": old_province,
        "district": district,
        "a": a,
        "b": b,
        "c": c,
        "new": new_province,
        "north": north,
        "south": south,
    }


def test_units_of_a_province_as_of_a_date_follow_the_reused_code(reorganised):
    before = {u.name for u in queries.units_as_of("98", datetime.date(2024, 5, 1))}
    after = {u.name for u in queries.units_as_of("98", datetime.date(2026, 5, 1))}
    assert before == {"Tỉnh Cũ", "Huyện Núi", "Xã A", "Xã B", "Xã C"}
    assert after == {"Tỉnh Mới", "Phường Bắc", "Xã Nam"}
    assert list(queries.units_as_of("97", datetime.date(2026, 5, 1))) == []


def test_a_code_names_different_units_in_different_periods(reorganised):
    assert list(Unit.objects.by_code("98001", datetime.date(2025, 1, 1))) == [reorganised["a"]]
    assert list(Unit.objects.by_code("98001", datetime.date(2025, 7, 1))) == [reorganised["north"]]
    assert set(Unit.objects.by_code("98001")) == {reorganised["a"], reorganised["north"]}


def test_a_code_cannot_be_held_by_two_units_at_once(reorganised):
    with pytest.raises(ValidationError) as error:
        unit(
            "Phường Trùng",
            UnitType.COMMUNE,
            "98010",
            reorganised["new"],
            valid_from=datetime.date(2026, 1, 1),
        )
    assert "98010" in str(error.value)


def test_inheritors_of_a_split_commune_carry_its_shares(reorganised):
    heirs = queries.inheritors(reorganised["c"], datetime.date(2026, 1, 1))
    assert [(heir.name, share) for heir, share in heirs] == [
        ("Xã Nam", Decimal("0.6")),
        ("Phường Bắc", Decimal("0.4")),
    ]


def test_inheritors_follow_several_generations(reorganised):
    later = unit(
        "Phường Trung Tâm",
        UnitType.COMMUNE,
        "98020",
        reorganised["new"],
        valid_from=datetime.date(2027, 1, 1),
    )
    unit_services.update_unit(actor=None, unit=reorganised["south"], valid_to=datetime.date(2026, 12, 31))
    unit_services.add_lineage(
        actor=None,
        predecessor=reorganised["south"],
        successor=later,
        relation="merge",
        effective_date=datetime.date(2027, 1, 1),
    )
    heirs = dict(queries.inheritors(reorganised["c"], datetime.date(2027, 6, 1)))
    assert heirs == {later: Decimal("0.6"), reorganised["north"]: Decimal("0.4")}


def test_an_active_unit_inherits_itself(reorganised):
    assert queries.inheritors(reorganised["north"], datetime.date(2026, 1, 1)) == [
        (reorganised["north"], Decimal(1))
    ]


def test_districts_end_without_heirs(reorganised):
    assert queries.inheritors(reorganised["district"], datetime.date(2026, 1, 1)) == []


def test_shares_of_one_unit_cannot_exceed_the_whole(reorganised):
    with pytest.raises(ValidationError):
        unit_services.add_lineage(
            actor=None,
            predecessor=reorganised["c"],
            successor=reorganised["new"],
            relation=LineageRelation.SPLIT,
            effective_date=JULY_1,
            weight=Decimal("0.1"),
        )


def test_a_unit_cannot_succeed_itself_and_weights_stay_in_range(reorganised):
    with pytest.raises(ValidationError):
        unit_services.add_lineage(
            actor=None,
            predecessor=reorganised["a"],
            successor=reorganised["a"],
            relation="rename",
            effective_date=JULY_1,
        )
    with pytest.raises(ValidationError):
        unit_services.add_lineage(
            actor=None,
            predecessor=reorganised["b"],
            successor=reorganised["south"],
            relation="split",
            effective_date=datetime.date(2025, 8, 1),
            weight=Decimal("1.5"),
        )


def test_change_code_keeps_the_old_code_in_history(province):
    ward = unit("Phường Một", UnitType.COMMUNE, "99050", province, valid_from=JULY_1)
    unit_services.change_code(actor=None, unit=ward, new_code="99051", effective=datetime.date(2026, 3, 1))
    codes = [(c.code, c.valid_from, c.valid_to) for c in ward.codes.order_by("valid_from")]
    assert codes == [
        ("99050", JULY_1, datetime.date(2026, 2, 28)),
        ("99051", datetime.date(2026, 3, 1), None),
    ]
    ward.refresh_from_db()
    assert ward.code == "99051"


def test_unit_types_sit_only_under_fitting_parents(province, justice):
    with pytest.raises(ValidationError):
        unit("Huyện Lạ", UnitType.DISTRICT, "99.H", justice)
    with pytest.raises(ValidationError):
        unit("Tỉnh Con", UnitType.PROVINCE, "97", province)
    assert unit("Trung tâm Trợ giúp pháp lý", UnitType.SUBUNIT, "99.STP.TGPL", justice).parent == justice


def test_subtree_is_a_prefix_match_on_the_path(cast):
    names = {u.name for u in Unit.objects.subtree(cast["justice"])}
    assert names == {"Sở Tư pháp", "Phòng Hành chính tư pháp"}
    assert [a.name for a in cast["justice_division"].ancestors()] == ["Tỉnh Thử Nghiệm", "Sở Tư pháp"]


def test_tree_page_on_a_past_date_and_a_bad_date(client, cast, reorganised):
    from cchc.accounts.models import Role
    from cchc.accounts.services import grant_role

    grant_role(actor=None, user=cast["leader"], unit=reorganised["old"], role=Role.VIEWER)
    client.force_login(cast["leader"])
    page = client.get("/units/", {"on": "01/05/2024"}).content.decode()
    assert "Xã C" in page and "Phường Bắc" not in page and "Sở Tư pháp" not in page
    page = client.get("/units/", {"on": "2026-05-01"}).content.decode()
    assert "Sở Tư pháp" in page and "Xã C" not in page
    response = client.get("/units/", {"on": "31/02/2026"})
    assert response.status_code == 200
    assert response.context["date_error"]


def test_detail_page_shows_lineage_and_inheritors(client, cast, reorganised):
    from cchc.accounts.models import Role
    from cchc.accounts.services import grant_role

    grant_role(actor=None, user=cast["leader"], unit=reorganised["old"], role=Role.VIEWER)
    grant_role(actor=None, user=cast["leader"], unit=reorganised["new"], role=Role.VIEWER)
    client.force_login(cast["leader"])
    page = client.get(f"/units/{reorganised['c'].pk}/").content.decode()
    assert "Xã Nam" in page and "Phường Bắc" in page
    page = client.get(f"/units/{reorganised['north'].pk}/").content.decode()
    assert "Xã A" in page and "Xã C" in page
