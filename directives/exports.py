"""The dashboard's list as XLSX (openpyxl) and CSV, with Thai headers.

Reports go to Thai offices, so headers and state names are Thai whatever the reader's interface
language. The CSV is UTF-8 with a byte-order mark: without it Excel on Windows reads Thai as
mojibake. The XLSX has a summary sheet (the page's counts and roll-up) and the list; dates are real
date cells in Asia/Bangkok time, so they sort and filter in Excel.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.http import content_disposition_header

from directives.dashboard import STATE_THAI, STATES, Board, Row, Scope
from orgs.models import KIND_ABBREV

HEADERS = [
    "ลำดับ",
    "จังหวัด",
    "อำเภอ",
    "องค์กรปกครองส่วนท้องถิ่น",
    "ประเภท",
    "รหัส อปท.",
    "สถานะ",
    "คะแนนความพร้อม",
    "ได้รับหนังสือ",
    "วันที่เปิดอ่าน",
    "วันที่ส่งแผน",
    "เลขที่รับ",
]
SUMMARY_HEADERS = ["สถานะ", "จำนวน (แห่ง)", "ร้อยละ"]


def _local(value):
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def _values(i: int, r: Row) -> list:
    return [
        i,
        r.province_name,
        r.district_name,
        r.name,
        KIND_ABBREV.get(r.kind, ""),
        r.dla_code,
        STATE_THAI[r.state],
        r.score,
        "ได้รับ" if r.received else "ยังไม่ได้รับ",
        _local(r.opened_at),
        _local(r.submitted_at),
        r.receipt,
    ]


def to_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADERS)
    for i, r in enumerate(rows, 1):
        values = _values(i, r)
        values = [
            v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "strftime") else ("" if v is None else v)
            for v in values
        ]
        w.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(board: Board, rows: list[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, values):
        cells = []
        for v in values:
            c = WriteOnlyCell(sheet, value=v)
            c.font = bold
            cells.append(c)
        sheet.append(cells)

    summary = wb.create_sheet("สรุป")
    header(summary, [board.root.subject])
    summary.append(["เลขที่หนังสือ", board.root.number])
    summary.append(["พื้นที่", board.scope.title])
    summary.append(["ข้อมูล ณ", _local(board.now)])
    summary.append([])
    header(summary, SUMMARY_HEADERS)
    t = board.tally
    for s in STATES:
        summary.append([STATE_THAI[s], t.counts[s.value], round(t.percent(s.value), 1)])
    summary.append(["รวม", t.total, 100.0 if t.total else 0.0])
    if board.groups:
        summary.append([])
        head = "จังหวัด" if board.scope.group_level == "province" else "อำเภอ"
        header(summary, [head, "ทั้งหมด", *[STATE_THAI[s] for s in STATES], "ร้อยละที่ส่งแผนแล้ว", "คะแนนเฉลี่ย"])
        for g in board.groups:
            gt = g.tally
            summary.append(
                [
                    g.name,
                    gt.total,
                    *[gt.counts[s.value] for s in STATES],
                    None if gt.ready_percent is None else round(gt.ready_percent, 1),
                    None if gt.mean_score is None else round(gt.mean_score, 1),
                ]  # fmt: skip
            )

    sheet = wb.create_sheet("รายชื่อ")
    sheet.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJKL", [7, 16, 18, 42, 10, 10, 24, 14, 14, 18, 18, 22], strict=True):
        sheet.column_dimensions[col].width = width
    header(sheet, HEADERS)
    for i, r in enumerate(rows, 1):
        sheet.append(_values(i, r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def filename(root, scope: Scope, fmt: str) -> str:
    day = timezone.localdate().isoformat()
    return f"dashboard-{root.pk}-{scope.org.pk}-{day}.{fmt}"


def content_disposition(name: str) -> str:
    return content_disposition_header(True, name)
