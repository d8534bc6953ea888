/*
 * Field validators: every kind with good and bad values, the normalised
 * value, the catalogue's pattern and the checksums (Verhoeff, Luhn).
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "mana_validate.h"


static json_t  *districts;
static json_t  *choice_field;


/* kind, input, expected result, expected normalised value (or NULL) */
typedef struct {
    const char    *kind;
    const char    *in;
    mana_valid_t   rc;
    const char    *norm;
} kind_case_t;


static const kind_case_t  kind_cases[] = {
    { "text", "  Ravi Kumar ", MANA_VALID_OK, "Ravi Kumar" },
    { "text", "రవి కుమార్", MANA_VALID_OK, "రవి కుమార్" },
    { "text", "   ", MANA_VALID_EMPTY, NULL },
    { "text", "\xff\xfe", MANA_VALID_KIND, NULL },

    { "number", "42", MANA_VALID_OK, "42" },
    { "number", "1,250", MANA_VALID_OK, "1250" },
    { "number", "2.5", MANA_VALID_OK, "2.5" },
    { "number", "-3", MANA_VALID_KIND, NULL },
    { "number", "12a", MANA_VALID_KIND, NULL },
    { "number", "1.", MANA_VALID_KIND, NULL },

    { "amount", "120000", MANA_VALID_OK, "120000" },
    { "amount", "1,20,000", MANA_VALID_OK, "120000" },
    { "amount", "120,000.50", MANA_VALID_OK, "120000.50" },
    { "amount", "\xe2\x82\xb9 5,000", MANA_VALID_OK, "5000" },
    { "amount", "Rs. 750", MANA_VALID_OK, "750" },
    { "amount", "0", MANA_VALID_OK, "0" },
    { "amount", "12.345", MANA_VALID_KIND, NULL },
    { "amount", "-100", MANA_VALID_KIND, NULL },
    { "amount", "1,,000", MANA_VALID_KIND, NULL },
    { "amount", ",100", MANA_VALID_KIND, NULL },
    { "amount", "one lakh", MANA_VALID_KIND, NULL },

    { "date", "15-08-1990", MANA_VALID_OK, "15-08-1990" },
    { "date", "5/8/1990", MANA_VALID_OK, "05-08-1990" },
    { "date", "29-02-2024", MANA_VALID_OK, "29-02-2024" },
    { "date", "29-02-2023", MANA_VALID_KIND, NULL },
    { "date", "29-02-1900", MANA_VALID_KIND, NULL },
    { "date", "29-02-2000", MANA_VALID_OK, "29-02-2000" },
    { "date", "31-04-2020", MANA_VALID_KIND, NULL },
    { "date", "00-01-2020", MANA_VALID_KIND, NULL },
    { "date", "15-13-2020", MANA_VALID_KIND, NULL },
    { "date", "15-08/1990", MANA_VALID_KIND, NULL },
    { "date", "1990-08-15", MANA_VALID_KIND, NULL },
    { "date", "15-08-90", MANA_VALID_KIND, NULL },

    { "phone", "9876543210", MANA_VALID_OK, "9876543210" },
    { "phone", "+91 98765 43210", MANA_VALID_OK, "9876543210" },
    { "phone", "919876543210", MANA_VALID_OK, "9876543210" },
    { "phone", "09876543210", MANA_VALID_OK, "9876543210" },
    { "phone", "98765-43210", MANA_VALID_OK, "9876543210" },
    { "phone", "5876543210", MANA_VALID_KIND, NULL },
    { "phone", "987654321", MANA_VALID_KIND, NULL },
    { "phone", "+1 9876543210", MANA_VALID_KIND, NULL },
    { "phone", "98765432a0", MANA_VALID_KIND, NULL },

    { "email", "ravi@example.com", MANA_VALID_OK, "ravi@example.com" },
    { "email", "r.kumar+ap@mail.gov.in", MANA_VALID_OK,
      "r.kumar+ap@mail.gov.in" },
    { "email", "ravi@example", MANA_VALID_KIND, NULL },
    { "email", "ravi@@example.com", MANA_VALID_KIND, NULL },
    { "email", "@example.com", MANA_VALID_KIND, NULL },
    { "email", "ravi kumar@example.com", MANA_VALID_KIND, NULL },
    { "email", "ravi@example..com", MANA_VALID_KIND, NULL },

    { "pincode", "522201", MANA_VALID_OK, "522201" },
    { "pincode", "522 201", MANA_VALID_OK, "522201" },
    { "pincode", "022201", MANA_VALID_KIND, NULL },
    { "pincode", "52220", MANA_VALID_KIND, NULL },
    { "pincode", "5222011", MANA_VALID_KIND, NULL },

    { "aadhaar", "2341 2341 2346", MANA_VALID_OK, "234123412346" },
    { "aadhaar", "498765432102", MANA_VALID_OK, "498765432102" },
    { "aadhaar", "234123412345", MANA_VALID_CHECKSUM, NULL },
    { "aadhaar", "134123412346", MANA_VALID_KIND, NULL },
    { "aadhaar", "23412341234", MANA_VALID_KIND, NULL },

    { "ifsc", "SBIN0001234", MANA_VALID_OK, "SBIN0001234" },
    { "ifsc", "sbin0001234", MANA_VALID_OK, "SBIN0001234" },
    { "ifsc", "SBIN1001234", MANA_VALID_KIND, NULL },
    { "ifsc", "SBI00001234", MANA_VALID_KIND, NULL },
    { "ifsc", "SBIN000123", MANA_VALID_KIND, NULL },

    { "reference", "rev-inc-2026-000123", MANA_VALID_OK,
      "REV-INC-2026-000123" },
    { "reference", "AP/1234/56", MANA_VALID_OK, "AP/1234/56" },
    { "reference", "ABCDEF", MANA_VALID_KIND, NULL },
    { "reference", "-123456", MANA_VALID_KIND, NULL },
    { "reference", "12 34", MANA_VALID_KIND, NULL },

    { "district", "Guntur", MANA_VALID_OK, "Guntur" },
    { "district", "  guntur ", MANA_VALID_OK, "Guntur" },
    { "district", "గుంటూరు", MANA_VALID_OK, "Guntur" },
    { "district", "कृष्णा", MANA_VALID_OK, "Krishna" },
    { "district", "Gotham", MANA_VALID_KIND, NULL },

    { "choice", "male", MANA_VALID_OK, "male" },
    { "choice", "FEMALE", MANA_VALID_OK, "female" },
    { "choice", "2", MANA_VALID_OK, "female" },
    { "choice", "స్త్రీ", MANA_VALID_OK, "female" },
    { "choice", "Female", MANA_VALID_OK, "female" },
    { "choice", "4", MANA_VALID_KIND, NULL },
    { "choice", "0", MANA_VALID_KIND, NULL },
    { "choice", "other", MANA_VALID_KIND, NULL },

    { "photo", "a photo", MANA_VALID_KIND, NULL },
    { "location", "Tenali", MANA_VALID_KIND, NULL },
    { NULL, NULL, 0, NULL }
};


