/*
 * Menus: the departments (with "Popular services" first), a department's
 * services, the popular services, all paged; and what a service shows
 * when chosen, by its type.
 */

#include <stdlib.h>
#include <string.h>

#include "mana_bot_int.h"


static mana_wa_choice_t *
mana_bot_rows(mana_bot_t *b, size_t n)
{
    mana_wa_choice_t  *rows;

    rows = calloc(n ? n : 1, sizeof(mana_wa_choice_t));
    if (rows == NULL) {
        b->failed = 1;
    }

    return rows;
}


static void
mana_bot_service_row(mana_bot_t *b, mana_wa_choice_t *row, json_t *svc)
{
    row->id = mana_bot_sprintf(b, "svc:%s",
                  json_string_value(json_object_get(svc, "code")));
    row->title = mana_bot_tr(b, json_object_get(svc, "name"));
    row->description = mana_bot_tr(b, json_object_get(svc, "description"));
}


void
mana_bot_menu(mana_bot_t *b, size_t page)
{
    size_t             i, nq;
    json_t            *d;
    mana_wa_choice_t  *rows, quick[3];
    mana_bot_page_t    pg;

    rows = mana_bot_rows(b, b->c->ndepts);
    if (rows == NULL) {
        return;
    }

    nq = 0;

    if (b->c->npopular) {
        quick[nq].id = "pop";
        quick[nq].title = mana_bot_msg(b, "menu.row.popular");
        quick[nq].description = mana_bot_msg(b, "menu.row.popular.desc");
        nq++;
    }

    quick[nq].id = "status";
    quick[nq].title = mana_bot_msg(b, "menu.row.status");
    quick[nq].description = mana_bot_msg(b, "menu.row.status.desc");
    nq++;

    if (b->c->ngrievances) {
        quick[nq].id = "grv";
        quick[nq].title = mana_bot_msg(b, "menu.row.grievance");
        quick[nq].description = mana_bot_msg(b, "menu.row.grievance.desc");
        nq++;
    }

    for (i = 0; i < b->c->ndepts; i++) {
        d = b->c->depts[i].dept;
        rows[i].id = mana_bot_sprintf(b, "dept:%s",
                         json_string_value(json_object_get(d, "code")));
        rows[i].title = mana_bot_tr(b, json_object_get(d, "name"));
        rows[i].description = mana_bot_tr(b, json_object_get(d,
                                                             "description"));
    }

    if (page < 1
        || page > mana_bot_pages_from(b->c->ndepts, MANA_WA_MAX_ROWS - nq))
    {
        page = 1;
    }

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "menu");
    mana_bot_set_int(b, "page", page);

    memset(&pg, 0, sizeof(pg));
    pg.body = mana_bot_msg(b, "menu.body");
    pg.body_more = "dept.list.body";
    pg.button = mana_bot_msg(b, "menu.button");
    pg.button_more = mana_bot_msg(b, "dept.list.button");
    pg.header = mana_bot_msg(b, "menu.header");
    pg.footer = mana_bot_msg(b, "menu.footer");
    pg.quick_title = mana_bot_msg(b, "menu.section.popular");
    pg.quick = quick;
    pg.nquick = nq;
    pg.title = mana_bot_msg(b, "menu.section.departments");
    pg.items = rows;
    pg.n = b->c->ndepts;
    pg.page = page;
    pg.more_fmt = "menu:%d";

    mana_bot_paged(b, &pg);

    free(rows);
}


/* a paged list of services */
static void
mana_bot_services(mana_bot_t *b, json_t **svcs, size_t n, size_t page,
    const char *body, const char *button, const char *title,
    const char *more_fmt)
{
    size_t             i;
    mana_wa_choice_t  *rows;
    mana_bot_page_t    pg;

    rows = mana_bot_rows(b, n);
    if (rows == NULL) {
        return;
    }

    for (i = 0; i < n; i++) {
        mana_bot_service_row(b, &rows[i], svcs[i]);
    }

    memset(&pg, 0, sizeof(pg));
    pg.body = body;
    pg.button = button;
    pg.title = title;
    pg.items = rows;
    pg.n = n;
    pg.page = page;
    pg.more_fmt = more_fmt;

    mana_bot_paged(b, &pg);

    free(rows);
}


