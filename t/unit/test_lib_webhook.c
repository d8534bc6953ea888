/*
 * lib/ without nginx or a database: signatures, the depth bound, the
 * payload parser and the SQL it turns into.
 */

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "mana_buf.h"
#include "mana_hmac.h"
#include "mana_ingest_sql.h"
#include "mana_json_depth.h"
#include "mana_webhook.h"


static void
test_signature(void)
{
    char                 hdr[72], bad[72];
    const char          *body = "{\"text\":\"నమస్కారం 🙏\"}";
    const unsigned char *key = (const unsigned char *) "app-secret";
    size_t               n = strlen(body);

    ok(mana_hub_signature(hdr, key, 10, (const unsigned char *) body, n) == 0,
       "signature computed");
    ok(strncmp(hdr, "sha256=", 7) == 0 && strlen(hdr) == 71,
       "sha256= and 64 hex digits");
    ok(mana_hub_signature_check(key, 10, (const unsigned char *) body, n, hdr,
                                strlen(hdr)) == MANA_SIG_OK,
       "valid signature over UTF-8 bytes accepted");

    /* RFC 4231 test case 2 */
    mana_hub_signature(hdr, (const unsigned char *) "Jefe", 4,
                       (const unsigned char *) "what do ya want for nothing?",
                       28);
    is_str(hdr, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec5"
                "8b964ec3843", "RFC 4231 vector");

    memcpy(bad, hdr, sizeof(bad));
    bad[7] = bad[7] == 'a' ? 'b' : 'a';
    ok(mana_hub_signature_check((const unsigned char *) "Jefe", 4,
           (const unsigned char *) "what do ya want for nothing?", 28, bad,
           strlen(bad)) == MANA_SIG_MISMATCH, "one changed digit: mismatch");

    ok(mana_hub_signature_check((const unsigned char *) "Jefe", 4,
           (const unsigned char *) "what do ya want for nothing!", 28, hdr,
           strlen(hdr)) == MANA_SIG_MISMATCH, "one changed body byte");

    ok(mana_hub_signature_check(key, 10, (const unsigned char *) "x", 1,
           "sha1=00", 7) == MANA_SIG_MALFORMED, "wrong prefix is malformed");
    ok(mana_hub_signature_check(key, 10, (const unsigned char *) "x", 1,
           hdr, strlen(hdr) - 1) == MANA_SIG_MALFORMED,
       "short signature is malformed");

    memcpy(bad, hdr, sizeof(bad));
    bad[20] = 'g';
    ok(mana_hub_signature_check(key, 10, (const unsigned char *) "x", 1,
           bad, strlen(bad)) == MANA_SIG_MALFORMED, "non-hex is malformed");

    /* upper case hex of the right digest is the same signature */
    memcpy(bad, hdr, sizeof(bad));
    for (n = 7; n < 71; n++) {
        if (bad[n] >= 'a' && bad[n] <= 'f') {
            bad[n] -= 32;
        }
    }
    ok(mana_hub_signature_check((const unsigned char *) "Jefe", 4,
           (const unsigned char *) "what do ya want for nothing?", 28, bad,
           strlen(bad)) == MANA_SIG_OK, "upper-case hex accepted");
}


static void
test_depth(void)
{
    char    deep[200];
    size_t  i;

    for (i = 0; i < 100; i++) {
        deep[i] = '[';
        deep[100 + i] = ']';
    }

    ok(mana_json_depth_ok(deep, 200, 100), "depth 100 within 100");
    ok(!mana_json_depth_ok(deep, 200, 99), "depth 100 over 99");
    ok(mana_json_depth_ok("{\"a\":\"[[[[[[\"}", 14, 1),
       "brackets inside strings do not count");
    ok(mana_json_depth_ok("{\"a\\\"[[\":1}", 12, 1),
       "escaped quotes do not end the string");
}


