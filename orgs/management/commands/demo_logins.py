"""manage.py demo_logins — print where to open the demo and whom to sign in as."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from orgs.demo import DEMO_PASSWORD, demo_logins
from orgs.management.commands.load_country import display_width, ljust


class Command(BaseCommand):
    help = "Print the demo address and the demo logins (username, password, what each is for)."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="http://127.0.0.1:8000/", help="Where the demo runs.")

    def handle(self, *args, address: str, **options):
        logins = demo_logins()
        out = self.stdout
        rule = "─" * 78
        out.write("")
        out.write(rule)
        out.write(self.style.SUCCESS("  พร้อม (Phrom) — ระบบตัวอย่าง จังหวัดแพร่ / demo: Phrae province"))
        out.write(f"  เปิด / open:  {self.style.HTTP_INFO(address)}")
        if not logins:
            out.write("  ยังไม่มีผู้ใช้ตัวอย่าง / no demo users yet: run  manage.py load_demo")
            out.write(rule)
            return
        out.write(f"  รหัสผ่านทุกบัญชี / password for every login:  {DEMO_PASSWORD}")
        out.write("")
        name_width = max(display_width(row["username"]) for row in logins) + 2
        out.write(
            "  "
            + ljust("ชื่อผู้ใช้ / username", max(name_width, 22))
            + ljust("รหัสผ่าน", 13)
            + "ใช้ทำอะไร / what for"
        )
        for row in logins:
            out.write(
                "  "
                + ljust(row["username"], max(name_width, 22))
                + ljust(row["password"], 13)
                + f"{row['description']}  ({row['full_name']})"
            )
        out.write(rule)
        out.write("")
