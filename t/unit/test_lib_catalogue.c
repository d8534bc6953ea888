/*
 * Unit tests of lib/mana_catalogue*.c and lib/mana_csv.c: the rules of
 * docs/catalogue-format.md, the places problems are reported at, the
 * canonical form, and RFC 4180 CSV.
 */

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "mana_catalogue.h"
#include "mana_csv.h"


/* the first problem's "place: message", or "" */

static char  first[1024];

static const char *
first_problem(mana_cat_problems_t *p, int severity)
{
    size_t  i;

    first[0] = '\0';

    for (i = 0; i < p->n; i++) {
        if (p->v[i].severity == severity) {
            snprintf(first, sizeof(first), "%s: %s", p->v[i].place,
                     p->v[i].message);
            break;
        }
    }

    return first;
}


static json_t *
J(const char *text)
{
    json_t  *v;

    v = json_loads(text, 0, NULL);
    if (v == NULL) {
        printf("# bad test JSON: %s\n", text);
    }

    return v;
}


/* checks one service; returns the number of errors */

static size_t
check_service(const char *text, mana_cat_problems_t *p)
{
    size_t   n;
    json_t  *v;

    mana_cat_problems_free(p);
    v = J(text);
    n = mana_cat_check_service(v, "services[0] (REV-INC)", p);
    json_decref(v);

    return n;
}


#define SVC(extra)                                                            \
    "{\"code\":\"REV-INC\",\"department\":\"REV\",\"type\":\"payment\","       \
    "\"name\":{\"en\":\"Income\",\"te\":\"ఆదాయం\"}" extra "}"


static void
test_codes(void)
{
    ok(mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "REV"), "REV");
    ok(mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "AB345678"), "8 chars");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "AB3456789"),
       "9 chars is too long");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "R"), "1 char");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "rev"), "lower case");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, "1RV"), "digit first");

    ok(mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-INC"), "REV-INC");
    ok(mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-INC-2024"),
       "three parts");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV"), "no hyphen");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-"), "empty part");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-A-B-C"),
       "four parts");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-ABCDEFGHIJKLM"),
       "13-character part");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-A-123456789"),
       "9-character third part");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, "REV-inc"), "lower case");

    ok(mana_cat_code_valid(MANA_CAT_CODE_OFFICE, "REV-GNT-TENALI"), "office");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_OFFICE, "-REV"), "office: hyphen");
    ok(mana_cat_code_valid(MANA_CAT_CODE_FIELD, "annual_income"), "field");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_FIELD, "_x"), "field: underscore");
    ok(mana_cat_code_valid(MANA_CAT_CODE_LANG, "te"), "te");
    ok(mana_cat_code_valid(MANA_CAT_CODE_LANG, "sat"), "sat");
    ok(!mana_cat_code_valid(MANA_CAT_CODE_LANG, "EN"), "EN");
    ok(mana_cat_code_valid(MANA_CAT_CODE_I18N_KEY, "menu.main"), "i18n key");
}


static void
test_patterns(void)
{
    char  err[256];

    ok(mana_cat_pattern_valid("^\\p{L}[\\p{L}\\p{M} .'-]{1,99}$", err,
                              sizeof(err)), "a Unicode pattern compiles");
    ok(!mana_cat_pattern_valid("(abc", err, sizeof(err)),
       "an open group does not");
    is_str(err, "missing closing parenthesis at offset 4",
           "PCRE2's message and the offset");
    ok(!mana_cat_pattern_valid("a{2,1}", err, sizeof(err)), "a{2,1}");
    ok(strstr(err, "at offset 5") != NULL, "offset 5: %s", err);
}


