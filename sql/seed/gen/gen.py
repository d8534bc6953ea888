#!/usr/bin/env python3
"""Generate sql/seed/catalogue.json (mana-catalogue/1, with the districts and their
names) from the pipe-separated tables beside this script.  Python 3, standard
library only.

    python3 sql/seed/gen/gen.py          # writes ../catalogue.json

Tables (UTF-8, '#' starts a comment line):
  departments.txt  code|sort|name.en|name.te|desc.en|desc.te|phone|url|kw.en|kw.te|where.en|where.te
  districts.txt    code|name.en|name.te|hq.en|hq.te|pin|discom
  tahsildars.txt   district code|mandal.en|mandal.te   (extra Tahsildar offices)
  fields.txt       token|kind|label.en|label.te|pattern|checksum|choice list
  choices.txt      list|id|label.en|label.te
  documents.txt    token|en|te
  content.txt      service code|content.en|content.te  (hand-written information texts)
  services/*.txt   code|type|fee|sla|name.en|name.te|desc.en|desc.te|form|documents|flags
                   type: I information, A application, D instant_document,
                   S status_lookup, G grievance, P payment; '-' = null;
                   form: field tokens, '?' suffix = optional; flags: 'pop' = popular
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)

TYPES = {"I": "information", "A": "application", "D": "instant_document",
         "S": "status_lookup", "G": "grievance", "P": "payment"}


def rows(name, n=None):
    out = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            if n is not None:
                if len(parts) < n:
                    parts += [""] * (n - len(parts))
                if len(parts) != n:
                    sys.exit(f"{name}: expected {n} fields: {line}")
            out.append(parts)
    return out


def text(en, te=None, hi=None):
    t = {"en": en}
    if te:
        t["te"] = te
    if hi:
        t["hi"] = hi
    return t


# ---------------------------------------------------------------- districts
DISTRICTS = []  # dicts
for code, en, te, hq, hqte, pin, discom in rows("districts.txt", 7):
    DISTRICTS.append(dict(code=code, en=en, te=te, hq=hq, hqte=hqte, pin=pin, discom=discom))

# ---------------------------------------------------------------- choices, fields, documents
CHOICES = {}
for lst, cid, en, te in rows("choices.txt", 4):
    CHOICES.setdefault(lst, []).append({"id": cid, "label": text(en, te)})

FIELDS = {}
with open(os.path.join(HERE, "fields.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        token, kind, en, te, rest = line.split("|", 4)
        pattern, checksum, choices = rest.rsplit("|", 2)
        FIELDS[token] = dict(kind=kind, en=en, te=te,
                             pattern=None if pattern == "-" else pattern,
                             checksum=None if checksum == "-" else checksum,
                             choices=choices or None)

DOCS = {t: (en, te) for t, en, te in rows("documents.txt", 3)}

CONTENT = {}
if os.path.exists(os.path.join(HERE, "content.txt")):
    for code, en, te in rows("content.txt", 3):
        CONTENT[code] = (en, te)


def field(token):
    required = not token.endswith("?")
    token = token.rstrip("?")
    d = FIELDS[token]
    name = token
    if token.startswith("gcat_"):
        name = "category"
    elif token == "doc_photo":
        name = "photo"
    out = {
        "name": name,
        "kind": d["kind"],
        "label": text(d["en"], d["te"]),
        "pattern": d["pattern"],
        "checksum": d["checksum"],
        "required": required,
    }
    if d["kind"] == "choice":
        out["choices"] = CHOICES[d["choices"]]
    return out


# ---------------------------------------------------------------- departments
DEPTS = {}
departments = []
for (code, sort, en, te, den, dte, phone, url, kwen, kwte, wen, wte) in rows("departments.txt", 12):
    DEPTS[code] = dict(kwen=kwen.split(","), kwte=kwte.split(","), where=(wen, wte), en=en)
    departments.append({
        "code": code,
        "enabled": True,
        "sort": int(sort),
        "name": text(en, te),
        "description": text(den, dte),
        "contact": {"phone": phone, "email": "", "url": url},
    })

# ---------------------------------------------------------------- services
STOP_EN = {"and", "of", "the", "for", "a", "an", "to", "in", "on", "with", "by", "your", "is", "are", "get", "you", "how", "what", "who", "near", "any", "all", "this", "there", "up", "at", "as", "per", "pay", "after", "before",
           "my", "from", "at", "or", "ap", "copy", "details", "status"}
STOP_TE = {"మీ", "లేదా", "మరియు", "కోసం", "ద్వారా", "నుంచి", "తర్వాత", "మీకు", "ఎలా", "ఏ", "వరకు", "కింద"}

INTENTS = {
    "REV-INC": [r"(?i)\bincome\s*cert", r"ఆదాయ\s*(ధృవీకరణ|సర్టిఫికెట్)"],
    "REV-CST": [r"(?i)\bcaste\s*cert", r"కుల\s*(ధృవీకరణ|సర్టిఫికెట్)"],
    "REV-ADNG": [r"(?i)\b(adangal|pahani)\b", r"అడంగల్|పహాణీ"],
    "SED-SSCRES": [r"(?i)\b(ssc|10th|tenth)\s*(class\s*)?results?\b", r"(పది|పదో\s*తరగతి)\s*ఫలితా"],
    "SED-SSCHT": [r"(?i)\b(ssc|10th|tenth)\s*hall\s*ticket", r"(పది|పదో\s*తరగతి)\s*హాల్\s*టికెట్"],
    "BIE-RES2": [r"(?i)\binter(mediate)?\s*(2nd|second)\s*year\s*results?"],
    "ENDW-TTD-SED": [r"(?i)\b(ttd|tirumala|tirupati)\b.*\bdarshan", r"తిరుమల.*దర్శన"],
    "RTC-BOOK": [r"(?i)\bbus\s*(ticket|booking|reservation)", r"బస్సు?\s*టికెట్"],
    "RTC-CARGO": [r"(?i)\b(parcel|cargo)\s*(track|status)"],
    "MAUD-PTAX": [r"(?i)\b(property|house)\s*tax\b", r"ఆస్తి\s*పన్ను|ఇంటి\s*పన్ను"],
    "CSUP-STAT": [r"(?i)\b(ration|rice)\s*card\s*status", r"రైస్\s*కార్డు\s*స్థితి"],
    "POL-CHLN": [r"(?i)\be-?challans?\b", r"చలాన్"],
    "PRRD-PENS": [r"(?i)\bpension\s*status", r"పింఛను\s*స్థితి"],
    "HLTH-VSC": [r"(?i)\b(aarogya\s*sri|arogya\s*sri|vaidya\s*seva)\b", r"ఆరోగ్యశ్రీ|వైద్య\s*సేవ"],
    "PGRS-NEW": [r"(?i)\b(grievance|spandana|pgrs)\b", r"అర్జీ|స్పందన"],
    "ENGY-EPDCL-BILL": [r"(?i)\b(ap)?epdcl\b"],
    "ENGY-CPDCL-BILL": [r"(?i)\b(ap)?cpdcl\b"],
    "ENGY-SPDCL-BILL": [r"(?i)\b(ap)?spdcl\b"],
    "FIN-CMRF": [r"(?i)\b(cmrf|cm\s*relief\s*fund)\b", r"సీఎం\s*సహాయ\s*నిధి|ముఖ్యమంత్రి\s*సహాయ\s*నిధి"],
    "MAUD-ANNA": [r"(?i)\banna\s*canteen", r"అన్న\s*క్యాంటీన్"],
}


def words_en(s):
    out = []
    for w in re.split(r"[\s,/()&:;.+]+", s.lower()):
        w = w.strip("'\"-₹")
        if len(w) < 2 or w in STOP_EN or w.isdigit():
            continue
        out.append(w)
    return out


def words_te(s):
    out = []
    for w in re.split(r"[\s,/()&:;.+]+", s):
        w = w.strip("'\"-₹")
        if len(w) < 2 or w in STOP_TE or w.isdigit():
            continue
        out.append(w)
    return out


def keywords(words, extra):
    out = []
    for w in words:
        if w and w not in out:
            out.append(w)
    for w in extra:
        if len(out) >= 3:
            break
        if w and w not in out:
            out.append(w)
    return out[:6]


def fee_text(fee):
    if fee is None:
        return None
    if fee == 0:
        return ("There is no fee.", "ఎలాంటి రుసుము లేదు.")
    return (f"Fee: ₹{fee:g}.", f"రుసుము: ₹{fee:g}.")


services = []
popular = 0
for fn in sorted(os.listdir(os.path.join(HERE, "services"))):
    if not fn.endswith(".txt"):
        continue
    order = 0
    for parts in rows(os.path.join("services", fn), 11):
        (code, t, fee, sla, en, te, den, dte, form, docs, flags) = parts
        dept = code.split("-")[0]
        order += 1
        fee = None if fee == "-" else (int(fee) if re.fullmatch(r"\d+", fee) else float(fee))
        sla = None if sla == "-" else int(sla)
        typ = TYPES[t]
        d = DEPTS[dept]
        doclist = [DOCS[x] for x in docs.split(",") if x]
        svc = {
            "code": code,
            "department": dept,
            "type": typ,
            "enabled": True,
            "popular": "pop" in flags.split(","),
            "sort": order * 10,
            "fee": fee,
            "sla_days": sla,
            "name": text(en, te),
            "description": text(den, dte),
            "keywords": {
                "en": keywords(words_en(en) + words_en(den), d["kwen"]),
                "te": keywords(words_te(te) + words_te(dte), d["kwte"]),
            },
            "intents": INTENTS.get(code, []),
            "documents": ({"en": [a for a, b in doclist], "te": [b for a, b in doclist]}
                          if doclist else {}),
            "content": {},
            "form": [field(x) for x in form.split(",") if x],
        }
        if typ == "information":
            if code in CONTENT:
                cen, cte = CONTENT[code]
            else:
                cen = f"{en}: {den}."
                cte = f"{te}: {dte}."
                if doclist:
                    cen += " Documents: " + ", ".join(a for a, b in doclist) + "."
                    cte += " కావలసిన పత్రాలు: " + ", ".join(b for a, b in doclist) + "."
                ft = fee_text(fee)
                if ft:
                    cen += " " + ft[0]
                    cte += " " + ft[1]
                cen += " " + d["where"][0]
                cte += " " + d["where"][1]
            svc["content"] = text(cen, cte)
        services.append(svc)

services.sort(key=lambda s: s["code"])
departments.sort(key=lambda s: s["code"])

# ---------------------------------------------------------------- offices
OFFICE_TPL = {
    "REG": ("District Registrar Office, {hq}", "జిల్లా రిజిస్ట్రార్ కార్యాలయం, {hqte}"),
    "SED": ("District Educational Officer, {hq}", "జిల్లా విద్యాశాఖ అధికారి కార్యాలయం, {hqte}"),
    "BIE": ("District Intermediate Education Officer, {hq}", "జిల్లా ఇంటర్మీడియట్ విద్యాధికారి కార్యాలయం, {hqte}"),
    "SKL": ("District Skill Development Office, {hq}", "జిల్లా నైపుణ్యాభివృద్ధి కార్యాలయం, {hqte}"),
    "PRRD": ("District Panchayat Office, {hq}", "జిల్లా పంచాయతీ అధికారి కార్యాలయం, {hqte}"),
    "ENGY": ("Executive Engineer (Operation), {discom}, {hq}", "కార్యనిర్వాహక ఇంజనీర్ (ఆపరేషన్), {discom}, {hqte}"),
    "RTC": ("APSRTC Depot, {hq}", "ఏపీఎస్ఆర్టీసీ డిపో, {hqte}"),
    "TRN": ("District Transport Office, {hq}", "జిల్లా రవాణా అధికారి కార్యాలయం, {hqte}"),
    "ENDW": ("Assistant Commissioner of Endowments, {hq}", "దేవాదాయ శాఖ సహాయ కమిషనర్ కార్యాలయం, {hqte}"),
    "CSUP": ("District Supply Office, {hq}", "జిల్లా పౌర సరఫరాల అధికారి కార్యాలయం, {hqte}"),
    "HLTH": ("District Medical & Health Office, {hq}", "జిల్లా వైద్య ఆరోగ్య అధికారి కార్యాలయం, {hqte}"),
    "AGRI": ("District Agriculture Office, {hq}", "జిల్లా వ్యవసాయ అధికారి కార్యాలయం, {hqte}"),
    "AHF": ("District Animal Husbandry Office, {hq}", "జిల్లా పశుసంవర్ధక అధికారి కార్యాలయం, {hqte}"),
    "SWF": ("Deputy Director, Social Welfare, {hq}", "సాంఘిక సంక్షేమ ఉప సంచాలకుల కార్యాలయం, {hqte}"),
    "BCW": ("District BC Welfare Office, {hq}", "జిల్లా బీసీ సంక్షేమ అధికారి కార్యాలయం, {hqte}"),
    "TWD": ("District Tribal Welfare Office, {hq}", "జిల్లా గిరిజన సంక్షేమ అధికారి కార్యాలయం, {hqte}"),
    "MNW": ("District Minority Welfare Office, {hq}", "జిల్లా మైనారిటీ సంక్షేమ అధికారి కార్యాలయం, {hqte}"),
    "WCD": ("District Women & Child Welfare Office, {hq}", "జిల్లా మహిళా శిశు సంక్షేమ అధికారి కార్యాలయం, {hqte}"),
    "LAB": ("Assistant Commissioner of Labour, {hq}", "సహాయ కార్మిక కమిషనర్ కార్యాలయం, {hqte}"),
    "IND": ("District Industries Centre, {hq}", "జిల్లా పరిశ్రమల కేంద్రం, {hqte}"),
    "HSG": ("District Housing Office, {hq}", "జిల్లా గృహ నిర్మాణ సంస్థ కార్యాలయం, {hqte}"),
    "WRD": ("Irrigation Division Office, {hq}", "నీటిపారుదల డివిజన్ కార్యాలయం, {hqte}"),
    "EFS": ("District Forest Office, {hq}", "జిల్లా అటవీ అధికారి కార్యాలయం, {hqte}"),
    "TOUR": ("District Tourism Office, {hq}", "జిల్లా పర్యాటక అధికారి కార్యాలయం, {hqte}"),
    "CTAX": ("Commercial Tax Office, {hq}", "వాణిజ్య పన్నుల కార్యాలయం, {hqte}"),
    "MINE": ("Mines & Geology Office, {hq}", "గనులు, భూగర్భ శాఖ కార్యాలయం, {hqte}"),
    "YTH": ("District Sports Authority, {hq}", "జిల్లా క్రీడా ప్రాధికార సంస్థ, {hqte}"),
    "ITE": ("e-District Manager, Collectorate, {hq}", "ఈ-డిస్ట్రిక్ట్ మేనేజర్, కలెక్టరేట్, {hqte}"),
    "FIN": ("District Treasury Office, {hq}", "జిల్లా ఖజానా కార్యాలయం, {hqte}"),
    "FIRE": ("District Fire Office, {hq}", "జిల్లా అగ్నిమాపక అధికారి కార్యాలయం, {hqte}"),
    "PGRS": ("PGRS Cell, Collectorate, {hq}", "ప్రజా ఫిర్యాదుల విభాగం, కలెక్టరేట్, {hqte}"),
    "COOP": ("District Cooperative Office, {hq}", "జిల్లా సహకార అధికారి కార్యాలయం, {hqte}"),
}

# municipal bodies at district headquarters (ASR's Paderu has none; Anakapalli is a GVMC zone)
MUNI = {
    "SKL": ("Srikakulam Municipal Corporation", "శ్రీకాకుళం నగరపాలక సంస్థ"),
    "VZM": ("Vizianagaram Municipal Corporation", "విజయనగరం నగరపాలక సంస్థ"),
    "PVP": ("Parvathipuram Municipality", "పార్వతీపురం పురపాలక సంఘం"),
    "VSP": ("Greater Visakhapatnam Municipal Corporation", "మహా విశాఖ నగరపాలక సంస్థ"),
    "AKP": ("GVMC Zonal Office, Anakapalli", "జీవీఎంసీ జోనల్ కార్యాలయం, అనకాపల్లి"),
    "KKD": ("Kakinada Municipal Corporation", "కాకినాడ నగరపాలక సంస్థ"),
    "KSM": ("Amalapuram Municipality", "అమలాపురం పురపాలక సంఘం"),
    "EGD": ("Rajamahendravaram Municipal Corporation", "రాజమహేంద్రవరం నగరపాలక సంస్థ"),
    "WGD": ("Bhimavaram Municipality", "భీమవరం పురపాలక సంఘం"),
    "ELR": ("Eluru Municipal Corporation", "ఏలూరు నగరపాలక సంస్థ"),
    "NTR": ("Vijayawada Municipal Corporation", "విజయవాడ నగరపాలక సంస్థ"),
    "KRI": ("Machilipatnam Municipal Corporation", "మచిలీపట్నం నగరపాలక సంస్థ"),
    "PLN": ("Narasaraopet Municipality", "నరసరావుపేట పురపాలక సంఘం"),
    "GNT": ("Guntur Municipal Corporation", "గుంటూరు నగరపాలక సంస్థ"),
    "BPT": ("Bapatla Municipality", "బాపట్ల పురపాలక సంఘం"),
    "PKM": ("Ongole Municipal Corporation", "ఒంగోలు నగరపాలక సంస్థ"),
    "NLR": ("Nellore Municipal Corporation", "నెల్లూరు నగరపాలక సంస్థ"),
    "KNL": ("Kurnool Municipal Corporation", "కర్నూలు నగరపాలక సంస్థ"),
    "NDL": ("Nandyal Municipality", "నంద్యాల పురపాలక సంఘం"),
    "ATP": ("Anantapuramu Municipal Corporation", "అనంతపురం నగరపాలక సంస్థ"),
    "SSS": ("Puttaparthi Municipality", "పుట్టపర్తి పురపాలక సంఘం"),
    "KDP": ("Kadapa Municipal Corporation", "కడప నగరపాలక సంస్థ"),
    "ANM": ("Rayachoti Municipality", "రాయచోటి పురపాలక సంఘం"),
    "TPT": ("Tirupati Municipal Corporation", "తిరుపతి నగరపాలక సంస్థ"),
    "CTR": ("Chittoor Municipal Corporation", "చిత్తూరు నగరపాలక సంస్థ"),
}
COMMISSIONERATE = {
    "VSP": ("Visakhapatnam City Police Commissionerate", "విశాఖపట్నం నగర పోలీస్ కమిషనరేట్"),
    "NTR": ("Vijayawada (NTR) Police Commissionerate", "విజయవాడ (ఎన్టీఆర్) పోలీస్ కమిషనరేట్"),
}
ITDA = [  # (district code, place.en, place.te)
    ("SKL", "Seethampeta", "సీతంపేట"),
    ("PVP", "Parvathipuram", "పార్వతీపురం"),
    ("ASR", "Paderu", "పాడేరు"),
    ("ASR", "Rampachodavaram", "రంపచోడవరం"),
    ("ASR", "Chintoor", "చింతూరు"),
    ("ELR", "K.R. Puram", "కె.ఆర్. పురం"),
    ("NDL", "Srisailam", "శ్రీశైలం"),
]
UNIVERSITIES = [  # (code, district code, name.en, name.te)
    ("AU", "VSP", "Andhra University, Visakhapatnam", "ఆంధ్ర విశ్వవిద్యాలయం, విశాఖపట్నం"),
    ("SVU", "TPT", "Sri Venkateswara University, Tirupati", "శ్రీ వెంకటేశ్వర విశ్వవిద్యాలయం, తిరుపతి"),
    ("ANU", "GNT", "Acharya Nagarjuna University, Guntur", "ఆచార్య నాగార్జున విశ్వవిద్యాలయం, గుంటూరు"),
    ("SKU", "ATP", "Sri Krishnadevaraya University, Anantapuramu", "శ్రీ కృష్ణదేవరాయ విశ్వవిద్యాలయం, అనంతపురం"),
    ("YVU", "KDP", "Yogi Vemana University, Kadapa", "యోగి వేమన విశ్వవిద్యాలయం, కడప"),
    ("AKNU", "EGD", "Adikavi Nannaya University, Rajamahendravaram", "ఆదికవి నన్నయ విశ్వవిద్యాలయం, రాజమహేంద్రవరం"),
    ("KRU", "KRI", "Krishna University, Machilipatnam", "కృష్ణా విశ్వవిద్యాలయం, మచిలీపట్నం"),
    ("RU", "KNL", "Rayalaseema University, Kurnool", "రాయలసీమ విశ్వవిద్యాలయం, కర్నూలు"),
    ("VSU", "NLR", "Vikrama Simhapuri University, Nellore", "విక్రమ సింహపురి విశ్వవిద్యాలయం, నెల్లూరు"),
    ("BRAU", "SKL", "Dr. B.R. Ambedkar University, Srikakulam", "డాక్టర్ బి.ఆర్. అంబేద్కర్ విశ్వవిద్యాలయం, శ్రీకాకుళం"),
    ("JNTUK", "KKD", "JNTU Kakinada", "జేఎన్‌టీయూ కాకినాడ"),
    ("JNTUA", "ATP", "JNTU Anantapur", "జేఎన్‌టీయూ అనంతపురం"),
]

DBYCODE = {d["code"]: d for d in DISTRICTS}
offices = []


def office(code, dept, dist, mandal, name_en, name_te, addr_en, addr_te):
    offices.append({
        "code": code,
        "department": dept,
        "district": dist["en"],
        "mandal": mandal,
        "enabled": True,
        "name": text(name_en, name_te),
        "address": text(addr_en, addr_te),
        "contact": {"phone": "", "email": "", "url": ""},
    })


def hq_address(d, prefix_en="", prefix_te=""):
    return (f"{prefix_en}{d['hq']}, {d['en']} District, Andhra Pradesh {d['pin']}",
            f"{prefix_te}{d['hqte']}, {d['te']} జిల్లా, ఆంధ్రప్రదేశ్ {d['pin']}")


app_depts = sorted({s["department"] for s in services if s["type"] in ("application", "grievance")})
for d in DISTRICTS:
    dc = d["code"]
    # Revenue: Collectorate, RDO at headquarters, Tahsildar at headquarters
    a = hq_address(d, "Collectorate Complex, ", "కలెక్టరేట్ ప్రాంగణం, ")
    office(f"REV-{dc}-COLL", "REV", d, None, f"District Collectorate, {d['en']}",
           f"జిల్లా కలెక్టరేట్, {d['te']}", *a)
    a = hq_address(d)
    office(f"REV-{dc}-RDO", "REV", d, d["hq"], f"Revenue Divisional Office, {d['hq']}",
           f"రెవెన్యూ డివిజనల్ కార్యాలయం, {d['hqte']}", *a)
    office(f"REV-{dc}-TAH", "REV", d, d["hq"], f"Tahsildar Office, {d['hq']}",
           f"తహసీల్దార్ కార్యాలయం, {d['hqte']}", *a)
    for dept in app_depts:
        if dept in ("REV", "HED"):
            continue
        if dept == "MAUD":
            if dc in MUNI:
                en, te = MUNI[dc]
                office(f"MAUD-{dc}", dept, d, d["hq"], en, te, *hq_address(d))
            continue
        if dept == "POL":
            if dc in COMMISSIONERATE:
                en, te = COMMISSIONERATE[dc]
            else:
                en, te = (f"District Police Office (SP), {d['hq']}",
                          f"జిల్లా పోలీసు కార్యాలయం (ఎస్పీ), {d['hqte']}")
            office(f"POL-{dc}", dept, d, None, en, te, *hq_address(d))
            continue
        en, te = OFFICE_TPL[dept]
        office(f"{dept}-{dc}", dept, d, None,
               en.format(hq=d["hq"], discom=d["discom"]),
               te.format(hqte=d["hqte"], discom=d["discom"]), *hq_address(d))

for dc, mandal, mandal_te in rows("tahsildars.txt", 3):
    d = DBYCODE[dc]
    code = "REV-" + dc + "-" + re.sub(r"[^A-Z0-9]", "", mandal.upper())
    office(code, "REV", d, mandal, f"Tahsildar Office, {mandal}", f"తహసీల్దార్ కార్యాలయం, {mandal_te}",
           f"{mandal}, {d['en']} District, Andhra Pradesh", f"{mandal_te}, {d['te']} జిల్లా, ఆంధ్రప్రదేశ్")

for dc, place, place_te in ITDA:
    d = DBYCODE[dc]
    code = "TWD-ITDA-" + re.sub(r"[^A-Z0-9]", "", place.upper())
    office(code, "TWD", d, place, f"ITDA Project Officer, {place}",
           f"ఐటీడీఏ ప్రాజెక్టు అధికారి కార్యాలయం, {place_te}",
           f"{place}, {d['en']} District, Andhra Pradesh", f"{place_te}, {d['te']} జిల్లా, ఆంధ్రప్రదేశ్")

for ucode, dc, en, te in UNIVERSITIES:
    d = DBYCODE[dc]
    office(f"HED-{ucode}", "HED", d, None, en, te, *hq_address(d))

offices.sort(key=lambda o: o["code"])

# canonical order: by English name, as strcmp() sorts it
districts = [{"name": text(d["en"], d["te"])} for d in sorted(DISTRICTS, key=lambda d: d["en"])]

doc = {"format": "mana-catalogue/1", "departments": departments, "offices": offices,
       "services": services, "districts": districts}


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


dump(doc, os.path.join(SEED, "catalogue.json"))
print(f"departments {len(departments)}, services {len(services)}, offices {len(offices)}, "
      f"districts {len(districts)}")
