"""A draft plan's PDF: marked as a draft everywhere, and any text a planner types prints as typed
(Typst markup characters included)."""

from __future__ import annotations

from documents.bcp import render_bcp_pdf
from documents.inputs import bcp_input
from documents.tests.pdftext import body_text, page_texts, squash
from plans.models import ListItem, ListSection, PlanText
from plans.tests.factories import make_complete_plan

TRICKY = [
    r"#set page(width: 1cm) *bold?* _x_ `code` $x^2$ <label> @ref [a] \ ~ // not a comment",
    "= ไม่ใช่หัวข้อ - ไม่ใช่รายการ + ไม่ใช่ลำดับ /: term",
    '{ "json": true } #{1 + 1} #let x = 1',
]


def test_a_draft_prints_typst_markup_verbatim_and_is_marked_draft(cast):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    ListItem.objects.bulk_create(
        [
            ListItem(plan=plan, section=ListSection.OBJECTIVES, text=t, order=100 + i)
            for i, t in enumerate(TRICKY)
        ]
    )
    PlanText.objects.update_or_create(
        plan=plan, key="introduction", defaults={"text": "ย่อหน้าแรก\n\nย่อหน้าที่สอง #strong[x]"}
    )

    data = bcp_input(plan, code="ABCDEFGHJK")
    pages = page_texts(render_bcp_pdf(data))
    text = squash(body_text(pages))

    for t in TRICKY + ["ย่อหน้าที่สอง #strong[x]"]:
        assert squash(t) in text, t
    assert "ร่าง—ยังไม่ได้รับอนุมัติ" in squash(pages[0])
    assert "ประกาศณวันที่........เดือน" in squash(pages[1])  # the announcement is not dated yet
    assert data["plan"]["approved"] is False and len(data["plan"]["digest"]) == 64
