"""manage.py load_subdistricts — subdistricts and who serves them, for the citizens' office finder.

Reads thailand/subdistricts.csv and thailand/lgo_dla.csv under --data-dir (default PHROM_DATA_DIR),
or the Phrae demo files with --phrae. Loads only subdistricts of districts already in the database
(run load_country or load_demo first). Idempotent; coverage confirmed by organizations is kept.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from eservices.geo import GeoLoadError, load_subdistricts


class Command(BaseCommand):
    help = "Load subdistricts (ตำบล) and the local governments that serve them. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="directory of the open-data files (default: PHROM_DATA_DIR)")
        parser.add_argument(
            "--phrae",
            action="store_true",
            help="load the Phrae demo files (phrae/*.csv) instead of thailand/",
        )

    def handle(self, *args, **options):
        try:
            result = load_subdistricts(options["data_dir"], scope="phrae" if options["phrae"] else "auto")
        except GeoLoadError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped_no_district:
            self.stdout.write(
                f"{result.skipped_no_district} subdistricts skipped: their district is not loaded "
                "(run load_country for the whole country)."
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
