"""The BCP as an editable DOCX: `render_bcp_docx(data) -> bytes`, from the same dict as the PDF
(documents.inputs.bcp_input) and with the PDF's layout decisions (documents.bcp.document_data:
which annexes, the numbers of optional sections), so both documents have the same structure.

The template documents/docx_templates/bcp.docx holds the structure; this module only turns the
data into strings (digits, joined lines) for it. Page numbers: Thai digits in Word (w:pgNumType
thaiNumbers), Arabic digits in LibreOffice, which does not support Thai page numbering.
"""

from __future__ import annotations

import io
import re

from documents.bcp import document_data
from documents.docx.render import raster_emblem, render_template
from documents.inputs import digits_text

DOTS = "–"


def _paragraphs(text: str | None) -> list[str]:
    """A planner's text as paragraphs (blank lines separate them; single line breaks are kept)."""
    if not text or not text.strip():
        return []
    return [
        "\n".join(line.strip() for line in p.strip().split("\n"))
        for p in re.split(r"\n[ \t]*\n", text.strip())
    ]


def _lines(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _person(p: dict | None) -> str:
    if not p:
        return DOTS
    return _lines(p["name"], p.get("position"), f"โทร. {p['phone']}" if p.get("phone") else "")


def _call_tree(nodes: list[dict], depth: int = 0, out: list | None = None) -> list[dict]:
    out = [] if out is None else out
    for n in nodes:
        p = n["person"]
        text = p["name"] + (f" ({p['position']})" if p.get("position") else "")
        if p.get("phone"):
            text += f" โทร. {p['phone']}"
        if n.get("backup"):
            text += f" — ติดต่อไม่ได้ ให้ติดต่อ {n['backup']['name']}"
        out.append({"depth": depth, "text": ("• " if depth else "") + text})
        _call_tree(n["children"], depth + 1, out)
    return out


def bcp_context(data: dict) -> dict:
    """The strings bcp.docx prints (pure: no database)."""
    doc = document_data(data)
    c = doc["content"]
    digits = data["digits"]

    def num(value) -> str:
        return digits_text(value, digits)

    texts = c["texts"]
    prose = {key: _paragraphs(texts.get(key)) for key in texts}
    prose["foreword"] = _paragraphs(c["foreword"])
    for key in ("introduction", "scope_note", "impact_note", "team_note", "bia_note", "resources_note",
                "strategy_note", "procedures_note"):  # fmt: skip
        prose.setdefault(key, [])

    in_scope = [
        {**s, "impacts": [{**i, "text": _lines("/" if i["hit"] else "–", i["note"])} for i in s["impacts"]]}
        for s in c["scenarios"]
        if s["in_scope"]
    ]
    team = [
        {
            **r,
            "no": num(i),
            "primary_text": _person(r["primary"]),
            "backup_text": _person(r["backup"]),
            "primary_short": _lines(r["primary"]["name"], r["primary"]["position"]) if r["primary"] else DOTS,
            "backup_short": _lines(r["backup"]["name"], r["backup"]["position"]) if r["backup"] else DOTS,
        }
        for i, r in enumerate(c["team"], start=1)
    ]
    processes = [
        {
            **p,
            "name_text": _lines(
                p["name"],
                " · ".join(x for x in (p["unit"], p["mission_label"]) if x),
                f"ช่วงที่มีผู้ใช้บริการมาก: {p['peak_periods']}" if p["peak_periods"] else "",
                p["notes"],
            ),
            "mbco_text": _lines(p["mbco"], f"หยุดได้นานที่สุด {p['mtpd_label']}" if p["mtpd_label"] else "")
            or DOTS,
            "depends_text": _lines(
                f"ระบบ: {p['it_systems']}" if p["it_systems"] else "",
                f"คู่ค้า: {p['partners']}" if p["partners"] else "",
                f"กระบวนการ: {', '.join(p['depends_on'])}" if p["depends_on"] else "",
            )
            or DOTS,
            "channel_text": _lines(p["channel_label"], p["channel_detail"]) or DOTS,
        }
        for p in c["processes"]
    ]
    resources = []
    for r in c["resources"]:
        rows = [
            {
                "no": num(i),
                "name": _lines(x["name"], f"สำหรับ: {x['process']}" if x["process"] else "", x["notes"]),
                "measure": x["measure"] or DOTS,
                "q": [DOTS if q is None else num(q) for q in x["quantities"]],
            }
            for i, x in enumerate(r["rows"], start=1)
        ] or [{"no": "", "name": "ไม่มีความต้องการทรัพยากรด้านนี้", "measure": "", "q": [""] * 5}]
        resources.append({**r, "rows_text": rows})
    strategies = [
        {
            **s,
            "items_text": "\n".join(
                f"{num(i)}. {x['text']}" + (f" (กรณี{x['scenario']})" if x["scenario"] else "")
                for i, x in enumerate(s["items"], start=1)
            )
            or DOTS,
        }
        for s in c["strategies"]
    ]
    procedures = [
        {
            **ph,
            "steps_text": [
                {
                    "no": num(i),
                    "text": _lines(s["text"], f"เฉพาะกรณี: {s['scenario']}" if s["scenario"] else ""),
                    "responsible": s["responsible"] or DOTS,
                }
                for i, s in enumerate(ph["steps"], start=1)
            ]
            or [{"no": "", "text": "ไม่มีกิจกรรมในระยะนี้", "responsible": ""}],
        }
        for ph in c["procedures"]
    ]
    risks = [
        {
            "name": r["name"],
            "scenario": r["scenario"] or DOTS,
            "likelihood": num(r["likelihood"]),
            "severity": num(r["severity"]),
            "level": f"{num(r['score'])}\n{r['level_label']}",
            "response": r["response"] or DOTS,
        }
        for r in c["risks"]
    ]
    contact_groups = [
        {
            "title": title,
            "detail_label": label,
            "people": [
                {
                    "no": num(i),
                    "name_text": _lines(
                        p["name"], p["email"], f"LINE: {p['line_id']}" if p["line_id"] else ""
                    ),
                    "detail": _lines(p["position"], p["unit"], p["notes"]) or DOTS,
                    "phones": _lines(p["phone"], p["phone2"]) or DOTS,
                }
                for i, p in enumerate(c["contacts"][kind], start=1)
            ],
        }
        for kind, title, label in (
            ("internal", "รายชื่อผู้ติดต่อภายใน", "ตำแหน่ง/ส่วนราชการ"),
            ("external", "รายชื่อผู้ติดต่อภายนอก", "หน่วยงาน/หมายเหตุ"),
        )
        if c["contacts"][kind]
    ]
    annexes = [{**a, "paragraphs": _paragraphs(a["text"])} for a in doc["annexes"]]
    optional = [{**o, "items": list(o["items"])} for o in doc["optional_sections"]]

    toc = [{"level": 1, "text": t} for t in ("คำนำ", "บทนำ")]
    headings = [
        "วัตถุประสงค์ (Objectives)",
        "สมมติฐานของแผน (BCP Assumptions)",
        "ขอบเขตของแผน (Scope of BCP)",
        "การวิเคราะห์ผลกระทบจากเหตุการณ์สภาวะวิกฤต",
        "ทีมงานแผนดำเนินธุรกิจอย่างต่อเนื่อง",
        "ผลกระทบต่อกระบวนการทำงานหรือการให้บริการ (Business Impact Analysis)",
        "การวิเคราะห์ความต้องการทรัพยากรที่สำคัญ",
        "กลยุทธ์ความต่อเนื่อง (Business Continuity Strategy)",
        "ขั้นตอนการบริหารความต่อเนื่องและกอบกู้กระบวนการ",
    ]
    toc += [{"level": 1, "text": f"{num(i)}. {h}"} for i, h in enumerate(headings, start=1)]
    toc += [
        {"level": 2, "text": f"{num('9.' + str(i))} {ph['label']}"}
        for i, ph in enumerate(c["procedures"], start=1)
    ]
    toc += [{"level": 1, "text": f"{num(o['no'])}. {o['title']}"} for o in optional]
    toc += [{"level": 1, "text": f"ภาคผนวก {a['letter']} {a['title']}"} for a in annexes]

    org = doc["org"]
    plan = doc["plan"]
    return {
        "page_fmt": "thaiNumbers" if digits == "thai" else "decimal",
        "secrecy": "",
        "num": num,
        "org": org,
        "org_area": " ".join(x for x in (org.get("district"), org.get("province")) if x),
        "plan": plan,
        "approver_line": plan.get("approver_line", ""),
        "generated_on_text": doc["generated_on_text"],
        "verification": doc["verification"],
        "digest_text": " ".join(doc["digest_groups"]),
        "c": c,
        "a": c["announcement"],
        "prose": prose,
        "in_scope": in_scope,
        "in_scope_lines": [
            f"{s['name']} — {s['description']}" if s["description"] else s["name"] for s in in_scope
        ],
        "team": team,
        "team_duties": any(r["duties"] for r in c["team"]),
        "processes": processes,
        "c_processes": processes,
        "resources": resources,
        "strategies": strategies,
        "procedures": procedures,
        "risks_text": risks,
        "optional_sections": optional,
        "annexes": annexes,
        "contact_groups": contact_groups,
        "call_tree_lines": _call_tree(c["call_tree"]) or [{"depth": 0, "text": "ยังไม่ได้กำหนดแผนผังการติดต่อ"}],
        "exercise_rows": [num(i) for i in range(1, doc["exercise_rows"] + 1)],
        "revisions": c["revision_history"]
        or [{"label": "", "date_text": "", "reviewer": "", "changes": "ยังไม่มีประวัติการทบทวน"}],
        "order_intro": f"สรุปสาระสำคัญของคำสั่ง{org['name']} เรื่อง แต่งตั้งทีมบริหารความต่อเนื่อง (คณะทำงานบริหารความต่อเนื่อง)",  # noqa: E501
        "toc": toc,
        "emblem": "",
        "qr": "",
    }


def render_bcp_docx(data: dict) -> bytes:
    """DOCX bytes of the plan: editable, TH SarabunPSK 16 pt, same structure as the PDF."""
    context = bcp_context(data)
    # The template's loops read the prepared lists under the names the PDF's data uses.
    context["c"] = {
        **context["c"],
        "processes": context["processes"],
        "resources": context["resources"],
        "strategies": context["strategies"],
        "procedures": context["procedures"],
    }
    images = {"emblem": (raster_emblem(data["emblem"]["data"]), 30)}
    if context["verification"]:
        images["qr"] = (_qr_png(context["verification"]["url"]), 30)
    return render_template("bcp.docx", context, images=images)


def _qr_png(url: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return out.getvalue()
