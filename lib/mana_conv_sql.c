#include <stdlib.h>
#include <string.h>

#include "mana_conv_sql.h"
#include "mana_records.h"


/* a string from the bot or the citizen, as a literal that cannot escape */
static void
mana_conv_text(mana_buf_t *sql, const char *s)
{
    if (s == NULL) {
        mana_buf_adds(sql, "NULL");
        return;
    }

    mana_buf_add_sql_text(sql, s, strlen(s));
}


static void
mana_conv_json(mana_buf_t *sql, json_t *v)
{
    char  *s;

    s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    mana_conv_text(sql, s ? s : "null");
    free(s);
}


void
mana_conv_sql_citizen(mana_buf_t *sql, const mana_wh_message_t *m)
{
    /* identifiers were validated by the webhook parser */

    mana_buf_adds(sql, "INSERT INTO citizen (bsuid, phone, last_inbound_at) "
                       "VALUES (");
    mana_buf_adds(sql, m->bsuid ? "'" : "NULL");
    if (m->bsuid) {
        mana_buf_adds(sql, m->bsuid);
        mana_buf_adds(sql, "'");
    }
    mana_buf_adds(sql, ",");
    mana_buf_adds(sql, m->phone ? "'" : "NULL");
    if (m->phone) {
        mana_buf_adds(sql, m->phone);
        mana_buf_adds(sql, "'");
    }
    mana_buf_adds(sql, ",UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE "
                       "last_inbound_at = UTC_TIMESTAMP(), "
                       "bsuid = COALESCE(bsuid, VALUES(bsuid)), "
                       "phone = COALESCE(phone, VALUES(phone));\n");

    mana_buf_adds(sql, "SELECT c.id, c.language, s.state, s.version "
                       "FROM citizen c LEFT JOIN session s "
                       "ON s.citizen_id = c.id WHERE ");

    /*
     * The row the upsert touched: by BSUID, or by the phone when the phone
     * already belonged to a row with another BSUID (a number given a new
     * account keeps its citizen).
     */
    if (m->bsuid && m->phone) {
        mana_buf_addf(sql, "c.bsuid = '%s' OR c.phone = '%s' "
                           "ORDER BY c.bsuid = '%s' DESC LIMIT 1",
                      m->bsuid, m->phone, m->bsuid);

    } else if (m->bsuid) {
        mana_buf_addf(sql, "c.bsuid = '%s'", m->bsuid);

    } else {
        mana_buf_addf(sql, "c.phone = '%s'", m->phone);
    }

    mana_buf_adds(sql, " FOR UPDATE;\n");
}


void
mana_conv_sql_turn(mana_buf_t *sql, unsigned long long citizen_id,
    int had_session, unsigned version, json_t *state, json_t *replies,
    const mana_wh_message_t *m, const char *lang, const char *old_lang)
{
    size_t   i;
    json_t  *r;

    if (had_session) {
        mana_buf_adds(sql, "UPDATE session SET state = ");
        mana_conv_json(sql, state);
        mana_buf_addf(sql, ", version = version + 1 WHERE citizen_id = %llu "
                           "AND version = %u;\n", citizen_id, version);

    } else {
        mana_buf_addf(sql, "INSERT INTO session (citizen_id, state) "
                           "VALUES (%llu, ", citizen_id);
        mana_conv_json(sql, state);
        mana_buf_adds(sql, ");\n");
    }

    if (lang && *lang && (old_lang == NULL || strcmp(lang, old_lang) != 0)) {
        mana_buf_adds(sql, "UPDATE citizen SET language = ");
        mana_conv_text(sql, lang);
        mana_buf_addf(sql, " WHERE id = %llu;\n", citizen_id);
    }

    if (json_array_size(replies) == 0) {
        return;
    }

    mana_buf_adds(sql, "INSERT INTO outbox (citizen_id, phone_number_id, "
                       "to_bsuid, to_phone, lang, payload) VALUES ");

    json_array_foreach(replies, i, r) {
        mana_buf_addf(sql, "%s(%llu, '%s', ", i ? "," : "", citizen_id,
                      m->phone_number_id);
        mana_conv_text(sql, m->bsuid);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, m->phone);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, lang && *lang ? lang : NULL);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, json_string_value(r));
        mana_buf_adds(sql, ")");
    }

    /* one statement, so rows get ids in the order of the replies */
    mana_buf_adds(sql, ";\n");
}


static const char *
mana_conv_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}


