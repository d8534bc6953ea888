#!/usr/bin/env python3
"""Check sql/seed/catalogue.json and messages.json against
docs/catalogue-format.md (and the seed brief's extra rules).  Standard library
only; PCRE2 patterns are compiled with pcre2test (utf,ucp) when it is installed
and with perl's qr// always.

    python3 sql/seed/gen/check.py            # exit 1 on any error
"""
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
errors = []
warnings = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def warn(where, msg):
    warnings.append(f"{where}: {msg}")


def load(name):
    path = os.path.join(SEED, name)
    raw = open(path, "rb").read()
    try:
        s = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        sys.exit(f"{name}: not UTF-8: {e}")
    if s.startswith("\ufeff"):
        err(name, "byte-order mark")
    return json.loads(s, object_pairs_hook=OrderedDict)


LANG = re.compile(r"^[a-z]{2,3}$")
DEPT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
OFFICE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
SVC_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}-[A-Z0-9]{1,12}(-[A-Z0-9]{1,8})?$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
CHOICE_ID = re.compile(r"^[a-z0-9_]{1,32}$")
TYPES = {"information", "application", "instant_document", "status_lookup", "grievance", "payment"}
KINDS = {"text", "number", "amount", "date", "phone", "email", "pincode", "aadhaar", "ifsc",
         "district", "choice", "photo", "location", "reference"}
PATTERNS = {}  # pattern -> first place


def check_keys(where, obj, keys, optional=()):
    got = list(obj.keys())
    want = [k for k in keys if k in obj or k not in optional]
    if got != want:
        err(where, f"keys {got} != documented order {want}")


def check_text(where, t, lo, hi, need_en=True, need_te=True):
    if not isinstance(t, dict):
        err(where, "not an object")
        return
    if need_en and "en" not in t:
        err(where, "missing en")
    if need_te and "te" not in t:
        err(where, "missing te")
    for lang, s in t.items():
        if not LANG.match(lang):
            err(where, f"bad language {lang!r}")
        if not isinstance(s, str):
            err(f"{where}.{lang}", "not a string")
            continue
        if not (lo <= len(s) <= hi):
            err(f"{where}.{lang}", f"{len(s)} code points, want {lo}..{hi}: {s!r}")
        if s != s.strip():
            err(f"{where}.{lang}", "leading/trailing space")


def pattern(where, p):
    if p is None:
        return
    if not isinstance(p, str) or not p:
        err(where, "pattern must be a non-empty string or null")
        return
    PATTERNS.setdefault(p, where)


def contact(where, c):
    check_keys(where, c, ["phone", "email", "url"])
    for k, v in c.items():
        if not isinstance(v, str):
            err(f"{where}.{k}", "not a string")


