"""manage.py load_country — load every organization in Thailand from the open-data CSV files.

Reads thailand/provinces.csv, districts.csv and lgo_dla.csv under --data-dir (default
PHROM_DATA_DIR; see shared/data/SOURCES.md). Idempotent: run it again after a new DLA file and it
updates in place, following อบต. → เทศบาลตำบล upgrades (see orgs.loaders).
"""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orgs.loaders import LoadError, LoadResult, default_data_dir, load_country
from orgs.models import KIND_ABBREV, Kind


def display_width(text: str) -> int:
    """Terminal columns: Thai vowel and tone marks above or below the line take none."""
    width = 0
    for ch in str(text):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def ljust(text: str, width: int) -> str:
    text = str(text)
    return text + " " * max(0, width - display_width(text))


def rjust(text: str, width: int) -> str:
    text = str(text)
    return " " * max(0, width - display_width(text)) + text


class DryRun(Exception):
    """Raised inside the transaction to roll a --dry-run back."""


def print_result(cmd: BaseCommand, result: LoadResult, *, title: str) -> None:
    """The counts table shared by load_country and load_demo."""
    out = cmd.stdout
    out.write(title)
    columns = (("ใหม่ new", 10), ("แก้ไข updated", 15), ("เหมือนเดิม same", 17))
    lines = [
        (f"{KIND_ABBREV.get(kind, '')} {kind.label}", result.counts[kind])
        for kind in Kind
        if kind in result.counts and result.counts[kind].total
    ]
    label_width = max([display_width(label) for label, _ in lines] + [20]) + 2

    def row(label, *cells):
        text = [
            rjust(f"{c:,}" if isinstance(c, int) else c, w) for c, (_, w) in zip(cells, columns, strict=True)
        ]
        return "  " + ljust(label, label_width) + "".join(text)

    out.write(row("ประเภท / type", *(name for name, _ in columns)))
    for label, c in lines:
        out.write(row(label, c.created, c.updated, c.unchanged))
    out.write(row("รวม / total", result.created, result.updated, result.unchanged))
    if result.codes_added:
        out.write(f"  รหัส อปท. ที่บันทึกเพิ่ม / DLA codes recorded: {result.codes_added:,}")
    for old, new, name in result.upgrades:
        out.write(f"  ยกฐานะ / upgraded: {name}  {old} → {new}")
    if result.not_in_source:
        names = ", ".join(f"{o.name_th} ({o.dla_code or o.geocode})" for o in result.not_in_source[:10])
        more = " …" if len(result.not_in_source) > 10 else ""
        out.write(
            cmd.style.WARNING(
                f"  ไม่มีในแฟ้ม (คงไว้ ไม่ลบ) / not in the files (kept, not deleted): "
                f"{len(result.not_in_source):,}: {names}{more}"
            )
        )
    for warning in result.warnings:
        out.write(cmd.style.WARNING(f"  {warning}"))


class Command(BaseCommand):
    help = (
        "Load OPDC, the DLA, 77 provinces, their provincial offices, 928 districts and 7,849 local "
        "governments from the open-data CSV files (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            help="Directory holding thailand/provinces.csv, districts.csv and lgo_dla.csv "
            "(default: PHROM_DATA_DIR = %(default)s).",
            default=None,
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll back.")

    def handle(self, *args, data_dir=None, dry_run=False, **options):
        data_dir = data_dir or default_data_dir()
        try:
            with transaction.atomic():
                result = load_country(data_dir)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except LoadError as exc:
            raise CommandError(f"โหลดไม่สำเร็จ / load failed — nothing was written.\n{exc}") from exc
        title = f"หน่วยงานจาก / organizations from {data_dir}" + (" (dry run: rolled back)" if dry_run else "")
        print_result(self, result, title=title)
        done = "ไม่มีอะไรเปลี่ยน / nothing changed" if not result.changed else "บันทึกแล้ว / saved"
        if dry_run:
            done = "ทดลองเท่านั้น ไม่ได้บันทึก / dry run, nothing saved"
        self.stdout.write(self.style.SUCCESS(f"{done} — {result.seconds:.1f} s"))
