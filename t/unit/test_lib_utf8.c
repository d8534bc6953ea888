#include <string.h>

#include "tap.h"
#include "mana_utf8.h"


int
main(void)
{
    const char  *te = "ఆదాయ ధృవీకరణ పత్రం";    /* 18 code points */
    const char  *emoji = "a🙏b";

    ok(mana_utf8_valid(te, strlen(te)), "Telugu is valid");
    ok(mana_utf8_len(te, strlen(te)) == 18, "Telugu counted in code points");
    ok(mana_utf8_len(emoji, strlen(emoji)) == 3, "an emoji is one code point");
    ok(mana_utf8_prefix(emoji, strlen(emoji), 2) == 5,
       "a prefix keeps the emoji whole");
    ok(mana_utf8_prefix(te, strlen(te), 1) == 3, "one Telugu letter is 3 bytes");
    ok(mana_utf8_prefix("abc", 3, 10) == 3, "a short text is kept");
    ok(!mana_utf8_valid("\xff", 1), "0xff is invalid");
    ok(!mana_utf8_valid("\xc0\xaf", 2), "an overlong slash is invalid");
    ok(!mana_utf8_valid("\xed\xa0\x80", 3), "a surrogate is invalid");
    ok(!mana_utf8_valid("\xe0\xb0", 2), "a truncated sequence is invalid");
    ok(!mana_utf8_valid("\xf4\x90\x80\x80", 4), "beyond U+10FFFF is invalid");
    ok(mana_utf8_valid("\xf0\x9f\x99\x8f", 4), "a 4-byte sequence is valid");

    return done_testing();
}
