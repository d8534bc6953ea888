/*
 * Forms: one question at a time, each answer validated (the kind, the
 * catalogue's pattern, the checksum) and stored normalised; then, by the
 * service's type, a summary to confirm or edit (application), or straight
 * to the effect (grievance, status lookup).  The results of those effects
 * are answered here too.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mana_bot_int.h"


#define MANA_BOT_VALUE_MAX  2048


static json_t *
mana_bot_cur_service(mana_bot_t *b)
{
    return mana_bot_service_get(b, mana_bot_state_str(b, "svc"));
}


json_t *
mana_bot_form_fields(mana_bot_t *b, json_t *svc)
{
    json_t  *f;

    f = json_object_get(b->c->forms,
                        json_string_value(json_object_get(svc, "code")));

    return f ? f : json_object_get(svc, "form");
}


static const char *
mana_bot_kind(json_t *field)
{
    const char  *k = json_string_value(json_object_get(field, "kind"));

    return k ? k : "text";
}


static const char *
mana_bot_label(mana_bot_t *b, json_t *field)
{
    const char  *k;

    if (json_is_object(json_object_get(field, "label"))) {
        return mana_bot_tr(b, json_object_get(field, "label"));
    }

    /* the questions a grievance gets added */
    k = mana_bot_kind(field);

    return mana_bot_msg(b, strcmp(k, "photo") == 0 ? "grievance.photo"
                                                   : "grievance.location");
}


static int
mana_bot_required(json_t *field)
{
    return !json_is_false(json_object_get(field, "required"));
}


static json_t *
mana_bot_answers(mana_bot_t *b)
{
    json_t  *a;

    a = json_object_get(b->st, "answers");

    if (!json_is_object(a)) {
        a = json_object();

        if (a == NULL || json_object_set_new(b->st, "answers", a) != 0) {
            b->failed = 1;
            return NULL;
        }
    }

    return a;
}


/* "grievance": each form with the optional photo and location added */
int
mana_bot_forms_build(mana_bot_env_t *env, mana_bot_cache_t *c)
{
    size_t       i, k;
    json_t      *svc, *form, *f;
    int          photo, location;
    const char  *kind;

    (void) env;

    c->forms = json_object();
    if (c->forms == NULL) {
        return -1;
    }

    for (i = 0; i < c->nall; i++) {
        svc = c->all[i];

        if (strcmp(json_string_value(json_object_get(svc, "type")),
                   "grievance") != 0)
        {
            continue;
        }

        photo = 0;
        location = 0;

        json_array_foreach(json_object_get(svc, "form"), k, f) {
            kind = mana_bot_kind(f);
            photo |= strcmp(kind, "photo") == 0;
            location |= strcmp(kind, "location") == 0;
        }

        if (photo && location) {
            continue;
        }

        form = json_copy(json_object_get(svc, "form"));
        if (form == NULL) {
            return -1;
        }

        if (!photo) {
            json_array_append_new(form, json_pack("{s:s,s:s,s:b}",
                                  "name", "_photo", "kind", "photo",
                                  "required", 0));
        }

        if (!location) {
            json_array_append_new(form, json_pack("{s:s,s:s,s:b}",
                                  "name", "_location", "kind", "location",
                                  "required", 0));
        }

        if (json_object_set_new(c->forms, json_string_value(
                                    json_object_get(svc, "code")), form)
            != 0)
        {
            return -1;
        }
    }

    return 0;
}


void
mana_bot_form_start(mana_bot_t *b, json_t *svc)
{
    size_t       n;
    json_t      *fields;
    const char  *type, *docs;
    mana_buf_t   text;

    fields = mana_bot_form_fields(b, svc);
    n = json_array_size(fields);
    type = json_string_value(json_object_get(svc, "type"));

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "form");
    mana_bot_set_str(b, "svc", json_string_value(json_object_get(svc,
                                                                 "code")));
    mana_bot_set_str(b, "dept", json_string_value(
                                    json_object_get(svc, "department")));
    mana_bot_set_int(b, "field", 0);

    if (n == 0) {
        /* a form the catalogue forbids; say so rather than loop */
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    if (mana_bot_answers(b) == NULL) {
        return;
    }

    if (strcmp(type, "status_lookup") != 0
        && strcmp(type, "instant_document") != 0)
    {
        mana_buf_init(&text);
        mana_buf_adds(&text, mana_bot_fmt(b, "app.start",
                          "service",
                          mana_bot_tr(b, json_object_get(svc, "name")),
                          "count", mana_bot_sprintf(b, "%zu", n),
                          NULL));

        docs = mana_bot_documents(b, svc);

        if (docs) {
            mana_buf_adds(&text, "\n\n");
            mana_buf_adds(&text, mana_bot_fmt(b, "app.documents.note",
                                              "documents", docs, NULL));
        }

        mana_buf_add(&text, "", 1);

        if (mana_buf_failed(&text)) {
            b->failed = 1;

        } else {
            mana_bot_text(b, text.data);
        }

        mana_buf_free(&text);
    }

    mana_bot_form_ask(b);
}