static const char  *payload =
    "{\"object\":\"whatsapp_business_account\",\"entry\":["
    "{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{"
    "\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"1555\","
    "\"phone_number_id\":\"106540352242922\"},"
    "\"contacts\":[{\"profile\":{\"name\":\"A\"},\"wa_id\":\"919000000001\","
    "\"user_id\":\"IN.111\"}],"
    "\"messages\":["
    "{\"from\":\"919000000001\",\"id\":\"wamid.B\",\"timestamp\":\"1760000000\","
    "\"type\":\"text\",\"text\":{\"body\":\"It's '; DROP TABLE x; -- \"}},"
    "{\"from\":\"919000000001\",\"id\":\"wamid.A\",\"timestamp\":\"1760000001\","
    "\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\","
    "\"list_reply\":{\"id\":\"svc:REV-INC\",\"title\":\"Income\"}}},"
    "{\"from\":\"919000000001\",\"id\":\"wamid.C\",\"type\":\"hologram\"}"
    "],"
    "\"statuses\":[{\"id\":\"wamid.OUT\",\"status\":\"read\","
    "\"timestamp\":\"1760000002\",\"recipient_id\":\"919000000001\"},"
    "{\"id\":\"wamid.OUT2\",\"status\":\"failed\",\"timestamp\":\"1760000003\","
    "\"errors\":[{\"code\":131047,\"title\":\"Re-engagement message\"}]},"
    "{\"id\":\"wamid.OUT3\",\"status\":\"teleported\"}]"
    "}}]},"
    "{\"id\":\"2\",\"changes\":[{\"field\":\"messages\",\"value\":{"
    "\"metadata\":{\"phone_number_id\":\"106540352242922\"},"
    "\"contacts\":[{\"user_id\":\"IN.222\"}],"
    "\"messages\":[{\"id\":\"wamid.E\",\"timestamp\":\"1760000004\","
    "\"type\":\"text\",\"text\":{\"body\":\"హాయ్\"}}]}}]},"
    "{\"id\":\"3\",\"changes\":[{\"field\":\"messages\",\"value\":{"
    "\"metadata\":{\"phone_number_id\":\"106540352242922\"},"
    "\"messages\":[{\"id\":\"wamid.D\",\"type\":\"text\","
    "\"text\":{\"body\":\"x\"}}]}}]}"
    "]}";


static void
test_parse(void)
{
    unsigned        n;
    mana_buf_t      sql;
    mana_webhook_t  wh;

    ok(mana_webhook_parse(&wh, payload, strlen(payload), 32) == MANA_WH_OK,
       "batched payload parsed");
    ok(wh.nmessages == 3, "3 usable messages (got %zu)", wh.nmessages);
    ok(wh.nstatuses == 2, "2 usable statuses (got %zu)", wh.nstatuses);
    ok(wh.skipped == 3, "unknown type, senderless message, unknown status "
       "skipped (got %u)", wh.skipped);

    is_str(wh.messages[0].bsuid, "IN.111", "BSUID from the matching contact");
    is_str(wh.messages[0].phone, "919000000001", "phone kept");
    is_str(wh.messages[2].bsuid, "IN.222", "BSUID-only sender");
    ok(wh.messages[2].phone == NULL, "no phone for a BSUID-only sender");
    is_str(wh.messages[1].body, "svc:REV-INC", "list reply id is the body");

    mana_buf_init(&sql);
    n = mana_ingest_sql(&sql, &wh);
    ok(n == 5, "begin, insert, 2 updates, commit (got %u)", n);
    ok(strstr(sql.data, "DROP TABLE") == NULL,
       "message text never appears as SQL");
    ok(strstr(sql.data, "'wamid.A'") < strstr(sql.data, "'wamid.B'"),
       "messages sorted by wamid");
    ok(strstr(sql.data, "delivery_status < 3") != NULL,
       "read applies only over lower statuses");
    ok(strstr(sql.data, "error_code = 131047") != NULL,
       "failure code recorded");
    ok(strncmp(sql.data, "START TRANSACTION;", 18) == 0
       && strcmp(sql.data + sql.len - 6, "COMMIT") == 0,
       "one transaction");
    mana_buf_free(&sql);
    mana_webhook_free(&wh);

    ok(mana_webhook_parse(&wh, "{\"object\":", 10, 32) == MANA_WH_BAD_JSON,
       "truncated JSON refused");
    mana_webhook_free(&wh);

    ok(mana_webhook_parse(&wh, "{\"object\":\"page\",\"entry\":[]}", 28, 32)
       == MANA_WH_NOT_WHATSAPP, "another object refused");
    mana_webhook_free(&wh);

    ok(mana_webhook_parse(&wh, "[1]", 3, 32) == MANA_WH_NOT_WHATSAPP,
       "an array is not a payload");
    mana_webhook_free(&wh);

    ok(mana_webhook_parse(&wh, "{\"a\":1,\"a\":2}", 13, 32)
       == MANA_WH_BAD_JSON, "duplicate keys refused");
    mana_webhook_free(&wh);

    ok(mana_webhook_parse(&wh, "{\"a\":\"\xff\"}", 9, 32) == MANA_WH_BAD_JSON,
       "invalid UTF-8 refused");
    mana_webhook_free(&wh);
}


static void
test_buf(void)
{
    mana_buf_t  b;

    mana_buf_init(&b);
    mana_buf_add_sql_text(&b, "a'\\", 3);
    is_str(b.data, "_utf8mb4 X'61275c'", "text becomes a hex literal");
    mana_buf_free(&b);

    mana_buf_add_json_str(&b, "q\"\\\n\x01", 5);
    is_str(b.data, "\"q\\\"\\\\\\n\\u0001\"", "JSON string escaping");
    mana_buf_free(&b);
}


int
main(void)
{
    test_signature();
    test_depth();
    test_parse();
    test_buf();

    return done_testing();
}
