"""Everything a BCP document needs, gathered from the database into one plain dict.

`bcp_input(plan, code=...)` is the ONLY place that reads the database for a plan document; the
renderers (documents.bcp.render_bcp_pdf, and the DOCX renderer of the letters work) take its
result and nothing else, so they are pure functions of data: easy to test, to cache and to run in
a background worker.

The dict (stable shape; every value is JSON-serialisable except ``emblem["data"]``, which is
bytes):

    {
      "schema": "phrom.documents.bcp/1",
      "digits": "thai" | "arabic",          # how generated numbers are written (dates, page and
                                            # table numbers, quantities, phones). Text the
                                            # planner typed is printed exactly as typed.
      "emblem": {"name": "emblem.svg", "data": b"...", "placeholder": bool},
      "org": {"name", "short_name", "kind", "kind_label", "address", "postal_code",
              "province", "district", "phone", "email", "website"},
      "plan": {"id", "title", "fiscal_year", "fiscal_year_text", "revision", "revision_text",
               "status", "status_label", "approved": bool, "approved_on" (ISO or None),
               "approved_on_text" (e.g. "๕ มกราคม ๒๕๖๙" or ""), "approved_on_order_text"
               ("๕ เดือน มกราคม พ.ศ. ๒๕๖๙" or ""), "approver": {"name", "position"} | None,
               "digest" (SHA-256 hex: of the frozen snapshot when approved, of the current
               export for a draft), "next_review_text"},
      "verification": {"code": "ABCD-EFGH-JK", "url": "https://…/documents/verify/ABCDEFGHJK/"}
                      | None,
      "generated_on_text": "๒๖ พฤศจิกายน ๒๕๖๙",
      "export": {...},    # the plan in the export format (docs/plan-format.md): for an approved
                          # plan its frozen Plan.snapshot, otherwise a fresh export_plan()
      "content": {...},   # the same plan resolved for printing (refs replaced by names, enum
                          # keys by their Thai labels, grouped in the form's order):
        "title_th", "title_en", "subtitle",
        "texts": {"introduction", "foreword", "scope_note", ..., one key per TextSection},
        "objectives": [str], "assumptions": [str],
        "structured_assumptions": [{"label", "value"}],
        "windows": [{"key", "label", "short"}],             # the five recovery windows
        "resource_types": [{"key", "label", "table_no"}],   # ตารางที่ 4–8 order
        "scenarios": [{"ref", "name", "kind_label", "description", "in_scope",
                       "impacts": [{"type", "hit", "note"}]}],           # §3 + ตารางที่ 1
        "team": [{"ref", "title", "duties", "primary": person | None, "backup": person | None}],
        "contacts": {"internal": [person], "external": [person]},
        "call_tree": [node],   # roots; node = {"person": person, "backup": person | None,
                               #                "children": [node]}
        "processes": [{"no", "ref", "name", "unit", "mission", "mission_label", "impact",
                       "impact_label", "rto", "rto_label", "mbco", "mtpd_label", "it_systems",
                       "partners", "depends_on": [names], "channel_label", "channel_detail",
                       "peak_periods", "notes"}],                        # ตารางที่ 3
        "resources": [{"type", "label", "table_no", "rows": [{"name", "measure", "process",
                       "quantities": [int | None] * 5, "notes"}]}],      # ตารางที่ 4–8
        "strategies": [{"type", "label", "items": [{"text", "scenario"}]}],  # ตารางที่ 9
        "procedures": [{"phase", "label", "steps": [{"text", "scenario", "responsible"}]}],
        "risks": [{"name", "scenario", "likelihood", "severity", "score", "level_label",
                   "response"}],
        "optional": [{"key", "title", "items": [str]}],     # only the non-empty ones
        "epidemic_review": [{"question", "answer"}],        # the 2020 prolonged-epidemic review
        "annexes": [{"title", "text"}],
        "revision_history": [{"label", "date_text", "reviewer", "changes"}],
        "announcement": {"heading", "subject", "paragraphs": [str], "date_line", "signer_name",
                         "signer_position"},
      }
    }

person = {"name", "position", "unit", "phone", "phone2", "email", "line_id", "notes"}; phones are
formatted (081 234 5678, with no-break spaces) and written in the document's digits.

Document settings (digits, emblem) come from the organization's letter settings when the letters
code provides them (see `document_settings`); otherwise Thai digits and a neutral placeholder
emblem (documents/assets/emblem-placeholder.svg).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from phrom.lib.thai import format_phone, thai_date, to_thai_digits

SCHEMA = "phrom.documents.bcp/1"
ASSET_DIR = Path(__file__).resolve().parent / "assets"
PLACEHOLDER_EMBLEM = ASSET_DIR / "emblem-placeholder.svg"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"

TITLE_TH = "แผนดำเนินธุรกิจอย่างต่อเนื่อง"
TITLE_EN = "(Business Continuity Plan)"
SUBTITLE = "สำหรับการบริหารความพร้อมต่อสภาวะวิกฤต"

# Thai labels of the plan's enumerations: document content is Thai whatever the reader's language.
KIND_TH = {
    "provincial_admin_org": "องค์การบริหารส่วนจังหวัด",
    "city_municipality": "เทศบาลนคร",
    "town_municipality": "เทศบาลเมือง",
    "subdistrict_municipality": "เทศบาลตำบล",
    "subdistrict_admin_org": "องค์การบริหารส่วนตำบล",
    "pattaya": "เมืองพัทยา",
    "province": "จังหวัด",
    "provincial_office": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด",
    "district": "อำเภอ",
    "dla": "กรมส่งเสริมการปกครองท้องถิ่น",
    "opdc": "สำนักงาน ก.พ.ร.",
}
STATUS_TH = {
    "draft": "ร่าง",
    "in_review": "รออนุมัติ",
    "approved": "อนุมัติแล้ว",
    "superseded": "ถูกแทนที่ด้วยฉบับใหม่แล้ว",
}
RESOURCE_TYPES = [  # key, Thai label, ตารางที่
    ("building", "ด้านอาคาร/สถานที่ปฏิบัติงานหลัก", 4),
    ("equipment", "ด้านวัสดุอุปกรณ์ที่สำคัญ/การจัดหาจัดส่งวัสดุอุปกรณ์ที่สำคัญ", 5),
    ("it_data", "ด้านเทคโนโลยีสารสนเทศและข้อมูลที่สำคัญ", 6),
    ("personnel", "ด้านบุคลากรหลัก", 7),
    ("partners", "ด้านคู่ค้า/ผู้ให้บริการ/ผู้มีส่วนได้ส่วนเสียที่สำคัญ", 8),
]
WINDOWS = [("h4", "4 ชั่วโมง"), ("d1", "1 วัน"), ("w1", "1 สัปดาห์"), ("w2", "2 สัปดาห์"), ("m1", "1 เดือน")]
WINDOWS_SHORT = {"h4": "4 ชม.", "d1": "1 วัน", "w1": "1 สัปดาห์", "w2": "2 สัปดาห์", "m1": "1 เดือน"}
SCENARIO_TH = {
    "flood": "อุทกภัย",
    "fire": "อัคคีภัย",
    "epidemic": "โรคระบาด/โรคติดต่ออุบัติใหม่",
    "protest": "ชุมนุมประท้วง/จลาจล",
    "earthquake": "แผ่นดินไหว/อาคารถล่ม",
    "cyber": "ภัยคุกคามทางไซเบอร์/ระบบสารสนเทศล่ม",
    "storm": "วาตภัย",
    "power": "ไฟฟ้าดับ",
    "drought": "ภัยแล้ง",
    "haze": "หมอกควัน/PM2.5",
    "custom": "สถานการณ์อื่น",
}
MISSION_TH = {"general": "ภารกิจทั่วไป", "public_service": "ภารกิจด้านการบริการประชาชน"}
IMPACT_TH = {"very_high": "สูงมาก", "high": "สูง", "medium": "ปานกลาง", "low": "ต่ำ"}
PHASES = [
    ("immediate", "การตอบสนองต่อเหตุการณ์ทันที (ภายใน 24 ชั่วโมง)"),
    ("short", "การตอบสนองในระยะสั้น (ภายใน 1–7 วัน)"),
    ("medium", "การตอบสนองระยะกลาง (ภายใน 7–30 วัน)"),
    ("long", "การตอบสนองระยะยาว (มากกว่า 30 วัน)"),
]
CHANNEL_TH = {
    "eservice": "แบบฟอร์มออนไลน์ (ระบบพร้อม)",
    "web": "เว็บไซต์/แบบฟอร์มบนเว็บ",
    "email": "ไปรษณีย์อิเล็กทรอนิกส์ (e-mail)",
    "line": "LINE Official Account",
    "facebook": "เพจเฟซบุ๊ก",
    "phone": "โทรศัพท์",
    "dropbox": "ตู้รับเอกสารหน้าสำนักงาน",
    "post": "ไปรษณีย์",
    "edoc": "ระบบสารบรรณอิเล็กทรอนิกส์",
    "other": "ช่องทางอื่น",
}
OPTIONAL_TH = {
    "prevention": "การป้องกันและลดผลกระทบ",
    "budget": "การเตรียมความพร้อมด้านการเงินและงบประมาณ",
    "alert_levels": "มาตรการตามระดับการเตือนภัย",
    "legal": "กฎหมาย ระเบียบ และประกาศที่เกี่ยวข้อง",
    "supporting": "ระบบสนับสนุน",
}
RISK_LEVELS = [(20, "สูงมาก"), (12, "สูง"), (6, "ปานกลาง"), (3, "น้อย"), (0, "น้อยมาก")]


# -- small helpers (also used by the renderers) ----------------------------------------------


def digits_text(value: object, digits: str) -> str:
    """A generated number or string in the document's digits ("thai" or "arabic")."""
    if value is None:
        return ""
    return to_thai_digits(value) if digits == "thai" else str(value)