/* a district question: the districts as a paged list (typing works too) */
static void
mana_bot_district_list(mana_bot_t *b, json_t *field, const char *body)
{
    size_t             i, n;
    json_t            *d;
    mana_wa_choice_t  *rows;
    mana_bot_page_t    pg;

    n = json_array_size(b->env->districts);
    rows = calloc(n + 1, sizeof(mana_wa_choice_t));

    if (rows == NULL) {
        b->failed = 1;
        return;
    }

    n = 0;

    if (!mana_bot_required(field)) {
        rows[n].id = "btn:skip";
        rows[n].title = mana_bot_msg(b, "app.skip.button");
        n++;
    }

    json_array_foreach(b->env->districts, i, d) {
        if (!json_is_string(json_object_get(d, "en"))) {
            continue;
        }

        rows[n].id = mana_bot_sprintf(b, "opt:%s", json_string_value(
                                          json_object_get(d, "en")));
        rows[n].title = mana_bot_tr(b, d);
        n++;
    }

    memset(&pg, 0, sizeof(pg));
    pg.body = body;
    pg.button = mana_bot_msg(b, "app.choice.button");
    pg.items = rows;
    pg.n = n;
    pg.page = (size_t) json_integer_value(json_object_get(b->st, "page"));
    pg.more_fmt = "dpage:%d";

    mana_bot_paged(b, &pg);

    free(rows);
}


void
mana_bot_form_ask(mana_bot_t *b)
{
    size_t             i, n, k, idx, nc;
    json_t            *svc, *fields, *f, *choices, *c;
    const char        *kind, *body;
    mana_buf_t         text;
    mana_wa_choice_t   rows[MANA_WA_MAX_ROWS];

    svc = mana_bot_cur_service(b);
    fields = mana_bot_form_fields(b, svc);
    n = json_array_size(fields);
    idx = (size_t) json_integer_value(json_object_get(b->st, "field"));

    if (svc == NULL || idx >= n) {
        mana_bot_menu(b, 1);
        return;
    }

    f = json_array_get(fields, idx);
    kind = mana_bot_kind(f);
    choices = json_object_get(f, "choices");
    nc = strcmp(kind, "choice") == 0 ? json_array_size(choices) : 0;

    mana_buf_init(&text);

    if (!json_is_object(json_object_get(f, "label"))) {
        /* a question a grievance gets added: its own text */
        mana_buf_adds(&text, mana_bot_label(b, f));

    } else {
        mana_buf_adds(&text, mana_bot_fmt(b,
                          nc + !mana_bot_required(f) > MANA_WA_MAX_BUTTONS
                          || (strcmp(kind, "district") == 0
                              && json_array_size(b->env->districts))
                          ? "app.ask.choice.body"
                          : mana_bot_required(f) ? "app.ask"
                                                 : "app.ask.optional",
                          "step", mana_bot_sprintf(b, "%zu", idx + 1),
                          "count", mana_bot_sprintf(b, "%zu", n),
                          "label", mana_bot_label(b, f),
                          NULL));

        if (strcmp(kind, "photo") == 0 || strcmp(kind, "location") == 0) {
            mana_buf_adds(&text, "\n");
            mana_buf_adds(&text, mana_bot_msg(b, strcmp(kind, "photo") == 0
                                                 ? "validation.photo"
                                                 : "validation.location"));
        }
    }

    mana_buf_add(&text, "", 1);

    if (mana_buf_failed(&text)) {
        b->failed = 1;
        mana_buf_free(&text);
        return;
    }

    body = mana_bot_strdup(b, text.data, text.len - 1);
    mana_buf_free(&text);

    mana_bot_set_str(b, "screen", "form");

    if (strcmp(kind, "district") == 0
        && json_array_size(b->env->districts))
    {
        mana_bot_district_list(b, f, body);
        return;
    }

    k = 0;

    if (nc) {
        json_array_foreach(choices, i, c) {
            if (k == MANA_WA_MAX_ROWS) {
                break;
            }

            rows[k].id = mana_bot_sprintf(b, "opt:%s", json_string_value(
                                              json_object_get(c, "id")));
            rows[k].title = mana_bot_tr(b, json_object_get(c, "label"));
            rows[k].description = NULL;
            k++;
        }
    }

    if (!mana_bot_required(f) && k < MANA_WA_MAX_ROWS) {
        rows[k].id = "btn:skip";
        rows[k].title = mana_bot_msg(b, "app.skip.button");
        rows[k].description = NULL;
        k++;
    }

    if (k == 0) {
        mana_bot_text(b, body);

    } else if (k <= MANA_WA_MAX_BUTTONS) {
        mana_bot_buttons(b, body, rows, k);

    } else {
        mana_bot_list(b, body, mana_bot_msg(b, "app.choice.button"), rows, k);
    }
}


