"""A big registry upload is imported by a worker: the run's page shows a <progress> bar
(and refreshes itself without JavaScript), then the result or the line-numbered errors;
still all or nothing."""

import io

import pytest

from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.jobs import runner as jobs
from marketplace.jobs.models import JobFile, JobRun

from .conftest import csv_bytes, registry_row


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BACKGROUND_IMPORT_BYTES": 0}  # every upload goes to a worker


def _upload(client, rows):
    return client.post(
        "/households/import",
        data={"file": (io.BytesIO(csv_bytes(rows)), "registry.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )


def _count():
    return db.session.scalar(db.select(db.func.count(Household.id)))


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    return client


def test_the_import_job_reports_progress_and_lands_every_row(admin, yongjing_village, monkeypatch):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 451)]
    seen = []
    original = jobs.RunContext.progress

    def spy(self, done, total=None, *, force=False):
        seen.append((done, total))
        return original(self, done, total, force=True)

    monkeypatch.setattr(jobs.RunContext, "progress", spy)

    response = _upload(admin, rows)
    assert response.status_code == 302
    status_url = response.headers["Location"]
    page = admin.get(status_url).get_data(as_text=True)
    assert "<progress" in page and 'http-equiv="refresh"' in page  # works without JS
    assert _count() == 0  # nothing happens in the request

    [outcome] = [o for o in jobs.run_due() if o.job == "registry-import"]

    assert outcome.status == "succeeded", outcome.error
    assert outcome.result["created"] == 450
    assert _count() == 450
    assert (0, 900) in seen and (450, 900) in seen and (200, 900) in seen
    run = db.session.scalars(db.select(JobRun).where(JobRun.job == "registry-import")).one()
    assert (run.progress_done, run.progress_total) == (900, 900)
    done = admin.get(status_url).get_data(as_text=True)
    assert "Import done: 450 new, 0 changed, 0 unchanged." in done
    assert 'http-equiv="refresh"' not in done
    assert admin.get(status_url + ".json").get_json()["percent"] == 100
    assert db.session.scalar(db.select(db.func.count(JobFile.id))) == 0  # upload deleted


def test_a_bad_row_lands_nothing_and_lists_the_line(admin, yongjing_village):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 6)]
    rows[3] = registry_row(yongjing_village, "YJ000004", 4, village_code="000000000000")
    status_url = _upload(admin, rows).headers["Location"]

    jobs.run_due()

    assert _count() == 0
    page = admin.get(status_url).get_data(as_text=True)
    assert 'data-testid="run-errors"' in page
    assert "Line 5: unknown village code 000000000000" in page


def test_another_user_cannot_see_the_run(admin, client, auth, create_user, yongjing_village):
    status_url = _upload(admin, [registry_row(yongjing_village, "YJ000001", 1)]).headers["Location"]
    auth.logout()
    create_user(email="other@example.com")
    auth.login("other@example.com")
    assert client.get(status_url).status_code == 404
