"""A PAR Index item written through the API with a named key (Khoá API): the audit entry names the key,
and the item's history panel and the object's history page show it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cchc.core.models import AuditEntry
from tests.accounts.test_api_tokens import make_key, with_key
from tests.parindex.test_api_items import leaf, post, read

pytestmark = pytest.mark.django_db
VIA = "qua khoá API «Phần mềm chấm điểm»"


def test_a_self_assessment_through_a_key_names_the_key_everywhere(api, as_user, cast, self_assessing):
    focal = cast["justice_focal"]
    _token, key = make_key(focal, name="Phần mềm chấm điểm")
    item = leaf(self_assessing, cast["justice"])
    shown, etag = read(with_key(api, key), item)
    saved = post(api, item, "self-assessment", {"self_input": "1", "version": shown["version"]}, etag)
    assert saved.status_code == 200, saved.content
    entry = AuditEntry.objects.for_object(item).get(action="par_item.self_assess")
    assert entry.actor == focal and entry.via == VIA
    client = as_user(focal)
    panel = client.get(reverse("parindex:item-history", args=[item.pk])).content.decode()
    assert f'data-testid="audit-via">{VIA}<' in panel
    content_type = ContentType.objects.get_for_model(item)
    page = client.get(reverse("core:history", args=[content_type.pk, str(item.pk)])).content.decode()
    assert f'data-testid="audit-via">{VIA}<' in page
