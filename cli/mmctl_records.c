
/*
 * The "records" noun: a department's records for an instant-document
 * service (a hall-ticket list), each signed into a certificate here, at
 * import, because nginx workers hold no signing key: the bot only looks
 * a record up (by the key of lib/mana_records.h) and delivers it.
 *
 * The file is RFC 4180 CSV whose header names the columns:
 *
 *   every field of the service's form   the lookup fields, validated and
 *                                       normalised as the bot does
 *   holder                              the name as printed (required)
 *   number                              the number as printed; without
 *                                       the column, the first lookup
 *                                       field's value (a roll number)
 *   relation                            optional ("S/o ...")
 *   expires                             optional, YYYY-MM-DD (UTC)
 *   any other column                    a printed fact, by its name
 *
 * One transaction; nothing is written when one row is bad.  A record is
 * the same record when its number is: unchanged, it is left alone;
 * changed, it gets a new certificate and the old one is superseded.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mmctl_cert.h"
#include "mmctl_catalogue.h"
#include "mmctl_key.h"
#include "mana_csv.h"
#include "mana_hex.h"
#include "mana_records.h"
#include "mana_time.h"
#include "mana_utf8.h"
#include "mana_validate.h"


#define MMCTL_RECORDS_NAME_MAX    32
#define MMCTL_RECORDS_VALUE_MAX   2048
#define MMCTL_RECORDS_LOOKUP_MAX  16
#define MMCTL_RECORDS_ROWS_MAX    1000000


typedef enum {
    MMCTL_RECORD_NEW = 0,
    MMCTL_RECORD_CHANGED,
    MMCTL_RECORD_UNCHANGED
} mmctl_record_action_e;


typedef struct {
    size_t                  line;
    char                  **cells;          /* normalised, owned */
    const char             *number;         /* points into cells */
    int64_t                 exp;
    char                    key[2 * MANA_RECORD_KEY_LEN + 1];
    unsigned char           content[32];
    mmctl_record_action_e   action;
    unsigned long long      id;             /* the stored record, if any */
    unsigned long long      old_cert;
} mmctl_record_t;


typedef struct {
    const char             *file;
    const char             *service;
    const char             *office;
    json_t                 *fields;         /* the lookup fields */
    size_t                  nlookup;
    size_t                  ncols;
    char                  **names;          /* the header, owned */
    int                     lookup[MMCTL_RECORDS_LOOKUP_MAX];
    int                     holder, number, relation, expires;
    mmctl_record_t         *rows;
    size_t                  nrows;
    size_t                  bad;
} mmctl_records_t;