/* the answer as the summary shows it */
static const char *
mana_bot_display(mana_bot_t *b, json_t *field, json_t *v)
{
    size_t       i;
    json_t      *c;
    const char  *kind, *s;

    kind = mana_bot_kind(field);

    if (v == NULL || json_is_null(v)) {
        return "-";
    }

    if (strcmp(kind, "photo") == 0) {
        return "\xf0\x9f\x93\xb7";
    }

    if (strcmp(kind, "location") == 0) {
        return mana_bot_sprintf(b, "\xf0\x9f\x93\x8d %.5f, %.5f",
                   json_number_value(json_object_get(v, "latitude")),
                   json_number_value(json_object_get(v, "longitude")));
    }

    s = json_string_value(v);
    if (s == NULL) {
        return "";
    }

    if (strcmp(kind, "choice") == 0) {
        json_array_foreach(json_object_get(field, "choices"), i, c) {
            if (strcmp(json_string_value(json_object_get(c, "id")), s) == 0)
            {
                return mana_bot_tr(b, json_object_get(c, "label"));
            }
        }
    }

    if (strcmp(kind, "amount") == 0) {
        return mana_bot_rupees(b, s, 1);
    }

    if (strcmp(kind, "district") == 0) {
        /* stored by its English name, read in the citizen's language */
        json_array_foreach(b->env->districts, i, c) {
            if (json_equal(json_object_get(c, "en"), v)) {
                return mana_bot_tr(b, c);
            }
        }
    }

    return s;
}


void
mana_bot_summary(mana_bot_t *b)
{
    size_t            i;
    json_t           *svc, *fields, *f, *answers;
    mana_buf_t        lines;
    mana_wa_choice_t  btn[3];

    svc = mana_bot_cur_service(b);
    answers = mana_bot_answers(b);

    if (svc == NULL || answers == NULL) {
        mana_bot_menu(b, 1);
        return;
    }

    fields = mana_bot_form_fields(b, svc);
    mana_buf_init(&lines);

    json_array_foreach(fields, i, f) {
        mana_buf_adds(&lines, i ? "\n\xe2\x80\xa2 " : "\xe2\x80\xa2 ");
        mana_buf_adds(&lines, mana_bot_label(b, f));
        mana_buf_adds(&lines, ": ");
        mana_buf_adds(&lines, mana_bot_display(b, f, json_object_get(answers,
                          json_string_value(json_object_get(f, "name")))));
    }

    mana_buf_add(&lines, "", 1);

    if (mana_buf_failed(&lines)) {
        b->failed = 1;
        mana_buf_free(&lines);
        return;
    }

    mana_bot_set_str(b, "screen", "summary");
    json_object_del(b->st, "editing");
    json_object_del(b->st, "page");

    btn[0].id = "btn:confirm";
    btn[0].title = mana_bot_msg(b, "app.confirm.button");
    btn[1].id = "btn:edit";
    btn[1].title = mana_bot_msg(b, "app.edit.button");
    btn[2].id = "btn:cancel";
    btn[2].title = mana_bot_msg(b, "app.cancel.button");
    btn[0].description = btn[1].description = btn[2].description = NULL;

    mana_bot_buttons_long(b, mana_bot_fmt(b, "app.summary.body",
                              "service", mana_bot_tr(b, json_object_get(svc,
                                                                   "name")),
                              "summary", lines.data,
                              NULL),
                          NULL, btn, 3);

    mana_buf_free(&lines);
}