def main():
    cat = load("catalogue.json")
    check_keys("catalogue", cat, ["format", "departments", "offices", "services", "districts"])
    districts = cat["districts"]
    dnames = [d["name"]["en"] for d in districts]
    if len(districts) != 26 or len({n.lower() for n in dnames}) != 26:
        err("districts", f"{len(districts)} districts")
    if dnames != sorted(dnames):
        err("districts", "not sorted by English name")
    for i, d in enumerate(districts):
        check_keys(f"districts[{i}]", d, ["name"])
        check_text(f"districts[{i}].name", d["name"], 1, 64)
    if cat.get("format") != "mana-catalogue/1":
        err("catalogue", "format")

    dcodes = set()
    for i, d in enumerate(cat["departments"]):
        w = f"departments[{i}] ({d.get('code')})"
        check_keys(w, d, ["code", "enabled", "sort", "name", "description", "contact"])
        if not DEPT_CODE.match(d["code"]):
            err(w, "code")
        if d["code"] in dcodes:
            err(w, "duplicate code")
        dcodes.add(d["code"])
        if not isinstance(d["enabled"], bool):
            err(w, "enabled")
        if not isinstance(d["sort"], int) or isinstance(d["sort"], bool):
            err(w, "sort")
        check_text(w + ".name", d["name"], 1, 24)
        check_text(w + ".description", d["description"], 0, 72, need_te=True)
        contact(w + ".contact", d["contact"])
    codes = [d["code"] for d in cat["departments"]]
    if codes != sorted(codes):
        err("departments", "not sorted by code")

    ocodes = set()
    office_depts = Counter()
    for i, o in enumerate(cat["offices"]):
        w = f"offices[{i}] ({o.get('code')})"
        check_keys(w, o, ["code", "department", "district", "mandal", "enabled", "name", "address", "contact"])
        if not OFFICE_CODE.match(o["code"]):
            err(w, "code")
        if o["code"] in ocodes:
            err(w, "duplicate code")
        ocodes.add(o["code"])
        if o["department"] not in dcodes:
            err(w, "unknown department")
        office_depts[o["department"]] += 1
        if o["district"] not in dnames:
            err(w, f"district {o['district']!r} not in the districts")
        if o["mandal"] is not None and not (isinstance(o["mandal"], str) and 1 <= len(o["mandal"]) <= 64):
            err(w, "mandal")
        check_text(w + ".name", o["name"], 1, 255)
        check_text(w + ".address", o["address"], 0, 255)
        contact(w + ".contact", o["contact"])
    codes = [o["code"] for o in cat["offices"]]
    if codes != sorted(codes):
        err("offices", "not sorted by code")

    scodes = set()
    per_type = Counter()
    per_dept = Counter()
    popular = []
    for i, s in enumerate(cat["services"]):
        w = f"services[{i}] ({s.get('code')})"
        check_keys(w, s, ["code", "department", "type", "enabled", "popular", "sort", "fee", "sla_days",
                          "name", "description", "keywords", "intents", "documents", "content", "form"])
        code = s["code"]
        if not SVC_CODE.match(code):
            err(w, "code regex")
        if code in scodes:
            err(w, "duplicate code")
        scodes.add(code)
        if s["department"] not in dcodes:
            err(w, "unknown department")
        if not code.startswith(s["department"] + "-"):
            err(w, "code does not start with department code + '-'")
        t = s["type"]
        if t not in TYPES:
            err(w, f"type {t}")
        per_type[t] += 1
        per_dept[s["department"]] += 1
        for k in ("enabled", "popular"):
            if not isinstance(s[k], bool):
                err(w, k)
        if s["popular"]:
            popular.append(code)
        if not isinstance(s["sort"], int) or isinstance(s["sort"], bool):
            err(w, "sort")
        fee = s["fee"]
        if fee is not None:
            if isinstance(fee, bool) or not isinstance(fee, (int, float)) or fee < 0 or round(fee, 2) != fee:
                err(w, f"fee {fee}")
        sla = s["sla_days"]
        if sla is not None and (not isinstance(sla, int) or isinstance(sla, bool) or not 0 <= sla <= 365):
            err(w, f"sla_days {sla}")
        if t in ("application", "grievance") and sla is None:
            err(w, "sla_days required")
        check_text(w + ".name", s["name"], 1, 24)
        check_text(w + ".description", s["description"], 0, 72)
        kw = s["keywords"]
        for lang in ("en", "te"):
            if lang not in kw:
                err(w, f"keywords.{lang} missing")
            elif not 3 <= len(kw[lang]) <= 6:
                err(w, f"keywords.{lang}: {len(kw[lang])} (want 3-6)")
        for lang, arr in kw.items():
            if not LANG.match(lang) or not isinstance(arr, list):
                err(w, f"keywords.{lang}")
                continue
            for x in arr:
                if not isinstance(x, str) or not 1 <= len(x) <= 64:
                    err(w, f"keywords.{lang}: {x!r}")
        if not isinstance(s["intents"], list):
            err(w, "intents")
        for j, p in enumerate(s["intents"]):
            pattern(f"{w}.intents[{j}]", p)
        for lang, arr in s["documents"].items():
            if not LANG.match(lang) or not isinstance(arr, list):
                err(w, f"documents.{lang}")
                continue
            for x in arr:
                if not isinstance(x, str) or not 1 <= len(x) <= 255:
                    err(w, f"documents.{lang}: {x!r}")
        if s["documents"] and set(s["documents"]) != {"en", "te"}:
            err(w, "documents languages")
        if s["documents"] and len(s["documents"]["en"]) != len(s["documents"]["te"]):
            err(w, "documents en/te differ in length")
        if s["content"]:
            check_text(w + ".content", s["content"], 1, 4096)
        if t == "information" and "en" not in s["content"]:
            err(w, "content.en required for information")
        if t != "information" and s["content"]:
            warn(w, "content on a non-information service")
        form = s["form"]
        if t in ("application", "instant_document", "grievance", "status_lookup") and not form:
            err(w, "form required")
        if t == "application" and not 2 <= len(form) <= 8:
            err(w, f"application form has {len(form)} fields (want 2-8)")
        if t == "information" and form:
            err(w, "information with a form")
        if len(form) > 8:
            err(w, f"form has {len(form)} fields")
        names = set()
        for j, f in enumerate(form):
            fw = f"{w}.form[{j}]"
            check_keys(fw, f, ["name", "kind", "label", "pattern", "checksum", "required", "choices"],
                       optional=("choices",))
            if not FIELD_NAME.match(f["name"]):
                err(fw, "name")
            if f["name"] in names:
                err(fw, "duplicate field name")
            names.add(f["name"])
            if f["kind"] not in KINDS:
                err(fw, f"kind {f['kind']}")
            check_text(fw + ".label", f["label"], 1, 1024)
            pattern(fw + ".pattern", f["pattern"])
            if f["checksum"] not in (None, "verhoeff", "luhn"):
                err(fw, "checksum")
            if not isinstance(f["required"], bool):
                err(fw, "required")
            if f["kind"] == "choice":
                ch = f.get("choices")
                if not isinstance(ch, list) or not 1 <= len(ch) <= 10:
                    err(fw, "choices: 1-10 required")
                    continue
                ids = set()
                for k, c in enumerate(ch):
                    cw = f"{fw}.choices[{k}]"
                    check_keys(cw, c, ["id", "label"])
                    if not CHOICE_ID.match(c["id"]) or c["id"] in ids:
                        err(cw, "id")
                    ids.add(c["id"])
                    check_text(cw + ".label", c["label"], 1, 24)
            elif "choices" in f:
                err(fw, "choices on a non-choice field")
        kinds = [f["kind"] for f in form]
        if t == "status_lookup" and not any(f["kind"] == "reference" or f["name"].endswith(("_id", "_no", "_card"))
                                            for f in form):
            err(w, "status_lookup without a reference field")
        if t == "status_lookup" and "reference" not in kinds:
            warn(w, "status_lookup whose lookup field is not of kind reference")
        if t == "grievance":
            if not form or form[0]["name"] != "category" or form[0]["kind"] != "choice":
                err(w, "grievance: first field must be category (choice)")
            if not any(f["name"] == "description" and f["kind"] == "text" for f in form):
                err(w, "grievance: description text field")
        if t == "payment" and not form:
            err(w, "payment without lookup fields")
    codes = [s["code"] for s in cat["services"]]
    if codes != sorted(codes):
        err("services", "not sorted by code")
    for d in dcodes:
        if per_dept[d] == 0:
            err("departments", f"{d} has no services")

    # REV-INC
    inc = [s for s in cat["services"] if s["code"] == "REV-INC"]
    if not inc:
        err("REV-INC", "missing")
    else:
        inc = inc[0]
        if inc["type"] != "application":
            err("REV-INC", "type")
        f = inc["form"]
        want = [("name", None), ("father_name", None), ("district", "district"), ("annual_income", "amount")]
        for j, (n, k) in enumerate(want):
            if j >= len(f) or f[j]["name"] != n or (k and f[j]["kind"] != k) or not f[j]["required"]:
                err("REV-INC", f"form[{j}] must be required {n}" + (f" ({k})" if k else ""))
        for x in f[4:]:
            if x["required"]:
                err("REV-INC", f"extra field {x['name']} should be optional")
        aad = [x for x in f if x["name"] == "aadhaar"]
        if not aad or aad[0]["kind"] != "aadhaar" or aad[0]["checksum"] != "verhoeff" or aad[0]["required"]:
            err("REV-INC", "aadhaar field (kind aadhaar, verhoeff, optional)")

    # department application/grievance coverage by offices
    for d in dcodes:
        needs = any(s["department"] == d and s["type"] in ("application", "grievance") for s in cat["services"])
        if needs and office_depts[d] == 0:
            err("offices", f"{d} has application/grievance services but no office")
    rev_districts = {o["district"] for o in cat["offices"] if o["department"] == "REV"}
    if rev_districts != set(dnames):
        err("offices", f"REV offices missing for {set(dnames) - rev_districts}")

    compile_patterns()
    msgs = check_messages()

    print(f"departments: {len(cat['departments'])}")
    print(f"services: {len(cat['services'])}")
    for t in sorted(per_type):
        print(f"  {t}: {per_type[t]}")
    print(f"popular ({len(popular)}): {', '.join(popular)}")
    print(f"offices: {len(cat['offices'])} in {len(office_depts)} departments "
          f"(REV {office_depts['REV']})")
    print(f"services per department: " + ", ".join(f"{d} {per_dept[d]}" for d in sorted(per_dept)))
    print(f"distinct PCRE2 patterns compiled: {len(PATTERNS)}")
    if msgs:
        print(msgs)
    for w_ in warnings:
        print("warning:", w_)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