static int mmctl_records_import(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_records_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_records_count(mmctl_ctx_t *ctx, mmctl_args_t *args);


enum {
    MMCTL_RECORDS_SERVICE = 0,
    MMCTL_RECORDS_OFFICE,
    MMCTL_RECORDS_DRY_RUN
};

static const mmctl_option_t  mmctl_records_import_options[] = {
    { "--service", NULL, 1 },
    { "--office", NULL, 1 },
    { "--dry-run", "-n", 0 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_records_service_options[] = {
    { "--service", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_records_verbs[] = {

    { "import", "--service CODE --office CODE [--dry-run] FILE.csv",
      "sign a department's records into certificates the bot delivers",
      "Loads FILE.csv (RFC 4180, UTF-8, a header row) as the records of\n"
      "the instant-document service CODE, each signed into a certificate\n"
      "by the office's active issuer key (opened with the master key) and\n"
      "appended to the issuance log, all in one transaction.  The header\n"
      "names the columns: every field of the service's form (the lookup\n"
      "fields the citizen types, validated as the bot validates them),\n"
      "holder (the name as printed, required), number (as printed; the\n"
      "first lookup field's value without the column), relation and\n"
      "expires (YYYY-MM-DD, UTC), both optional; any other column is a\n"
      "printed fact named by its header (at most 24).\n"
      "\n"
      "Every bad row is reported as FILE:LINE: column NAME: why, and then\n"
      "nothing is imported (exit 1).  Importing again is safe: a record\n"
      "is known by its number; unchanged, it is left alone; changed, it\n"
      "gets a new certificate and its old one is marked superseded.\n"
      "Records the file does not name stay.  The QR texts need the verify\n"
      "host (--verify-host, MANA_VERIFY_HOST or verify_host).\n"
      "\n"
      "  --service CODE      an instant_document service\n"
      "  --office CODE       the issuing office, of the service's department\n"
      "  --dry-run, -n       check and count, sign and write nothing\n"
      "\n"
      "Output: SERVICE BATCH NEW CHANGED UNCHANGED (BATCH \"-\" when nothing\n"
      "was written); with --json {\"service\":..,\"batch\":..|null,\n"
      "\"dry_run\":B,\"new\":N,\"changed\":N,\"unchanged\":N}\n",
      mmctl_records_import_options, 1, 1, mmctl_records_import },

    { "list", "--service CODE",
      "list a service's records: number, certificate, batch",
      "Lists the records of the service CODE by number, with their\n"
      "certificate's id and status and the import that wrote them.  No\n"
      "names: \"mmctl cert show ID\" has them.\n"
      "\n"
      "Output: NUMBER ID STATUS BATCH IMPORTED_AT; with --json\n"
      "  {\"records\":[{\"number\":..,\"id\":..,\"status\":..,\"batch\":..,\n"
      "   \"imported_at\":..},...]}\n",
      mmctl_records_service_options, 0, 0, mmctl_records_list },

    { "count", "--service CODE",
      "count a service's records",
      "Counts the records of the service CODE.\n"
      "\n"
      "Output: SERVICE RECORDS; with --json {\"service\":..,\"records\":N}\n",
      mmctl_records_service_options, 0, 0, mmctl_records_count },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_records = {
    "records",
    "records of instant-document services: import, list, count",
    "The records a department loads for an instant-document service (a\n"
    "hall-ticket list): signed into certificates at import, found and\n"
    "delivered by the bot when a citizen types the lookup fields.\n",
    mmctl_records_verbs
};


static void
mmctl_records_free(mmctl_records_t *r)
{
    size_t  i, j;

    for (i = 0; i < r->nrows; i++) {
        for (j = 0; j < r->ncols; j++) {
            free(r->rows[i].cells[j]);
        }

        free(r->rows[i].cells);
    }

    for (j = 0; j < r->ncols; j++) {
        free(r->names[j]);
    }

    free(r->rows);
    free(r->names);
    json_decref(r->fields);
}


static void
mmctl_records_bad(mmctl_records_t *r, size_t line, const char *column,
    const char *why)
{
    r->bad++;

    if (column) {
        fprintf(stderr, "%s:%zu: column %s: %s\n", r->file, line, column,
                why);

    } else {
        fprintf(stderr, "%s:%zu: %s\n", r->file, line, why);
    }
}


static int
mmctl_records_reserved(const char *name)
{
    return strcmp(name, "holder") == 0 || strcmp(name, "number") == 0
           || strcmp(name, "relation") == 0 || strcmp(name, "expires") == 0;
}


/* the header: known, unique names; every lookup field present */
static int
mmctl_records_header(mmctl_records_t *r, mana_csv_t *csv)
{
    size_t       i, j, n, facts;
    const char  *name;

    r->ncols = csv->nfields;
    r->names = calloc(r->ncols, sizeof(char *));
    if (r->names == NULL) {
        return -1;
    }

    r->holder = r->number = r->relation = r->expires = -1;

    for (i = 0; i < r->nlookup; i++) {
        r->lookup[i] = -1;
    }

    facts = 0;

    for (j = 0; j < r->ncols; j++) {
        name = csv->fields[j];
        r->names[j] = strdup(name);
        if (r->names[j] == NULL) {
            return -1;
        }

        n = strlen(name);

        if (n == 0 || n > MMCTL_RECORDS_NAME_MAX || name[0] < 'a'
            || name[0] > 'z' || strspn(name, "abcdefghijklmnopqrstuvwxyz"
                                              "0123456789_") != n)
        {
            mmctl_records_bad(r, csv->record_line, NULL, "a column name "
                              "must match ^[a-z][a-z0-9_]{0,31}$");
            continue;
        }

        for (i = 0; i < j; i++) {
            if (r->names[i] && strcmp(r->names[i], name) == 0) {
                mmctl_records_bad(r, csv->record_line, name, "named twice");
                break;
            }
        }

        if (strcmp(name, "holder") == 0) {
            r->holder = (int) j;

        } else if (strcmp(name, "number") == 0) {
            r->number = (int) j;

        } else if (strcmp(name, "relation") == 0) {
            r->relation = (int) j;

        } else if (strcmp(name, "expires") == 0) {
            r->expires = (int) j;

        } else {
            for (i = 0; i < r->nlookup; i++) {
                if (strcmp(json_string_value(json_object_get(
                               json_array_get(r->fields, i), "name")),
                           name) == 0)
                {
                    r->lookup[i] = (int) j;
                    break;
                }
            }

            facts += i == r->nlookup;
        }
    }

    if (r->holder < 0) {
        mmctl_records_bad(r, csv->record_line, "holder", "missing: the "
                          "holder's name as printed");
    }

    for (i = 0; i < r->nlookup; i++) {
        if (r->lookup[i] < 0) {
            mmctl_records_bad(r, csv->record_line,
                              json_string_value(json_object_get(
                                  json_array_get(r->fields, i), "name")),
                              "missing: a lookup field of the service's "
                              "form");
        }
    }

    if (facts > MANA_MM1_MAX_FACTS) {
        mmctl_records_bad(r, csv->record_line, NULL, "more than 24 fact "
                          "columns");
    }

    return 0;
}


static int
mmctl_records_is_fact(mmctl_records_t *r, size_t col)
{
    size_t  i;

    if (mmctl_records_reserved(r->names[col])) {
        return 0;
    }

    for (i = 0; i < r->nlookup; i++) {
        if (r->lookup[i] == (int) col) {
            return 0;
        }
    }

    return 1;
}


/* SHA-256 of what the certificate would say: a re-import compares it */
static int
mmctl_records_content(mmctl_records_t *r, mmctl_record_t *row)
{
    int            rc;
    size_t         j;
    unsigned int   len;
    EVP_MD_CTX    *md;
    const char    *parts[6];

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        return -1;
    }

    parts[0] = "mana-record-content/1";
    parts[1] = r->office;
    parts[2] = row->number;
    parts[3] = row->cells[r->holder];
    parts[4] = r->relation >= 0 ? row->cells[r->relation] : "";
    parts[5] = r->expires >= 0 ? row->cells[r->expires] : "";

    rc = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : -1;

    for (j = 0; rc == 0 && j < 6; j++) {
        rc = EVP_DigestUpdate(md, parts[j], strlen(parts[j]) + 1) == 1
             ? 0 : -1;
    }

    if (rc == 0) {
        rc = EVP_DigestUpdate(md, row->key, strlen(row->key) + 1) == 1
             ? 0 : -1;
    }

    for (j = 0; rc == 0 && j < r->ncols; j++) {
        if (!mmctl_records_is_fact(r, j)) {
            continue;
        }

        if (EVP_DigestUpdate(md, r->names[j], strlen(r->names[j]) + 1) != 1
            || EVP_DigestUpdate(md, row->cells[j], strlen(row->cells[j]) + 1)
               != 1)
        {
            rc = -1;
        }
    }

    if (rc == 0 && EVP_DigestFinal_ex(md, row->content, &len) != 1) {
        rc = -1;
    }

    EVP_MD_CTX_free(md);

    return rc;
}


/* one row: every cell checked, the lookup fields normalised */
static int
mmctl_records_row(mmctl_records_t *r, mana_csv_t *csv,
    mana_validate_cache_t *re, mmctl_record_t *row)
{
    size_t         i, j, n;
    json_t        *f;
    const char    *v, *names[MMCTL_RECORDS_LOOKUP_MAX];
    const char    *values[MMCTL_RECORDS_LOOKUP_MAX];
    char          *norm, when[MANA_TIME_LEN + 1];
    mana_valid_t   vrc;
    size_t         bad;

    bad = r->bad;
    row->line = csv->record_line;
    row->cells = calloc(r->ncols, sizeof(char *));
    if (row->cells == NULL) {
        return -1;
    }

    for (j = 0; j < r->ncols; j++) {
        row->cells[j] = strdup(csv->fields[j]);
        if (row->cells[j] == NULL) {
            return -1;
        }

        if (strlen(csv->fields[j]) > MMCTL_CERT_TEXT_MAX) {
            mmctl_records_bad(r, row->line, r->names[j], "longer than 255 "
                              "bytes");
        }
    }

    norm = malloc(MMCTL_RECORDS_VALUE_MAX);
    if (norm == NULL) {
        return -1;
    }

    for (i = 0; i < r->nlookup; i++) {
        f = json_array_get(r->fields, i);
        names[i] = json_string_value(json_object_get(f, "name"));
        j = (size_t) r->lookup[i];
        v = row->cells[j];

        if (*v == '\0') {
            if (json_is_true(json_object_get(f, "required"))) {
                mmctl_records_bad(r, row->line, names[i], "required");
            }

            values[i] = "";
            continue;
        }

        vrc = mana_validate_field(re, f, NULL, v, norm,
                                  MMCTL_RECORDS_VALUE_MAX);

        if (vrc != MANA_VALID_OK) {
            /* the value itself stays out of the message */
            mmctl_records_bad(r, row->line, names[i], "not a valid value "
                              "for the field (as the bot would refuse it)");
            values[i] = "";
            continue;
        }

        free(row->cells[j]);
        row->cells[j] = strdup(norm);
        if (row->cells[j] == NULL) {
            free(norm);
            return -1;
        }

        values[i] = row->cells[j];
    }

    free(norm);

    v = row->cells[r->holder];

    if (*v == '\0') {
        mmctl_records_bad(r, row->line, "holder", "required");
    }

    row->number = r->number >= 0 ? row->cells[r->number]
                                 : row->cells[r->lookup[0]];
    n = strlen(row->number);

    if (n == 0 || n > MMCTL_CERT_NUMBER_MAX) {
        mmctl_records_bad(r, row->line, r->number >= 0 ? "number"
                                                       : names[0],
                          "the number must be 1 to 64 characters");

    } else {
        for (i = 0; i < n; i++) {
            if ((unsigned char) row->number[i] < 0x21
                || (unsigned char) row->number[i] > 0x7e)
            {
                mmctl_records_bad(r, row->line, r->number >= 0 ? "number"
                                                               : names[0],
                                  "the number must be printable ASCII");
                break;
            }
        }
    }

    row->exp = 0;

    if (r->expires >= 0 && row->cells[r->expires][0] != '\0') {
        v = row->cells[r->expires];

        if (strlen(v) != 10) {
            mmctl_records_bad(r, row->line, "expires", "expected "
                              "YYYY-MM-DD");

        } else {
            memcpy(when, v, 10);
            memcpy(when + 10, "T00:00:00Z", 10);
            when[20] = '\0';

            if (mana_time_parse(when, MANA_TIME_LEN, &row->exp) != 0) {
                mmctl_records_bad(r, row->line, "expires", "expected "
                                  "YYYY-MM-DD");

            } else if (row->exp <= mmctl_key_now()) {
                mmctl_records_bad(r, row->line, "expires", "the date has "
                                  "passed");
            }
        }
    }

    if (r->bad != bad) {
        return 0;
    }

    if (mana_record_key_hex(r->service, names, values, r->nlookup, row->key)
        != 0
        || mmctl_records_content(r, row) != 0)
    {
        return -1;
    }

    return 0;
}


/* the same number or the same lookup fields twice in the file */
static void
mmctl_records_dups(mmctl_records_t *r)
{
    size_t  i, k;

    for (i = 0; i < r->nrows; i++) {
        for (k = 0; k < i; k++) {
            if (strcmp(r->rows[i].number, r->rows[k].number) == 0) {
                fprintf(stderr, "%s:%zu: the number of line %zu again\n",
                        r->file, r->rows[i].line, r->rows[k].line);
                r->bad++;
                break;
            }

            if (strcmp(r->rows[i].key, r->rows[k].key) == 0) {
                fprintf(stderr, "%s:%zu: the lookup fields of line %zu "
                        "again: the citizen could not tell them apart\n",
                        r->file, r->rows[i].line, r->rows[k].line);
                r->bad++;
                break;
            }
        }
    }
}


static int
mmctl_records_parse(mmctl_ctx_t *ctx, mmctl_records_t *r, const char *data,
    size_t len)
{
    int                     rc;
    mana_csv_t              csv;
    mmctl_record_t         *rows;
    mana_validate_cache_t  *re;
    size_t                  cap;

    re = mana_validate_cache_new();
    if (re == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    mana_csv_init(&csv, data, len);
    rc = mana_csv_next(&csv);

    if (rc != 1) {
        if (rc == 0) {
            fprintf(stderr, "%s: empty: expected a header row\n", r->file);

        } else {
            fprintf(stderr, "%s:%zu: %s\n", r->file, csv.err_line, csv.err);
        }

        r->bad++;
        goto done;
    }

    if (mmctl_records_header(r, &csv) != 0) {
        rc = -1;
        goto done;
    }

    if (r->bad) {
        goto done;
    }

    csv.ncols = r->ncols;
    cap = 0;

    while ((rc = mana_csv_next(&csv)) == 1) {
        if (r->nrows == MMCTL_RECORDS_ROWS_MAX) {
            fprintf(stderr, "%s:%zu: more than %d records\n", r->file,
                    csv.record_line, MMCTL_RECORDS_ROWS_MAX);
            r->bad++;
            break;
        }

        if (r->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            rows = realloc(r->rows, cap * sizeof(mmctl_record_t));
            if (rows == NULL) {
                rc = -1;
                goto done;
            }

            r->rows = rows;
        }

        memset(&r->rows[r->nrows], 0, sizeof(mmctl_record_t));
        r->nrows++;

        if (mmctl_records_row(r, &csv, re, &r->rows[r->nrows - 1]) != 0) {
            rc = -1;
            goto done;
        }
    }

    if (rc < 0) {
        if (csv.err_field) {
            fprintf(stderr, "%s:%zu: field %zu: %s\n", r->file, csv.err_line,
                    csv.err_field, csv.err);

        } else {
            fprintf(stderr, "%s:%zu: %s\n", r->file, csv.err_line, csv.err);
        }

        r->bad++;
    }

    rc = 0;

    if (r->bad == 0) {
        mmctl_records_dups(r);
    }

done:

    mana_csv_free(&csv);
    mana_validate_cache_free(re);

    return rc == 0 ? MMCTL_OK
                   : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
}


/* the service: an instant_document one, whose form is its lookup fields */
static int
mmctl_records_service(mmctl_ctx_t *ctx, mmctl_records_t *r,
    char *dept, size_t size)
{
    int          rc;
    json_t      *svc;
    const char  *type, *d;

    rc = mmctl_catalogue_read_one(ctx, "service", r->service, &svc);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (svc == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no service %s",
                           r->service);
    }

    type = json_string_value(json_object_get(svc, "type"));
    d = json_string_value(json_object_get(svc, "department"));

    if (type == NULL || strcmp(type, "instant_document") != 0) {
        json_decref(svc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "service %s is "
                           "not an instant_document service", r->service);
    }

    r->fields = json_incref(json_object_get(svc, "form"));
    r->nlookup = json_array_size(r->fields);

    if (r->nlookup == 0 || r->nlookup > MMCTL_RECORDS_LOOKUP_MAX) {
        json_decref(svc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "service %s: its "
                           "form must have 1 to %d fields, the lookup "
                           "fields", r->service, MMCTL_RECORDS_LOOKUP_MAX);
    }

    snprintf(dept, size, "%s", d ? d : "");
    json_decref(svc);

    return MMCTL_OK;
}


/* new, changed or unchanged: the stored record of the same number */
static int
mmctl_records_classify(mmctl_ctx_t *ctx, mmctl_records_t *r,
    mmctl_record_t *row)
{
    int           rc;
    MYSQL_RES    *res;
    MYSQL_ROW     db;
    mana_buf_t    sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT id, content_hash = ");
    mana_buf_add_sql_bytes(&sql, row->content, sizeof(row->content));
    mana_buf_adds(&sql, ", certificate_id FROM record WHERE service_code = ");
    mana_buf_add_sql_text(&sql, r->service, strlen(r->service));
    mana_buf_adds(&sql, " AND number = ");
    mana_buf_add_sql_text(&sql, row->number, strlen(row->number));
    mana_buf_adds(&sql, " FOR UPDATE");

    rc = mmctl_select(ctx, &sql, "cannot read the records", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    db = mysql_fetch_row(res);

    if (db == NULL) {
        row->action = MMCTL_RECORD_NEW;

    } else {
        row->id = strtoull(db[0], NULL, 10);
        row->old_cert = strtoull(db[2], NULL, 10);
        row->action = db[1] && db[1][0] == '1' ? MMCTL_RECORD_UNCHANGED
                                               : MMCTL_RECORD_CHANGED;
    }

    mysql_free_result(res);

    return MMCTL_OK;
}


/* signs row's certificate and writes its record, in the transaction */
static int
mmctl_records_store(mmctl_ctx_t *ctx, mmctl_records_t *r,
    mmctl_record_t *row, EVP_PKEY *pkey, const unsigned char *kid,
    const char *host, const char *source, const char *batch)
{
    int                 rc;
    size_t              j, n;
    MYSQL_RES          *res;
    MYSQL_ROW           db;
    mana_buf_t          qr, sql;
    mmctl_cert_req_t    req;
    mana_mm1_fact_t     facts[MANA_MM1_MAX_FACTS];
    unsigned long long  cert;

    memset(&req, 0, sizeof(req));

    n = 0;

    for (j = 0; j < r->ncols && n < MANA_MM1_MAX_FACTS; j++) {
        if (!mmctl_records_is_fact(r, j) || row->cells[j][0] == '\0') {
            continue;
        }

        facts[n].key.data = r->names[j];
        facts[n].key.len = strlen(r->names[j]);
        facts[n].value.data = row->cells[j];
        facts[n].value.len = strlen(row->cells[j]);
        n++;
    }

    req.claims.number.data = row->number;
    req.claims.number.len = strlen(row->number);
    req.claims.holder.data = row->cells[r->holder];
    req.claims.holder.len = strlen(row->cells[r->holder]);

    if (r->relation >= 0) {
        req.claims.relation.data = row->cells[r->relation];
        req.claims.relation.len = strlen(row->cells[r->relation]);
    }

    req.claims.facts = facts;
    req.claims.nfacts = n;
    req.claims.exp = row->exp;
    req.claims.doctype = 1;
    req.service = r->service;
    req.office = r->office;
    req.host = host;
    req.host_source = source;

    mana_buf_init(&qr);
    mana_buf_init(&sql);

    rc = mmctl_cert_store(ctx, &req, pkey, kid, &qr);
    if (rc != MMCTL_OK) {
        fprintf(stderr, "%s:%zu: the certificate was not made\n", r->file,
                row->line);
        goto done;
    }

    mana_buf_adds(&sql, "SELECT id FROM certificate WHERE cti = ");
    mana_buf_add_sql_bytes(&sql, req.claims.cti, MANA_MM1_CTI_LEN);

    rc = mmctl_select(ctx, &sql, "cannot read the certificate", &res);
    if (rc != MMCTL_OK) {
        goto done;
    }

    db = mysql_fetch_row(res);
    cert = db && db[0] ? strtoull(db[0], NULL, 10) : 0;
    mysql_free_result(res);

    sql.len = 0;

    if (row->action == MMCTL_RECORD_CHANGED) {
        mana_buf_addf(&sql, "UPDATE certificate SET status = 'superseded' "
                      "WHERE id = %llu AND status = 'valid'", row->old_cert);

        if (mana_buf_failed(&sql)
            || mysql_real_query(ctx->mysql, sql.data, sql.len) != 0)
        {
            rc = mmctl_query_error(ctx, "cannot supersede the old "
                                   "certificate");
            goto done;
        }

        sql.len = 0;
        mana_buf_adds(&sql, "UPDATE record SET lookup_key = ");

    } else {
        mana_buf_adds(&sql, "INSERT INTO record SET service_code = ");
        mana_buf_add_sql_text(&sql, r->service, strlen(r->service));
        mana_buf_adds(&sql, ", number = ");
        mana_buf_add_sql_text(&sql, row->number, strlen(row->number));
        mana_buf_adds(&sql, ", lookup_key = ");
    }

    mana_buf_addf(&sql, "X'%s', content_hash = ", row->key);
    mana_buf_add_sql_bytes(&sql, row->content, sizeof(row->content));
    mana_buf_adds(&sql, ", holder = ");
    mana_buf_add_sql_text(&sql, row->cells[r->holder],
                          strlen(row->cells[r->holder]));
    mana_buf_addf(&sql, ", certificate_id = %llu, qr = ", cert);
    mana_buf_add_sql_text(&sql, qr.data, qr.len);
    mana_buf_adds(&sql, ", batch = ");
    mana_buf_add_sql_text(&sql, batch, strlen(batch));
    mana_buf_adds(&sql, ", imported_at = UTC_TIMESTAMP()");

    if (row->action == MMCTL_RECORD_CHANGED) {
        mana_buf_addf(&sql, " WHERE id = %llu", row->id);
    }

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        fprintf(stderr, "%s:%zu: the record was not stored (its lookup "
                "fields may be another stored record's)\n", r->file,
                row->line);
        rc = mmctl_query_error(ctx, "cannot store the record");
    }

done:

    mana_buf_free(&qr);
    mana_buf_free(&sql);

    return rc;
}


static int
mmctl_records_counts(mmctl_ctx_t *ctx, const char *service,
    const char *batch, const size_t *counts)
{
    size_t       i;
    char         num[3][24];
    const char  *row[5];
    static const char  *header[] = {
        "SERVICE", "BATCH", "NEW", "CHANGED", "UNCHANGED"
    };

    row[0] = service;
    row[1] = batch;

    for (i = 0; i < 3; i++) {
        snprintf(num[i], sizeof(num[i]), "%zu", counts[i]);
        row[2 + i] = num[i];
    }

    return mmctl_table_print_row(ctx, 5, header, row);
}


static int
mmctl_records_import(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int               rc, began, found, dry_run, wrote;
    char             *data, source[512], batch[64];
    char              dept[MANA_TRUST_DEPT_MAX + 1];
    char              office_dept[MANA_TRUST_DEPT_MAX + 1];
    char              now_text[MANA_TIME_LEN + 1];
    size_t            len, i, j, counts[3];
    const char       *host;
    EVP_PKEY         *pkey;
    mmctl_records_t   r;
    unsigned char     kid[MANA_MM1_KID_LEN];

    memset(&r, 0, sizeof(r));
    r.file = args->argv[0];
    r.service = args->opt[MMCTL_RECORDS_SERVICE];
    r.office = args->opt[MMCTL_RECORDS_OFFICE];
    dry_run = args->opt[MMCTL_RECORDS_DRY_RUN] != NULL;

    if (r.service == NULL || r.office == NULL) {
        return mmctl_usage_error(ctx, "--service and --office are required");
    }

    rc = mmctl_cert_verify_host(ctx, &host, source, sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_read_file(ctx, r.file, &data, &len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    pkey = NULL;
    began = 0;

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_records_service(ctx, &r, dept, sizeof(dept));
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_office(ctx, r.office, office_dept, sizeof(office_dept),
                          &found);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (!found || strcmp(office_dept, dept) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "no office %s in "
                         "department %s", r.office, dept);
        goto done;
    }

    rc = mmctl_records_parse(ctx, &r, data, len);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (r.bad) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "invalid", "%s: %zu problem%s: "
                         "nothing imported", r.file, r.bad,
                         r.bad == 1 ? "" : "s");
        goto done;
    }

    if (!dry_run) {
        rc = mmctl_cert_issuer(ctx, r.office, kid, &pkey);
        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    mana_time_format(now_text, mmctl_key_now());

    /* SERVICE-YYYYMMDDTHHMMSSZ */
    for (i = 0, j = 0; now_text[i] && j < sizeof(now_text) - 1; i++) {
        if (now_text[i] != '-' && now_text[i] != ':') {
            now_text[j++] = now_text[i];
        }
    }

    now_text[j] = '\0';
    snprintf(batch, sizeof(batch), "%s-%s", r.service, now_text);

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 1;
    counts[0] = counts[1] = counts[2] = 0;

    for (i = 0; i < r.nrows; i++) {
        rc = mmctl_records_classify(ctx, &r, &r.rows[i]);
        if (rc != MMCTL_OK) {
            goto done;
        }

        counts[r.rows[i].action]++;

        if (dry_run || r.rows[i].action == MMCTL_RECORD_UNCHANGED) {
            continue;
        }

        rc = mmctl_records_store(ctx, &r, &r.rows[i], pkey, kid, host,
                                 source, batch);
        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    rc = mmctl_exec(ctx, dry_run ? "cannot roll back" : "cannot commit",
                    dry_run ? "ROLLBACK" : "COMMIT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 0;

    /* a batch that wrote nothing is no batch: no row carries its name */
    wrote = !dry_run
            && counts[MMCTL_RECORD_NEW] + counts[MMCTL_RECORD_CHANGED] > 0;

    if (ctx->json) {
        printf("{\"service\":");
        mmctl_json_str(stdout, r.service);
        printf(",\"batch\":");

        if (wrote) {
            mmctl_json_str(stdout, batch);

        } else {
            printf("null");
        }

        printf(",\"dry_run\":%s,\"new\":%zu,\"changed\":%zu,"
               "\"unchanged\":%zu}\n", dry_run ? "true" : "false",
               counts[MMCTL_RECORD_NEW], counts[MMCTL_RECORD_CHANGED],
               counts[MMCTL_RECORD_UNCHANGED]);
        ctx->json_done = 1;

    } else {
        rc = mmctl_records_counts(ctx, r.service, wrote ? batch : "-",
                                  counts);

        if (dry_run) {
            mmctl_note("dry run: nothing signed or written");
        }
    }

done:

    if (began) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
    }

    EVP_PKEY_free(pkey);
    mmctl_records_free(&r);
    free(data);

    return rc;
}


/* list and count */


static int
mmctl_records_query(mmctl_ctx_t *ctx, const char *head, const char *service,
    const char *tail, MYSQL_RES **res)
{
    mana_buf_t  sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, head);
    mana_buf_add_sql_text(&sql, service, strlen(service));
    mana_buf_adds(&sql, tail);

    return mmctl_select(ctx, &sql, "cannot read the records", res);

    return MMCTL_OK;
}


static int
mmctl_records_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc, first;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    const char     *service, *cols[5];
    mmctl_table_t   t;
    static const char  *header[] = {
        "NUMBER", "ID", "STATUS", "BATCH", "IMPORTED_AT"
    };

    service = args->opt[0];
    if (service == NULL) {
        return mmctl_usage_error(ctx, "--service is required");
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_records_query(ctx, "SELECT r.number, LOWER(HEX(c.cti)), "
                             "IF(c.status = 'valid' AND c.expires_at <= "
                             "UTC_TIMESTAMP(), 'expired', c.status), "
                             "r.batch, DATE_FORMAT(r.imported_at, "
                             "'%Y-%m-%dT%H:%i:%sZ') FROM record r JOIN "
                             "certificate c ON c.id = r.certificate_id "
                             "WHERE r.service_code = ", service,
                             " ORDER BY r.number", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (ctx->json) {
        printf("{\"records\":[");
        first = 1;

        while ((row = mysql_fetch_row(res))) {
            printf("%s{\"number\":", first ? "" : ",");
            mmctl_json_str(stdout, row[0]);
            printf(",\"id\":");
            mmctl_json_str(stdout, row[1]);
            printf(",\"status\":");
            mmctl_json_str(stdout, row[2]);
            printf(",\"batch\":");
            mmctl_json_str(stdout, row[3]);
            printf(",\"imported_at\":");
            mmctl_json_str(stdout, row[4]);
            printf("}");
            first = 0;
        }

        printf("]}\n");
        ctx->json_done = 1;
        mysql_free_result(res);

        return MMCTL_OK;
    }

    if (mmctl_table_init(&t, 5, header) != 0) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = 0;

    while (rc == 0 && (row = mysql_fetch_row(res))) {
        cols[0] = row[0];
        cols[1] = row[1];
        cols[2] = row[2];
        cols[3] = row[3];
        cols[4] = row[4];
        rc = mmctl_table_add(&t, cols);
    }

    if (rc == 0) {
        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);
    mysql_free_result(res);

    return rc == 0 ? MMCTL_OK
                   : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
}


static int
mmctl_records_count(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int          rc;
    MYSQL_RES   *res;
    MYSQL_ROW    row;
    const char  *service, *cols[2];
    static const char  *header[] = { "SERVICE", "RECORDS" };

    service = args->opt[0];
    if (service == NULL) {
        return mmctl_usage_error(ctx, "--service is required");
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_records_query(ctx, "SELECT COUNT(*) FROM record WHERE "
                             "service_code = ", service, "", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    row = mysql_fetch_row(res);

    if (ctx->json) {
        printf("{\"service\":");
        mmctl_json_str(stdout, service);
        printf(",\"records\":%s}\n", row && row[0] ? row[0] : "0");
        ctx->json_done = 1;

    } else {
        cols[0] = service;
        cols[1] = row && row[0] ? row[0] : "0";
        rc = mmctl_table_print_row(ctx, 2, header, cols);
    }

    mysql_free_result(res);

    return rc;
}
