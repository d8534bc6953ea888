/*
 * Free-text search over the snapshot: service names, keywords and
 * descriptions in every language, tokenised alike (Telugu included),
 * scored by token overlap weighted by rarity, plus the services' intent
 * patterns.  The index is built once per snapshot; a query is a few
 * binary searches.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mana_bot_int.h"
#include "mana_utf8.h"


#define MANA_BOT_TOKEN_MAX   64     /* bytes */
#define MANA_BOT_QUERY_MAX   32     /* tokens */
#define MANA_BOT_INTENT      8.0f   /* an intent pattern matched */

#define MANA_BOT_W_NAME      2.0f
#define MANA_BOT_W_KEYWORD   2.0f
#define MANA_BOT_W_DESC      0.5f


/* the length of the UTF-8 sequence at p, at least 1 */
static size_t
mana_bot_seq(const unsigned char *p)
{
    return p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2
           : (p[0] & 0xf0) == 0xe0 ? 3 : (p[0] & 0xf8) == 0xf0 ? 4 : 1;
}


/* the code point of a sequence of len bytes */
static unsigned
mana_bot_cp(const unsigned char *p, size_t len)
{
    switch (len) {
    case 2:
        return ((p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    case 3:
        return ((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    case 4:
        return ((p[0] & 0x07) << 18) | ((p[1] & 0x3f) << 12)
               | ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
    default:
        return p[0];
    }
}


/* a separator between words: ASCII punctuation, spaces, dandas, ... */
static int
mana_bot_sep(unsigned cp)
{
    if (cp < 0x80) {
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
                 || (cp >= '0' && cp <= '9'));
    }

    return cp == 0xa0 || (cp >= 0x2000 && cp <= 0x206f && cp != 0x200c
                          && cp != 0x200d)
           || cp == 0x0964 || cp == 0x0965 || cp == 0x20b9 || cp == 0x3000
           || cp == 0xfeff;
}


typedef void (*mana_bot_token_pt)(void *data, const char *token, size_t len);


/*
 * Calls handler for each token of s: lower-cased ASCII, zero-width
 * joiners dropped (Telugu writes words with and without them), at least
 * two code points.
 */
static void
mana_bot_tokens(const char *s, mana_bot_token_pt handler, void *data)
{
    size_t                len, n, cps;
    unsigned              cp;
    const unsigned char  *p;
    char                  tok[MANA_BOT_TOKEN_MAX + 4];

    p = (const unsigned char *) s;
    n = 0;
    cps = 0;

    for ( ;; ) {
        if (*p == '\0') {
            cp = ' ';
            len = 0;

        } else {
            len = mana_bot_seq(p);

            if (!mana_utf8_valid((const char *) p, len)) {
                p++;
                continue;
            }

            cp = mana_bot_cp(p, len);
        }

        if (mana_bot_sep(cp)) {
            if (cps >= 2) {
                handler(data, tok, n);
            }

            n = 0;
            cps = 0;

            if (len == 0) {
                return;
            }

            p += len;
            continue;
        }

        if (cp != 0x200c && cp != 0x200d && n + len <= MANA_BOT_TOKEN_MAX) {
            memcpy(tok + n, p, len);

            if (len == 1 && tok[n] >= 'A' && tok[n] <= 'Z') {
                tok[n] += 32;
            }

            n += len;
            cps++;
        }

        p += len;
    }
}


/* building */

typedef struct {
    mana_bot_cache_t  *c;
    unsigned           svc;
    float              weight;
    int                failed;
    size_t             cap;
} mana_bot_build_t;


static void
mana_bot_index_token(void *data, const char *token, size_t len)
{
    mana_bot_build_t    *bd = data;
    mana_bot_cache_t    *c = bd->c;
    mana_bot_posting_t  *p;
    size_t               cap;

    if (c->npost == bd->cap) {
        cap = bd->cap ? bd->cap * 2 : 1024;
        p = realloc(c->post, cap * sizeof(mana_bot_posting_t));

        if (p == NULL) {
            bd->failed = 1;
            return;
        }

        c->post = p;
        bd->cap = cap;
    }

    p = &c->post[c->npost];
    p->token = strndup(token, len);

    if (p->token == NULL) {
        bd->failed = 1;
        return;
    }

    p->svc = bd->svc;
    p->weight = bd->weight;
    c->npost++;
}


static void
mana_bot_index_texts(mana_bot_build_t *bd, json_t *texts, float weight)
{
    size_t       i;
    json_t      *v, *w;
    const char  *lang;

    bd->weight = weight;

    json_object_foreach(texts, lang, v) {
        if (json_is_string(v)) {
            mana_bot_tokens(json_string_value(v), mana_bot_index_token, bd);
            continue;
        }

        json_array_foreach(v, i, w) {
            if (json_is_string(w)) {
                mana_bot_tokens(json_string_value(w), mana_bot_index_token,
                                bd);
            }
        }
    }
}


static int
mana_bot_post_cmp(const void *a, const void *b)
{
    const mana_bot_posting_t  *x = a, *y = b;
    int                        d;

    d = strcmp(x->token, y->token);

    if (d == 0) {
        d = x->svc < y->svc ? -1 : x->svc > y->svc;
    }

    if (d == 0) {
        /* the heaviest of a token's postings for a service first */
        d = x->weight > y->weight ? -1 : x->weight < y->weight;
    }

    return d;
}


int
mana_bot_search_build(mana_bot_env_t *env, mana_bot_cache_t *c)
{
    size_t            i, k, j, df;
    json_t           *svc, *v;
    mana_bot_build_t  bd;

    memset(&bd, 0, sizeof(bd));
    bd.c = c;

    for (i = 0; i < c->nall; i++) {
        svc = c->all[i];
        bd.svc = (unsigned) i;

        mana_bot_index_texts(&bd, json_object_get(svc, "name"),
                             MANA_BOT_W_NAME);
        mana_bot_index_texts(&bd, json_object_get(svc, "keywords"),
                             MANA_BOT_W_KEYWORD);
        mana_bot_index_texts(&bd, json_object_get(svc, "description"),
                             MANA_BOT_W_DESC);

        json_array_foreach(json_object_get(svc, "intents"), k, v) {
            (void) mana_validate_cache_add(c->re, json_string_value(v),
                                           NULL, 0);
        }

        if (bd.failed) {
            return -1;
        }
    }

    if (c->npost == 0) {
        return 0;
    }

    qsort(c->post, c->npost, sizeof(mana_bot_posting_t), mana_bot_post_cmp);

    /* one posting per (token, service), the heaviest */
    for (i = 0, k = 0; i < c->npost; i++) {
        if (k && strcmp(c->post[k - 1].token, c->post[i].token) == 0
            && c->post[k - 1].svc == c->post[i].svc)
        {
            free(c->post[i].token);
            continue;
        }

        c->post[k++] = c->post[i];
    }

    c->npost = k;

    /* rarer tokens say more: weight by inverse document frequency */
    for (i = 0; i < c->npost; i = j) {
        for (j = i; j < c->npost
                    && strcmp(c->post[j].token, c->post[i].token) == 0; j++)
        {
            /* void */
        }

        df = j - i;

        for (k = i; k < j; k++) {
            c->post[k].weight *= logf(1.0f + (float) c->nall / (float) df);
        }
    }

    (void) env;
    return 0;
}


void
mana_bot_search_free(mana_bot_cache_t *c)
{
    size_t  i;

    for (i = 0; i < c->npost; i++) {
        free(c->post[i].token);
    }

    free(c->post);
    c->post = NULL;
    c->npost = 0;
}


/* searching */

typedef struct {
    mana_bot_cache_t  *c;
    float             *score;
    float             *best;        /* this query token's, per service */
    unsigned          *touched;
    size_t             ntouched;
    size_t             ntokens;
} mana_bot_query_t;


/* the first posting whose token is >= key */
static size_t
mana_bot_lower(mana_bot_cache_t *c, const char *key, size_t len)
{
    size_t  lo, hi, mid;
    int     d;

    lo = 0;
    hi = c->npost;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        d = strncmp(c->post[mid].token, key, len);

        if (d == 0 && strlen(c->post[mid].token) < len) {
            d = -1;
        }

        if (d < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return lo;
}


static void
mana_bot_hit(mana_bot_query_t *q, unsigned svc, float w)
{
    if (q->best[svc] == 0.0f) {
        q->touched[q->ntouched++] = svc;
    }

    if (w > q->best[svc]) {
        q->best[svc] = w;
    }
}


static void
mana_bot_query_token(void *data, const char *token, size_t len)
{
    size_t             i, cut, cps;
    mana_bot_query_t  *q = data;
    mana_bot_cache_t  *c = q->c;

    if (q->ntokens++ >= MANA_BOT_QUERY_MAX) {
        return;
    }

    cps = mana_utf8_len(token, len);

    /* the token itself, and (3 code points or more) words it begins */
    for (i = mana_bot_lower(c, token, len);
         i < c->npost && strncmp(c->post[i].token, token, len) == 0; i++)
    {
        if (c->post[i].token[len] == '\0') {
            mana_bot_hit(q, c->post[i].svc, c->post[i].weight);

        } else if (cps >= 3) {
            mana_bot_hit(q, c->post[i].svc, c->post[i].weight * 0.6f);
        }
    }

    /* words that begin it (inflections: "certificates", "ఆదాయం") */
    for (cut = len - 1; cut > 0; cut--) {
        if (((unsigned char) token[cut] & 0xc0) == 0x80) {
            continue;
        }

        /* a suffix of at most 4 code points, a stem of 3 at least */
        if (mana_utf8_len(token, cut) < 3
            || mana_utf8_len(token, cut) + 4 < cps)
        {
            break;
        }

        for (i = mana_bot_lower(c, token, cut);
             i < c->npost && strlen(c->post[i].token) == cut
             && strncmp(c->post[i].token, token, cut) == 0; i++)
        {
            mana_bot_hit(q, c->post[i].svc, c->post[i].weight * 0.6f);
        }
    }

    for (i = 0; i < q->ntouched; i++) {
        q->score[q->touched[i]] += q->best[q->touched[i]];
        q->best[q->touched[i]] = 0.0f;
    }

    q->ntouched = 0;
}


typedef struct {
    float   score;
    size_t  svc;
} mana_bot_rank_t;


static int
mana_bot_rank_cmp(const void *a, const void *b)
{
    const mana_bot_rank_t  *x = a, *y = b;

    /* best first; in menu order among equals */
    return x->score > y->score ? -1 : x->score < y->score ? 1
           : x->svc < y->svc ? -1 : x->svc > y->svc;
}


size_t
mana_bot_search_rank(mana_bot_env_t *env, const char *text, size_t *out,
    size_t max)
{
    size_t             i, k, n, len;
    json_t            *v;
    const char        *t;
    mana_bot_rank_t   *idx;
    mana_bot_cache_t  *c;
    mana_bot_query_t   q;

    c = env->cache;

    if (c->nall == 0) {
        return 0;
    }

    memset(&q, 0, sizeof(q));
    q.c = c;
    q.score = calloc(c->nall, sizeof(float));
    q.best = calloc(c->nall, sizeof(float));
    q.touched = calloc(c->nall, sizeof(unsigned));
    idx = calloc(c->nall, sizeof(mana_bot_rank_t));

    n = 0;

    if (q.score == NULL || q.best == NULL || q.touched == NULL
        || idx == NULL)
    {
        goto done;
    }

    mana_bot_tokens(text, mana_bot_query_token, &q);

    t = mana_validate_trim(text, &len);

    for (i = 0; i < c->nall; i++) {
        json_array_foreach(json_object_get(c->all[i], "intents"), k, v) {
            if (mana_validate_match(c->re, json_string_value(v), t, len)
                == 1)
            {
                q.score[i] += MANA_BOT_INTENT;
                break;
            }
        }

        if (q.score[i] > 0.0f) {
            idx[n].score = q.score[i];
            idx[n].svc = i;
            n++;
        }
    }

    qsort(idx, n, sizeof(mana_bot_rank_t), mana_bot_rank_cmp);

    if (n > max) {
        n = max;
    }

    for (i = 0; i < n; i++) {
        out[i] = idx[i].svc;
    }

done:

    free(q.score);
    free(q.best);
    free(q.touched);
    free(idx);

    return n;
}


void
mana_bot_search(mana_bot_t *b, const char *text)
{
    size_t             i, n;
    size_t             hits[MANA_BOT_RESULTS];
    mana_wa_choice_t   rows[MANA_BOT_RESULTS];
    mana_wa_section_t  s;

    n = mana_bot_search_rank(b->env, text, hits, MANA_BOT_RESULTS);

    mana_bot_clear_flow(b);

    if (n == 0) {
        mana_bot_set_str(b, "screen", "done");
        mana_bot_nav(b, mana_bot_fmt(b, "search.none", "query", text, NULL),
                     NULL, 0);
        return;
    }

    for (i = 0; i < n; i++) {
        rows[i].id = mana_bot_sprintf(b, "svc:%s", json_string_value(
                         json_object_get(b->c->all[hits[i]], "code")));
        rows[i].title = mana_bot_tr(b, json_object_get(b->c->all[hits[i]],
                                                       "name"));
        rows[i].description = mana_bot_tr(b, json_object_get(
                                  b->c->all[hits[i]], "description"));
    }

    mana_bot_set_str(b, "screen", "search");

    s.title = mana_bot_msg(b, "search.results.section");
    s.rows = rows;
    s.nrows = n;

    mana_bot_sections(b, mana_bot_fmt(b, "search.results.body", "query",
                                      text, NULL),
                      mana_bot_msg(b, "search.results.button"), &s, 1);
}