void
mana_bot_edit_list(mana_bot_t *b, size_t page)
{
    size_t             i, n;
    json_t            *svc, *fields, *f, *answers;
    mana_wa_choice_t  *rows;
    mana_bot_page_t    pg;

    svc = mana_bot_cur_service(b);
    answers = mana_bot_answers(b);
    fields = mana_bot_form_fields(b, svc);
    n = json_array_size(fields);

    if (svc == NULL || answers == NULL || n == 0) {
        mana_bot_menu(b, 1);
        return;
    }

    rows = calloc(n, sizeof(mana_wa_choice_t));
    if (rows == NULL) {
        b->failed = 1;
        return;
    }

    json_array_foreach(fields, i, f) {
        rows[i].id = mana_bot_sprintf(b, "field:%s", json_string_value(
                                          json_object_get(f, "name")));
        rows[i].title = mana_bot_label(b, f);
        rows[i].description = mana_bot_display(b, f, json_object_get(answers,
                                  json_string_value(json_object_get(f,
                                                                    "name"))));
    }

    if (page < 1 || page > mana_bot_pages(n)) {
        page = 1;
    }

    mana_bot_set_str(b, "screen", "edit");
    mana_bot_set_int(b, "page", page);

    memset(&pg, 0, sizeof(pg));
    pg.body = mana_bot_msg(b, "app.edit.body");
    pg.button = mana_bot_msg(b, "app.choice.button");
    pg.title = mana_bot_msg(b, "app.edit.section");
    pg.items = rows;
    pg.n = n;
    pg.page = page;
    pg.more_fmt = "edit:%d";

    mana_bot_paged(b, &pg);

    free(rows);
}


/* the first answer of a field of this kind (or name), or NULL */
static json_t *
mana_bot_answer_of(json_t *fields, json_t *answers, const char *kind,
    const char *name)
{
    size_t   i;
    json_t  *f, *v;

    json_array_foreach(fields, i, f) {
        if ((kind && strcmp(mana_bot_kind(f), kind) == 0)
            || (name && strcmp(json_string_value(json_object_get(f, "name")),
                               name) == 0))
        {
            v = json_object_get(answers, json_string_value(
                                    json_object_get(f, "name")));

            if (v && !json_is_null(v)) {
                return v;
            }
        }
    }

    return NULL;
}


static json_t *
mana_bot_or_null(json_t *v)
{
    return v ? json_incref(v) : json_null();
}


/* the answers given, without the skipped ones */
static json_t *
mana_bot_given(json_t *answers)
{
    json_t      *out, *v;
    const char  *k;

    out = json_object();
    if (out == NULL) {
        return NULL;
    }

    json_object_foreach(answers, k, v) {
        if (!json_is_null(v) && k[0] != '_') {
            json_object_set(out, k, v);
        }
    }

    return out;
}


static void
mana_bot_application(mana_bot_t *b)
{
    json_t  *svc, *fields, *answers;

    svc = mana_bot_cur_service(b);
    fields = mana_bot_form_fields(b, svc);
    answers = mana_bot_answers(b);

    if (svc == NULL || answers == NULL) {
        mana_bot_menu(b, 1);
        return;
    }

    mana_bot_effect(b, json_pack("{s:s,s:O,s:O,s:o,s:o,s:o,s:O}",
        "kind", "application",
        "service", json_object_get(svc, "code"),
        "department", json_object_get(svc, "department"),
        "district", mana_bot_or_null(mana_bot_answer_of(fields, answers,
                                                        "district", NULL)),
        "mandal", mana_bot_or_null(mana_bot_answer_of(fields, answers, NULL,
                                                      "mandal")),
        "fields", mana_bot_given(answers),
        "sla_days", json_object_get(svc, "sla_days")));

    /* personal data leaves the session with the effect */
    json_object_del(b->st, "answers");
    json_object_del(b->st, "field");
}


