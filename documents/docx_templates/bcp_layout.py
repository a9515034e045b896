"""The body of bcp.docx: the plan's structure with docxtpl tags, in the order of the PDF
(documents/typst/bcp.typ): cover, ประกาศ, คำนำ, สารบัญ, บทนำ, §1–§9 with ตารางที่ 1–9, the
optional sections, ภาคผนวก, and the verification box. Build-time only (build_templates.py).

The context it expects is documents.docx.bcp.bcp_context(data).
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

from documents.docx.ooxml import (
    TEXT_WIDTH_CM,
    TEXT_WIDTH_LANDSCAPE_CM,
    cell,
    para,
    row,
    run,
    table,
    tag,
    tag_row,
)

HEAD = "E8ECF3"  # header-row shading
SMALL = 14  # table text, pt
PITCH_SMALL = 17


def h1(text: str, *, centre: bool = False, page_break: bool = False) -> str:
    return para(
        run(text, size=18, bold=True), style="Heading1", align="center" if centre else "",
        page_break_before=page_break, size=18, bold=True, pitch=24, before=12, after=6, keep_next=True,
    )  # fmt: skip


def h2(text: str) -> str:
    return para(run(text, bold=True), style="Heading2", bold=True, before=8, after=3, keep_next=True)


def caption(text: str) -> str:
    return para(run(text, bold=True), before=10, after=3, keep_next=True, bold=True)


def prose(expr: str, *, indent: bool = True) -> str:
    """Paragraphs of a planner's text (a list in the context; line breaks kept)."""
    return (
        tag(f"{{%p for t in {expr} %}}")
        + para(run("{{ t }}"), first=2.5 if indent else 0, before=6)
        + tag("{%p endfor %}")
    )


def numbered(expr: str, prefix_expr: str) -> str:
    """'๑.๑  text' items hanging at 2.5 cm, as in the PDF."""
    return (
        tag(f"{{%p for item in {expr} %}}")
        + para(
            run(f"{{{{ num({prefix_expr} ~ loop.index) }}}}"),
            "<w:r><w:tab/></w:r>",
            run("{{ item }}"),
            left=2.5 + 1.4,
            hanging=1.4,
            before=4,
        )  # fmt: skip
        + tag("{%p endfor %}")
    )


def c(width: float, text: str, *, bold: bool = False, align: str = "", shade: str = "", span: int = 1,
      vmerge: str = "", size: float = SMALL) -> str:  # fmt: skip
    pitch = PITCH_SMALL + (size - SMALL)
    return cell(
        width,
        para(run(text, size=size, bold=bold), size=size, bold=bold, align=align, pitch=pitch),
        shade=shade, span=span, vmerge=vmerge, valign="center" if shade else "top",
    )  # fmt: skip


def header_row(widths: list[float], labels: list[str]) -> str:
    return row(
        *(c(w, t, bold=True, align="center", shade=HEAD) for w, t in zip(widths, labels, strict=True)),
        header=True,
    )


def data_table(
    widths: list[float], labels: list[str], loop: str, cells: list[str], aligns: list[str] | None = None
) -> str:
    """A bordered table: a repeating header row and one row per item of `loop` ("x in rows")."""
    aligns = aligns or [""] * len(widths)
    return table(
        widths,
        [
            header_row(widths, labels),
            tag_row(f"{{%tr for {loop} %}}", len(widths), widths),
            row(*(c(w, t, align=a) for w, t, a in zip(widths, cells, aligns, strict=True))),
            tag_row("{%tr endfor %}", len(widths), widths),
        ],
    )


def section_break(base_sect, *, landscape: bool, first: bool = False) -> str:
    """A paragraph ending a section (the section before it). `first` keeps the header references
    and the different first page (the cover has no page number)."""
    from lxml import etree

    sect = copy.deepcopy(base_sect)
    for el in list(sect):
        if not first and el.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:titlePg")):
            sect.remove(el)
    size = sect.find(qn("w:pgSz"))
    w, h = 11906, 16838
    if landscape:
        size.set(qn("w:w"), str(h))
        size.set(qn("w:h"), str(w))
        size.set(qn("w:orient"), "landscape")
    xml = etree.tostring(sect, encoding="unicode")
    xml = xml.replace(' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', "")
    xml = xml.replace(' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"', "")
    return f"<w:p><w:pPr>{xml}</w:pPr></w:p>"


