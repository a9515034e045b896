"""The BCP as an official Thai PDF: `render_bcp_pdf(data) -> bytes`, a pure function of the dict
that documents.inputs.bcp_input builds (no database, no request).

The document's structure lives in a static Typst file (documents/typst/bcp.typ). Everything from
the plan is handed to it as data.json and read with Typst's json(): a planner's text is never
parsed as markup, so characters like # * _ [ ] \\ @ < > $ print as typed and cannot break or change
the document. This module only adds what is about layout (which annex gets which generated table,
the numbers of optional sections, the watermark) and the QR code image.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import segno

from documents.engine import render_pdf
from documents.inputs import digits_text

TEMPLATE = Path(__file__).resolve().parent / "typst" / "bcp.typ"
ANNEX_LETTERS = "กขคงจฉชซญฎฏฐฑฒณดตถทธนบปผพฟภมยรลวศษสหฬอฮ"
EXERCISE_ROWS = 8  # blank rows of the exercise log, filled in by hand

# Annexes whose content Phrom generates from the plan's data. A plan's own annex whose title
# matches one of the words gets that content under it; the ones not matched are added at the end.
GENERATED_ANNEXES = [  # key, default title, words that identify the planner's own annex
    ("order", "คำสั่งแต่งตั้งทีมบริหารความต่อเนื่อง", ("คำสั่ง",)),
    ("contacts", "รายชื่อและหมายเลขโทรศัพท์ผู้ติดต่อ", ("ผู้ติดต่อ", "รายชื่อ", "โทรศัพท์")),
    ("call_tree", "แผนผังการติดต่อ (Call Tree)", ("แผนผังการติดต่อ", "call tree")),
    ("exercise", "บันทึกผลการฝึกซ้อมแผน", ("ฝึกซ้อม",)),
    ("revisions", "ประวัติการทบทวนและปรับปรุงแผน", ("ประวัติ", "ทบทวนและปรับปรุง")),
]


def _annexes(content: dict) -> list[dict]:
    out, used = [], set()
    for annex in content["annexes"]:
        title = annex["title"].lower()
        key = next(
            (k for k, _t, words in GENERATED_ANNEXES if k not in used and any(w in title for w in words)),
            None,
        )
        if key:
            used.add(key)
        if key or annex["text"].strip():
            out.append({"title": annex["title"], "text": annex["text"], "generated": key})
        # An annex with neither text nor generated content (e.g. a strategy map kept on paper) is
        # still listed, so the contents match the plan's list of annexes.
        else:
            out.append({"title": annex["title"], "text": "(แนบเอกสารฉบับจริง)", "generated": None})
    for key, title, _words in GENERATED_ANNEXES:
        if key not in used:
            out.append({"title": title, "text": "", "generated": key})
    for i, annex in enumerate(out):
        annex["letter"] = ANNEX_LETTERS[i % len(ANNEX_LETTERS)] + ("" if i < len(ANNEX_LETTERS) else str(i))
    return out


def _optional_sections(content: dict) -> list[dict]:
    """Sections after §9, numbered 10, 11, …: risks, the optional lists, the epidemic review."""
    out = []
    if content["risks"]:
        out.append({"kind": "risks", "title": "การประเมินความเสี่ยง", "items": []})
    for o in content["optional"]:
        out.append({"kind": "list", "title": o["title"], "items": o["items"]})
    if content["epidemic_review"]:
        out.append({"kind": "epidemic", "title": "การทบทวนแผนรองรับสถานการณ์โรคระบาดที่ยืดเยื้อ", "items": []})
    for i, section in enumerate(out, start=10):
        section["no"] = i
    return out


def document_data(data: dict) -> dict:
    """The JSON the Typst template reads: the input plus layout decisions (no bytes)."""
    content = dict(data["content"])
    if not (content["texts"].get("foreword") or "").strip():
        content["texts"] = {**content["texts"], "foreword": default_foreword(data)}
    plan = dict(data["plan"])
    approver = plan.get("approver") or {}
    plan["approver_line"] = " ".join(x for x in (approver.get("name"), approver.get("position")) if x)
    digest = plan.get("digest") or ""
    watermark = "" if plan.get("approved_on_text") else "ร่าง"
    return {
        "digits": data["digits"],
        "org": data["org"],
        "plan": plan,
        "verification": data.get("verification"),
        "generated_on_text": data.get("generated_on_text", ""),
        "emblem_file": data["emblem"]["name"],
        "watermark": watermark,
        "digest_groups": [digest[i : i + 16] for i in range(0, len(digest), 16)],
        "in_scope_count": sum(1 for s in content["scenarios"] if s["in_scope"]),
        "optional_sections": _optional_sections(content),
        "annexes": _annexes(content),
        "exercise_rows": EXERCISE_ROWS,
        "sections": [],
        "content": {**content, "foreword": content["texts"]["foreword"]},
    }


def default_foreword(data: dict) -> str:
    org = data["org"]["name"]
    year = data["plan"]["fiscal_year_text"]
    return (
        f"{org} ได้จัดทำแผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับการบริหารความพร้อมต่อสภาวะวิกฤต "
        f"ประจำปีงบประมาณ พ.ศ. {year} ตามแนวทางของสำนักงาน ก.พ.ร. เพื่อใช้เป็นแนวทางให้ผู้บริหารและบุคลากร"
        "ปฏิบัติเมื่อเกิดเหตุการณ์ที่ทำให้การปฏิบัติงานหยุดชะงัก ให้การให้บริการประชาชนดำเนินไปได้อย่างต่อเนื่อง"
    )


def qr_svg(url: str) -> bytes:
    """The verification URL as an SVG QR code (medium error correction, dark on white)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=True)
    return out.getvalue()


def render_bcp_pdf(data: dict, *, timestamp: int | None = None) -> bytes:
    """PDF bytes of the plan described by `data` (documents.inputs.bcp_input)."""
    doc = document_data(data)
    files = {
        "data.json": json.dumps(doc, ensure_ascii=False).encode("utf-8"),
        doc["emblem_file"]: data["emblem"]["data"],
    }
    if doc["verification"]:
        files["qr.svg"] = qr_svg(doc["verification"]["url"])
    return render_pdf(
        TEMPLATE.read_text(encoding="utf-8"), files=files, timestamp=timestamp or data.get("timestamp")
    )


def page_label(n: int, digits: str) -> str:
    """How page `n` is numbered at the top of the page: '- ๒ -'."""
    return f"- {digits_text(n, digits)} -"
