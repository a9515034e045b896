"""External contacts of the plan template: national short codes and, for the pilot province
(Phrae, 54), local offices by district.

National short codes are real. The local landline numbers are plausible examples in the Phrae
area code (054), not verified: every contact created from this list carries a note asking the
planner to check it, and the planner should correct them when reviewing the plan.
"""

CHECK_NOTE = "หมายเลขจากคลังแม่แบบ — โปรดตรวจสอบให้เป็นปัจจุบันก่อนใช้งาน"
FILL_NOTE = "โปรดระบุหมายเลขโทรศัพท์ของหน่วยงานในพื้นที่"

# Every plan gets these (name, organization, phone).
NATIONAL = [
    ("แจ้งเหตุด่วนเหตุร้าย", "สำนักงานตำรวจแห่งชาติ", "191"),
    ("แจ้งเหตุเพลิงไหม้", "หน่วยดับเพลิงและกู้ภัย", "199"),
    ("แจ้งเหตุเจ็บป่วยฉุกเฉิน", "สถาบันการแพทย์ฉุกเฉินแห่งชาติ", "1669"),
    ("สายด่วนป้องกันและบรรเทาสาธารณภัย", "กรมป้องกันและบรรเทาสาธารณภัย", "1784"),
    ("แจ้งไฟฟ้าขัดข้อง", "การไฟฟ้าส่วนภูมิภาค (PEA Contact Center)", "1129"),
]

# Local offices: key -> name template. {district} is the organization's district without the
# word อำเภอ, {province} the province without จังหวัด.
LOCAL = [
    ("hospital", "โรงพยาบาล{hospital}", "โรงพยาบาลในพื้นที่"),
    ("police", "สถานีตำรวจภูธร{district}", "สำนักงานตำรวจแห่งชาติ"),
    ("district_office", "ที่ว่าการอำเภอ{district}", "กรมการปกครอง"),
    ("provincial_office", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province}", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ("ddpm", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด{province}", "กรมป้องกันและบรรเทาสาธารณภัย"),
    ("pea", "การไฟฟ้าส่วนภูมิภาคจังหวัด{province}", "การไฟฟ้าส่วนภูมิภาค"),
    ("pwa", "การประปาส่วนภูมิภาคสาขา{province}", "การประปาส่วนภูมิภาค (Call Center 1662)"),
    ("isp", "บริษัท โทรคมนาคมแห่งชาติ จำกัด (มหาชน) สาขา{province}", "ผู้ให้บริการอินเทอร์เน็ต (Call Center 1888)"),
    ("bank", "ธนาคารกรุงไทย สาขา{province}", "ธนาคารที่รับโอนเงินเดือนและเบี้ยยังชีพ"),
]  # fmt: skip

# Phrae (province geocode 54): numbers for the province-wide offices, and per district
# (geocode) the community hospital and the district office and police station numbers.
PROVINCES = {
    "54": {
        "province": "แพร่",
        "phones": {
            "provincial_office": "054511026",
            "ddpm": "054511744",
            "pea": "054511236",
            "pwa": "054511050",
            "isp": "054511900",
            "bank": "054511333",
        },
        "districts": {
            # geocode: (district, hospital, hospital phone, district office, police)
            "5401": ("เมืองแพร่", "แพร่", "054533500", "054511411", "054511355"),
            "5402": ("ร้องกวาง", "ร้องกวาง", "054597011", "054597021", "054597040"),
            "5403": ("ลอง", "ลอง", "054581051", "054581115", "054581100"),
            "5404": ("สูงเม่น", "สูงเม่น", "054541366", "054541151", "054541117"),
            "5405": ("เด่นชัย", "เด่นชัย", "054613073", "054613114", "054613124"),
            "5406": ("สอง", "สอง", "054591105", "054591135", "054591100"),
            "5407": ("วังชิ้น", "วังชิ้น", "054589050", "054589111", "054589123"),
            "5408": ("หนองม่วงไข่", "หนองม่วงไข่", "054648041", "054648101", "054648123"),
        },
    },
}
