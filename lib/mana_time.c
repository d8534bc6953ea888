#include "mana_time.h"


/*
 * The calendar in integers (H. Hinnant's days_from_civil and its inverse),
 * so that nothing depends on the process's time zone or on timegm().
 */

int64_t
mana_time_days(int64_t year, unsigned month, unsigned day)
{
    int64_t   era;
    unsigned  yoe, doy, doe;

    year -= month <= 2;
    era = (year >= 0 ? year : year - 399) / 400;
    yoe = (unsigned) (year - era * 400);
    doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int64_t) doe - 719468;
}


static void
mana_time_civil(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    int64_t   era;
    unsigned  doe, yoe, doy, mp;

    days += 719468;
    era = (days >= 0 ? days : days - 146096) / 146097;
    doe = (unsigned) (days - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;

    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t) yoe + era * 400 + (*month <= 2);
}


static char *
mana_time_digits(char *p, unsigned v, size_t n)
{
    size_t  i;

    for (i = n; i > 0; i--) {
        p[i - 1] = (char) ('0' + v % 10);
        v /= 10;
    }

    return p + n;
}


int
mana_time_format(char out[MANA_TIME_LEN + 1], int64_t t)
{
    char      *p;
    int64_t    year;
    unsigned   month, day, secs;

    if (t < 0 || t > MANA_TIME_MAX) {
        return -1;
    }

    secs = (unsigned) (t % 86400);

    mana_time_civil(t / 86400, &year, &month, &day);

    p = mana_time_digits(out, (unsigned) year, 4);
    *p++ = '-';
    p = mana_time_digits(p, month, 2);
    *p++ = '-';
    p = mana_time_digits(p, day, 2);
    *p++ = 'T';
    p = mana_time_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = mana_time_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = mana_time_digits(p, secs % 60, 2);
    *p++ = 'Z';
    *p = '\0';

    return 0;
}


static int
mana_time_num(const char *s, size_t n, unsigned *v)
{
    size_t  i;

    *v = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }

        *v = *v * 10 + (unsigned) (s[i] - '0');
    }

    return 0;
}


int
mana_time_parse(const char *s, size_t n, int64_t *t)
{
    unsigned  year, month, day, hour, min, sec, mdays;

    static const unsigned char  days_in[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    if (n != MANA_TIME_LEN
        || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':'
        || s[16] != ':' || s[19] != 'Z'
        || mana_time_num(s, 4, &year) != 0
        || mana_time_num(s + 5, 2, &month) != 0
        || mana_time_num(s + 8, 2, &day) != 0
        || mana_time_num(s + 11, 2, &hour) != 0
        || mana_time_num(s + 14, 2, &min) != 0
        || mana_time_num(s + 17, 2, &sec) != 0)
    {
        return -1;
    }

    if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23
        || min > 59 || sec > 59)
    {
        return -1;
    }

    mdays = days_in[month - 1];

    if (month == 2
        && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
    {
        mdays = 29;
    }

    if (day > mdays) {
        return -1;
    }

    *t = mana_time_days(year, month, day) * 86400
         + (int64_t) hour * 3600 + min * 60 + sec;

    return 0;
}