static size_t
mana_bot_page_in(size_t page, size_t n)
{
    return page >= 1 && page <= mana_bot_pages(n) ? page : 1;
}


void
mana_bot_dept(mana_bot_t *b, mana_bot_dept_t *d, size_t page)
{
    const char  *code;

    page = mana_bot_page_in(page, d->nsvcs);
    code = json_string_value(json_object_get(d->dept, "code"));

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "dept");
    mana_bot_set_str(b, "dept", code);
    mana_bot_set_int(b, "page", page);

    mana_bot_services(b, d->svcs, d->nsvcs, page,
                      mana_bot_fmt(b, "service.list.body",
                          "department",
                          mana_bot_tr(b, json_object_get(d->dept, "name")),
                          "page", mana_bot_sprintf(b, "%zu", page),
                          "pages", mana_bot_sprintf(b, "%zu",
                                                    mana_bot_pages(d->nsvcs)),
                          NULL),
                      mana_bot_msg(b, "service.list.button"),
                      mana_bot_msg(b, "service.list.section"),
                      mana_bot_sprintf(b, "dept:%s:%%d", code));
}


void
mana_bot_popular(mana_bot_t *b, size_t page)
{
    if (b->c->npopular == 0) {
        mana_bot_menu(b, 1);
        return;
    }

    page = mana_bot_page_in(page, b->c->npopular);

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "pop");
    mana_bot_set_int(b, "page", page);

    mana_bot_services(b, b->c->popular, b->c->npopular, page,
                      mana_bot_msg(b, "popular.list.body"),
                      mana_bot_msg(b, "popular.list.button"),
                      mana_bot_msg(b, "popular.list.section"), "pop:%d");
}


void
mana_bot_grievances(mana_bot_t *b, size_t page)
{
    if (b->c->ngrievances == 0) {
        mana_bot_menu(b, 1);
        return;
    }

    page = mana_bot_page_in(page, b->c->ngrievances);

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "grv");
    mana_bot_set_int(b, "page", page);

    mana_bot_services(b, b->c->grievances, b->c->ngrievances, page,
                      mana_bot_msg(b, "grievance.category.body"),
                      mana_bot_msg(b, "grievance.category.button"),
                      NULL, "grv:%d");
}


/* a language's list of documents as bullet lines */
const char *
mana_bot_documents(mana_bot_t *b, json_t *svc)
{
    size_t       i;
    json_t      *docs, *d;
    mana_buf_t   out;
    const char  *s;

    docs = json_object_get(json_object_get(svc, "documents"), b->lang);
    if (json_array_size(docs) == 0) {
        docs = json_object_get(json_object_get(svc, "documents"), "en");
    }

    if (json_array_size(docs) == 0) {
        return NULL;
    }

    mana_buf_init(&out);

    json_array_foreach(docs, i, d) {
        mana_buf_adds(&out, i ? "\n\xe2\x80\xa2 " : "\xe2\x80\xa2 ");
        mana_buf_adds(&out, json_string_value(d));
    }

    if (mana_buf_failed(&out)) {
        b->failed = 1;
        mana_buf_free(&out);
        return NULL;
    }

    s = mana_bot_strdup(b, out.data, out.len);
    mana_buf_free(&out);

    return s;
}


