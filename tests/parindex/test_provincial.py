"""The provincial PAR Index on the national instance: a criteria set whose assessed units are the
provinces, appraised by the Ministry; refused on a province's own instance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.parindex.models import Assessment, CriteriaSet, Level
from cchc.parindex.services import campaigns, criteria
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import _person

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 7, 1)


def _ministry_and_a_second_province():
    ministry = unit_services.create_unit(
        actor=None, name="Bộ Nội vụ", type=UnitType.AGENCY, code="BNV", kind="Bộ", valid_from=START
    )
    unit_services.create_unit(
        actor=None, name="Tỉnh Thứ Hai", type=UnitType.PROVINCE, code="98", valid_from=START
    )
    return ministry, _person("bnv.admin", "Cán Bộ Bộ", (ministry, Role.ADMINISTRATOR))


def test_a_province_instance_refuses_a_set_for_provinces(cast, settings, english):
    settings.CCHC_NATIONAL = False
    with pytest.raises(ValidationError, match="national instance"):
        criteria.load_default_set(actor=cast["reform_admin"], year=2026, unit_type="province")
    assert not CriteriaSet.objects.exists()
    with pytest.raises(CommandError):
        call_command("parindex", "default-criteria", "--year", "2026", "--unit-type", "province")


def test_the_shipped_provincial_set_is_a_marked_frame(cast, settings):
    settings.CCHC_NATIONAL = True
    criteria_set = criteria.load_default_set(actor=None, year=2026, unit_type="province")
    assert criteria_set.level == Level.PROVINCIAL
    assert criteria_set.criteria.filter(parent__isnull=True).count() == 8
    assert criteria_set.maximum() == Decimal(100)
    # Not the official text: said so in the set and on every leaf.
    assert not criteria_set.verified and criteria_set.legal_basis.startswith("[I]")
    assert all(leaf.legal_basis.startswith("[I]") for leaf in criteria_set.criteria.exclude(method=""))
    entry = AuditEntry.objects.get(action="criteria_set.create", object_id=str(criteria_set.pk))
    assert entry.after["level"] == "provincial"
    local = criteria.load_default_set(actor=None, year=2026, unit_type="commune")
    assert local.level == Level.LOCAL


def test_the_level_follows_the_unit_type_in_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        CriteriaSet.objects.create(year=2026, unit_type="province", level=Level.LOCAL, title="Sai")
    with pytest.raises(IntegrityError), transaction.atomic():
        CriteriaSet.objects.create(year=2026, unit_type="commune", level=Level.PROVINCIAL, title="Sai")


def test_the_ministry_campaign_scores_the_provinces(cast, settings):
    settings.CCHC_NATIONAL = True
    ministry, minister = _ministry_and_a_second_province()
    criteria.load_default_set(actor=None, year=2026, unit_type="province")
    criteria.load_default_set(actor=None, year=2026, unit_type="commune")
    campaign = campaigns.create_campaign(actor=minister, organiser=ministry, year=2026)
    scored = Assessment.objects.filter(campaign=campaign)
    # The provinces, not the communes under them: the Ministry's own subtree has no commune.
    assert sorted(scored.values_list("unit__code", flat=True)) == ["98", "99"]
    assert {assessment.criteria_set.level for assessment in scored} == {Level.PROVINCIAL}
    assert scored.first().items.count() == 8
    # The province's own campaign of the same year scores its communes, never provinces.
    own = campaigns.create_campaign(actor=cast["reform_admin"], organiser=cast["province"], year=2026)
    own_units = set(Assessment.objects.filter(campaign=own).values_list("unit__type", flat=True))
    assert own_units == {UnitType.COMMUNE}


def test_a_province_cannot_open_the_ministry_campaign(cast, settings):
    settings.CCHC_NATIONAL = True
    ministry, _minister = _ministry_and_a_second_province()
    criteria.load_default_set(actor=None, year=2026, unit_type="province")
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(actor=cast["reform_admin"], organiser=ministry, year=2026)
    assert not Assessment.objects.exists()