def bcp_body(*, base_sect) -> str:
    tw, lw = TEXT_WIDTH_CM, TEXT_WIDTH_LANDSCAPE_CM
    out = []
    add = out.append

    # -- cover ----------------------------------------------------------------------------------
    add(para(run("{{ emblem }}"), align="center", pitch=None, before=36, after=24))
    add(para(run("{{ c.title_th }}", size=28, bold=True), align="center", size=28, pitch=36))
    add(para(run("{{ c.subtitle }}", size=20), align="center", size=20, pitch=28))
    add(para(run("{{ c.title_en }}", size=20), align="center", size=20, pitch=28, after=48))
    add(para(run("{{ org.name }}", size=24, bold=True), align="center", size=24, pitch=32))
    add(
        tag("{%p if org_area %}")
        + para(run("{{ org_area }}", size=18), align="center", size=18, pitch=26)
        + tag("{%p endif %}")
    )
    add(
        para(
            run("ประจำปีงบประมาณ พ.ศ. {{ plan.fiscal_year_text }}", size=20),
            align="center",
            size=20,
            pitch=28,
            before=24,
        )
    )
    add(para(run("ฉบับที่ {{ plan.revision_text }}", size=18), align="center", size=18, pitch=26, after=96))
    add(
        tag("{%p if plan.approved_on_text %}")
        + para(run("อนุมัติโดย {{ approver_line or '–' }}"), align="center")
        + para(run("เมื่อวันที่ {{ plan.approved_on_text }}"), align="center")
        + tag("{%p else %}")
        + para(
            run("ร่าง — ยังไม่ได้รับอนุมัติ", size=20, bold=True, color="9B1C1C"), align="center", size=20, pitch=28
        )
        + para(
            run("สถานะ: {{ plan.status_label }} · พิมพ์เมื่อ {{ generated_on_text }}", size=14),
            align="center",
            size=14,
        )
        + tag("{%p endif %}")
    )

    # -- ประกาศ ----------------------------------------------------------------------------------
    rule = (tw - 4) / 2
    add(para(run("{{ emblem }}"), align="center", pitch=None, page_break_before=True, after=6))
    add(para(run("{{ a.heading }}", size=18, bold=True), align="center", size=18, pitch=24))
    add(para(run("{{ a.subject }}", bold=True), align="center"))
    add(para(left=rule, right=rule, border_bottom=True, pitch=8, after=6))
    add(
        tag("{%p for t in a.paragraphs %}") + para(run("{{ t }}"), first=2.5, before=6) + tag("{%p endfor %}")
    )
    add(para(run("{{ a.date_line }}"), left=4, before=18, keep_next=True))
    add(para(keep_next=True) + para(keep_next=True) + para(keep_next=True))
    add(
        para(
            run("({{ a.signer_name or '........................................................' }})"),
            left=5.5,
            align="center",
            keep_next=True,
        )
    )
    add(
        para(
            run("{{ a.signer_position or '........................................................' }}"),
            left=5.5,
            align="center",
        )
    )

    # -- คำนำ, สารบัญ, บทนำ ---------------------------------------------------------------------------
    add(h1("คำนำ", centre=True, page_break=True))
    add(prose("prose.foreword"))
    add(para(run("{{ org.name }}"), align="right", right=1, before=24))

    add(
        para(
            run("สารบัญ", size=20, bold=True),
            align="center",
            size=20,
            pitch=28,
            page_break_before=True,
            after=6,
        )
    )
    add(para(run("หน้า", bold=True), align="right"))
    # A real Word TOC field: Word fills in the page numbers when fields are updated (the file asks
    # on opening). Until then it lists the headings, so a printout without updating still reads.
    toc_result = (
        tag("{%p for e in toc %}")
        + para(run("{{ e.text }}"), style="TOC{{ e.level }}")
        + tag("{%p endfor %}")
    )
    add(
        '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>'
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>'
        + toc_result
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )

    add(h1("บทนำ", centre=True, page_break=True))
    add(prose("prose.introduction"))

    # -- §1–§3 ---------------------------------------------------------------------------------------
    add(h1("{{ num(1) }}. วัตถุประสงค์ (Objectives)"))
    add(numbered("c.objectives", "'1.'"))
    add(h1("{{ num(2) }}. สมมติฐานของแผน (BCP Assumptions)"))
    add(numbered("c.assumptions", "'2.'"))
    sa = [tw - 1 - 5.5, 5.5]
    add(
        tag("{%p if c.structured_assumptions %}")
        + para(pitch=6)
        + table(
            sa,
            [
                header_row(sa, ["สมมติฐาน", "ค่าที่กำหนด"]),
                tag_row("{%tr for x in c.structured_assumptions %}", 2, sa),
                row(c(sa[0], "{{ x.label }}"), c(sa[1], "{{ x.value }}")),
                tag_row("{%tr endfor %}", 2, sa),
            ],
            indent_cm=1,
        )
        + tag("{%p endif %}")
    )
    add(h1("{{ num(3) }}. ขอบเขตของแผน (Scope of BCP)"))
    add(prose("prose.scope_note"))
    add(
        para(
            run("แผนนี้ครอบคลุมสถานการณ์วิกฤต จำนวน {{ num(in_scope|length) }} สถานการณ์ ดังนี้"), first=2.5, before=6
        )
    )
    add(numbered("in_scope_lines", "'3.'"))
    add(
        para(
            run(
                "และครอบคลุมกระบวนการทำงานที่สำคัญ จำนวน "
                "{{ num(c.processes|length) }} กระบวนการ ตามตารางที่ {{ num(3) }}"
            ),
            first=2.5,
            before=6,
        )
    )
    add(section_break(base_sect, landscape=False, first=True))

    # -- §4 ตารางที่ 1 (landscape) -------------------------------------------------------------------
    add(h1("{{ num(4) }}. การวิเคราะห์ผลกระทบจากเหตุการณ์สภาวะวิกฤต"))
    add(
        para(
            run(
                "ผลกระทบของแต่ละสถานการณ์ต่อทรัพยากรที่สำคัญทั้ง {{ num(5) }} ด้าน (เครื่องหมาย / หมายถึง ได้รับผลกระทบ) ดังตารางที่ {{ num(1) }}"  # noqa: E501
            ),
            first=2.5,
            before=6,
        )
    )
    add(caption("ตารางที่ {{ num(1) }} การวิเคราะห์ผลกระทบจากเหตุการณ์สภาวะวิกฤต"))
    t1 = [4.2] + [(lw - 4.2) / 5] * 5
    add(
        table(
            t1,
            [
                row(
                    c(t1[0], "เหตุการณ์สภาวะวิกฤต", bold=True, align="center", shade=HEAD),
                    *(
                        c(
                            t1[i + 1],
                            f"{{{{ c.resource_types[{i}].label }}}}",
                            bold=True,
                            align="center",
                            shade=HEAD,
                        )
                        for i in range(5)
                    ),
                    header=True,
                ),  # fmt: skip
                tag_row("{%tr for s in in_scope %}", 6, t1),
                row(
                    c(t1[0], "{{ s.name }}", bold=True),
                    *(c(t1[i + 1], f"{{{{ s.impacts[{i}].text }}}}", align="center") for i in range(5)),
                ),  # fmt: skip
                tag_row("{%tr endfor %}", 6, t1),
            ],
        )
    )
    add(prose("prose.impact_note"))
    add(section_break(base_sect, landscape=True))

    # -- §5 ตารางที่ 2 -------------------------------------------------------------------------------
    add(h1("{{ num(5) }}. ทีมงานแผนดำเนินธุรกิจอย่างต่อเนื่อง"))
    add(
        para(
            run(
                "ทีมบริหารความต่อเนื่องของ{{ org.name }} ประกอบด้วยผู้ปฏิบัติงานหลักและผู้ปฏิบัติงานสำรองในแต่ละบทบาท ดังตารางที่ {{ num(2) }} และมีลำดับการติดต่อตามแผนผังการติดต่อ (Call Tree) ในภาคผนวก"  # noqa: E501
            ),
            first=2.5,
            before=6,
        )
    )
    add(caption("ตารางที่ {{ num(2) }} รายชื่อทีมงานแผนดำเนินธุรกิจอย่างต่อเนื่อง"))
    t2 = [4.2, (tw - 4.2) / 2, (tw - 4.2) / 2]
    add(data_table(t2, ["บทบาท", "ผู้ปฏิบัติงานหลัก", "ผู้ปฏิบัติงานสำรอง"], "r in team",
                   ["{{ r.title }}", "{{ r.primary_text }}", "{{ r.backup_text }}"]))  # fmt: skip
    t2b = [4.2, tw - 4.2]
    add(
        tag("{%p if team_duties %}")
        + caption("ตารางที่ {{ num(2) }} (ต่อ) บทบาทและหน้าที่ความรับผิดชอบของทีมงาน")
        + data_table(
            t2b, ["บทบาท", "หน้าที่ความรับผิดชอบ"], "r in team", ["{{ r.title }}", "{{ r.duties or '–' }}"]
        )
        + tag("{%p endif %}")
    )
    add(prose("prose.team_note"))
    add(section_break(base_sect, landscape=False))

    # -- §6 ตารางที่ 3 (landscape) -------------------------------------------------------------------
    add(h1("{{ num(6) }}. ผลกระทบต่อกระบวนการทำงานหรือการให้บริการ (Business Impact Analysis)"))
    add(
        para(
            run(
                "กระบวนการทำงานที่สำคัญ ระดับผลกระทบ และระยะเวลาเป้าหมายในการกู้คืน (Recovery Time Objective: RTO) ดังตารางที่ {{ num(3) }}"  # noqa: E501
            ),
            first=2.5,
            before=6,
        )
    )
    add(caption("ตารางที่ {{ num(3) }} การวิเคราะห์ผลกระทบต่อกระบวนการทำงานหรือการให้บริการ"))
    # 12 pt, as in the PDF: eleven columns on a landscape page.
    win = 1.2
    rest = (lw - 0.9 - 6.4 - 1.6 - 5 * win) / 3
    t3 = [0.9, 6.4, 1.6] + [win] * 5 + [rest] * 3
    first_labels = ["ที่", "กระบวนการทำงาน/การให้บริการ (ส่วนราชการ/ประเภทภารกิจ)", "ระดับผลกระทบ"]
    last_labels = ["ระดับการให้บริการขั้นต่ำ (MBCO)", "สิ่งที่ต้องพึ่งพา (ระบบ/คู่ค้า/กระบวนการ)", "ช่องทางการให้บริการทางเลือก"]
    head1 = row(
        *(
            c(w, t, bold=True, align="center", shade=HEAD, vmerge="restart", size=12)
            for w, t in zip(t3[:3], first_labels, strict=True)
        ),
        c(win * 5, "ระยะเวลาเป้าหมายในการกู้คืน (RTO)", bold=True, align="center", shade=HEAD, span=5, size=12),
        *(
            c(w, t, bold=True, align="center", shade=HEAD, vmerge="restart", size=12)
            for w, t in zip(t3[8:], last_labels, strict=True)
        ),
        header=True,
    )
    head2 = row(
        *(c(w, "", shade=HEAD, vmerge="continue") for w in t3[:3]),
        *(
            c(win, f"{{{{ c.windows[{i}].label }}}}", bold=True, align="center", shade=HEAD, size=11)
            for i in range(5)
        ),
        *(c(w, "", shade=HEAD, vmerge="continue") for w in t3[8:]),
        header=True,
    )
    add(
        table(
            t3,
            [
                head1,
                head2,
                tag_row("{%tr for p in c.processes %}", 11, t3),
                row(
                    c(t3[0], "{{ num(p.no) }}", align="center", size=12),
                    c(t3[1], "{{ p.name_text }}", size=12),
                    c(t3[2], "{{ p.impact_label or '–' }}", align="center", size=12),
                    *(
                        c(
                            win,
                            f"{{{{ '/' if p.rto == c.windows[{i}].key else '' }}}}",
                            align="center",
                            size=12,
                        )
                        for i in range(5)
                    ),
                    c(t3[8], "{{ p.mbco_text }}", size=12),
                    c(t3[9], "{{ p.depends_text }}", size=12),
                    c(t3[10], "{{ p.channel_text }}", size=12),
                ),
                tag_row("{%tr endfor %}", 11, t3),
            ],
        )
    )
    add(prose("prose.bia_note"))
    add(section_break(base_sect, landscape=True))

    # -- §7 ตารางที่ 4–8 ------------------------------------------------------------------------------
    add(h1("{{ num(7) }}. การวิเคราะห์ความต้องการทรัพยากรที่สำคัญ"))
    add(
        para(
            run(
                "ทรัพยากรที่จำเป็นต่อการกู้คืนกระบวนการทำงานที่สำคัญ แยกตามทรัพยากร {{ num(5) }} ด้าน โดยระบุจำนวนสะสมที่ต้องมีภายในแต่ละช่วงเวลา ดังตารางที่ {{ num(4) }} ถึงตารางที่ {{ num(8) }}"  # noqa: E501
            ),
            first=2.5,
            before=6,
        )
    )
    rw = 1.6
    t4 = [0.9, tw - 0.9 - 1.7 - 5 * rw, 1.7] + [rw] * 5
    add(
        tag("{%p for r in c.resources %}")
        + caption("ตารางที่ {{ num(r.table_no) }} ความต้องการทรัพยากร{{ r.label }}")
        + table(
            t4,
            [
                row(
                    *(
                        c(w, t, bold=True, align="center", shade=HEAD)
                        for w, t in zip(t4[:3], ["ที่", "รายการทรัพยากร", "หน่วยนับ"], strict=True)
                    ),
                    *(
                        c(
                            rw,
                            f"{{{{ c.windows[{i}].label }}}}",
                            bold=True,
                            align="center",
                            shade=HEAD,
                            size=12,
                        )
                        for i in range(5)
                    ),
                    header=True,
                ),  # fmt: skip
                tag_row("{%tr for x in r.rows_text %}", 8, t4),
                row(
                    c(t4[0], "{{ x.no }}", align="center"),
                    c(t4[1], "{{ x.name }}"),
                    c(t4[2], "{{ x.measure }}", align="center"),
                    *(c(rw, f"{{{{ x.q[{i}] }}}}", align="center") for i in range(5)),
                ),
                tag_row("{%tr endfor %}", 8, t4),
            ],
        )
        + tag("{%p endfor %}")
    )
    add(prose("prose.resources_note"))

    # -- §8 ตารางที่ 9 --------------------------------------------------------------------------------
    add(h1("{{ num(8) }}. กลยุทธ์ความต่อเนื่อง (Business Continuity Strategy)"))
    add(para(run("กลยุทธ์ในการบริหารความต่อเนื่องสำหรับทรัพยากรแต่ละด้าน ดังตารางที่ {{ num(9) }}"), first=2.5, before=6))
    add(caption("ตารางที่ {{ num(9) }} กลยุทธ์ความต่อเนื่อง"))
    t9 = [4.6, tw - 4.6]
    add(
        data_table(
            t9,
            ["ทรัพยากรที่สำคัญ", "กลยุทธ์ความต่อเนื่อง"],
            "s in c.strategies",
            ["{{ s.label }}", "{{ s.items_text }}"],
        )
    )
    add(prose("prose.strategy_note"))

    # -- §9 --------------------------------------------------------------------------------------------
    add(h1("{{ num(9) }}. ขั้นตอนการบริหารความต่อเนื่องและกอบกู้กระบวนการ"))
    add(para(run("เมื่อเกิดเหตุการณ์สภาวะวิกฤต ให้ทีมบริหารความต่อเนื่องดำเนินการตามขั้นตอน ดังนี้"), first=2.5, before=6))
    tp = [0.9, tw - 0.9 - 4.2 - 2.2, 4.2, 2.2]
    add(
        tag("{%p for ph in c.procedures %}")
        + h2("{{ num('9.' ~ loop.index) }} {{ ph.label }}")
        + data_table(
            tp,
            ["ที่", "กิจกรรม", "ผู้รับผิดชอบ", "ดำเนินการแล้วเสร็จ"],
            "s in ph.steps_text",
            ["{{ s.no }}", "{{ s.text }}", "{{ s.responsible }}", ""],
            ["center", "", "", "center"],
        )  # fmt: skip
        + tag("{%p endfor %}")
    )
    add(prose("prose.procedures_note"))

    # -- optional sections -----------------------------------------------------------------------------
    tr_ = [tw - 3 - 1.4 - 1.6 - 1.9 - 4.5, 3, 1.4, 1.6, 1.9, 4.5]
    te = [6, tw - 6]
    add(
        tag("{%p for o in optional_sections %}")
        + h1("{{ num(o.no) }}. {{ o.title }}")
        + tag("{%p if o.kind == 'risks' %}")
        + data_table(
            tr_,
            ["ความเสี่ยง", "สถานการณ์", "โอกาส", "ผลกระทบ", "ระดับ", "การตอบสนอง"],
            "r in risks_text",
            [
                "{{ r.name }}",
                "{{ r.scenario }}",
                "{{ r.likelihood }}",
                "{{ r.severity }}",
                "{{ r.level }}",
                "{{ r.response }}",
            ],
            ["", "", "center", "center", "center", ""],
        )  # fmt: skip
        + tag("{%p elif o.kind == 'epidemic' %}")
        + data_table(
            te,
            ["ประเด็นการทบทวน", "ผลการทบทวน"],
            "q in c.epidemic_review",
            ["{{ q.question }}", "{{ q.answer }}"],
        )
        + tag("{%p else %}")
        + numbered("o['items']", "o.no ~ '.'")
        + tag("{%p endif %}")
        + tag("{%p endfor %}")
    )

    # -- ภาคผนวก ------------------------------------------------------------------------------------------
    add(
        para(
            run("ภาคผนวก", size=28, bold=True),
            align="center",
            size=28,
            pitch=36,
            page_break_before=True,
            before=200,
        )
    )
    tc = [0.9, 5.2, tw - 0.9 - 5.2 - 3.4, 3.4]
    to = [0.9, tw - 0.9 - 4.4 - 4.4, 4.4, 4.4]
    tx = [1.2, 2.3, tw - 1.2 - 2.3 - 2.4 - 2.4 - 4.0, 2.4, 4.0, 2.4]
    tv = [1.6, 2.9, 4.2, tw - 1.6 - 2.9 - 4.2]
    add(
        tag("{%p for an in annexes %}")
        + h1("ภาคผนวก {{ an.letter }} {{ an.title }}", page_break=True)
        + prose("an.paragraphs")
        + tag("{%p if an.generated == 'order' %}")
        + para(run("{{ order_intro }}"), before=6)
        + data_table(
            to,
            ["ที่", "บทบาทในทีม", "ผู้ปฏิบัติงานหลัก", "ผู้ปฏิบัติงานสำรอง"],
            "r in team",
            ["{{ r.no }}", "{{ r.title }}", "{{ r.primary_short }}", "{{ r.backup_short }}"],
            ["center", "", "", ""],
        )  # fmt: skip
        + para(
            run("ให้ผู้ได้รับแต่งตั้งปฏิบัติหน้าที่ตามบทบาทและหน้าที่ความรับผิดชอบในตารางที่ {{ num(2) }} ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"),
            first=2.5,
            before=6,
        )
        + tag("{%p elif an.generated == 'contacts' %}")
        + tag("{%p for group in contact_groups %}")
        + caption("{{ group.title }}")
        + data_table(
            tc,
            ["ที่", "ชื่อ", "{{ group.detail_label }}", "โทรศัพท์"],
            "p in group.people",
            ["{{ p.no }}", "{{ p.name_text }}", "{{ p.detail }}", "{{ p.phones }}"],
            ["center", "", "", ""],
        )  # fmt: skip
        + tag("{%p endfor %}")
        + tag("{%p elif an.generated == 'call_tree' %}")
        + para(run("ผู้อยู่ในแผนผังแจ้งเหตุต่อผู้ที่อยู่ถัดลงมา หากติดต่อไม่ได้ ให้ติดต่อผู้ที่ระบุไว้แทน"), before=6)
        + tag("{%p for n in call_tree_lines %}")
        + "".join(
            tag(f"{{%p {'if' if depth == 0 else 'elif'} n.depth == {depth} %}}")
            + para(run("{{ n.text }}"), left=0.8 * depth + 0.6, hanging=0.6, before=3)
            for depth in range(6)
        )
        + tag("{%p else %}")
        + para(run("{{ n.text }}"), left=0.8 * 6 + 0.6, hanging=0.6, before=3)
        + tag("{%p endif %}")
        + tag("{%p endfor %}")
        + tag("{%p elif an.generated == 'exercise' %}")
        + para(
            run("ใช้บันทึกผลการฝึกซ้อมแผน (เช่น การทดสอบแผนผังการติดต่อ การฝึกซ้อมบนโต๊ะ การฝึกซ้อมย้ายสถานที่ปฏิบัติงาน)"),
            before=6,
        )
        + data_table(
            tx,
            ["ครั้งที่", "วันที่", "รูปแบบ/สถานการณ์ที่ฝึกซ้อม", "ผู้เข้าร่วม (คน)", "ผลการฝึกซ้อม/ข้อปรับปรุง", "ผู้บันทึก"],
            "i in exercise_rows",
            ["{{ i }}", "", "", "", "", ""],
            ["center", "", "", "", "", ""],
        )  # fmt: skip
        + tag("{%p elif an.generated == 'revisions' %}")
        + data_table(
            tv,
            ["ฉบับที่", "วันที่", "ผู้ทบทวน/อนุมัติ", "การเปลี่ยนแปลง"],
            "e in revisions",
            ["{{ e.label }}", "{{ e.date_text }}", "{{ e.reviewer }}", "{{ e.changes }}"],
            ["center", "center", "", ""],
        )  # fmt: skip
        + tag("{%p endif %}")
        + tag("{%p endfor %}")
    )

    # -- verification ----------------------------------------------------------------------------------
    vb = [3.6, tw - 3.6]
    add(
        tag("{%p if verification %}")
        + para(pitch=12, before=24)
        + table(
            vb,
            [
                row(
                    cell(vb[0], para(run("{{ qr }}"), pitch=None, align="center")),
                    cell(
                        vb[1],
                        para(run("การตรวจสอบเอกสาร", size=15, bold=True), size=15, bold=True),
                        para(
                            run("รหัสตรวจสอบเอกสาร: ", size=13),
                            run("{{ verification.code }}", bold=True),
                            size=13,
                        ),
                        para(
                            run("ตรวจสอบได้ที่ {{ verification.url }} หรือสแกนคิวอาร์โค้ด", size=13),
                            size=13,
                            pitch=17,
                        ),
                        para(run("สถานะเมื่อจัดทำเอกสาร: {{ plan.status_label }}", size=13), size=13, pitch=17),
                        para(run("ลายนิ้วมือข้อมูลแผน (SHA-256): {{ digest_text }}", size=13), size=13, pitch=17),
                        para(
                            run(
                                "จัดทำโดยระบบพร้อม (Phrom) เมื่อ {{ generated_on_text }}", size=12, color="444444"
                            ),
                            size=12,
                            pitch=16,
                        ),
                    ),
                )
            ],
        )
        + tag("{%p endif %}")
    )
    return "".join(out)