/* an information service: its content, documents, fee and contact */
static void
mana_bot_info(mana_bot_t *b, json_t *svc)
{
    json_t       *dept, *fee, *sla;
    const char   *content, *phone, *docs, *name;
    mana_buf_t    text;

    mana_buf_init(&text);

    name = mana_bot_tr(b, json_object_get(svc, "name"));
    content = mana_bot_tr(b, json_object_get(svc, "content"));
    if (*content == '\0') {
        content = mana_bot_tr(b, json_object_get(svc, "description"));
    }

    mana_buf_adds(&text, mana_bot_fmt(b, "info.content", "service", name,
                                      "content", content, NULL));

    docs = mana_bot_documents(b, svc);

    if (docs) {
        mana_buf_adds(&text, "\n\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "info.documents", "documents",
                                          docs, NULL));
    }

    fee = json_object_get(svc, "fee");

    if (json_is_number(fee)) {
        mana_buf_adds(&text, "\n\n");

        if (json_number_value(fee) == 0) {
            mana_buf_adds(&text, mana_bot_msg(b, "info.no_fee"));

        } else {
            mana_buf_adds(&text, mana_bot_fmt(b, "info.fee", "fee",
                              mana_bot_rupees(b, mana_bot_sprintf(b, "%.2f",
                                  json_number_value(fee)), 0),
                              NULL));
        }
    }

    sla = json_object_get(svc, "sla_days");

    if (json_is_integer(sla) && json_integer_value(sla) > 0) {
        mana_buf_adds(&text, "\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "info.sla", "days",
                          mana_bot_sprintf(b, "%lld", (long long)
                                           json_integer_value(sla)),
                          NULL));
    }

    dept = mana_catalogue_department(b->env->cat, json_string_value(
                                     json_object_get(svc, "department")));
    phone = json_string_value(json_object_get(json_object_get(dept,
                                                             "contact"),
                                              "phone"));

    if (phone && *phone) {
        mana_buf_adds(&text, "\n");
        mana_buf_adds(&text, mana_bot_fmt(b, "info.contact", "contact",
                                          phone, NULL));
    }

    mana_buf_add(&text, "", 1);

    if (mana_buf_failed(&text)) {
        b->failed = 1;
        mana_buf_free(&text);
        return;
    }

    mana_bot_nav(b, text.data, mana_bot_fmt(b, "info.content",
                                            "service", name,
                                            "content", "", NULL),
                 1);
    mana_buf_free(&text);
}


void
mana_bot_service(mana_bot_t *b, json_t *svc)
{
    const char  *type, *code;

    type = json_string_value(json_object_get(svc, "type"));
    code = json_string_value(json_object_get(svc, "code"));

    if (strcmp(type, "application") == 0 || strcmp(type, "grievance") == 0
        || strcmp(type, "status_lookup") == 0)
    {
        mana_bot_form_start(b, svc);
        return;
    }

    if (strcmp(type, "instant_document") == 0) {
        mana_bot_instant_open(b, svc);
        return;
    }

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "info");
    mana_bot_set_str(b, "svc", code);
    mana_bot_set_str(b, "dept", json_string_value(
                                    json_object_get(svc, "department")));

    if (strcmp(type, "information") == 0) {
        mana_bot_info(b, svc);
        return;
    }

    /* payment: recognised, not yet offered */
    mana_bot_nav(b, mana_bot_fmt(b, "payment.soon", "service",
                                 mana_bot_tr(b, json_object_get(svc, "name")),
                                 NULL),
                 NULL, 1);
}


static size_t
mana_bot_page_of(const char *s)
{
    long  n;

    n = s && *s == ':' ? strtol(s + 1, NULL, 10) : 1;

    return n >= 1 && n <= 1000 ? (size_t) n : 1;
}


int
mana_bot_menu_id(mana_bot_t *b, const char *id)
{
    json_t           *svc;
    const char       *colon;
    mana_bot_dept_t  *d;

    if (strncmp(id, "menu:", 5) == 0) {
        mana_bot_menu(b, mana_bot_page_of(id + 4));
        return 1;
    }

    if (strcmp(id, "pop") == 0 || strncmp(id, "pop:", 4) == 0) {
        mana_bot_popular(b, mana_bot_page_of(id + 3));
        return 1;
    }

    if (strcmp(id, "grv") == 0 || strncmp(id, "grv:", 4) == 0) {
        mana_bot_grievances(b, mana_bot_page_of(id + 3));
        return 1;
    }

    if (strcmp(id, "status") == 0) {
        mana_bot_status_ask(b);
        return 1;
    }

    if (strncmp(id, "dept:", 5) == 0) {
        colon = strchr(id + 5, ':');
        d = mana_bot_dept_get(b, mana_bot_strdup(b, id + 5,
                                  colon ? (size_t) (colon - id - 5)
                                        : strlen(id + 5)));

        if (d == NULL) {
            mana_bot_menu(b, 1);

        } else {
            mana_bot_dept(b, d, mana_bot_page_of(colon));
        }

        return 1;
    }

    if (strncmp(id, "svc:", 4) == 0) {
        svc = mana_bot_service_get(b, id + 4);

        if (svc == NULL) {
            mana_bot_menu(b, 1);

        } else {
            mana_bot_service(b, svc);
        }

        return 1;
    }

    return 0;
}