def compile_patterns():
    pcre2test = shutil.which("pcre2test")
    for p, where in PATTERNS.items():
        r = subprocess.run(["perl", "-e", "use utf8; my $p = shift; utf8::decode($p); qr/$p/u; 1", p],
                           capture_output=True, text=True)
        if r.returncode != 0:
            err(where, f"perl rejects {p!r}: {r.stderr.strip()}")
        if pcre2test:
            delim = next(c for c in "/!%`~@#" if c not in p)
            inp = f"{delim}{p}{delim}utf,ucp\n\n"
            r = subprocess.run([pcre2test, "-q"], input=inp, capture_output=True, text=True)
            if "Failed" in r.stdout or r.returncode not in (0,):
                err(where, f"pcre2test rejects {p!r}: {r.stdout.strip()}")
    if not pcre2test:
        warn("patterns", "pcre2test not installed: checked with perl only")


KEY = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
PH = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

# WhatsApp limits by key suffix / exact key (code points)
LIMITS = [
    (re.compile(r"\.desc$|\.row_desc$"), 72),
    (re.compile(r"\.button$|^btn\.|\.btn\.|^lang\.name\."), 20),
    (re.compile(r"\.section$|\.section\.|\.row$|\.row\."), 24),
    (re.compile(r"^privacy\.notice$|^lang\.prompt$|\.body$"), 1024),
]