def public_base_url() -> str:
    """The site's public address for links printed in documents (the QR code): PHROM_PUBLIC_URL,
    else SITE_URL, else the development address."""
    url = getattr(settings, "PHROM_PUBLIC_URL", "") or getattr(settings, "SITE_URL", "") or DEFAULT_PUBLIC_URL
    return url.rstrip("/")


def display_code(code: str) -> str:
    """'ABCDEFGHJK' -> 'ABCD-EFGH-JK'."""
    compact = code.replace("-", "")
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def verification_url(code: str) -> str:
    from django.urls import reverse

    compact = code.replace("-", "")
    return public_base_url() + reverse("documents:verify", kwargs={"code": compact})


def document_settings(org) -> dict:
    """{"digits", "emblem": {"name", "data", "placeholder"}} for an organization.

    The letters code owns the per-organization document settings (documents.letter_models). If it
    exposes ``document_settings(org)`` (a dict or an object with ``digits`` and ``emblem``/
    ``emblem_bytes``), those are used; anything missing falls back to Thai digits and the neutral
    placeholder emblem. Read defensively: the plan document must render even if settings were
    never saved.
    """
    digits, emblem = "thai", None
    try:
        from documents import letter_models

        getter = getattr(letter_models, "document_settings", None)
        found = getter(org) if callable(getter) else None
    except Exception:  # noqa: BLE001 - settings are optional; never block a plan document on them
        found = None
    if found is not None:
        get = found.get if isinstance(found, dict) else (lambda k, d=None: getattr(found, k, d))
        if get("digits") in ("thai", "arabic"):
            digits = get("digits")
        raw = get("emblem_bytes") or get("emblem")
        if hasattr(raw, "read"):  # a FieldFile
            try:
                raw.open("rb")
                with raw:
                    raw = raw.read()
            except (OSError, ValueError):
                raw = None
        if isinstance(raw, bytes | bytearray) and raw:
            emblem = {"name": "emblem" + _image_suffix(bytes(raw)), "data": bytes(raw), "placeholder": False}
    if emblem is None:
        emblem = {"name": "emblem.svg", "data": PLACEHOLDER_EMBLEM.read_bytes(), "placeholder": True}
    return {"digits": digits, "emblem": emblem}