static void
mana_bot_grievance(mana_bot_t *b)
{
    json_t  *svc, *fields, *answers, *desc;

    svc = mana_bot_cur_service(b);
    fields = mana_bot_form_fields(b, svc);
    answers = mana_bot_answers(b);

    if (svc == NULL || answers == NULL) {
        mana_bot_menu(b, 1);
        return;
    }

    desc = mana_bot_answer_of(fields, answers, NULL, "description");
    if (desc == NULL) {
        desc = mana_bot_answer_of(fields, answers, "text", NULL);
    }

    mana_bot_effect(b, json_pack("{s:s,s:O,s:O,s:o,s:o,s:o,s:o,s:o,s:O,s:o}",
        "kind", "grievance",
        "service", json_object_get(svc, "code"),
        "department", json_object_get(svc, "department"),
        "category", mana_bot_or_null(mana_bot_answer_of(fields, answers,
                                                        "choice", NULL)),
        "description", mana_bot_or_null(desc),
        "media_id", mana_bot_or_null(mana_bot_answer_of(fields, answers,
                                                        "photo", NULL)),
        "location", mana_bot_or_null(mana_bot_answer_of(fields, answers,
                                                        "location", NULL)),
        "district", mana_bot_or_null(mana_bot_answer_of(fields, answers,
                                                        "district", NULL)),
        "sla_days", json_object_get(svc, "sla_days"),
        "fields", mana_bot_given(answers)));

    json_object_del(b->st, "answers");
    json_object_del(b->st, "field");
}


static void
mana_bot_status_effect(mana_bot_t *b, const char *ref)
{
    mana_bot_set_str(b, "ref", ref);
    mana_bot_effect(b, json_pack("{s:s,s:s}", "kind", "status", "ref", ref));
}


static void
mana_bot_form_done(mana_bot_t *b)
{
    json_t      *svc, *ref;
    const char  *type;

    svc = mana_bot_cur_service(b);
    if (svc == NULL) {
        mana_bot_menu(b, 1);
        return;
    }

    type = json_string_value(json_object_get(svc, "type"));

    if (strcmp(type, "grievance") == 0) {
        mana_bot_grievance(b);

    } else if (strcmp(type, "instant_document") == 0) {
        mana_bot_instant_lookup(b, svc);

    } else if (strcmp(type, "status_lookup") == 0) {
        ref = mana_bot_answer_of(mana_bot_form_fields(b, svc),
                                 mana_bot_answers(b), "reference", NULL);
        if (ref == NULL) {
            ref = mana_bot_answer_of(mana_bot_form_fields(b, svc),
                                     mana_bot_answers(b), "text", NULL);
        }

        if (ref == NULL || !json_is_string(ref)) {
            mana_bot_text(b, mana_bot_msg(b, "error.generic"));
            mana_bot_menu(b, 1);
            return;
        }

        mana_bot_status_effect(b, json_string_value(ref));
        json_object_del(b->st, "answers");
        json_object_del(b->st, "field");

    } else {
        mana_bot_summary(b);
    }
}


static void
mana_bot_form_next(mana_bot_t *b)
{
    size_t   n, idx;
    json_t  *editing;

    editing = json_object_get(b->st, "editing");

    if (editing) {
        mana_bot_summary(b);
        return;
    }

    n = json_array_size(mana_bot_form_fields(b, mana_bot_cur_service(b)));
    idx = (size_t) json_integer_value(json_object_get(b->st, "field")) + 1;

    json_object_del(b->st, "page");

    mana_bot_set_int(b, "field", idx);

    if (idx < n) {
        mana_bot_form_ask(b);

    } else {
        mana_bot_form_done(b);
    }
}


/* why an answer was refused, in the citizen's words */
static const char *
mana_bot_invalid(mana_bot_t *b, json_t *field, mana_valid_t rc)
{
    const char  *kind, *hint, *name;

    kind = mana_bot_kind(field);
    name = json_string_value(json_object_get(field, "name"));

    if (rc == MANA_VALID_ERROR) {
        return mana_bot_msg(b, "error.generic");
    }

    if (strcmp(kind, "photo") == 0 || strcmp(kind, "location") == 0) {
        return mana_bot_msg(b, strcmp(kind, "photo") == 0
                               ? "validation.photo" : "validation.location");
    }

    if (rc == MANA_VALID_TOO_LONG) {
        hint = mana_bot_fmt(b, "validation.too_long", "max", "500", NULL);

    } else if (strcmp(kind, "text") == 0 && name && strstr(name, "name")) {
        hint = mana_bot_msg(b, "validation.name");

    } else {
        hint = mana_bot_msg(b, mana_bot_sprintf(b, "validation.%s", kind));
    }

    return mana_bot_fmt(b, "app.invalid", "label", mana_bot_label(b, field),
                        "hint", hint, NULL);
}


static void
mana_bot_form_answer(mana_bot_t *b, json_t *field, json_t *value)
{
    json_t  *answers;

    answers = mana_bot_answers(b);

    if (answers == NULL || value == NULL
        || json_object_set_new(answers, json_string_value(
                                   json_object_get(field, "name")), value)
           != 0)
    {
        b->failed = 1;
        return;
    }

    mana_bot_form_next(b);
}


