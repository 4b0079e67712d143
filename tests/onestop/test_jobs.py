"""The import page and the background job: upload, run for real, follow, download the error report."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from cchc.onestop.models import Dossier, ImportJob, ImportKind, JobStatus, Procedure
from cchc.onestop.services.jobs import error_report_csv, progress_key, run_import
from tests.conftest import uploaded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_run_in_process")]

HEADER = "dossier_code,procedure_code,unit_code,received_at,finished_at\n"
GOOD = (
    HEADER
    + "STP-1,HT-01,99.STP,2026-01-05 09:00,2026-01-08 10:00\nSTP-2,DD-01,99.STP.HCTP,2026-01-06 09:00,\n"
)
# Row 4 (the header is row 1) is of Xã Tây, outside the reach of Sở Tư pháp; row 5 has no such procedure.
BAD = GOOD + "STP-3,HT-01,99002,2026-01-06 09:00,\nSTP-4,XX-99,99.STP,2026-01-07 09:00,\n"


def _web_jobs():
    """Jobs started on the web page (the `procedures` fixture leaves one of the command line)."""
    return ImportJob.objects.filter(created_by__isnull=False)


def _upload(client, capture, name, text, kind="dossiers"):
    """Post the file on the import page and run the job it queues."""
    with capture(execute=True):
        return client.post(
            reverse("onestop:imports"), {"kind": kind, "file": uploaded(name, text, "text/csv")}
        )


def _report_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_clean_file_is_imported_in_the_background(
    client, cast, procedures, django_capture_on_commit_callbacks
):
    client.force_login(cast["justice_focal"])
    response = _upload(client, django_capture_on_commit_callbacks, "ho-so.csv", GOOD)
    job = _web_jobs().get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "onestop:import-job", args=[job.pk]
    )
    assert (job.status, job.rows, job.created, job.error_count) == (JobStatus.DONE, 2, 2, 0)
    assert job.created_by == cast["justice_focal"] and job.original_name == "ho-so.csv"
    assert job.started_at and job.finished_at and not job.error_report
    assert set(Dossier.objects.values_list("code", flat=True)) == {"STP-1", "STP-2"}
    assert cache.get(progress_key(job.pk)) == 2
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'data-status="done"' in body and 'data-testid="job-created">2<' in body
    assert reverse("onestop:import-job-status", args=[job.pk]) not in body  # finished: no more polling
    # The same file again changes nothing.
    _upload(client, django_capture_on_commit_callbacks, "ho-so.csv", GOOD)
    again = _web_jobs().order_by("-pk").first()
    assert (again.status, again.unchanged, again.created) == (JobStatus.DONE, 2, 0)


def test_bad_rows_fail_the_job_and_the_report_downloads(
    client, cast, procedures, django_capture_on_commit_callbacks
):
    client.force_login(cast["justice_focal"])
    _upload(client, django_capture_on_commit_callbacks, "ho-so-loi.csv", BAD)
    job = _web_jobs().get()
    assert (job.status, job.rows, job.error_count, job.created) == (JobStatus.FAILED, 4, 2, 0)
    assert not Dossier.objects.exists()  # all or nothing
    report_url = reverse("onestop:import-errors", args=[job.pk])
    download = client.get(report_url)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    rows = _report_rows(b"".join(download.streaming_content))
    assert len(rows) == 3 and len(rows[0]) == 3
    assert [(row[0], row[1]) for row in rows[1:]] == [("4", "unit_code"), ("5", "procedure_code")]
    assert all(row[2] for row in rows[1:])
    page = client.get(reverse("onestop:import-job", args=[job.pk]))
    body = page.content.decode()
    assert 'data-status="failed"' in body and report_url in body
    assert page.context["errors"] == rows[1:]
    # The report is the creator's and the administrators' only.
    client.force_login(cast["reform_admin"])
    assert client.get(report_url).status_code == 200
    client.force_login(cast["commune_officer"])
    assert client.get(report_url).status_code == 404
    assert client.get(reverse("onestop:import-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("onestop:import-job-status", args=[job.pk])).status_code == 404


def test_procedures_are_imported_by_administrators_only(
    client, cast, procedures, django_capture_on_commit_callbacks
):
    text = (
        "code,name,field,level,time_limit,time_unit,online\n"
        "HT-03,Đăng ký kết hôn,Hộ tịch,cấp xã,5,working_day,full\n"
    )
    client.force_login(cast["justice_focal"])
    response = _upload(client, django_capture_on_commit_callbacks, "thu-tuc.csv", text, kind="procedures")
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert not _web_jobs().exists() and not Procedure.objects.filter(code="HT-03").exists()
    assert [value for value, _label in response.context["form"].fields["kind"].choices] == ["dossiers"]

    client.force_login(cast["reform_admin"])
    _upload(client, django_capture_on_commit_callbacks, "thu-tuc.csv", text, kind="procedures")
    job = _web_jobs().get()
    assert (job.kind, job.status, job.created) == (ImportKind.PROCEDURES, JobStatus.DONE, 1)
    assert Procedure.objects.get(code="HT-03").online == "full"


def test_a_refusal_by_the_service_fails_the_job_with_its_message(cast, procedures):
    """A procedures job queued for someone who is not an administrator (e.g. whose role was withdrawn)."""
    job = ImportJob(kind=ImportKind.PROCEDURES, original_name="thu-tuc.csv", created_by=cast["justice_focal"])
    job.source.save("thu-tuc.csv", ContentFile(b"code,name,field\nX-1,Thu tuc,Linh vuc\n"), save=False)
    job.save()
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message and job.finished_at
    assert run_import.enqueue(job.pk).return_value is None  # a finished job is never run twice


def test_an_unreadable_file_fails_the_job(client, cast, procedures, django_capture_on_commit_callbacks):
    client.force_login(cast["justice_focal"])
    _upload(client, django_capture_on_commit_callbacks, "ho-so.json", "{not json")
    job = _web_jobs().get()
    assert job.status == JobStatus.FAILED and job.message
    body = client.get(reverse("onestop:import-job", args=[job.pk])).content.decode()
    assert 'data-testid="job-message"' in body


@pytest.mark.parametrize(
    ("name", "text"), [("ho-so.txt", GOOD), ("ho-so.xls", GOOD), ("ho-so.csv", ""), ("ho-so", GOOD)]
)
def test_the_form_checks_the_file_before_any_job(
    client, cast, procedures, django_capture_on_commit_callbacks, name, text
):
    client.force_login(cast["justice_focal"])
    response = _upload(client, django_capture_on_commit_callbacks, name, text)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not _web_jobs().exists()


def test_files_over_the_limit_are_refused(
    client, cast, procedures, settings, django_capture_on_commit_callbacks
):
    settings.CCHC_ONESTOP_MAX_UPLOAD_BYTES = 100
    client.force_login(cast["justice_focal"])
    response = _upload(client, django_capture_on_commit_callbacks, "ho-so.csv", BAD)
    assert response.context["form"].errors["file"] and not _web_jobs().exists()


def test_who_may_open_the_import_page(client, cast):
    url = reverse("onestop:imports")
    client.force_login(cast["leader"])  # may view, not enter
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "dossiers"}).status_code == 403
    for name in ("commune_officer", "justice_focal", "reform_admin"):
        client.force_login(cast[name])
        assert client.get(url).status_code == 200, name


def test_the_status_polls_while_the_job_waits_or_runs(client, cast):
    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS, original_name="lon.csv", created_by=cast["justice_focal"]
    )
    client.force_login(cast["justice_focal"])
    status_url = reverse("onestop:import-job-status", args=[job.pk])
    body = client.get(reverse("onestop:import-job", args=[job.pk])).content.decode()
    assert f'hx-get="{status_url}"' in body and 'hx-trigger="every 1s"' in body
    job.status = JobStatus.RUNNING
    job.save()
    cache.set(progress_key(job.pk), 120_000)
    partial = client.get(status_url)
    assert partial.context["rows_read"] == 120_000 and "progress-bar" in partial.content.decode()
    job.status, job.rows = JobStatus.DONE, 150_000
    job.save()
    partial = client.get(status_url).content.decode()
    assert "hx-trigger" not in partial and "progress-bar" not in partial


def test_the_list_shows_the_users_own_jobs(client, cast, django_assert_max_num_queries):
    mine = ImportJob.objects.create(
        kind="dossiers", original_name="xa-tay.csv", created_by=cast["commune_officer"]
    )
    theirs = ImportJob.objects.create(
        kind="dossiers", original_name="so-tu-phap.csv", created_by=cast["justice_focal"]
    )
    client.force_login(cast["commune_officer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("onestop:imports"))
    assert list(response.context["jobs"]) == [mine]
    assert "so-tu-phap.csv" not in response.content.decode()
    client.force_login(cast["reform_admin"])
    assert set(client.get(reverse("onestop:imports")).context["jobs"]) == {mine, theirs}


def test_the_report_notes_errors_beyond_those_kept():
    rows = _report_rows(error_report_csv([(2, "unit_code", "Đơn vị không đúng")], 3))
    assert rows[1] == ["2", "unit_code", "Đơn vị không đúng"]
    assert rows[2][0] == "" and "2" in rows[2][2]