static void
test_kinds(void)
{
    const kind_case_t  *c;
    mana_valid_t        rc;
    char                norm[2048];

    for (c = kind_cases; c->kind; c++) {
        rc = mana_validate_kind(c->kind, c->in, choice_field, districts,
                                norm, sizeof(norm));

        ok(rc == c->rc, "%s '%s': %s", c->kind, c->in,
           c->rc == MANA_VALID_OK ? "accepted" : "refused");

        if (rc != c->rc) {
            printf("#   got %d, want %d\n", rc, c->rc);
        }

        if (c->norm && rc == MANA_VALID_OK) {
            is_str(norm, c->norm, "%s '%s' is '%s'", c->kind, c->in,
                   c->norm);
        }
    }
}


static void
test_text_length(void)
{
    char          big[2100], norm[2048];
    mana_valid_t  rc;

    /* 500 code points of Telugu (3 bytes each) pass, 501 do not */
    memset(big, 0, sizeof(big));

    for (int i = 0; i < 500; i++) {
        memcpy(big + i * 3, "\xe0\xb0\x85", 3);
    }

    rc = mana_validate_kind("text", big, NULL, NULL, norm, sizeof(norm));
    ok(rc == MANA_VALID_OK, "text of 500 code points");

    memcpy(big + 1500, "\xe0\xb0\x85", 3);
    rc = mana_validate_kind("text", big, NULL, NULL, norm, sizeof(norm));
    ok(rc == MANA_VALID_TOO_LONG, "text of 501 code points: too long");

    rc = mana_validate_kind("district", "Any Place", NULL, NULL, norm,
                            sizeof(norm));
    ok(rc == MANA_VALID_OK, "district without a list: any short text");
}


