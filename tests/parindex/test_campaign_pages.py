"""The campaign and scorecard pages: who sees what, what each form does, and that refusals change nothing.

Assertions read data (units, codes, scores, statuses, HTTP codes, message levels), never interface words.
"""

import datetime
import re
from decimal import Decimal
from html import escape

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.parindex.models import Assessment, AssessmentStatus, Campaign, Evidence, Item, Phase
from cchc.parindex.services import items as item_services
from tests.conftest import _person, uploaded
from tests.parindex.conftest import YEAR, move_to

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(name, *args):
    return reverse(f"parindex:{name}", args=args)


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def item_of(campaign, unit, code) -> Item:
    return Item.objects.select_related("criterion").get(
        assessment__campaign=campaign, assessment__unit=unit, criterion__code=code
    )


def scorecard_of(campaign, unit) -> Assessment:
    return Assessment.objects.get(campaign=campaign, unit=unit)


def fill_in(campaign, unit, actor):
    """A full self-assessment of every leaf the unit scores itself, with a note where evidence is due."""
    reports = {"manual": None, "yes_no": "yes", "rate": "100", "deduction": "0", "bonus": "0", "penalty": "0"}
    for item in scorecard_of(campaign, unit).items.select_related("criterion"):
        method = item.criterion.method
        if method in ("metric", "survey"):
            continue
        reported = reports.get(method) or (
            str(item.criterion.max_points) if method == "manual" else item.criterion.tiers[0]["label"]
        )
        item_services.self_assess(actor=actor, item=item, reported=reported, note="Theo báo cáo")


def ids_of(response, prefix: str) -> list[str]:
    return re.findall(rf'data-testid="{prefix}([^"]+)"', response.content.decode())


# -- the list of campaigns --------------------------------------------------------------------------


def test_the_list_shows_each_user_the_campaigns_and_scorecards_in_reach(client, campaign, cast):
    justice_card = scorecard_of(campaign, cast["justice"])
    commune_card = scorecard_of(campaign, cast["west_commune"])

    client.force_login(cast["reform_admin"])
    page = client.get(url("campaigns"))
    assert page.status_code == 200
    assert ids_of(page, "campaign-") == [str(campaign.pk)]
    assert b'data-testid="create-campaign"' in page.content

    client.force_login(cast["justice_focal"])
    page = client.get(url("campaigns"))
    assert page.status_code == 200
    assert ids_of(page, "campaign-") == [str(campaign.pk)]
    assert ids_of(page, "scorecard-link-") == [str(justice_card.pk)]
    assert b'data-testid="create-campaign"' not in page.content

    client.force_login(cast["commune_officer"])
    page = client.get(url("campaigns"))
    assert ids_of(page, "scorecard-link-") == [str(commune_card.pk)]
    assert "Sở Tư pháp" not in page.content.decode()


def test_a_user_of_no_scored_unit_sees_no_campaign(client, campaign, cast, justice_division):
    division_clerk = _person("hctp", "Vũ Thị Phòng", (justice_division, Role.FOCAL_POINT))
    client.force_login(division_clerk)
    page = client.get(url("campaigns"))
    assert page.status_code == 200
    assert ids_of(page, "campaign-") == []
    assert client.get(url("campaign", campaign.pk)).status_code == 404


def test_the_reform_office_opens_a_campaign_from_the_list(client, cast, criteria_sets):
    client.force_login(cast["reform_admin"])
    response = client.post(
        url("campaigns"),
        {"organiser": cast["province"].pk, "year": YEAR, "title": "", "self_assessment_until": "31/03/2026"},
    )
    campaign = Campaign.objects.get(organiser=cast["province"], year=YEAR)
    assert response.status_code == 302 and response["Location"] == url("campaign", campaign.pk)
    assert campaign.self_assessment_until == datetime.date(2026, 3, 31)
    assert campaign.assessments.count() == 4

    again = client.post(url("campaigns"), {"organiser": cast["province"].pk, "year": YEAR})
    assert again.status_code == 200 and constants.ERROR in levels(again)
    assert Campaign.objects.count() == 1


def test_only_the_reform_office_opens_a_campaign(client, cast, criteria_sets):
    client.force_login(cast["justice_focal"])
    response = client.post(url("campaigns"), {"organiser": cast["province"].pk, "year": YEAR})
    assert response.status_code == 403
    assert not Campaign.objects.exists()


