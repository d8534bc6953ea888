/*
 * The records of instant documents: the record key against its bytes
 * computed here (the import and the bot must agree on them), and the
 * lookup effect's SQL: only a well-formed key goes in, the values never
 * do, and the cool-down is checked before the record is read.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "tap.h"
#include "mana_buf.h"
#include "mana_conv_sql.h"
#include "mana_hex.h"
#include "mana_records.h"


/* SHA-256 of the parts, each with its NUL, as 64 hex digits */
static void
digest_hex(const char **parts, size_t n, char *hex)
{
    size_t         i;
    unsigned int   len;
    unsigned char  md[32];
    EVP_MD_CTX    *c;
    static const char  digits[] = "0123456789abcdef";

    c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);

    for (i = 0; i < n; i++) {
        EVP_DigestUpdate(c, parts[i], strlen(parts[i]) + 1);
    }

    EVP_DigestFinal_ex(c, md, &len);
    EVP_MD_CTX_free(c);

    for (i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }

    hex[64] = '\0';
}


static void
test_key(void)
{
    char                hex[65], want[65], other[65];
    unsigned char       raw[MANA_RECORD_KEY_LEN];
    const char         *names[] = { "ssc_ht", "dob" };
    const char         *values[] = { "2627100001", "14-03-2011" };
    const char         *split[] = { "2627100001", "4-03-2011" };
    const char         *moved[] = { "26271000014", "-03-2011" };
    const char         *parts[] = {
        "mana-record-key/1", "SED-SSCHT", "ssc_ht", "2627100001", "dob",
        "14-03-2011"
    };

    digest_hex(parts, 6, want);

    ok(mana_record_key_hex("SED-SSCHT", names, values, 2, hex) == 0,
       "key: computed");
    is_str(hex, want, "key: SHA-256 of the tag, service and NUL-ended "
           "name, value pairs");

    ok(mana_record_key("SED-SSCHT", names, values, 2, raw) == 0,
       "key: the raw form");
    mana_hex_encode(other, raw, MANA_RECORD_KEY_LEN);
    other[64] = '\0';
    is_str(other, want, "key: the raw form is the same digest");

    mana_record_key_hex("SED-SSCHT", names, split, 2, hex);
    mana_record_key_hex("SED-SSCHT", names, moved, 2, other);
    /* "2627100001" "4-03-2011" and "26271000014" "-03-2011" join alike */
    ok(strcmp(hex, other) != 0,
       "key: a character moved across a field boundary changes it");

    mana_record_key_hex("BIE-HT2", names, values, 2, hex);
    ok(strcmp(hex, want) != 0, "key: another service, another key");

    ok(mana_record_key_hex(NULL, names, values, 2, hex) == -1,
       "key: no service is refused");
    values[1] = NULL;
    ok(mana_record_key_hex("SED-SSCHT", names, values, 2, hex) == -1,
       "key: a missing value is refused");
}


static void
test_effect(void)
{
    int          rc;
    char        *sql, *blocked, *lookup;
    json_t      *eff;
    mana_buf_t   b;
    const char  *key = "8a9ef58d516aebbc601742d6c55650491f91731e88c25e54"
                       "f887cb2b0abdc0e2";

    mana_buf_init(&b);
    eff = json_pack("{s:s,s:s,s:s}", "kind", "instant", "service",
                    "SED-SSCHT", "key", key);
    rc = mana_conv_sql_effect(&b, 42, eff, "wamid.1");
    mana_buf_add(&b, "", 1);
    sql = b.data;

    ok(rc == 0, "instant: a statement whose result feeds the bot");
    ok(sql && strstr(sql, key) != NULL, "instant: the key is looked up");
    ok(sql && strstr(sql, "citizen_id = 42") != NULL,
       "instant: the failures are the citizen's");

    blocked = sql ? strstr(sql, "failures >= 3") : NULL;
    lookup = sql ? strstr(sql, "FROM record r") : NULL;
    ok(blocked && lookup && blocked < lookup
       && strstr(lookup, "@mana_blocked = 0") != NULL,
       "instant: the cool-down is read before, and guards, the lookup");
    ok(sql && strstr(sql, "INTERVAL 15 MINUTE") != NULL,
       "instant: a window of 15 minutes");

    json_decref(eff);
    mana_buf_free(&b);

    mana_buf_init(&b);
    eff = json_pack("{s:s,s:s,s:s}", "kind", "instant", "service",
                    "SED-SSCHT", "key", "' OR 1=1 -- ");
    ok(mana_conv_sql_effect(&b, 42, eff, "wamid.1") == -1,
       "instant: a key that is not 64 hex digits is refused");
    json_decref(eff);
    mana_buf_free(&b);

    mana_buf_init(&b);
    eff = json_pack("{s:s,s:s}", "kind", "records", "service",
                    "SED-SSCHT'; DROP TABLE record; --");
    rc = mana_conv_sql_effect(&b, 42, eff, "wamid.1");
    mana_buf_add(&b, "", 1);
    ok(rc == 0 && b.data && strstr(b.data, "'; DROP") == NULL,
       "records: the service code goes in as a literal that cannot "
       "escape");
    ok(b.data && strstr(b.data, "citizen_id = 42") != NULL
       && strstr(b.data, "failures >= 3") != NULL,
       "records: tells the citizen's cool-down too");
    json_decref(eff);
    mana_buf_free(&b);
}


int
main(void)
{
    test_key();
    test_effect();

    return done_testing();
}
