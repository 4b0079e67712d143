"""JSON nested deeper than the parser can follow ("[[[[…", a few hundred kilobytes) is refused with
a message, by the batch API and by the file import, never answered with a raw server error."""

import pytest

from cchc.onestop.ingest.reading import UnreadableFile, read_batches
from cchc.onestop.models import Dossier

DEEP = "[" * 200_000 + "]" * 200_000


def test_the_batch_api_refuses_deep_json_with_a_message(api, cast, procedures):
    api.force_authenticate(cast["justice_focal"])
    response = api.post("/api/v1/dossiers/batch/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "quá sâu" in response.json()["detail"] and not Dossier.objects.exists()


def test_the_file_import_refuses_deep_json_with_a_message(tmp_path):
    path = tmp_path / "ho-so.json"
    path.write_text(DEEP)
    with pytest.raises(UnreadableFile, match="quá sâu"):
        list(read_batches(path, {}, 1000))


def test_every_api_endpoint_refuses_deep_json_with_a_message(api, cast):
    api.force_authenticate(cast["reform_admin"])
    response = api.post("/api/v1/plans/", DEEP, content_type="application/json")
    assert response.status_code == 400 and "quá sâu" in response.json()["detail"]
