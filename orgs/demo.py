"""Who is in the demo, and how to sign in as them.

The demo (``manage.py load_demo``) is Phrae province: the province and its provincial
local-administration office, its 8 districts and all 84 local governments, plus OPDC and the DLA.
Its users cover every role at every level. Organizations are named by their natural keys:
``opdc``, ``dla``, ``province:<geocode>``, ``provincial_office:<geocode>``,
``district:<geocode>`` and ``lgo:<DLA code>``.
"""

from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "phrom-demo"

# (username, full name, position, organization key, role, what this login is for)
DEMO_USERS = [
    ("opdc", "นางสาวกานดา ตรวจแผน", "นักพัฒนาระบบราชการชำนาญการ", "opdc", "overseer",
     _("OPDC reviewer: receives plans from the whole country")),
    ("dla", "นายวิชัย ส่งเสริม", "นักวิเคราะห์นโยบายและแผน", "dla", "overseer",
     _("DLA officer: sees every province")),
    ("province", "นายต่อพงษ์ ทับทิมโต", "ท้องถิ่นจังหวัดแพร่", "provincial_office:54", "overseer",
     _("Provincial local-administration office of Phrae")),
    ("district.mueang", "นายสมศักดิ์ ดูแลดี", "ท้องถิ่นอำเภอเมืองแพร่", "district:5401", "overseer",
     _("District officer of Mueang Phrae")),
    ("district.long", "นางสุนีย์ ลองใจ", "ท้องถิ่นอำเภอลอง", "district:5403", "overseer",
     _("District officer of Long")),
    ("phrae.planner", "นางสาวพิมพ์ใจ วางแผน", "นักวิเคราะห์นโยบายและแผน", "lgo:4540102", "planner",
     _("Planner of Phrae Town Municipality")),
    ("phrae.approver", "นายเมือง แพร่ดี", "นายกเทศมนตรีเมืองแพร่", "lgo:4540102", "approver",
     _("Mayor of Phrae Town Municipality (approves plans)")),
    ("phrae.viewer", "นายสมชาย ใจดี", "ปลัดเทศบาลเมืองแพร่", "lgo:4540102", "viewer",
     _("Reads Phrae Town Municipality's plans")),
    ("phrae.admin", "นางสาววันดี ระบบดี", "นักวิชาการคอมพิวเตอร์", "lgo:4540102", "admin",
     _("Manages Phrae Town Municipality's members")),
    ("phrae.service", "นางสาวบริการ ทันใจ", "เจ้าพนักงานธุรการ", "lgo:4540102", "service",
     _("Service staff of Phrae Town Municipality: works citizens' online requests")),
    ("padaeng.planner", "นายประเสริฐ ป่าแดง", "ปลัดองค์การบริหารส่วนตำบลป่าแดง", "lgo:6540115", "planner",
     _("Planner of Pa Daeng SAO (Mueang Phrae district), no plan yet")),
    ("padaeng.approver", "นายบุญมี แดงดี", "นายกองค์การบริหารส่วนตำบลป่าแดง", "lgo:6540115", "approver",
     _("Chief executive of Pa Daeng SAO")),
    ("padaeng.service", "นางสมใจ บริการดี", "เจ้าพนักงานธุรการ", "lgo:6540115", "service",
     _("Service staff of Pa Daeng SAO")),
    ("huathung.planner", "นางมาลี หัวทุ่ง", "ปลัดองค์การบริหารส่วนตำบลหัวทุ่ง", "lgo:6540307", "planner",
     _("Planner of Hua Thung SAO (Long district)")),
    ("huathung.approver", "นายทองดี ทุ่งทอง", "นายกองค์การบริหารส่วนตำบลหัวทุ่ง", "lgo:6540307", "approver",
     _("Chief executive of Hua Thung SAO")),
    ("pao.approver", "นายอนันต์ ศรีนคร", "นายกองค์การบริหารส่วนจังหวัดแพร่", "lgo:2540101", "approver",
     _("Chief executive of Phrae PAO (approves its plan)")),
    ("admin", "ผู้ดูแลระบบ พร้อม", "ผู้ดูแลระบบ", None, "site_admin",
     _("Site admin: everything, including the Django admin")),
]  # fmt: skip


def demo_logins():
    """The demo logins that exist in the database, for the login page (DEBUG only) and `make run`."""
    from accounts.models import User

    present = set(
        User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list("username", flat=True)
    )
    return [
        {"username": u, "password": DEMO_PASSWORD, "full_name": name, "description": what}
        for (u, name, _position, _org, _role, what) in DEMO_USERS
        if u in present
    ]