static void
test_service_rules(void)
{
    mana_cat_problems_t  p;

    mana_cat_problems_init(&p);

    ok(check_service(SVC(""), &p) == 0, "a minimal payment service is valid");

    ok(check_service(SVC(",\"colour\":1"), &p) == 1, "an unknown key");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "services[0] (REV-INC): colour: unknown key", "... its place");

    /* 24 Telugu code points are 72 bytes: the count is in code points */
    ok(check_service("{\"code\":\"REV-INC\",\"department\":\"REV\","
                     "\"type\":\"payment\",\"name\":{\"en\":\"x\",\"te\":"
                     "\"ఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆ\"}}", &p) == 0,
       "24 Telugu code points are allowed");
    ok(check_service("{\"code\":\"REV-INC\",\"department\":\"REV\","
                     "\"type\":\"payment\",\"name\":{\"en\":\"x\",\"te\":"
                     "\"ఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆఆ\"}}", &p) == 1,
       "25 are not");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "services[0] (REV-INC): name.te: has 25 code points, must have 1 "
           "to 24", "... named with the language");

    ok(check_service("{\"code\":\"REV-INC\",\"department\":\"REV\","
                     "\"type\":\"payment\",\"name\":{\"te\":\"x\"}}", &p)
       == 1, "English is required");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "services[0] (REV-INC): name.en: is required (English is the "
           "reference language)", "... its message");

    ok(check_service("{\"code\":\"REV-INC\",\"department\":\"REV\","
                     "\"type\":\"payment\",\"name\":{\"en\":\"x\"}}", &p)
       == 0 && p.warnings == 1, "missing Telugu is a warning");
    is_str(first_problem(&p, MANA_CAT_WARNING),
           "services[0] (REV-INC): name.te: Telugu is missing", "... there");

    ok(check_service("{\"code\":\"HLTH-INC\",\"department\":\"REV\","
                     "\"type\":\"payment\",\"name\":{\"en\":\"x\"}}", &p)
       == 1, "the code must start with the department's");

    ok(check_service("{\"code\":\"REV-INC\",\"department\":\"REV\","
                     "\"type\":\"application\",\"name\":{\"en\":\"x\"}}",
                     &p) == 2, "application: sla_days and a form required");

    ok(check_service(SVC(",\"fee\":12.345"), &p) == 1, "fee: 3 decimals");
    ok(check_service(SVC(",\"fee\":-1"), &p) == 1, "fee: negative");
    ok(check_service(SVC(",\"fee\":12.35"), &p) == 0, "fee: 12.35");
    ok(check_service(SVC(",\"sla_days\":366"), &p) == 1, "sla_days: 366");
    ok(check_service(SVC(",\"enabled\":\"yes\""), &p) == 1,
       "enabled: a string");

    ok(check_service(SVC(",\"intents\":[\"ok\",\"(x\"]"), &p) == 1,
       "an invalid intent");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "services[0] (REV-INC): intents[1]: invalid PCRE2 pattern: "
           "missing closing parenthesis at offset 2", "... with the offset");

    ok(check_service(SVC(",\"form\":[{\"name\":\"a\",\"kind\":\"text\","
                         "\"label\":{\"en\":\"A\",\"te\":\"అ\"}},"
                         "{\"name\":\"b\",\"kind\":\"text\","
                         "\"label\":{\"en\":\"B\",\"te\":\"బ\"},"
                         "\"pattern\":\"[z\"}]"), &p) == 1,
       "a bad field pattern");
    ok(strncmp(first_problem(&p, MANA_CAT_ERROR),
               "services[0] (REV-INC): form[1].pattern: invalid PCRE2 "
               "pattern: missing terminating ] for character class at "
               "offset 2", 200) == 0, "... form[1].pattern: %s", first);

    ok(check_service(SVC(",\"form\":[{\"name\":\"a\",\"kind\":\"text\","
                         "\"label\":{\"en\":\"A\",\"te\":\"అ\"}},"
                         "{\"name\":\"a\",\"kind\":\"text\","
                         "\"label\":{\"en\":\"B\",\"te\":\"బ\"}}]"), &p) == 1,
       "duplicate field names");

    ok(check_service(SVC(",\"form\":[{\"name\":\"c\",\"kind\":\"choice\","
                         "\"label\":{\"en\":\"C\",\"te\":\"చ\"}}]"), &p) == 1,
       "a choice field without choices");
    ok(check_service(SVC(",\"form\":[{\"name\":\"c\",\"kind\":\"text\","
                         "\"label\":{\"en\":\"C\",\"te\":\"చ\"},"
                         "\"choices\":[]}]"), &p) == 1,
       "choices on a text field");
    ok(check_service(SVC(",\"keywords\":{\"en\":[\"\"]}"), &p) == 1,
       "an empty keyword");
    ok(check_service(SVC(",\"content\":{\"EN\":\"x\"}"), &p) == 1,
       "a language code in capitals");

    ok(check_service("[1]", &p) == 1, "not an object");

    mana_cat_problems_free(&p);
}