static void
test_checksums(void)
{
    ok(mana_verhoeff_valid("2363"), "Verhoeff: 2363 valid");
    ok(!mana_verhoeff_valid("2364"), "Verhoeff: 2364 invalid");
    ok(mana_verhoeff_digit("236") == 3, "Verhoeff: check digit of 236 is 3");
    ok(mana_verhoeff_digit("23412341234") == 6,
       "Verhoeff: check digit of 23412341234 is 6");
    ok(mana_verhoeff_valid("234123412346"), "Verhoeff: 234123412346 valid");
    ok(!mana_verhoeff_valid("234123412364"),
       "Verhoeff: a transposition is caught");
    ok(!mana_verhoeff_valid(""), "Verhoeff: empty invalid");
    ok(!mana_verhoeff_valid("12a4"), "Verhoeff: not digits invalid");
    ok(mana_verhoeff_digit("x") == -1, "Verhoeff: no digit for non-digits");

    ok(mana_luhn_valid("79927398713"), "Luhn: 79927398713 valid");
    ok(!mana_luhn_valid("79927398710"), "Luhn: 79927398710 invalid");
    ok(mana_luhn_valid("4111111111111111"), "Luhn: 4111111111111111 valid");
    ok(!mana_luhn_valid("4111111111111112"), "Luhn: 4111...112 invalid");
    ok(!mana_luhn_valid("1a"), "Luhn: not digits invalid");
}


static void
test_fields(mana_validate_cache_t *c)
{
    json_t        *name, *phone, *luhn, *card, *bad;
    mana_valid_t   rc;
    char           norm[2048];

    name = json_pack("{s:s,s:s,s:s}", "name", "name", "kind", "text",
                     "pattern", "^\\p{L}[\\p{L}\\p{M} .'-]{1,99}$");
    phone = json_pack("{s:s,s:s,s:s}", "name", "phone", "kind", "phone",
                      "pattern", "^(?:\\+?91)?[6-9][0-9]{9}$");
    luhn = json_pack("{s:s,s:s,s:s}", "name", "card", "kind", "number",
                     "checksum", "luhn");
    card = json_pack("{s:s,s:s,s:s}", "name", "acct", "kind", "text",
                     "checksum", "verhoeff");
    bad = json_pack("{s:s,s:s,s:s}", "name", "x", "kind", "text",
                    "pattern", "(unclosed");

    rc = mana_validate_field(c, name, NULL, "Ravi Kumar", norm, sizeof(norm));
    ok(rc == MANA_VALID_OK, "pattern: a name in Latin letters");

    rc = mana_validate_field(c, name, NULL, "దరఖాస్తుదారు", norm,
                             sizeof(norm));
    ok(rc == MANA_VALID_OK, "pattern: a Telugu name (\\p{L}, \\p{M} in UCP)");

    rc = mana_validate_field(c, name, NULL, "R2D2", norm, sizeof(norm));
    ok(rc == MANA_VALID_PATTERN, "pattern: digits in a name refused");

    /* the pattern takes the normalised value where the typed one fails */
    rc = mana_validate_field(c, phone, NULL, "098765 43210", norm,
                             sizeof(norm));
    ok(rc == MANA_VALID_OK && strcmp(norm, "9876543210") == 0,
       "pattern: against the normalised phone number");

    rc = mana_validate_field(c, luhn, NULL, "79927398713", norm,
                             sizeof(norm));
    ok(rc == MANA_VALID_OK, "checksum luhn: valid");
    rc = mana_validate_field(c, luhn, NULL, "79927398710", norm,
                             sizeof(norm));
    ok(rc == MANA_VALID_CHECKSUM, "checksum luhn: invalid");

    rc = mana_validate_field(c, card, NULL, "2363", norm, sizeof(norm));
    ok(rc == MANA_VALID_OK, "checksum verhoeff on a text field: valid");
    rc = mana_validate_field(c, card, NULL, "2364", norm, sizeof(norm));
    ok(rc == MANA_VALID_CHECKSUM, "checksum verhoeff: invalid");

    rc = mana_validate_field(c, bad, NULL, "anything", norm, sizeof(norm));
    ok(rc == MANA_VALID_ERROR, "a pattern that does not compile: error");

    json_decref(name);
    json_decref(phone);
    json_decref(luhn);
    json_decref(card);
    json_decref(bad);
}