def check_messages():
    path = os.path.join(SEED, "messages.json")
    if not os.path.exists(path):
        warn("messages.json", "missing")
        return ""
    m = load("messages.json")
    check_keys("messages", m, ["format", "messages"])
    if m.get("format") != "mana-i18n/1":
        err("messages", "format")
    msgs = m["messages"]
    en = msgs.get("en", {})
    for lang, table in msgs.items():
        if not LANG.match(lang):
            err("messages", f"language {lang}")
        for k, v in table.items():
            w = f"messages.{lang}.{k}"
            if not KEY.match(k):
                err(w, "key")
            if not isinstance(v, str) or not 1 <= len(v) <= 4096:
                err(w, "text length")
                continue
            if k not in en:
                err(w, "key not in en")
            elif set(PH.findall(v)) != set(PH.findall(en[k])):
                err(w, f"placeholders {sorted(set(PH.findall(v)))} != en {sorted(set(PH.findall(en[k])))}")
            for rx, lim in LIMITS:
                if rx.search(k):
                    if len(v) > lim:
                        err(w, f"{len(v)} code points > {lim}")
                    break
            if re.search(r"\{[^}]*[^a-z0-9_}][^}]*\}", v):
                err(w, f"odd placeholder in {v!r}")
    missing = {lang: sorted(set(en) - set(t)) for lang, t in msgs.items() if lang != "en"}
    return ("messages: " + ", ".join(f"{lang} {len(t)}" for lang, t in msgs.items()) +
            "; missing: " + ", ".join(f"{lang} {len(v)}" for lang, v in missing.items()))


if __name__ == "__main__":
    sys.exit(main())
