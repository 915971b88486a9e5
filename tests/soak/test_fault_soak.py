"""The fault soak at CI size: 200 operations by 4 signed-in users through the real views of
a gunicorn dashboard, against the standalone Management API faulting 30% of requests.
`make soak` runs the same at 2,000 (SOAK_OPS)."""

from __future__ import annotations

import os

import pytest

from tests.soak.runner import run_soak

OPS = int(os.environ.get("SOAK_OPS", "200"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    result = run_soak(ops=OPS, seed=14, root=tmp_path_factory.mktemp("soak"))
    print("\n" + "\n".join(result.lines()))
    return result


def test_every_user_finished(report):
    assert report.crashed == []


def test_no_http_500_pages(report):
    assert report.server_errors == []


def test_no_failed_submission_loses_what_was_typed(report):
    assert report.lost_input == []


def test_no_audit_success_for_a_write_the_server_did_not_apply(report):
    assert report.claimed_not_applied == []


def test_every_applied_write_is_audited_as_success_after_reconcile(report):
    assert (report.applied_audited, report.unresolved) == (report.applied, 0)


def test_the_server_ends_as_the_audit_log_says(report):
    assert report.state_mismatches == []


def test_no_secret_in_the_dashboards_log(report):
    assert report.secrets_in_log == []


def test_the_figures(report, figure):
    figure("fault soak", report.figure())
    assert report.ops == OPS


def test_faults_really_happened(report):
    assert report.statuses[302] > 0 and report.done["edit refused"] + report.statuses[503] > 0