/* len 0: strlen(text) */

static int
parse(mana_catalogue_t *cat, const char *text, size_t len,
    json_t *known, mana_cat_problems_t *p)
{
    return mana_catalogue_parse(cat, text, len ? len : strlen(text), known,
                                p);
}


static void
test_document(void)
{
    char                 *a, *b;
    mana_catalogue_t      cat, cat2;
    mana_cat_problems_t   p;

    static const char  doc[] =
        "{\"format\":\"mana-catalogue/1\","
        "\"services\":[" SVC(",\"fee\":20.50") ","
        "{\"code\":\"REV-A\",\"sort\":2,\"department\":\"REV\","
        "\"type\":\"payment\",\"name\":{\"te\":\"ఎ\",\"en\":\"A\"}}],"
        "\"departments\":[{\"code\":\"REV\",\"name\":{\"en\":\"Revenue\","
        "\"te\":\"రెవెన్యూ\"}}]}";

    mana_cat_problems_init(&p);

    ok(mana_catalogue_parse(&cat, doc, sizeof(doc) - 1, NULL, &p) == 0,
       "a document parses");
    ok(p.errors == 0 && p.warnings == 0, "... without problems");
    is_str(json_string_value(json_object_get(json_array_get(cat.services, 0),
                                             "code")),
           "REV-A", "services are sorted by code");
    ok(mana_catalogue_service(&cat, "REV-INC") != NULL, "lookup by code");
    ok(mana_catalogue_service(&cat, "REV-NO") == NULL, "lookup: none");
    ok(json_integer_value(json_object_get(mana_catalogue_service(&cat,
                                              "REV-INC"), "fee")) == 0
       && json_real_value(json_object_get(mana_catalogue_service(&cat,
                                              "REV-INC"), "fee")) == 20.5,
       "fee 20.50 is the real 20.5");

    a = mana_catalogue_dump(&cat);
    ok(a && strstr(a, "\"name\": {\n        \"en\": \"A\",") != NULL,
       "languages in order: en first");
    ok(a && strstr(a, "\"fee\": 20.5,") != NULL, "the fee as 20.5");

    ok(mana_catalogue_parse(&cat2, a, strlen(a), NULL, &p) == 0,
       "the dump parses");
    b = mana_catalogue_dump(&cat2);
    is_str(b, a, "and dumps to the same bytes");

    free(a);
    free(b);
    mana_catalogue_free(&cat);
    mana_catalogue_free(&cat2);

    mana_cat_problems_free(&p);
    ok(parse(&cat, "[]", 2, NULL, &p) == -1,
       "an array is not a document");
    ok(strstr(first_problem(&p, MANA_CAT_ERROR), "must be an object")
       != NULL, "... said so: %s", first);

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"mana-catalogue/1\","
                            "\"departments\":[{\"code\":\"REV\",\"name\":"
                            "{\"en\":\"R\"}},{\"code\":\"REV\",\"name\":"
                            "{\"en\":\"S\"}}]}", 0, NULL, &p) == -1,
       "a duplicate code");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "departments[1] (REV): code: duplicate code \"REV\" (also "
           "departments[0] (REV))", "... names both");

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"mana-catalogue/1\","
                            "\"services\":[" SVC("") "]}", 0, NULL, &p)
       == -1, "a service of a department not in the document");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "services[0] (REV-INC): department: no department \"REV\" in the "
           "document", "... named");

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"x\",\"extra\":1}", 24, NULL,
                            &p) == -1 && p.errors == 2,
       "a wrong format and an unknown key");

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"\xff\"}", 13, NULL, &p)
       == -1 && strstr(first_problem(&p, MANA_CAT_ERROR), "not a JSON")
       != NULL, "invalid UTF-8 is refused: %s", first);

    mana_cat_problems_free(&p);
}