void
mana_bot_form_input(mana_bot_t *b)
{
    size_t                   n, idx;
    json_t                  *svc, *fields, *f;
    const char              *kind, *text, *type;
    mana_valid_t             rc;
    const mana_bot_input_t  *in;
    char                     norm[MANA_BOT_VALUE_MAX];

    in = b->in;
    svc = mana_bot_cur_service(b);
    fields = mana_bot_form_fields(b, svc);
    n = json_array_size(fields);
    idx = (size_t) json_integer_value(json_object_get(b->st, "field"));

    if (svc == NULL || idx >= n) {
        /* the catalogue changed under the form */
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    f = json_array_get(fields, idx);
    kind = mana_bot_kind(f);
    text = in->text ? in->text : "";
    type = in->type ? in->type : "";

    if (strcmp(kind, "district") == 0
        && (strncmp(text, "dpage:", 6) == 0
            || mana_bot_is_button(b, text, "more", "menu.row.more",
                                  MANA_BOT_WORD_MORE)))
    {
        /* another page of the districts */
        idx = (size_t) json_integer_value(json_object_get(b->st, "page"));
        mana_bot_set_int(b, "page", strncmp(text, "dpage:", 6) == 0
                                    ? atoi(text + 6)
                                    : (long long) (idx < 1 ? 1 : idx) + 1);
        mana_bot_form_ask(b);
        return;
    }

    if (!mana_bot_required(f)
        && mana_bot_is_button(b, text, "skip", "app.skip.button",
                              MANA_BOT_WORD_SKIP))
    {
        mana_bot_form_answer(b, f, json_null());
        return;
    }

    if (strcmp(kind, "photo") == 0) {
        if ((strcmp(type, "image") == 0 || strcmp(type, "document") == 0)
            && in->media_id && *in->media_id)
        {
            mana_bot_form_answer(b, f, json_string(in->media_id));
            return;
        }

        rc = MANA_VALID_KIND;
        goto invalid;
    }

    if (strcmp(kind, "location") == 0) {
        if (in->has_location) {
            mana_bot_form_answer(b, f, json_pack("{s:f,s:f}",
                                 "latitude", in->latitude,
                                 "longitude", in->longitude));
            return;
        }

        rc = MANA_VALID_KIND;
        goto invalid;
    }

    if (strcmp(type, "text") != 0 && strcmp(type, "interactive") != 0
        && strcmp(type, "button") != 0)
    {
        rc = MANA_VALID_KIND;
        goto invalid;
    }

    if (strncmp(text, "opt:", 4) == 0) {
        text += 4;
    }

    rc = mana_validate_field(b->c->re, f, b->env->districts, text, norm,
                             sizeof(norm));

    if (rc == MANA_VALID_OK) {
        if (strcmp(kind, "aadhaar") == 0) {
            /* never kept whole (privacy-dpdp.md): the last four digits */
            n = strlen(norm);
            memset(norm, 'X', n > 4 ? n - 4 : 0);
        }

        mana_bot_form_answer(b, f, json_string(norm));
        return;
    }

invalid:

    mana_bot_text(b, mana_bot_invalid(b, f, rc));
    mana_bot_form_ask(b);
}


static void
mana_bot_summary_input(mana_bot_t *b)
{
    const char  *text = b->in->text;

    if (mana_bot_is_button(b, text, "confirm", "app.confirm.button",
                           MANA_BOT_WORD_YES))
    {
        mana_bot_application(b);

    } else if (mana_bot_is_button(b, text, "edit", "app.edit.button",
                                  MANA_BOT_WORD_NONE))
    {
        mana_bot_edit_list(b, 1);

    } else if (mana_bot_is_button(b, text, "cancel", "app.cancel.button",
                                  MANA_BOT_WORD_NONE))
    {
        mana_bot_cancel(b);

    } else {
        mana_bot_summary(b);
    }
}


static void
mana_bot_edit_input(mana_bot_t *b)
{
    size_t       i;
    json_t      *fields, *f;
    const char  *text = b->in->text ? b->in->text : "";

    if (strncmp(text, "edit:", 5) == 0) {
        mana_bot_edit_list(b, (size_t) atoi(text + 5));
        return;
    }

    if (mana_bot_is_button(b, text, "more", "menu.row.more",
                           MANA_BOT_WORD_MORE))
    {
        mana_bot_edit_list(b, json_integer_value(json_object_get(b->st,
                                                                 "page"))
                              + 1);
        return;
    }

    fields = mana_bot_form_fields(b, mana_bot_cur_service(b));

    if (strncmp(text, "field:", 6) == 0) {
        json_array_foreach(fields, i, f) {
            if (strcmp(json_string_value(json_object_get(f, "name")),
                       text + 6) == 0)
            {
                json_object_del(b->st, "page");
                mana_bot_set_int(b, "field", i);
                mana_bot_set_int(b, "editing", 1);
                mana_bot_form_ask(b);
                return;
            }
        }
    }

    mana_bot_edit_list(b, json_integer_value(json_object_get(b->st,
                                                             "page")));
}


void
mana_bot_cancel(mana_bot_t *b)
{
    json_t  *svc;

    svc = mana_bot_cur_service(b);

    if (svc && mana_bot_flow(mana_bot_state_str(b, "screen"))) {
        mana_bot_text(b, mana_bot_fmt(b, "app.cancelled", "service",
                          mana_bot_tr(b, json_object_get(svc, "name")),
                          NULL));

    } else {
        mana_bot_text(b, mana_bot_msg(b, "session.cancelled"));
    }

    mana_bot_menu(b, 1);
}


void
mana_bot_status_ask(mana_bot_t *b)
{
    size_t       i;
    time_t       now;
    struct tm    tm;
    const char  *example;

    /* an example reference of this catalogue and this year */
    now = (time_t) b->in->now;
    gmtime_r(&now, &tm);
    example = NULL;

    for (i = 0; i < b->c->nall && example == NULL; i++) {
        if (strcmp(json_string_value(json_object_get(b->c->all[i], "type")),
                   "application") == 0)
        {
            example = mana_bot_sprintf(b, "%s-%04d-000123",
                          json_string_value(json_object_get(b->c->all[i],
                                                            "code")),
                          tm.tm_year + 1900);
        }
    }

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "status");
    mana_bot_text(b, mana_bot_fmt(b, "status.ask", "example",
                                  example ? example : "", NULL));
}


