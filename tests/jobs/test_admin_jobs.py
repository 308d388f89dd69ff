"""/admin/jobs and the nightly reconciliation: a mismatch planted in the ledger is reported,
listed for administrators and never fixed."""

import pytest

from marketplace.extensions import db
from marketplace.households.models import HouseholdIncomeMonth, IncomeEntry
from marketplace.jobs import runner as jobs
from marketplace.jobs.models import JobRun, RunStatus


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"], password="linxia-demo")
    auth.login("admin@example.com")
    return client


def test_reconciliation_reports_a_mismatch_planted_in_the_ledger(
    app, admin, create_sale, create_lot, create_household
):
    lot = create_lot(contributions=[(create_household(), 10)])
    create_sale((lot.product, [(lot, 2)]), until="delivered")
    clean = jobs.run_due()
    [reconcile] = [o for o in clean if o.job == "reconcile"]
    assert reconcile.result["total"] == 0, reconcile.result

    entry = db.session.scalars(
        db.select(IncomeEntry).where(IncomeEntry.household_id.is_not(None))
    ).first()
    entry.amount_fen += 1  # the ledger changed behind the rollup's back
    db.session.commit()
    jobs.run_now("reconcile")
    db.session.commit()
    [again] = [o for o in jobs.run_due() if o.job == "reconcile"]

    assert again.result["counts"]["rollup_vs_ledger"] == 1
    [mismatch] = again.result["mismatches"]
    assert mismatch["check"] == "income rollup"
    # Nothing was corrected.
    rolled = db.session.scalars(db.select(HouseholdIncomeMonth)).first()
    assert rolled.amount_fen != sum(
        e.amount_fen
        for e in db.session.scalars(db.select(IncomeEntry)).all()
        if e.household_id == rolled.household_id
    )
    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert 'data-testid="mismatches"' in page
    assert mismatch["detail"] in page


def test_admin_jobs_lists_every_job_and_runs_one_now(app, admin):
    page = admin.get("/admin/jobs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("unpaid-orders", "uncollected-parcels", "reconcile", "send-sms"):
        assert f'data-testid="job-{name}"' in html
    response = admin.post("/admin/jobs/reconcile/run")
    assert response.status_code == 302
    run = db.session.scalars(db.select(JobRun).where(JobRun.job == "reconcile")).one()
    assert run.status == RunStatus.queued and run.period_key.startswith("manual-")
    assert 'http-equiv="refresh"' in admin.get("/admin/jobs").get_data(as_text=True)
    jobs.run_due()
    db.session.refresh(run)
    assert run.status == RunStatus.succeeded
    status = admin.get(f"/jobs/runs/{run.id}.json").get_json()
    assert status["status"] == "succeeded" and status["finished"]
    assert admin.post("/admin/jobs/no-such-job/run").status_code == 404


def test_only_administrators_see_the_jobs(client, auth, create_user):
    create_user(email="buyer@example.com", password="linxia-demo")
    auth.login("buyer@example.com")
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/reconcile/run").status_code == 403


def test_a_failing_job_is_retried_with_backoff_and_stays_visible(app, admin, monkeypatch):
    from datetime import timedelta

    from marketplace.clock import utcnow
    from marketplace.jobs import registry

    calls = []

    def flaky(run):
        calls.append(run.now)
        raise RuntimeError("the ledger is on fire")

    monkeypatch.setitem(registry.JOBS, "flaky", registry.Job("flaky", flaky, "Flaky", retries=1))
    jobs.enqueue("flaky", "k1")
    db.session.commit()
    now = utcnow()
    [first] = jobs.run_due(now=now)[-1:]
    assert first.status == "failed" and "the ledger is on fire" in first.error
    jobs.run_due(now=now + timedelta(seconds=30))
    assert len(calls) == 1  # not yet: the backoff is 60 s
    [second] = [o for o in jobs.run_due(now=now + timedelta(minutes=2)) if o.job == "flaky"]
    assert second.status == "dead"
    assert len(calls) == 2
    html = admin.get("/admin/jobs").get_data(as_text=True)
    assert 'data-testid="job-flaky"' in html and "the ledger is on fire" in html


def test_the_whole_history_household_export_runs_as_a_job(
    app, admin, create_sale, create_lot, create_household
):
    household = create_household()
    lot = create_lot(contributions=[(household, 10)])
    create_sale((lot.product, [(lot, 2)]), until="delivered")
    page = admin.get("/reports/households").get_data(as_text=True)
    assert 'data-testid="export-history"' in page

    response = admin.post("/reports/households/history.csv")
    assert response.status_code == 302
    status_url = response.headers["Location"]
    assert "<progress" in admin.get(status_url).get_data(as_text=True)
    [outcome] = [o for o in jobs.run_due() if o.job == "household-export"]
    assert outcome.status == "succeeded", outcome.error

    done = admin.get(status_url).get_data(as_text=True)
    assert 'data-testid="download"' in done
    download = admin.get(outcome.result["download"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    text = download.get_data(as_text=True)
    assert household.household_no in text
    assert admin.post("/reports/households/history.pdf").status_code == 404


def test_a_run_whose_worker_died_is_tried_again(app):
    from datetime import timedelta

    from marketplace.clock import utcnow

    run = jobs.run_now("reconcile")
    db.session.commit()
    assert jobs.claim(run.id)  # a worker took it, then its host went away
    later = utcnow() + jobs.STALE_AFTER + timedelta(minutes=1)
    [outcome] = [o for o in jobs.run_due(now=later) if o.period_key == run.period_key]
    assert outcome.status == "succeeded"
    db.session.refresh(run)
    assert run.attempts == 2


def test_the_history_export_as_excel(app, admin):
    response = admin.post("/reports/households/history.xlsx")
    assert response.status_code == 302
    [outcome] = [o for o in jobs.run_due() if o.job == "household-export"]
    assert outcome.status == "succeeded", outcome.error
    download = admin.get(outcome.result["download"])
    assert download.status_code == 200
    assert download.get_data()[:2] == b"PK"  # a zip: the XLSX workbook