/* districts: their names, their order, and what a form offers */

static void
test_districts(void)
{
    char                 *a, *b;
    json_t               *form;
    mana_catalogue_t      cat, cat2;
    mana_cat_problems_t   p;

    static const char  doc[] =
        "{\"format\":\"mana-catalogue/1\","
        "\"departments\":[{\"code\":\"REV\",\"name\":{\"en\":\"R\","
        "\"te\":\"ర\"}}],"
        "\"offices\":["
        "{\"code\":\"REV-KRI\",\"department\":\"REV\","
        "\"district\":\"Krishna\",\"name\":{\"en\":\"K\",\"te\":\"క\"}},"
        "{\"code\":\"REV-GNT\",\"department\":\"REV\","
        "\"district\":\"Guntur\",\"name\":{\"en\":\"G\",\"te\":\"గ\"}},"
        "{\"code\":\"REV-GNT-2\",\"department\":\"REV\","
        "\"district\":\"guntur\",\"name\":{\"en\":\"G\",\"te\":\"గ\"}},"
        "{\"code\":\"REV-GTM\",\"department\":\"REV\","
        "\"district\":\"Gotham\",\"name\":{\"en\":\"X\",\"te\":\"ఎ\"}}],"
        "\"districts\":["
        "{\"name\":{\"te\":\"కృష్ణా\",\"en\":\"Krishna\"}},"
        "{\"name\":{\"en\":\"Guntur\",\"hi\":\"गुंटूर\","
        "\"te\":\"గుంటూరు\"}}]}";

    mana_cat_problems_init(&p);

    ok(parse(&cat, doc, sizeof(doc) - 1, NULL, &p) == 0,
       "a document with districts parses");
    ok(p.errors == 0 && p.warnings == 1, "... with one warning");
    is_str(first_problem(&p, MANA_CAT_WARNING),
           "offices[3] (REV-GTM): district: \"Gotham\" is not in the "
           "districts: citizens read it in English",
           "... an office in a district the list does not name");
    is_str(json_string_value(json_object_get(json_object_get(
               json_array_get(cat.districts, 0), "name"), "en")),
           "Guntur", "districts are sorted by English name");
    ok(mana_catalogue_district(&cat, "GUNTUR") != NULL,
       "lookup by English name, in any case");
    ok(mana_catalogue_district(&cat, "గుంటూరు") == NULL,
       "... by that name only");

    a = mana_catalogue_dump(&cat);
    ok(a && strstr(a, "\"districts\": [\n    {\n      \"name\": {\n"
                      "        \"en\": \"Guntur\",\n        \"te\": "
                      "\"గుంటూరు\",\n        \"hi\": \"गुंटूर\"") != NULL,
       "dumped after the services, names in language order");
    ok(mana_catalogue_parse(&cat2, a, strlen(a), NULL, &p) == 0,
       "the dump parses");
    b = mana_catalogue_dump(&cat2);
    is_str(b, a, "and dumps to the same bytes");
    free(a);
    free(b);
    mana_catalogue_free(&cat2);

    /* the offices' order (by code): GNT, GNT-2 (the same), GTM, KRI */
    form = mana_catalogue_form_districts(&cat);
    a = form ? json_dumps(form, JSON_COMPACT) : NULL;
    is_str(a, "[{\"en\":\"Guntur\",\"te\":\"గుంటూరు\",\"hi\":\"गुंटूर\"},"
              "{\"en\":\"Gotham\"},{\"en\":\"Krishna\",\"te\":\"కృష్ణా\"}]",
           "a form offers the offices' districts, once, by their names");
    free(a);
    json_decref(form);
    mana_catalogue_free(&cat);

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"mana-catalogue/1\",\"districts\":["
                   "{\"name\":{\"en\":\"Guntur\"}},"
                   "{\"name\":{\"en\":\"GUNTUR\",\"te\":\"గుంటూరు\"}},"
                   "{\"name\":{\"te\":\"కృష్ణా\"},\"code\":\"KRI\"}]}", 0,
             NULL, &p) == -1 && p.errors == 3,
       "a district twice, one without English, an unknown key");
    is_str(first_problem(&p, MANA_CAT_ERROR),
           "districts[1] (GUNTUR): name.en: the district \"GUNTUR\" is "
           "also districts[0]", "... the same name in another case");
    ok(p.warnings == 1, "a missing Telugu name is a warning");

    mana_cat_problems_free(&p);
    ok(parse(&cat, "{\"format\":\"mana-catalogue/1\",\"departments\":[]}",
             0, NULL, &p) == 0 && cat.districts == NULL,
       "no districts: none");
    a = mana_catalogue_dump(&cat);
    ok(a && strstr(a, "districts") == NULL, "... and none in the dump");
    form = mana_catalogue_form_districts(&cat);
    ok(form && json_array_size(form) == 0, "... nor on a form");
    free(a);
    json_decref(form);
    mana_catalogue_free(&cat);

    mana_cat_problems_free(&p);
}