void
mana_bot_status_lookup(mana_bot_t *b, const char *text)
{
    char  ref[64];

    if (text && mana_validate_app_ref(text, ref, sizeof(ref))) {
        mana_bot_clear_flow(b);
        mana_bot_set_str(b, "screen", "status");
        mana_bot_status_effect(b, ref);
        return;
    }

    mana_bot_text(b, mana_bot_msg(b, "validation.reference"));
    mana_bot_status_ask(b);
}


/* screens form, summary, edit and status */
void
mana_bot_flow_input(mana_bot_t *b, const char *screen)
{
    if (strcmp(screen, "summary") == 0) {
        mana_bot_summary_input(b);

    } else if (strcmp(screen, "edit") == 0) {
        mana_bot_edit_input(b);

    } else if (strcmp(screen, "status") == 0) {
        mana_bot_status_lookup(b, b->in->text);

    } else {
        mana_bot_form_input(b);
    }
}


void
mana_bot_form_back(mana_bot_t *b)
{
    size_t            idx, n;
    json_t           *svc;
    const char       *screen;
    mana_bot_dept_t  *d;

    screen = mana_bot_state_str(b, "screen");
    svc = mana_bot_cur_service(b);

    if (svc == NULL || strcmp(screen, "status") == 0) {
        mana_bot_menu(b, 1);
        return;
    }

    if (strcmp(screen, "edit") == 0
        || (strcmp(screen, "form") == 0 && json_object_get(b->st, "editing")))
    {
        mana_bot_summary(b);
        return;
    }

    n = json_array_size(mana_bot_form_fields(b, svc));
    idx = (size_t) json_integer_value(json_object_get(b->st, "field"));

    if (strcmp(screen, "summary") == 0 && n) {
        mana_bot_set_int(b, "field", n - 1);
        mana_bot_form_ask(b);
        return;
    }

    if (strcmp(screen, "form") == 0 && idx > 0 && idx <= n) {
        mana_bot_set_int(b, "field", idx - 1);
        mana_bot_form_ask(b);
        return;
    }

    d = mana_bot_dept_get(b, json_string_value(json_object_get(svc,
                                                               "department")));

    if (d) {
        mana_bot_dept(b, d, 1);

    } else {
        mana_bot_menu(b, 1);
    }
}


static const char *
mana_bot_status_name(mana_bot_t *b, const char *status)
{
    const char  *key;

    if (status == NULL) {
        return "";
    }

    key = mana_bot_sprintf(b, "status.%s", status);

    return mana_bot_has_msg(b, key) ? mana_bot_msg(b, key) : status;
}