# -- one campaign ---------------------------------------------------------------------------------------


def test_the_campaign_page_lists_the_scorecards_each_user_may_see(client, campaign, cast):
    cards = {card.unit.code: card.pk for card in campaign.assessments.select_related("unit")}

    client.force_login(cast["reform_admin"])
    page = client.get(url("campaign", campaign.pk))
    assert page.status_code == 200
    assert sorted(ids_of(page, "assessment-")) == sorted(str(pk) for pk in cards.values())
    assert re.search(r'data-testid="phase-preparation" data-state="current"', page.content.decode())
    assert b'data-testid="advance-form"' in page.content
    assert b'data-testid="deadlines-form"' in page.content

    client.force_login(cast["justice_focal"])
    page = client.get(url("campaign", campaign.pk))
    assert page.status_code == 200
    assert ids_of(page, "assessment-") == [str(cards["99.STP"])]
    assert b'data-testid="advance-form"' not in page.content

    client.force_login(cast["leader"])
    assert len(ids_of(client.get(url("campaign", campaign.pk)), "assessment-")) == 4


def test_the_campaign_page_totals_the_scorecards(client, self_assessing, cast):
    campaign = self_assessing
    item = item_of(campaign, cast["justice"], "1.5")
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1.5")
    client.force_login(cast["reform_admin"])
    page = client.get(url("campaign", campaign.pk)).content.decode()
    row = re.search(
        rf'data-testid="assessment-{scorecard_of(campaign, cast["justice"]).pk}".*?</tr>', page, re.S
    ).group(0)
    progress = re.search(r'data-testid="progress">([^<]*)<', row).group(1)
    assert progress.split("/")[0].strip() == "0"
    assert re.search(r'data-testid="self-total" data-score="([^"]+)"', row).group(1) == "1.50"


def test_the_reform_office_opens_the_next_phase(client, campaign, cast):
    client.force_login(cast["reform_admin"])
    response = client.post(url("campaign-advance", campaign.pk))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.phase == Phase.SELF_ASSESSMENT
    assert constants.SUCCESS in levels(response)