static int
read_all(const char *text, size_t len, char *out, size_t size)
{
    int          rc;
    size_t       i, n;
    mana_csv_t   c;

    mana_csv_init(&c, text, len ? len : strlen(text));
    n = 0;
    out[0] = '\0';

    while ((rc = mana_csv_next(&c)) == 1) {
        for (i = 0; i < c.nfields; i++) {
            n += snprintf(out + n, size - n, "%s<%s>", i ? "" : "|",
                          c.fields[i]);
        }

        if (c.ncols == 0) {
            c.ncols = c.nfields;
        }
    }

    if (rc < 0) {
        snprintf(out, size, "line %zu field %zu: %s", c.err_line,
                 c.err_field, c.err);
    }

    mana_csv_free(&c);

    return rc;
}


static void
test_csv(void)
{
    char        out[512];
    mana_buf_t  b;

    ok(read_all("a,b\r\n1,2\r\n", 10, out, sizeof(out)) == 0, "CRLF");
    is_str(out, "|<a><b>|<1><2>", "... fields");

    read_all("a,b\n\"x,\"\"y\"\"\",\"two\nlines\"\n", 0, out, sizeof(out));
    is_str(out, "|<a><b>|<x,\"y\"><two\nlines>", "quotes, escapes, newlines");

    read_all("\xef\xbb\xbf" "a\n1", 6, out, sizeof(out));
    is_str(out, "|<a>|<1>", "a BOM is skipped; no final newline");

    read_all("a,b\n1,2\n\"3,4\n5,6\n", 17, out, sizeof(out));
    is_str(out, "line 3 field 1: unbalanced quotes: a quoted field is not "
           "closed", "an open quote: the line it opened on");

    read_all("a,b\n1\"x\",2\n", 11, out, sizeof(out));
    is_str(out, "line 2 field 1: unbalanced quotes: a quote inside an "
           "unquoted field", "a quote inside a field");

    read_all("a,b\n\"x\"y,2\n", 11, out, sizeof(out));
    is_str(out, "line 2 field 1: unbalanced quotes: text after a closing "
           "quote", "text after a quote");

    read_all("a,b\n\"m\nn\",2\n1,2,3\n", 18, out, sizeof(out));
    is_str(out, "line 4 field 0: 3 fields where the header has 2",
           "a wrong column count, lines counted across a quoted newline");

    read_all("a,b\n1,\xc3\x28\n", 9, out, sizeof(out));
    is_str(out, "line 2 field 2: not valid UTF-8 text", "invalid UTF-8");

    mana_buf_init(&b);
    mana_csv_field(&b, "plain", 5, 1);
    mana_csv_field(&b, "a,b", 3, 0);
    mana_csv_field(&b, "say \"hi\"", 8, 0);
    mana_csv_field(&b, "", 0, 0);
    mana_csv_field(&b, "x\ny", 3, 0);
    mana_csv_end(&b);
    mana_buf_add(&b, "", 1);
    is_str(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"x\ny\"\r\n",
           "the writer quotes only what needs it");
    mana_buf_free(&b);
}


