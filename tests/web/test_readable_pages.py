"""Pages print periods, metrics and counts in words: no `2026-Q3`, no `plans.unit_plans_issued`,
no `402,0 / 409,0`."""

import re

from django.urls import reverse

from cchc.plans.services import plans as plan_services
from tests.plans.conftest import province_plan  # noqa: F401 (a fixture)


def visible(html: str) -> str:
    """The text a person reads (code elements included: they are read too), without tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_target_page_names_its_period_and_prints_whole_counts(client, cast, province_plan):  # noqa: F811
    target = province_plan.targets.get(code="CT1")
    plan_services.record_measurement(
        actor=cast["reform_admin"],
        target=target,
        unit=cast["justice"],
        period="2026-Q3",
        numerator="402",
        denominator="409",
    )
    client.force_login(cast["reform_admin"])
    text = visible(
        client.get(reverse("plans:target", args=[target.pk]), {"period": "2026-Q3"}).content.decode()
    )
    assert "Quý III/2026" in text and "2026-Q3" not in text
    assert "402 / 409" in text and "402,0" not in text


def test_a_measured_target_names_its_metric_not_its_key(client, cast, province_plan):  # noqa: F811
    client.force_login(cast["reform_admin"])
    target = province_plan.targets.get(code="CT2")
    for url in (reverse("plans:plan", args=[province_plan.pk]), reverse("plans:target", args=[target.pk])):
        text = visible(client.get(url).content.decode())
        assert "plans.unit_plans_issued" not in text and "unit_plans_issued" not in text


def test_the_service_index_names_its_sources(client, cast):
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("onestop:index"), {"unit": cast["province"].pk, "period": "2026-01"})
    assert response.status_code == 200
    text = visible(response.content.decode())
    assert "on_time_rate" not in text and "computed:" not in text and "metric:" not in text
    assert "Tháng 1/2026" in text