def _image_suffix(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data[:3] == b"\xff\xd8\xff":
        return ".jpg"
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in data[:512]:
        return ".svg"
    return ".png"


def _date_text(value: str | dt.date | None, digits: str, style: str = "letter") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return thai_date(value, digits=digits, style=style)


# -- the dict --------------------------------------------------------------------------------


def bcp_input(plan, *, code: str | None = None, digits: str | None = None) -> dict:
    """The BCP document's data for `plan` (see the module docstring).

    `code` is the document's verification code (documents.models.GeneratedDocument.code); the
    URL printed in the QR code is built from it. `digits` overrides the organization's setting.
    """
    from plans import portability
    from plans.models import Status

    org = plan.org
    doc_settings = document_settings(org)
    digits = digits if digits in ("thai", "arabic") else doc_settings["digits"]

    if plan.status in (Status.APPROVED, Status.SUPERSEDED) and plan.snapshot:
        export = portability.canonical(plan.snapshot)
        digest = plan.digest or hashlib.sha256(portability.dumps(export)).hexdigest()
    else:
        export = portability.export_plan(plan)
        digest = hashlib.sha256(portability.dumps(export)).hexdigest()

    approver = None
    approved_on = None
    if plan.approved_at and plan.status in (Status.APPROVED, Status.SUPERSEDED):
        approved_on = timezone.localtime(plan.approved_at).date()
        if plan.approved_by_id:
            from orgs.models import Membership

            user = plan.approved_by
            position = (
                Membership.objects.filter(user=user, organization=org)
                .exclude(position="")
                .values_list("position", flat=True)
                .first()
            )
            approver = {"name": str(user), "position": position or ""}

    approved = plan.status == Status.APPROVED
    plan_info = {
        "id": plan.pk,
        "title": export["plan"]["title"],
        "fiscal_year": export["plan"]["fiscal_year"],
        "fiscal_year_text": digits_text(export["plan"]["fiscal_year"], digits),
        "revision": plan.revision,
        "revision_text": digits_text(plan.revision, digits),
        "status": plan.status,
        "status_label": STATUS_TH.get(plan.status, plan.status),
        "approved": approved,
        "approved_on": approved_on.isoformat() if approved_on else None,
        "approved_on_text": _date_text(approved_on, digits),
        "approved_on_order_text": _date_text(approved_on, digits, "order"),
        "approver": approver,
        "digest": digest,
        "next_review_text": _date_text(export["plan"].get("next_review_date"), digits),
    }
    org_info = {
        "name": org.name_th,
        "short_name": org.short_name_th or org.name_th,
        "kind": org.kind,
        "kind_label": KIND_TH.get(org.kind, ""),
        "address": org.address,
        "postal_code": org.postal_code,
        "province": org.province.name_th if org.province_id and org.province_id != org.pk else "",
        "district": org.district.name_th if org.district_id and org.district_id != org.pk else "",
        "phone": org.phone,
        "email": org.email,
        "website": org.website,
    }
    data = {
        "schema": SCHEMA,
        "digits": digits,
        "emblem": doc_settings["emblem"],
        "org": org_info,
        "plan": plan_info,
        "verification": {"code": display_code(code), "url": verification_url(code)} if code else None,
        "generated_on_text": _date_text(timezone.localdate(), digits),
        "export": export,
    }
    data["content"] = resolve_content(export, org=org_info, plan=plan_info, digits=digits)
    return data


def resolve_content(export: dict, *, org: dict, plan: dict, digits: str) -> dict:
    """The export resolved for printing (pure: no database)."""
    contacts = {c["ref"]: c for c in export.get("contacts", [])}
    scenarios = {s["ref"]: s for s in export.get("scenarios", [])}
    roles = {r["ref"]: r for r in export.get("team", [])}
    processes = {p["ref"]: p for p in export.get("processes", [])}

    def phone(value: str) -> str:
        # No-break spaces: a phone number never wraps inside a table cell.
        return digits_text(format_phone(value), digits).replace(" ", "\u00a0") if value else ""

    def person(ref):
        c = contacts.get(ref) if ref else None
        if c is None:
            return None
        return {
            "name": c["name"],
            "position": c.get("position", ""),
            "unit": c.get("unit", ""),
            "phone": phone(c.get("phone", "")),
            "phone2": phone(c.get("phone2", "")),
            "email": c.get("email", ""),
            "line_id": c.get("line_id", ""),
            "notes": c.get("notes", ""),
        }

    def scenario_name(ref):
        return scenarios[ref]["name"] if ref in scenarios else ""

    # The call tree as nested nodes (the export guarantees no loops; guard anyway).
    nodes = export.get("call_tree", [])
    children: dict = {}
    for n in nodes:
        children.setdefault(n.get("parent"), []).append(n)

    def tree(parent, depth=0):
        if depth > 20:
            return []
        return [
            {
                "person": person(n["contact"]),
                "backup": person(n.get("backup")),
                "children": tree(n["ref"], depth + 1),
            }
            for n in children.get(parent, [])
            if person(n["contact"]) is not None
        ]

    p = export.get("plan", {})
    structured = []
    if p.get("absence_percent") is not None:
        structured.append(
            {
                "label": "บุคลากรไม่สามารถปฏิบัติงานได้พร้อมกันไม่เกิน",
                "value": f"ร้อยละ {digits_text(p['absence_percent'], digits)}",
            }
        )
    if p.get("longest_outage_days") is not None:
        structured.append(
            {
                "label": "ระยะเวลาที่เหตุการณ์อาจยืดเยื้อนานที่สุด",
                "value": f"{digits_text(p['longest_outage_days'], digits)} วัน",
            }
        )
    if p.get("alternate_site"):
        structured.append({"label": "สถานที่ปฏิบัติงานสำรอง", "value": p["alternate_site"]})

    window_label = dict(WINDOWS)
    resources = []
    for key, label, table_no in RESOURCE_TYPES:
        rows = [
            {
                "name": r["name"],
                "measure": r.get("measure", ""),
                "process": processes[r["process"]]["name"] if r.get("process") in processes else "",
                "quantities": [r.get(q) for q in ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1")],
                "notes": r.get("notes", ""),
            }
            for r in export.get("resources", [])
            if r["resource_type"] == key
        ]
        resources.append({"type": key, "label": label, "table_no": table_no, "rows": rows})

    strategies = [
        {
            "type": key,
            "label": label,
            "items": [
                {"text": s["text"], "scenario": scenario_name(s.get("scenario"))}
                for s in export.get("strategies", [])
                if s["resource_type"] == key
            ],
        }
        for key, label, _n in RESOURCE_TYPES
    ]
    procedures = [
        {
            "phase": key,
            "label": label,
            "steps": [
                {
                    "text": s["text"],
                    "scenario": scenario_name(s.get("scenario")),
                    "responsible": roles[s["responsible"]]["title"] if s.get("responsible") in roles else "",
                }
                for s in export.get("procedures", [])
                if s["phase"] == key
            ],
        }
        for key, label in PHASES
    ]

    risks = []
    for r in export.get("risks", []):
        score = int(r["likelihood"]) * int(r["severity"])
        level = next(lab for floor, lab in RISK_LEVELS if score > floor or floor == 0)
        risks.append(
            {
                "name": r["name"],
                "scenario": scenario_name(r.get("scenario")),
                "likelihood": r["likelihood"],
                "severity": r["severity"],
                "score": score,
                "level_label": level,
                "response": r.get("response", ""),
            }
        )

    return {
        "title_th": TITLE_TH,
        "title_en": TITLE_EN,
        "subtitle": SUBTITLE,
        "texts": dict(export.get("texts", {})),
        "objectives": list(export.get("objectives", [])),
        "assumptions": list(export.get("assumptions", [])),
        "structured_assumptions": structured,
        "windows": [
            {"key": k, "label": digits_text(lab, digits), "short": digits_text(WINDOWS_SHORT[k], digits)}
            for k, lab in WINDOWS
        ],
        "resource_types": [{"key": k, "label": lab, "table_no": n} for k, lab, n in RESOURCE_TYPES],
        "scenarios": [
            {
                "ref": s["ref"],
                "name": s["name"],
                "kind_label": SCENARIO_TH.get(s["kind"], ""),
                "description": s.get("description", ""),
                "in_scope": s.get("in_scope", True),
                "impacts": [
                    {
                        "type": k,
                        "hit": bool(s.get("impacts", {}).get(k, {}).get("hit")),
                        "note": s.get("impacts", {}).get(k, {}).get("note", ""),
                    }
                    for k, _lab, _n in RESOURCE_TYPES
                ],
            }
            for s in export.get("scenarios", [])
        ],
        "team": [
            {
                "ref": r["ref"],
                "title": r["title"],
                "duties": r.get("duties", ""),
                "primary": person(r.get("primary")),
                "backup": person(r.get("backup")),
            }
            for r in export.get("team", [])
        ],
        "contacts": {
            kind: [person(c["ref"]) for c in export.get("contacts", []) if c["kind"] == kind]
            for kind in ("internal", "external")
        },
        "call_tree": tree(None),
        "processes": [
            {
                "no": i,
                "ref": pr["ref"],
                "name": pr["name"],
                "unit": pr.get("unit", ""),
                "mission": pr.get("mission", ""),
                "mission_label": MISSION_TH.get(pr.get("mission", ""), ""),
                "impact": pr.get("impact", ""),
                "impact_label": IMPACT_TH.get(pr.get("impact", ""), ""),
                "rto": pr.get("rto", ""),
                "rto_label": digits_text(window_label.get(pr.get("rto", ""), ""), digits),
                "mbco": pr.get("mbco", ""),
                "mtpd_label": digits_text(window_label.get(pr.get("mtpd", ""), ""), digits),
                "it_systems": pr.get("it_systems", ""),
                "partners": pr.get("partners", ""),
                "depends_on": [processes[d]["name"] for d in pr.get("depends_on", []) if d in processes],
                "channel_label": CHANNEL_TH.get(pr.get("channel_type", ""), ""),
                "channel_detail": pr.get("channel_detail", ""),
                "peak_periods": pr.get("peak_periods", ""),
                "notes": pr.get("notes", ""),
            }
            for i, pr in enumerate(export.get("processes", []), start=1)
        ],
        "resources": resources,
        "strategies": strategies,
        "procedures": procedures,
        "risks": risks,
        "optional": [
            {"key": k, "title": title, "items": list(export.get("optional", {}).get(k, []))}
            for k, title in OPTIONAL_TH.items()
            if export.get("optional", {}).get(k)
        ],
        "epidemic_review": epidemic_answers(p.get("epidemic_review") or {}),
        "annexes": [{"title": a["title"], "text": a.get("text", "")} for a in export.get("annexes", [])],
        "revision_history": [
            {
                "label": e["label"],
                "date_text": _date_text(e.get("date"), digits, "short"),
                "reviewer": e.get("reviewer", ""),
                "changes": e.get("changes", ""),
            }
            for e in export.get("revision_history", [])
        ],
        "announcement": announcement(org=org, plan=plan, digits=digits),
    }


def epidemic_answers(review: dict) -> list[dict]:
    """The prolonged-epidemic review as question/answer pairs, in the review's order, in Thai."""
    if not review:
        return []
    from django.utils import translation

    try:
        from plans.epidemic import EPIDEMIC_TOPICS
    except ImportError:  # pragma: no cover
        return []
    out = []
    with translation.override("th"):
        for topic in EPIDEMIC_TOPICS:
            for q in topic.questions:
                if q.key not in review:
                    continue
                value = review[q.key]
                if isinstance(value, bool):
                    answer = "มี/ดำเนินการแล้ว" if value else "ไม่มี/ยังไม่ได้ดำเนินการ"
                elif isinstance(value, list):
                    labels = {}
                    for choice in q.choices or ():
                        if isinstance(choice, tuple | list) and len(choice) == 2:
                            labels[str(choice[0])] = str(choice[1])
                        elif hasattr(choice, "label"):
                            labels[str(choice.value)] = str(choice.label)
                    answer = ", ".join(CHANNEL_TH.get(str(v)) or labels.get(str(v), str(v)) for v in value)
                else:
                    answer = str(value)
                if answer:
                    out.append({"question": str(q.label), "answer": answer})
    return out


def announcement(*, org: dict, plan: dict, digits: str = "thai") -> dict:
    """The adoption announcement (ประกาศ) printed at the front of the plan.

    Approved: dated and signed by the approver. Otherwise the date and signature are left as dotted
    lines to be filled in, as a draft circulated for comment would be.
    """
    name = org["name"]
    fy = plan["fiscal_year_text"]
    paragraphs = [
        f"ตามที่คณะรัฐมนตรีได้มีมติเมื่อวันที่ {digits_text('24 เมษายน 2555', digits)} "
        f"และวันที่ {digits_text('31 มีนาคม 2563', digits)} "
        f"ให้หน่วยงานภาครัฐจัดทำและทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่อง (Business Continuity Plan: BCP) "
        f"เพื่อเตรียมความพร้อมในการบริหารราชการและการให้บริการประชาชนในภาวะวิกฤต นั้น",
        f"{name} ได้จัดทำแผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับการบริหารความพร้อมต่อสภาวะวิกฤต "
        f"ประจำปีงบประมาณ พ.ศ. {fy} เพื่อให้กระบวนการทำงานที่สำคัญและการให้บริการประชาชนดำเนินต่อไปได้ "
        f"หรือกลับมาดำเนินการได้ภายในระยะเวลาที่กำหนดเมื่อเกิดเหตุการณ์ที่ทำให้การปฏิบัติงานหยุดชะงัก "
        f"จึงประกาศใช้แผนดำเนินธุรกิจอย่างต่อเนื่องฉบับนี้ ให้ผู้บริหารและบุคลากรทุกส่วนราชการถือปฏิบัติ",
        "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
    ]
    if plan["approved"] or plan["approved_on_order_text"]:
        date_line = f"ประกาศ ณ วันที่ {plan['approved_on_order_text']}"
    else:
        date_line = "ประกาศ ณ วันที่ ........ เดือน .................... พ.ศ. ........"
    approver = plan.get("approver") or {}
    return {
        "heading": f"ประกาศ{name}",
        "subject": f"เรื่อง  ประกาศใช้แผนดำเนินธุรกิจอย่างต่อเนื่อง ประจำปีงบประมาณ พ.ศ. {fy}",
        "paragraphs": paragraphs,
        "date_line": date_line,
        "signer_name": approver.get("name", ""),
        "signer_position": approver.get("position", ""),
    }