static void
test_cache(void)
{
    mana_validate_cache_t  *c;
    char                    err[256];
    size_t                  i, n;
    char                    pat[32];

    c = mana_validate_cache_new();
    ok(c != NULL, "cache created");

    ok(mana_validate_cache_add(c, "^a+$", err, sizeof(err)) == 0,
       "a pattern compiles");
    ok(mana_validate_cache_add(c, "^a+$", err, sizeof(err)) == 0
       && mana_validate_cache_size(c) == 1, "the same pattern: one entry");
    ok(mana_validate_cache_add(c, "a(b", err, sizeof(err)) == -1
       && strstr(err, "offset") != NULL, "a bad pattern: '%s'", err);
    ok(mana_validate_cache_add(c, "a(b", err, sizeof(err)) == -1
       && mana_validate_cache_size(c) == 2, "a bad pattern is remembered");

    ok(mana_validate_match(c, "^a+$", "aaa", 3) == 1, "match");
    ok(mana_validate_match(c, "^a+$", "aab", 3) == 0, "no match");
    ok(mana_validate_match(c, "^\\p{L}[\\p{L}\\p{M}]*$", "తెలుగు",
                           strlen("తెలుగు")) == 1,
       "UTF: letters and marks of Telugu");
    ok(mana_validate_match(c, "(?i)\\bincome\\s+cert", "My Income  Cert",
                           15) == 1, "an intent pattern");
    ok(mana_validate_match(c, "^a", "\xff", 1) == -1, "invalid UTF-8: -1");

    /* growth keeps every entry */
    n = mana_validate_cache_size(c);

    for (i = 0; i < 1200; i++) {
        snprintf(pat, sizeof(pat), "^x%zu$", i);
        mana_validate_cache_add(c, pat, NULL, 0);
    }

    ok(mana_validate_cache_size(c) == n + 1200, "1200 more patterns cached");
    ok(mana_validate_match(c, "^x777$", "x777", 4) == 1,
       "found after growth");

    mana_validate_cache_free(c);
}


static void
test_app_ref(void)
{
    char  ref[64];

    ok(mana_validate_app_ref(" rev-inc-2026-000123 ", ref, sizeof(ref))
       && strcmp(ref, "REV-INC-2026-000123") == 0, "app ref: upper-cased");
    ok(mana_validate_app_ref("ENGY-EPDCL-BILL-2026-000001", ref,
                             sizeof(ref)), "app ref: a three-part code");
    ok(!mana_validate_app_ref("REV-2026-000123", ref, sizeof(ref)),
       "app ref: no service code");
    ok(!mana_validate_app_ref("REV-INC-26-000123", ref, sizeof(ref)),
       "app ref: a two-digit year");
    ok(!mana_validate_app_ref("REV-INC-2026-", ref, sizeof(ref)),
       "app ref: no number");
    ok(!mana_validate_app_ref("hello there", ref, sizeof(ref)),
       "app ref: words");
}


int
main(void)
{
    mana_validate_cache_t  *c;

    districts = json_loads("[{\"en\":\"Guntur\",\"te\":\"గుంటూరు\"},"
                           "{\"en\":\"Krishna\",\"te\":\"కృష్ణా\","
                           "\"hi\":\"कृष्णा\"}]", 0, NULL);
    choice_field = json_loads(
        "{\"name\":\"gender\",\"kind\":\"choice\",\"choices\":["
        "{\"id\":\"male\",\"label\":{\"en\":\"Male\",\"te\":\"పురుషుడు\"}},"
        "{\"id\":\"female\",\"label\":{\"en\":\"Female\",\"te\":\"స్త్రీ\"}},"
        "{\"id\":\"transgender\",\"label\":{\"en\":\"Transgender\"}}]}",
        0, NULL);

    c = mana_validate_cache_new();

    test_kinds();
    test_text_length();
    test_checksums();
    test_fields(c);
    test_cache();
    test_app_ref();

    mana_validate_cache_free(c);
    json_decref(districts);
    json_decref(choice_field);

    return done_testing();
}