static void
test_catalogue_csv(void)
{
    char                 *a, *b;
    json_t               *s, *s2, *lines;
    mana_cat_problems_t   p;

    static const char  csv[] =
        "code,department,type,name.en,name.te,fee,sla_days,keywords,form\r\n"
        "REV-INC,REV,application,Income,ఆదాయం,12.50,7,"
        "\"{\"\"en\"\":[\"\"income\"\"]}\","
        "\"[{\"\"name\"\":\"\"n\"\",\"\"kind\"\":\"\"text\"\",\"\"label\"\":"
        "{\"\"en\"\":\"\"Name\"\",\"\"te\"\":\"\"పేరు\"\"}}]\"\r\n"
        "REV-PAY,REV,payment,Pay,చెల్లింపు,,,,\r\n";

    mana_cat_problems_init(&p);

    s = mana_catalogue_csv_read(csv, sizeof(csv) - 1, &lines, &p);
    ok(s != NULL && json_array_size(s) == 2, "two services from CSV");
    ok(p.errors == 0, "no errors: %s", first_problem(&p, MANA_CAT_ERROR));
    ok(json_integer_value(json_array_get(lines, 1)) == 3, "row 2 on line 3");

    a = mana_catalogue_csv_write(s);
    ok(a && strncmp(a, "code,department,type,enabled,popular,sort,fee,"
                    "sla_days,name.en,name.te,keywords,intents,documents,"
                    "form\r\n", 98) == 0, "the header in the documented "
       "order");

    s2 = mana_catalogue_csv_read(a, strlen(a), NULL, &p);
    b = s2 ? mana_catalogue_csv_write(s2) : NULL;
    is_str(b, a, "CSV round trip: the same bytes");

    free(a);
    free(b);
    json_decref(s);
    json_decref(s2);
    json_decref(lines);

    mana_cat_problems_free(&p);
    s = mana_catalogue_csv_read("code,department,type,name.en,colour\n"
                                "REV-A,REV,payment,A,red\n", 60, NULL, &p);
    ok(s == NULL, "an unknown column");
    is_str(first_problem(&p, MANA_CAT_ERROR), "1: column colour: unknown "
           "column", "... named");

    mana_cat_problems_free(&p);
    s = mana_catalogue_csv_read("code,department,type,name.en,form\n"
                                "REV-A,REV,payment,A,\"[{\"\"name\"\":1}]\"\n",
                                70, NULL, &p);
    ok(s == NULL, "a bad form");
    is_str(first_problem(&p, MANA_CAT_ERROR), "2: column form: form[0].name: "
           "must be a string", "... the line and the column");

    mana_cat_problems_free(&p);
    s = mana_catalogue_csv_read("code,department,type,name.en\n"
                                "REV-A,REV,payment,A\nREV-A,REV,payment,B\n",
                                70, NULL, &p);
    ok(s == NULL, "a duplicate code");
    is_str(first_problem(&p, MANA_CAT_ERROR), "3: column code: duplicate "
           "code \"REV-A\" (also line 2)", "... both lines");

    mana_cat_problems_free(&p);
    s = mana_catalogue_csv_read("code,department,name.en\nREV-A,REV,A\n", 36,
                                NULL, &p);
    is_str(first_problem(&p, MANA_CAT_ERROR), "1: column type: a required "
           "column is missing", "a missing column");

    mana_cat_problems_free(&p);
}


int
main(void)
{
    test_codes();
    test_patterns();
    test_service_rules();
    test_document();
    test_districts();
    test_csv();
    test_catalogue_csv();

    return done_testing();
}
