"""manage.py load_demo — the Phrae demo: its organizations, then the demo users. Idempotent.

The demo is built by a list of steps, run in order inside one transaction. A step is a callable (or
the dotted path of one, so that an app can add its step without an import cycle) that takes the
DemoContext and returns a one-line summary. Later features add theirs at the end of STEPS, e.g.

    STEPS = [..., "plans.demo.load_demo_plans"]

where ``load_demo_plans(ctx)`` uses ``ctx.org("lgo:4540102")`` and ``ctx.users["phrae.planner"]``.
Every step must be idempotent: load_demo runs on every `make run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from orgs.actions import add_member
from orgs.demo import DEMO_PASSWORD, DEMO_USERS
from orgs.loaders import DEFAULT_FIXTURE, LoadError, load_fixture, resolve_key
from orgs.management.commands.load_country import print_result
from orgs.models import Membership, Organization

DEMO_EMAIL_DOMAIN = "demo.phrom.localhost"


@dataclass
class DemoContext:
    """What steps share: the command (for output), organizations by natural key, users by username."""

    command: BaseCommand
    verbosity: int = 1
    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def org(self, key: str) -> Organization:
        """The organization with this natural key (opdc, province:54, lgo:4540102, …)."""
        if key not in self.orgs:
            org = resolve_key(key)
            if org is None:
                raise CommandError(f"The demo has no organization {key!r}; is it in {DEFAULT_FIXTURE.name}?")
            self.orgs[key] = org
        return self.orgs[key]

    def write(self, text: str) -> None:
        if self.verbosity >= 1:
            self.command.stdout.write(text)


def demo_phone(index: int) -> str:
    """A made-up mobile number per demo user (08x, distinct)."""
    return f"089{index + 1:07d}"


def load_demo_organizations(ctx: DemoContext) -> str:
    """OPDC, the DLA, Phrae, its provincial office, 8 districts and 84 LGOs (orgs/fixtures/phrae.json)."""
    try:
        result = load_fixture(DEFAULT_FIXTURE)
    except LoadError as exc:
        raise CommandError(str(exc)) from exc
    ctx.orgs.update(result.orgs)
    if ctx.verbosity >= 2:
        print_result(ctx.command, result, title=f"หน่วยงานจาก / organizations from {DEFAULT_FIXTURE.name}")
    return (
        f"หน่วยงาน / organizations: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


def create_demo_users(ctx: DemoContext) -> str:
    """The users of orgs.demo.DEMO_USERS with their memberships; a password is set only on creation."""
    from accounts.models import User

    existing = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    memberships_before = Membership.objects.filter(user__in=existing.values()).count()
    created = 0
    for index, (username, full_name, position, org_key, role, _what) in enumerate(DEMO_USERS):
        user = existing.get(username)
        if user is None:
            # Profile fields and the password only on creation: someone trying the demo may have
            # changed them, and a re-run must not undo that.
            user = User(
                username=username,
                full_name=full_name,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                phone=demo_phone(index),
                is_staff=role == "site_admin",
                is_superuser=role == "site_admin",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        ctx.users[username] = user
        if org_key is not None:
            add_member(ctx.org(org_key), user, role, position=position)
    added = Membership.objects.filter(user__in=ctx.users.values()).count() - memberships_before
    kept = len(DEMO_USERS) - created
    return f"ผู้ใช้ตัวอย่าง / demo users: {created} new, {kept} existing; {added} memberships added"


# The demo, in order. Add a step by appending a callable or its dotted path (see the module docstring).
STEPS: list[Callable[[DemoContext], str] | str] = [
    load_demo_organizations,
    create_demo_users,
    "eservices.geo.demo_step",
    "plans.demo.load_demo_plans",
    "directives.demo.load_demo_directives",
    "directives.scoring.demo_step",
    "eservices.demo.load_demo_eservices",
]


class Command(BaseCommand):
    help = "Load the Phrae demo (organizations, demo users and whatever later steps add). Safe to re-run."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Not refused (tests and staging use it), but the demo password is public.
            self.stderr.write(
                self.style.WARNING(
                    f"DEBUG is off: demo users share the public password {DEMO_PASSWORD!r}. "
                    "Do not load the demo on a production site."
                )
            )
        ctx = DemoContext(command=self, verbosity=options["verbosity"])
        with transaction.atomic():
            for step in STEPS:
                func = import_string(step) if isinstance(step, str) else step
                summary = func(ctx)
                if summary:
                    ctx.write(f"  {summary}")
        self.stdout.write(
            self.style.SUCCESS("ข้อมูลตัวอย่างพร้อม / demo data ready — manage.py demo_logins lists the logins")
        )