def test_a_focal_point_cannot_open_the_next_phase(client, campaign, cast):
    client.force_login(cast["justice_focal"])
    assert client.post(url("campaign-advance", campaign.pk)).status_code == 403
    assert client.post(url("campaign-deadlines", campaign.pk), {}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.phase == Phase.PREPARATION


def test_publication_asks_for_the_decision_number(client, campaign, cast):
    campaign = move_to(campaign, Phase.FINALISATION, cast["reform_admin"])
    Campaign.objects.filter(pk=campaign.pk).update(decision_number="")
    client.force_login(cast["reform_admin"])
    page = client.get(url("campaign", campaign.pk))
    assert b'name="decision_number"' in page.content

    refused = client.post(url("campaign-advance", campaign.pk), {"decision_number": " "})
    assert constants.ERROR in levels(refused)
    campaign.refresh_from_db()
    assert campaign.phase == Phase.FINALISATION

    client.post(url("campaign-advance", campaign.pk), {"decision_number": "45/QĐ-UBND"})
    campaign.refresh_from_db()
    assert (campaign.phase, campaign.decision_number) == (Phase.PUBLISHED, "45/QĐ-UBND")


def test_the_reform_office_sets_the_deadlines(client, campaign, cast):
    client.force_login(cast["reform_admin"])
    client.post(
        url("campaign-deadlines", campaign.pk),
        {"self_assessment_until": "15/03/2026", "appraisal_until": "30/04/2026"},
    )
    campaign.refresh_from_db()
    assert campaign.self_assessment_until == datetime.date(2026, 3, 15)
    assert campaign.appraisal_until == datetime.date(2026, 4, 30)
    assert campaign.explanation_until is None

    refused = client.post(
        url("campaign-deadlines", campaign.pk),
        {"self_assessment_until": "30/05/2026", "appraisal_until": "01/05/2026"},
    )
    assert constants.ERROR in levels(refused)
    campaign.refresh_from_db()
    assert campaign.self_assessment_until == datetime.date(2026, 3, 15)


# -- the scorecard ----------------------------------------------------------------------------------------


def test_the_scorecard_opens_for_the_unit_the_office_and_the_leadership(
    client, self_assessing, cast, criteria_sets
):
    card = scorecard_of(self_assessing, cast["justice"])
    leaves = criteria_sets["agency"].criteria.exclude(method="").count()
    for user in ("justice_focal", "reform_admin", "leader"):
        client.force_login(cast[user])
        page = client.get(url("scorecard", card.pk))
        assert page.status_code == 200, user
        assert len(ids_of(page, "item-")) == leaves


def test_the_focal_point_gets_forms_and_the_viewer_none(client, self_assessing, cast):
    card = scorecard_of(self_assessing, cast["justice"])
    client.force_login(cast["justice_focal"])
    page = client.get(url("scorecard", card.pk)).content.decode()
    assert page.count('data-testid="self-form"') == 38  # every leaf but the 5 survey ones
    assert 'data-testid="appraise-form"' not in page and 'data-testid="submit-form"' not in page
    client.force_login(cast["leader"])
    page = client.get(url("scorecard", card.pk)).content.decode()
    assert 'data-testid="self-form"' not in page


def test_the_scorecard_shows_where_measured_numbers_come_from(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "3.3.1")
    assert item.auto_source
    client.force_login(cast["justice_focal"])
    page = client.get(url("scorecard", item.assessment_id)).content.decode()
    row = re.search(r'data-testid="item-3\.3\.1".*?</tr>', page, re.S).group(0)
    assert 'data-testid="auto-source"' in row and escape(item.auto_source) in row


def test_another_units_officer_gets_nothing_of_the_scorecard(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    evidence = item_services.add_evidence(
        actor=cast["justice_focal"], item=item, upload=uploaded("vb.pdf", PDF)
    )
    item.refresh_from_db()
    version = item.version
    client.force_login(cast["commune_officer"])
    assert client.get(url("scorecard", item.assessment_id)).status_code == 404
    assert client.get(url("evidence", evidence.pk)).status_code == 404
    assert client.get(url("item-history", item.pk)).status_code == 404
    for name in ("item-self", "item-evidence", "item-appraise", "item-explain", "item-second"):
        assert client.post(url(name, item.pk), {"version": item.version, "reported": "0"}).status_code == 404
    for name in ("assessment-submit", "assessment-accept"):
        assert client.post(url(name, item.assessment_id)).status_code == 404
    item.refresh_from_db()
    assert item.self_score is None and item.version == version


def test_the_scorecard_makes_no_query_per_item(
    client, self_assessing, cast, justice_leader, django_assert_max_num_queries
):
    """43 leaves with evidence files: a bound far below one query per item (the leader's page is the
    fullest: it also lists what keeps the self-assessment from being submitted)."""
    campaign = self_assessing
    for code in ("1.5", "2.2", "3.1"):
        item_services.add_evidence(
            actor=cast["justice_focal"],
            item=item_of(campaign, cast["justice"], code),
            upload=uploaded(f"{code}.pdf", PDF),
        )
    card = scorecard_of(campaign, cast["justice"])
    client.force_login(justice_leader)
    with django_assert_max_num_queries(16):
        assert client.get(url("scorecard", card.pk)).status_code == 200


# -- self-assessment ----------------------------------------------------------------------------------


def test_a_self_assessment_post_scores_the_item(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.3.1")  # tiered: on time 100 %, late 50 %
    client.force_login(cast["justice_focal"])
    response = client.post(
        url("item-self", item.pk),
        {"version": item.version, "reported": "Ban hành chậm", "note": "Chậm 5 ngày"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert (item.self_input, item.self_score, item.unit_note) == (
        "Ban hành chậm",
        Decimal("0.50"),
        "Chậm 5 ngày",
    )

    manual = item_of(self_assessing, cast["justice"], "1.5")
    client.post(url("item-self", manual.pk), {"version": manual.version, "reported": "1,25"})
    manual.refresh_from_db()
    assert manual.self_score == Decimal("1.25")


def test_a_stale_version_is_refused_and_reported(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    stale = item.version
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    client.force_login(cast["justice_focal"])
    response = client.post(url("item-self", item.pk), {"version": stale, "reported": "0.5"})
    assert response.status_code == 302
    assert levels(response) == [constants.WARNING]
    item.refresh_from_db()
    assert item.self_score == Decimal("1.00") and item.version == stale + 1


def test_an_out_of_range_score_is_refused(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    client.force_login(cast["justice_focal"])
    response = client.post(url("item-self", item.pk), {"version": item.version, "reported": "9"})
    assert levels(response) == [constants.ERROR]
    item.refresh_from_db()
    assert item.self_score is None


def test_a_viewer_may_not_self_assess(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    client.force_login(cast["leader"])
    assert (
        client.post(url("item-self", item.pk), {"version": item.version, "reported": "1"}).status_code == 403
    )
    item.refresh_from_db()
    assert item.self_score is None


def test_a_real_pdf_is_attached_and_downloaded(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    client.force_login(cast["justice_focal"])
    response = client.post(url("item-evidence", item.pk), {"file": uploaded("quyet-dinh.pdf", PDF)})
    assert levels(response) == [constants.SUCCESS]
    evidence = Evidence.objects.get(item=item)
    assert (evidence.name, evidence.size) == ("quyet-dinh.pdf", len(PDF))

    download = client.get(url("evidence", evidence.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert (
        "attachment" in download["Content-Disposition"]
        and "quyet-dinh.pdf" in download["Content-Disposition"]
    )

    client.force_login(cast["reform_admin"])
    assert client.get(url("evidence", evidence.pk)).status_code == 200


def test_a_fake_pdf_is_refused_and_nothing_is_stored(client, self_assessing, cast, settings):
    item = item_of(self_assessing, cast["justice"], "1.5")
    client.force_login(cast["justice_focal"])
    fake = uploaded("quyet-dinh.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(url("item-evidence", item.pk), {"file": fake})
    assert levels(response) == [constants.ERROR]
    assert not Evidence.objects.exists()
    media = settings.MEDIA_ROOT
    stored = [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
    assert stored == []


def test_the_item_history_lists_its_changes(client, self_assessing, cast):
    item = item_of(self_assessing, cast["justice"], "1.5")
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    item_services.self_assess(
        actor=cast["justice_focal"], item=item, reported="1.5", expected_version=item.version + 1
    )
    client.force_login(cast["justice_focal"])
    page = client.get(url("item-history", item.pk))
    assert page.status_code == 200
    assert (
        page.content.decode().count('data-testid="audit-row"')
        == AuditEntry.objects.for_object(item).count()
        == 2
    )


# -- submission -----------------------------------------------------------------------------------------


def test_the_leader_submits_and_the_focal_point_may_not(client, self_assessing, cast, justice_leader):
    card = scorecard_of(self_assessing, cast["justice"])
    client.force_login(justice_leader)
    page = client.get(url("scorecard", card.pk))
    assert b'data-testid="submit-form"' in page.content and b'data-testid="missing"' in page.content

    refused = client.post(url("assessment-submit", card.pk))
    assert levels(refused) == [constants.ERROR]
    card.refresh_from_db()
    assert card.status == AssessmentStatus.DRAFT

    fill_in(self_assessing, cast["justice"], cast["justice_focal"])
    client.force_login(cast["justice_focal"])
    assert client.post(url("assessment-submit", card.pk)).status_code == 403
    card.refresh_from_db()
    assert card.status == AssessmentStatus.DRAFT

    client.force_login(justice_leader)
    done = client.post(url("assessment-submit", card.pk))
    assert levels(done) == [constants.SUCCESS]
    card.refresh_from_db()
    assert card.status == AssessmentStatus.SUBMITTED and card.submitted_by == justice_leader

    client.force_login(cast["justice_focal"])
    page = client.get(url("scorecard", card.pk)).content.decode()
    assert 'data-testid="self-form"' not in page and 'data-status="submitted"' in page


# -- appraisal, explanation, second appraisal --------------------------------------------------------------


@pytest.fixture
def appraising(self_assessing, cast, justice_leader):
    fill_in(self_assessing, cast["justice"], cast["justice_focal"])
    item_services.submit_assessment(
        actor=justice_leader, assessment=scorecard_of(self_assessing, cast["justice"])
    )
    return move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])


def test_an_adjustment_needs_a_reason(client, appraising, cast):
    item = item_of(appraising, cast["justice"], "1.5")
    client.force_login(cast["reform_admin"])
    response = client.post(
        url("item-appraise", item.pk),
        {"version": item.version, "decision": "adjust", "score": "0.5", "reason": ""},
    )
    assert levels(response) == [constants.ERROR]
    item.refresh_from_db()
    assert item.appraised_score is None and item.appraised_at is None

    client.post(
        url("item-appraise", item.pk),
        {"version": item.version, "decision": "adjust", "score": "0,5", "reason": "Thiếu văn bản"},
    )
    item.refresh_from_db()
    assert (item.appraised_score, item.appraisal_reason) == (Decimal("0.50"), "Thiếu văn bản")


def test_the_appraiser_accepts_one_then_all(client, appraising, cast):
    card = scorecard_of(appraising, cast["justice"])
    item = item_of(appraising, cast["justice"], "2.2")
    client.force_login(cast["reform_admin"])
    page = client.get(url("scorecard", card.pk)).content.decode()
    assert 'data-testid="appraise-form"' in page and 'data-testid="accept-form"' in page

    client.post(url("item-appraise", item.pk), {"version": item.version, "decision": "accept"})
    item.refresh_from_db()
    assert item.appraised_score == item.self_score

    client.post(url("assessment-accept", card.pk))
    pending = card.items.filter(appraised_at__isnull=True).exclude(criterion__method="survey")
    assert not pending.exclude(self_score__isnull=True).exists()


def test_the_unit_may_not_appraise_itself(client, appraising, cast):
    item = item_of(appraising, cast["justice"], "1.5")
    client.force_login(cast["justice_focal"])
    response = client.post(url("item-appraise", item.pk), {"version": item.version, "decision": "accept"})
    assert response.status_code == 403
    assert client.post(url("assessment-accept", item.assessment_id)).status_code == 403
    item.refresh_from_db()
    assert item.appraised_at is None


def test_explanation_and_second_appraisal_from_the_page(client, appraising, cast):
    item = item_of(appraising, cast["justice"], "1.5")
    item_services.appraise_item(
        actor=cast["reform_admin"], item=item, accept=False, score="0", reason="Thiếu"
    )
    campaign = move_to(appraising, Phase.EXPLANATION, cast["reform_admin"])
    item.refresh_from_db()

    client.force_login(cast["justice_focal"])
    page = client.get(url("scorecard", item.assessment_id)).content.decode()
    assert page.count('data-testid="explain-form"') == 1
    client.post(url("item-explain", item.pk), {"version": item.version, "text": "Đã có văn bản số 12"})
    item.refresh_from_db()
    assert item.explanation == "Đã có văn bản số 12" and item.explained_at is not None

    move_to(campaign, Phase.SECOND_APPRAISAL, cast["reform_admin"])
    client.force_login(cast["justice_focal"])
    assert (
        client.post(url("item-second", item.pk), {"version": item.version, "score": "1"}).status_code == 403
    )
    client.force_login(cast["reform_admin"])
    refused = client.post(
        url("item-second", item.pk), {"version": item.version, "score": "1.5", "reason": ""}
    )
    assert levels(refused) == [constants.ERROR]
    client.post(url("item-second", item.pk), {"version": item.version, "score": "1.5", "reason": "Chấp nhận"})
    item.refresh_from_db()
    assert (item.second_score, item.final_score) == (Decimal("1.50"), Decimal("1.50"))


def test_a_commune_opens_its_own_scorecard(client, self_assessing, cast, criteria_sets):
    card = scorecard_of(self_assessing, cast["west_commune"])
    client.force_login(cast["commune_officer"])
    page = client.get(url("scorecard", card.pk))
    assert page.status_code == 200
    assert len(ids_of(page, "item-")) == criteria_sets["commune"].criteria.exclude(method="").count()


def test_after_the_deadline_the_forms_go_and_changes_are_refused(client, self_assessing, cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=self_assessing.pk).update(self_assessment_until=yesterday)
    item = item_of(self_assessing, cast["justice"], "1.5")
    client.force_login(cast["justice_focal"])
    assert b'data-testid="self-form"' not in client.get(url("scorecard", item.assessment_id)).content
    response = client.post(url("item-self", item.pk), {"version": item.version, "reported": "1"})
    assert levels(response) == [constants.ERROR]
    item.refresh_from_db()
    assert item.self_score is None