/* a new reference number for prefix in @ref, and the due date in @due */
static void
mana_conv_reference(mana_buf_t *sql, const char *prefix, json_t *sla)
{
    mana_buf_adds(sql, "INSERT INTO reference_counter (prefix, year, last) "
                       "VALUES (");
    mana_conv_text(sql, prefix);
    mana_buf_adds(sql, ", YEAR(UTC_DATE()), LAST_INSERT_ID(1)) "
                       "ON DUPLICATE KEY UPDATE "
                       "last = LAST_INSERT_ID(last + 1);\n"
                       "SET @ref = CONCAT(");
    mana_conv_text(sql, prefix);
    mana_buf_addf(sql, ", '-', YEAR(UTC_DATE()), '-', "
                       "LPAD(LAST_INSERT_ID(), 6, '0')), "
                       "@due = UTC_DATE() + INTERVAL %lld DAY;\n",
                  json_is_integer(sla) ? (long long) json_integer_value(sla)
                                       : 0LL);
}


/* the office that serves a district: the district's own, else any */
static void
mana_conv_office(mana_buf_t *sql, const char *dept, const char *district)
{
    mana_buf_adds(sql, "(SELECT o.id FROM office o JOIN department d "
                       "ON d.id = o.department_id WHERE d.code = ");
    mana_conv_text(sql, dept);
    mana_buf_adds(sql, " AND o.enabled ORDER BY o.district = ");
    mana_conv_text(sql, district ? district : "");
    mana_buf_adds(sql, " DESC, o.mandal IS NOT NULL, o.code LIMIT 1)");
}


/* 24 lower-case hex digits: a certificate's id (cti) as the bot has it */
static int
mana_conv_cert_id(const char *s)
{
    return s != NULL && strlen(s) == 2 * 12
           && strspn(s, "0123456789abcdef") == 2 * 12;
}


/* 64 hex digits: a record key as the bot computed it */
static int
mana_conv_key(const char *s)
{
    return s != NULL && strlen(s) == 2 * MANA_RECORD_KEY_LEN
           && strspn(s, "0123456789abcdef") == 2 * MANA_RECORD_KEY_LEN;
}


/*
 * An instant document's lookup, under the citizen's lock: a window of
 * failures that has passed is forgotten; in a cool-down (the window's
 * third failure reached) the record is not even looked at; a miss counts,
 * a hit forgets the failures.  The result row: "instant", the outcome,
 * the number, the holder, the link, the minutes the cool-down has left,
 * the certificate's id (for a document link).
 */
