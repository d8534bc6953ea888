/*
 * ngx_http_mana_module: the WhatsApp Cloud API webhook and the bot, inside
 * nginx workers.  Declarations shared by the module's files.
 */

#ifndef NGX_HTTP_MANA_MODULE_H
#define NGX_HTTP_MANA_MODULE_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_db.h"
#include "ngx_http_mana_sender.h"
#include "ngx_http_mana_catalogue.h"
#include "mana_buf.h"


typedef struct {
    ngx_http_mana_db_conf_t    db;
    ngx_http_mana_sender_conf_t  sender;
    ngx_http_mana_catalogue_conf_t  catalogue;
    ngx_str_t                  thread_pool;
    ngx_shm_zone_t            *stats_zone;
    ngx_flag_t                 db_used;    /* some location needs the db */
    ngx_flag_t                 sandbox_used;
    ngx_flag_t                 keys_used;  /* some location verifies */
    ngx_flag_t                 document_used;  /* /D/ is served */
    ngx_str_t                  document_key;
    ngx_str_t                  verify_host;    /* NUL-terminated */
} ngx_http_mana_main_conf_t;


typedef struct {
    ngx_http_handler_pt        handler;
    ngx_str_t                  app_secret;
    ngx_str_t                  verify_token;
    size_t                     max_body;
    ngx_uint_t                 max_depth;
    ngx_flag_t                 sandbox;
    ngx_str_t                  sandbox_number_id;
} ngx_http_mana_loc_conf_t;


/* counters shared by all workers, for /health and the dashboard */
typedef enum {
    NGX_HTTP_MANA_WEBHOOKS = 0,
    NGX_HTTP_MANA_SIGNATURE_REJECTED,
    NGX_HTTP_MANA_UNUSABLE_PAYLOADS,
    NGX_HTTP_MANA_ITEMS_SKIPPED,
    NGX_HTTP_MANA_MESSAGES_RECEIVED,
    NGX_HTTP_MANA_MESSAGES_STORED,
    NGX_HTTP_MANA_MESSAGES_DUPLICATE,
    NGX_HTTP_MANA_STATUSES_RECEIVED,
    NGX_HTTP_MANA_DB_UNAVAILABLE,
    NGX_HTTP_MANA_BOT_TRANSACTIONS,     /* committed by the bot */
    NGX_HTTP_MANA_BOT_SHARED,           /* deliveries in a shared one */
    NGX_HTTP_MANA_NCOUNTERS
} ngx_http_mana_counter_e;


extern ngx_module_t  ngx_http_mana_module;
extern const char   *ngx_http_mana_counter_names[];


ngx_int_t ngx_http_mana_webhook_handler(ngx_http_request_t *r);
void ngx_http_mana_webhook_process(ngx_http_request_t *r, ngx_str_t *body);
ngx_int_t ngx_http_mana_health_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_verify_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_log_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_trust_list_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_status_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_document_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_mana_document_init_process(ngx_cycle_t *cycle);
void ngx_http_mana_document_exit_process(void);
/* https://<verify host>/D/<token> of a certificate; NGX_DECLINED: none */
ngx_int_t ngx_http_mana_document_link(const char *cti_hex, mana_buf_t *out);
/* a public document: Cache-Control as given, readable from any origin */
ngx_int_t ngx_http_mana_log_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *type, const char *cache, u_char *body, size_t len);
ngx_int_t ngx_http_mana_log_json_error(ngx_http_request_t *r,
    ngx_uint_t status, const char *code, const char *fmt, ...);
ngx_int_t ngx_http_mana_sandbox_init(ngx_conf_t *cf);

ngx_int_t ngx_http_mana_stats_init_conf(ngx_conf_t *cf,
    ngx_http_mana_main_conf_t *mmcf);
void ngx_http_mana_count(ngx_http_request_t *r, ngx_http_mana_counter_e n,
    ngx_atomic_int_t add);
/* the same, for work that belongs to no request */
void ngx_http_mana_count_cycle(ngx_http_mana_counter_e n,
    ngx_atomic_int_t add);
ngx_atomic_uint_t ngx_http_mana_counter(ngx_http_request_t *r,
    ngx_http_mana_counter_e n);

/* the request line and URI as logs may show them: uri, a static string */
void ngx_http_mana_redact(ngx_http_request_t *r, const char *uri);
ngx_int_t ngx_http_mana_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *type, u_char *body, size_t len);

#endif /* NGX_HTTP_MANA_MODULE_H */
