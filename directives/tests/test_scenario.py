"""manage.py make_national_scenario: the chain, the mixed states, determinism and refusal to run twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from directives.dashboard import build_board, scope_for
from directives.management.commands.make_national_scenario import SCENARIO_SUBJECT, build_scenario
from directives.models import Directive, Recipient, Submission, SubmissionCopy, SubmissionStatus
from orgs.models import Kind, Organization
from plans.models import Plan

SHARED = Path(settings.PHROM_DATA_DIR)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def phrae_data(tmp_path):
    """The national open-data files cut down to Phrae (84 local governments): fast, same format."""
    if not (SHARED / "thailand" / "lgo_dla.csv").is_file():
        pytest.skip(f"the open-data files are not in {SHARED}")
    out = tmp_path / "thailand"
    out.mkdir()
    for name, column in (
        ("provinces.csv", "province_code"),
        ("districts.csv", "province_code"),
        ("lgo_dla.csv", "province_code"),
    ):
        text = (SHARED / "thailand" / name).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(r for r in rows if r[column] == "54")
    return tmp_path


def _fingerprint():
    return (
        sorted(Plan.objects.values_list("org__name_th", "status", "score")),
        sorted(Submission.objects.values_list("org__name_th", "status", "on_time")),
        sorted(Recipient.objects.values_list("org__name_th", "acknowledged_at")),
    )


def test_the_command_builds_the_chain_to_every_local_government_and_refuses_twice(phrae_data, db):
    out = io.StringIO()
    call_command("make_national_scenario", data_dir=str(phrae_data), seed=3, stdout=out)
    assert "84" in out.getvalue() and "saved" in out.getvalue()
    root = Directive.objects.select_related("issuer").get(subject=SCENARIO_SUBJECT, parent__isnull=True)
    assert root.issuer.kind == Kind.DLA and root.root_id == root.pk and root.submit_to.kind == Kind.OPDC
    chain = Directive.objects.filter(root=root)
    assert chain.filter(issuer__kind=Kind.PROVINCIAL_OFFICE).count() == 1
    assert (
        chain.filter(issuer__kind=Kind.DISTRICT).count() >= 7
    )  # 8 districts, a few may not have relayed yet
    lgos = Organization.objects.filter(kind__in=Kind.values).lgos()
    reached = Recipient.objects.filter(directive__root=root, org__in=lgos).values("org").distinct().count()
    assert 75 <= reached <= 84
    # the direct addressees of the provincial office, as in the founding letter
    office_relay = chain.get(issuer__kind=Kind.PROVINCIAL_OFFICE)
    direct = set(Recipient.objects.filter(directive=office_relay).values_list("org__kind", flat=True))
    assert direct == {Kind.DISTRICT, Kind.PAO, Kind.TOWN_MUNICIPALITY}
    board = build_board(root, scope_for(Organization.objects.get(kind=Kind.DLA)))
    assert board.tally.total == 84
    assert sum(1 for n in board.tally.counts.values() if n) >= 7  # mixed states
    live = Submission.objects.exclude(status=SubmissionStatus.SUPERSEDED)
    assert live.filter(on_time=True).exists() and live.filter(on_time=False).exists()
    assert SubmissionCopy.objects.count() == 2 * Submission.objects.count()
    assert not Plan.objects.filter(score__isnull=True).exists()
    with pytest.raises(CommandError, match="already"):
        call_command("make_national_scenario", data_dir=str(phrae_data), seed=3, stdout=io.StringIO())
    assert Directive.objects.filter(subject=SCENARIO_SUBJECT, parent__isnull=True).count() == 1


def test_the_same_seed_gives_the_same_scenario(cast):
    from orgs.actions import create_organization

    for i in range(30):
        create_organization(
            kind=Kind.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลอง{i:02d}", parent=cast.other_district
        )

    def run(seed):
        with transaction.atomic():
            build_scenario(seed=seed, now=NOW)
            fp = _fingerprint()
            transaction.set_rollback(True)
        return fp

    first, again, other = run(5), run(5), run(6)
    assert first == again
    assert first != other


def test_without_the_dla_it_says_what_to_load(db):
    with pytest.raises(CommandError, match="load_country"):
        build_scenario(seed=1)