static void
mana_bot_status_reply(mana_bot_t *b, json_t *r)
{
    size_t       i, first;
    json_t      *h, *e, *svc;
    const char  *ref, *status, *name, *updated, *s;
    mana_buf_t   text;

    ref = mana_bot_state_str(b, "ref");
    ref = ref ? ref : "";

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "done");

    if (!json_is_true(json_object_get(r, "found"))) {
        mana_bot_nav(b, mana_bot_fmt(b, "status.not_found", "ref", ref,
                                     NULL),
                     NULL, 0);
        return;
    }

    s = json_string_value(json_object_get(r, "service"));
    svc = s ? mana_catalogue_service(b->env->cat, s) : NULL;
    name = svc ? mana_bot_tr(b, json_object_get(svc, "name")) : s ? s : "";
    status = json_string_value(json_object_get(r, "status"));

    h = json_object_get(r, "history");
    first = json_array_size(h) > 10 ? json_array_size(h) - 10 : 0;
    updated = json_string_value(json_object_get(json_array_get(h,
                                    json_array_size(h) - 1), "at"));

    mana_buf_init(&text);
    mana_buf_adds(&text, mana_bot_fmt(b, "status.result",
                      "ref", ref,
                      "status", mana_bot_status_name(b, status),
                      "service", name,
                      "updated", updated ? mana_bot_date(b, updated) : "-",
                      NULL));

    s = json_string_value(json_object_get(r, "reason"));

    if (s && status && strcmp(status, "rejected") == 0) {
        mana_buf_adds(&text, "\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "status.rejected.reason",
                                          "reason", s, NULL));
    }

    s = json_string_value(json_object_get(r, "due_date"));

    if (s) {
        mana_buf_adds(&text, "\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "status.due", "due_date",
                                          mana_bot_date(b, s), NULL));
    }

    if (json_array_size(h)) {
        mana_buf_adds(&text, "\n\n");
        mana_buf_adds(&text, mana_bot_msg(b, "status.history.header"));
    }

    json_array_foreach(h, i, e) {
        if (i < first) {
            continue;
        }

        s = json_string_value(json_object_get(e, "note"));

        mana_buf_adds(&text, "\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "status.history.line",
                          "date", mana_bot_date(b, json_string_value(
                                      json_object_get(e, "at"))),
                          "status", mana_bot_status_name(b,
                                        json_string_value(json_object_get(
                                            e, "status"))),
                          "note", s && *s ? mana_bot_sprintf(b, " (%.400s)",
                                                             s)
                                          : "",
                          NULL));
    }

    mana_buf_add(&text, "", 1);

    if (mana_buf_failed(&text)) {
        b->failed = 1;

    } else {
        mana_bot_nav(b, text.data, mana_bot_fmt(b, "status.result",
                         "ref", ref,
                         "status", mana_bot_status_name(b, status),
                         "service", name,
                         "updated", updated ? mana_bot_date(b, updated)
                                            : "-",
                         NULL),
                     0);
    }

    mana_buf_free(&text);
}


void
mana_bot_result(mana_bot_t *b, const char *pending)
{
    json_t      *r, *svc, *dept;
    const char  *ref, *due, *name;

    r = b->in->result;

    if (strcmp(pending, "status") == 0 && json_is_object(r)
        && json_object_get(r, "found"))
    {
        mana_bot_status_reply(b, r);
        return;
    }

    ref = json_string_value(json_object_get(r, "ref"));
    due = json_string_value(json_object_get(r, "due_date"));
    svc = mana_bot_cur_service(b);

    if (strcmp(pending, "status") == 0 || ref == NULL || svc == NULL) {
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    name = mana_bot_tr(b, json_object_get(svc, "name"));
    dept = mana_catalogue_department(b->env->cat, json_string_value(
                                     json_object_get(svc, "department")));

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "done");

    if (strcmp(pending, "grievance") == 0) {
        mana_bot_nav(b, mana_bot_fmt(b, "grievance.registered",
                            "ref", ref,
                            "department", mana_bot_tr(b, json_object_get(
                                                          dept, "name")),
                            "due_date", due ? mana_bot_date(b, due) : "-",
                            NULL),
                     NULL, 0);
        return;
    }

    mana_bot_nav(b, mana_bot_fmt(b, "app.confirmed",
                        "ref", ref,
                        "service", name,
                        "due_date", due ? mana_bot_date(b, due) : "-",
                        NULL),
                 NULL, 0);
}