static void
mana_conv_instant(mana_buf_t *sql, unsigned long long citizen_id,
    const char *service, const char *key)
{
    mana_buf_t  who;

    mana_buf_init(&who);
    mana_buf_addf(&who, " WHERE citizen_id = %llu AND service_code = ",
                  citizen_id);
    mana_conv_text(&who, service);

    if (mana_buf_failed(&who)) {
        mana_buf_free(&who);
        mana_buf_adds(sql, "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                           "'mana: out of memory';\n");
        return;
    }

    mana_buf_addf(sql, "INSERT IGNORE INTO record_lookup_failure "
                       "(citizen_id, service_code, failures, window_start) "
                       "VALUES (%llu, ", citizen_id);
    mana_conv_text(sql, service);
    mana_buf_adds(sql, ", 0, UTC_TIMESTAMP());\n"
                       "UPDATE record_lookup_failure SET failures = 0");
    mana_buf_add(sql, who.data, who.len);
    mana_buf_addf(sql, " AND window_start <= UTC_TIMESTAMP() - INTERVAL %d "
                       "MINUTE;\n"
                       "SET @mana_blocked = 0, @mana_wait = 0, "
                       "@mana_number = NULL, @mana_holder = NULL, "
                       "@mana_qr = NULL, @mana_cti = NULL;\n"
                       "SELECT failures >= %d, CEIL(TIMESTAMPDIFF(SECOND, "
                       "UTC_TIMESTAMP(), window_start + INTERVAL %d MINUTE) "
                       "/ 60) INTO @mana_blocked, @mana_wait "
                       "FROM record_lookup_failure",
                  MANA_RECORD_WINDOW_MINUTES, MANA_RECORD_MAX_FAILURES,
                  MANA_RECORD_WINDOW_MINUTES);
    mana_buf_add(sql, who.data, who.len);
    mana_buf_adds(sql, " FOR UPDATE;\n"
                       "SELECT r.number, r.holder, r.qr, LOWER(HEX(c.cti)) "
                       "INTO @mana_number, @mana_holder, @mana_qr, "
                       "@mana_cti FROM record r JOIN "
                       "certificate c ON c.id = r.certificate_id "
                       "AND c.status = 'valid' WHERE @mana_blocked = 0 "
                       "AND r.service_code = ");
    mana_conv_text(sql, service);
    mana_buf_addf(sql, " AND r.lookup_key = X'%s';\n", key);

    /* window_start before failures: it reads the count before this miss */
    mana_buf_adds(sql, "UPDATE record_lookup_failure SET window_start = "
                       "IF(failures = 0, UTC_TIMESTAMP(), window_start), "
                       "failures = IF(@mana_qr IS NULL, failures + 1, 0)");
    mana_buf_add(sql, who.data, who.len);
    mana_buf_adds(sql, " AND @mana_blocked = 0;\n"
                       "SELECT 'instant', IF(@mana_blocked, 'cooldown', "
                       "IF(@mana_qr IS NULL, 'missing', 'found')), "
                       "@mana_number, @mana_holder, @mana_qr, "
                       "GREATEST(@mana_wait, 1), @mana_cti;\n");

    mana_buf_free(&who);
}


int
mana_conv_sql_effect(mana_buf_t *sql, unsigned long long citizen_id,
    json_t *effect, const char *wamid)
{
    json_t      *loc;
    const char  *kind, *service, *dept, *district;

    kind = mana_conv_str(effect, "kind");
    service = mana_conv_str(effect, "service");
    dept = mana_conv_str(effect, "department");
    district = mana_conv_str(effect, "district");

    if (kind == NULL) {
        return -1;
    }

    if (strcmp(kind, "application") == 0 && service && dept) {
        mana_conv_reference(sql, service, json_object_get(effect, "sla_days"));

        mana_buf_addf(sql, "INSERT INTO application (ref, citizen_id, "
                           "service_code, department_code, office_id, "
                           "district, mandal, fields, due_date) VALUES "
                           "(@ref, %llu, ", citizen_id);
        mana_conv_text(sql, service);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, dept);
        mana_buf_adds(sql, ", ");
        mana_conv_office(sql, dept, district);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, district);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, mana_conv_str(effect, "mandal"));
        mana_buf_adds(sql, ", ");
        mana_conv_json(sql, json_object_get(effect, "fields"));
        mana_buf_adds(sql, ", @due);\n"
                           "INSERT INTO request_history (ref, status, actor) "
                           "VALUES (@ref, 'submitted', 'citizen');\n"
                           "SELECT @ref, DATE_FORMAT(@due, '%Y-%m-%d');\n");
        return 0;
    }

    if (strcmp(kind, "grievance") == 0 && service && dept) {
        mana_conv_reference(sql, service, json_object_get(effect, "sla_days"));
        loc = json_object_get(effect, "location");

        mana_buf_addf(sql, "INSERT INTO grievance (ref, citizen_id, "
                           "service_code, department_code, office_id, "
                           "district, category, description, media_id, "
                           "latitude, longitude, due_date) VALUES "
                           "(@ref, %llu, ", citizen_id);
        mana_conv_text(sql, service);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, dept);
        mana_buf_adds(sql, ", ");
        mana_conv_office(sql, dept, district);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, district);
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, mana_conv_str(effect, "category"));
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, mana_conv_str(effect, "description")
                            ? mana_conv_str(effect, "description") : "");
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, mana_conv_str(effect, "media_id"));

        if (json_is_object(loc)) {
            mana_buf_addf(sql, ", %.6f, %.6f",
                json_number_value(json_object_get(loc, "latitude")),
                json_number_value(json_object_get(loc, "longitude")));

        } else {
            mana_buf_adds(sql, ", NULL, NULL");
        }

        mana_buf_adds(sql, ", @due);\n"
                           "INSERT INTO request_history (ref, status, actor) "
                           "VALUES (@ref, 'registered', 'citizen');\n"
                           "SELECT @ref, DATE_FORMAT(@due, '%Y-%m-%d');\n");
        return 0;
    }

    if (strcmp(kind, "status") == 0 && mana_conv_str(effect, "ref")) {
        /* a citizen sees their own requests only */
        mana_buf_adds(sql, "SELECT r.service_code, r.status, "
                           "DATE_FORMAT(r.due_date, '%Y-%m-%d'), "
                           "(SELECT GROUP_CONCAT(CONCAT(h.status, '@', "
                           "DATE_FORMAT(h.at, '%Y-%m-%d %H:%i')) ORDER BY "
                           "h.id SEPARATOR ',') FROM request_history h "
                           "WHERE h.ref = r.ref) FROM (SELECT ref, "
                           "service_code, status, due_date, citizen_id "
                           "FROM application UNION ALL SELECT ref, "
                           "service_code, status, due_date, citizen_id "
                           "FROM grievance) r WHERE r.ref = ");
        mana_conv_text(sql, mana_conv_str(effect, "ref"));
        mana_buf_addf(sql, " AND r.citizen_id = %llu;\n", citizen_id);
        return 0;
    }

    if (strcmp(kind, "certificates") == 0) {
        /* one row, its list as JSON: the citizen's own valid ones only */
        mana_buf_addf(sql, "SELECT 'certs', JSON_ARRAYAGG(JSON_OBJECT("
                           "'id', LOWER(HEX(cti)), 'number', number, "
                           "'service', service_code, 'issued', "
                           "DATE_FORMAT(issued_at, '%%Y-%%m-%%d')) ORDER BY "
                           "issued_at DESC, id DESC LIMIT 10) FROM "
                           "certificate WHERE citizen_id = %llu AND status = "
                           "'valid' AND (expires_at IS NULL OR expires_at > "
                           "UTC_TIMESTAMP());\n", citizen_id);
        return 0;
    }

    if (strcmp(kind, "certificate") == 0
        && mana_conv_cert_id(mana_conv_str(effect, "id")))
    {
        mana_buf_addf(sql, "SELECT 'cert', LOWER(HEX(cti)), number, "
                           "service_code, cose FROM certificate WHERE "
                           "citizen_id = %llu AND cti = X'%s' AND status = "
                           "'valid' AND (expires_at IS NULL OR expires_at > "
                           "UTC_TIMESTAMP());\n", citizen_id,
                      mana_conv_str(effect, "id"));
        return 0;
    }

    if (strcmp(kind, "records") == 0 && service) {
        /* whether there is anything to find, and a cool-down's minutes */
        mana_buf_adds(sql, "SELECT 'records', EXISTS(SELECT 1 FROM record "
                           "WHERE service_code = ");
        mana_conv_text(sql, service);
        mana_buf_addf(sql, "), (SELECT CEIL(TIMESTAMPDIFF(SECOND, "
                           "UTC_TIMESTAMP(), window_start + INTERVAL %d "
                           "MINUTE) / 60) FROM record_lookup_failure WHERE "
                           "citizen_id = %llu AND service_code = ",
                      MANA_RECORD_WINDOW_MINUTES, citizen_id);
        mana_conv_text(sql, service);
        mana_buf_addf(sql, " AND failures >= %d AND window_start > "
                           "UTC_TIMESTAMP() - INTERVAL %d MINUTE);\n",
                      MANA_RECORD_MAX_FAILURES, MANA_RECORD_WINDOW_MINUTES);
        return 0;
    }

    if (strcmp(kind, "instant") == 0 && service
        && mana_conv_key(mana_conv_str(effect, "key")))
    {
        mana_conv_instant(sql, citizen_id, service,
                          mana_conv_str(effect, "key"));
        return 0;
    }

    if (strcmp(kind, "consent") == 0 || strcmp(kind, "withdraw") == 0) {
        mana_buf_addf(sql, "INSERT INTO consent (citizen_id, notice_version, "
                           "lang, purposes, basis, wamid) VALUES (%llu, ",
                      citizen_id);
        mana_conv_text(sql, mana_conv_str(effect, "notice_version")
                            ? mana_conv_str(effect, "notice_version") : "");
        mana_buf_adds(sql, ", ");
        mana_conv_text(sql, mana_conv_str(effect, "lang")
                            ? mana_conv_str(effect, "lang") : "en");
        /* the ledger is append-only: a withdrawal is a row of its own */
        mana_buf_adds(sql, kind[0] == 'c'
                           ? ", '[\"service_delivery\"]', '7(b)', "
                           : ", '[\"messages\"]', 'withdrawn', ");
        mana_conv_text(sql, wamid);
        mana_buf_adds(sql, ");\n");
        return 1;
    }

    if (strcmp(kind, "language") == 0 && mana_conv_str(effect, "lang")) {
        mana_buf_adds(sql, "UPDATE citizen SET language = ");
        mana_conv_text(sql, mana_conv_str(effect, "lang"));
        mana_buf_addf(sql, " WHERE id = %llu;\n", citizen_id);
        return 1;
    }

    return -1;
}
