/*
 * Directives, configuration and the worker's lifecycle.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_sandbox.h"
#include "ngx_http_mana_keys.h"
#include "mana_doclink.h"


static void *ngx_http_mana_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_mana_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_mana_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mana_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_mana_db_server(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mana_secret_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mana_handler_slot(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mana_document_key_file(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static void ngx_http_mana_document_key_wipe(void *data);
static char *ngx_http_mana_sandbox_flag(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mana_sandbox_merge(ngx_conf_t *cf,
    ngx_http_mana_loc_conf_t *prev, ngx_http_mana_loc_conf_t *conf);
static ngx_int_t ngx_http_mana_postconfiguration(ngx_conf_t *cf);
static ngx_int_t ngx_http_mana_sender_init_conf(ngx_conf_t *cf,
    ngx_http_mana_main_conf_t *mmcf);
static ngx_int_t ngx_http_mana_init_process(ngx_cycle_t *cycle);
static void ngx_http_mana_exit_process(ngx_cycle_t *cycle);


static ngx_conf_num_bounds_t  ngx_http_mana_pool_bounds = {
    ngx_conf_check_num_bounds, 1, 1024
};

static ngx_conf_num_bounds_t  ngx_http_mana_queue_bounds = {
    ngx_conf_check_num_bounds, 0, 1000000
};

static ngx_conf_num_bounds_t  ngx_http_mana_rate_bounds = {
    ngx_conf_check_num_bounds, 1, 100000
};

static ngx_conf_num_bounds_t  ngx_http_mana_depth_bounds = {
    ngx_conf_check_num_bounds, 4, 256
};


static ngx_command_t  ngx_http_mana_commands[] = {

    { ngx_string("mana_db_server"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_db_server,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mana_db_user"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.user),
      NULL },

    { ngx_string("mana_db_password_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_secret_file,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.password),
      NULL },

    { ngx_string("mana_db_name"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.database),
      NULL },

    { ngx_string("mana_db_pool_size"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.pool_size),
      &ngx_http_mana_pool_bounds },

    { ngx_string("mana_db_queue_size"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.queue_size),
      &ngx_http_mana_queue_bounds },

    { ngx_string("mana_db_queue_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.queue_timeout),
      NULL },

    { ngx_string("mana_db_connect_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.connect_timeout),
      NULL },

    { ngx_string("mana_db_query_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, db.query_timeout),
      NULL },

    { ngx_string("mana_graph_url"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.url),
      NULL },

    { ngx_string("mana_graph_version"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.version),
      NULL },

    { ngx_string("mana_graph_token_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_secret_file,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.token),
      NULL },

    { ngx_string("mana_graph_ca_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.ca_file),
      NULL },

    { ngx_string("mana_graph_connections"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.max_conns),
      &ngx_http_mana_pool_bounds },

    { ngx_string("mana_graph_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.timeout),
      NULL },

    { ngx_string("mana_graph_keepalive_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.graph.keepalive_timeout),
      NULL },

    { ngx_string("mana_sender_batch"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.batch),
      &ngx_http_mana_pool_bounds },

    { ngx_string("mana_sender_interval"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.interval),
      NULL },

    { ngx_string("mana_sender_lease"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.lease),
      NULL },

    { ngx_string("mana_sender_max_attempts"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.max_attempts),
      &ngx_http_mana_pool_bounds },

    { ngx_string("mana_sender_backoff"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.backoff),
      NULL },

    { ngx_string("mana_sender_backoff_max"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.backoff_max),
      NULL },

    { ngx_string("mana_sender_rate"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.rate.per_second),
      &ngx_http_mana_rate_bounds },

    { ngx_string("mana_sender_pair_interval"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.rate.pair_interval),
      NULL },

    { ngx_string("mana_sender_pair_burst"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.rate.pair_burst),
      &ngx_http_mana_pool_bounds },

    { ngx_string("mana_window_template"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, sender.template_name),
      NULL },

    { ngx_string("mana_catalogue_check"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.check),
      NULL },

    { ngx_string("mana_bot"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.bot),
      NULL },

    { ngx_string("mana_session_idle"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.session_idle),
      NULL },

    { ngx_string("mana_notice_url"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.notice_url),
      NULL },

    { ngx_string("mana_notice_version"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.notice_version),
      NULL },

    { ngx_string("mana_contact"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, catalogue.contact),
      NULL },

    { ngx_string("mana_thread_pool"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, thread_pool),
      NULL },

    { ngx_string("mana_webhook"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_webhook_handler },

    { ngx_string("mana_health"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_health_handler },

    { ngx_string("mana_verify"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_verify_handler },

    { ngx_string("mana_log"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_log_handler },

    { ngx_string("mana_trust_list"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_trust_list_handler },

    { ngx_string("mana_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_status_handler },

    { ngx_string("mana_document"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mana_handler_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      (void *) ngx_http_mana_document_handler },

    { ngx_string("mana_document_key_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_document_key_file,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mana_verify_host"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mana_main_conf_t, verify_host),
      NULL },

    { ngx_string("mana_app_secret_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_secret_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, app_secret),
      NULL },

    { ngx_string("mana_verify_token_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mana_secret_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, verify_token),
      NULL },

    { ngx_string("mana_webhook_max_body"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, max_body),
      NULL },

    { ngx_string("mana_webhook_max_depth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, max_depth),
      &ngx_http_mana_depth_bounds },

    { ngx_string("mana_sandbox"),
      NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_http_mana_sandbox_flag,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, sandbox),
      NULL },

    { ngx_string("mana_sandbox_number_id"),
      NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mana_loc_conf_t, sandbox_number_id),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_mana_module_ctx = {
    NULL,                                  /* preconfiguration */
    ngx_http_mana_postconfiguration,       /* postconfiguration */

    ngx_http_mana_create_main_conf,        /* create main configuration */
    ngx_http_mana_init_main_conf,          /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_mana_create_loc_conf,         /* create location configuration */
    ngx_http_mana_merge_loc_conf           /* merge location configuration */
};


ngx_module_t  ngx_http_mana_module = {
    NGX_MODULE_V1,
    &ngx_http_mana_module_ctx,             /* module context */
    ngx_http_mana_commands,                /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_mana_init_process,            /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_mana_exit_process,            /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static void *
ngx_http_mana_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mana_main_conf_t));
    if (mmcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     mmcf->db.server = { 0, NULL };
     *     mmcf->db.user = { 0, NULL };
     *     mmcf->db.password = { 0, NULL };
     *     mmcf->db.database = { 0, NULL };
     */

    mmcf->db.pool_size = NGX_CONF_UNSET_UINT;
    mmcf->db.queue_size = NGX_CONF_UNSET_UINT;
    mmcf->db.queue_timeout = NGX_CONF_UNSET_MSEC;
    mmcf->db.connect_timeout = NGX_CONF_UNSET_MSEC;
    mmcf->db.query_timeout = NGX_CONF_UNSET_MSEC;

    mmcf->catalogue.check = NGX_CONF_UNSET_MSEC;
    mmcf->catalogue.bot = NGX_CONF_UNSET;
    mmcf->catalogue.session_idle = NGX_CONF_UNSET;
    mmcf->sender.graph.max_conns = NGX_CONF_UNSET_UINT;
    mmcf->sender.graph.timeout = NGX_CONF_UNSET_MSEC;
    mmcf->sender.graph.keepalive_timeout = NGX_CONF_UNSET_MSEC;
    mmcf->sender.batch = NGX_CONF_UNSET_UINT;
    mmcf->sender.interval = NGX_CONF_UNSET_MSEC;
    mmcf->sender.lease = NGX_CONF_UNSET_MSEC;
    mmcf->sender.max_attempts = NGX_CONF_UNSET_UINT;
    mmcf->sender.backoff = NGX_CONF_UNSET_MSEC;
    mmcf->sender.backoff_max = NGX_CONF_UNSET_MSEC;
    mmcf->sender.rate.per_second = NGX_CONF_UNSET_UINT;
    mmcf->sender.rate.pair_interval = NGX_CONF_UNSET_MSEC;
    mmcf->sender.rate.pair_burst = NGX_CONF_UNSET_UINT;

    return mmcf;
}


static char *
ngx_http_mana_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_mana_main_conf_t  *mmcf = conf;

    u_char  *p;

    ngx_conf_init_uint_value(mmcf->db.pool_size, 8);
    ngx_conf_init_uint_value(mmcf->db.queue_size, 256);
    ngx_conf_init_msec_value(mmcf->db.queue_timeout, 5000);
    ngx_conf_init_msec_value(mmcf->db.connect_timeout, 5000);
    ngx_conf_init_msec_value(mmcf->db.query_timeout, 10000);

    if (mmcf->db.database.data == NULL) {
        ngx_str_set(&mmcf->db.database, "mana");
    }

    if (ngx_http_mana_sender_init_conf(cf, mmcf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_conf_init_msec_value(mmcf->catalogue.check, 1000);
    ngx_conf_init_value(mmcf->catalogue.bot, 0);
    ngx_conf_init_value(mmcf->catalogue.session_idle, 1800);

    if (mmcf->catalogue.notice_url.data == NULL) {
        ngx_str_set(&mmcf->catalogue.notice_url, "");
    }

    if (mmcf->catalogue.notice_version.data == NULL) {
        ngx_str_set(&mmcf->catalogue.notice_version, "1");
    }

    if (mmcf->catalogue.contact.data == NULL) {
        ngx_str_set(&mmcf->catalogue.contact, "");
    }

    if (mmcf->db_used) {
        /* CPU work of the catalogue (and later PDFs) runs off the loop */
        mmcf->catalogue.thread_pool = ngx_thread_pool_add(cf,
                                          mmcf->thread_pool.data
                                          ? &mmcf->thread_pool : NULL);
        if (mmcf->catalogue.thread_pool == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    if (mmcf->db_used) {
        if (mmcf->db.server.data == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"mana_webhook\" and \"mana_health\" need "
                               "\"mana_db_server\" in the http block");
            return NGX_CONF_ERROR;
        }

        if (mmcf->db.user.data == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"mana_db_user\" is not set");
            return NGX_CONF_ERROR;
        }
    }

    if (mmcf->db.password.data == NULL) {
        ngx_str_set(&mmcf->db.password, "");
    }

    if (mmcf->document_used) {
        if (mmcf->document_key.len == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"mana_document\" needs "
                               "\"mana_document_key_file\"");
            return NGX_CONF_ERROR;
        }

        if (mmcf->verify_host.len == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"mana_document\" needs \"mana_verify_host\": "
                               "the PDF's QR code links to it");
            return NGX_CONF_ERROR;
        }
    }

    if (mmcf->verify_host.len) {
        /* the QR code's alphanumeric set, as mmctl checks it */
        for (p = mmcf->verify_host.data;
             p < mmcf->verify_host.data + mmcf->verify_host.len; p++)
        {
            if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')
                  || (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.'
                  || *p == ':'))
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "\"mana_verify_host\" \"%V\": letters, "
                                   "digits, '-', '.' and ':' only",
                                   &mmcf->verify_host);
                return NGX_CONF_ERROR;
            }
        }
    }

    return ngx_http_mana_stats_init_conf(cf, mmcf) == NGX_OK
           ? NGX_CONF_OK : NGX_CONF_ERROR;
}


static void *
ngx_http_mana_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_mana_loc_conf_t  *mlcf;

    mlcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mana_loc_conf_t));
    if (mlcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     mlcf->handler = NULL;
     *     mlcf->app_secret = { 0, NULL };
     *     mlcf->verify_token = { 0, NULL };
     *     mlcf->sandbox_number_id = { 0, NULL };
     */

    mlcf->max_body = NGX_CONF_UNSET_SIZE;
    mlcf->max_depth = NGX_CONF_UNSET_UINT;
    mlcf->sandbox = NGX_CONF_UNSET;

    return mlcf;
}


static char *
ngx_http_mana_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_mana_loc_conf_t  *prev = parent;
    ngx_http_mana_loc_conf_t  *conf = child;

    ngx_http_core_loc_conf_t  *clcf;

    ngx_conf_merge_str_value(conf->app_secret, prev->app_secret, "");
    ngx_conf_merge_str_value(conf->verify_token, prev->verify_token, "");
    ngx_conf_merge_size_value(conf->max_body, prev->max_body, 1024 * 1024);
    ngx_conf_merge_uint_value(conf->max_depth, prev->max_depth, 32);

    if (ngx_http_mana_sandbox_merge(cf, prev, conf) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }

    if (conf->handler != ngx_http_mana_webhook_handler) {
        return NGX_CONF_OK;
    }

    if (conf->app_secret.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_webhook\" needs \"mana_app_secret_file\"");
        return NGX_CONF_ERROR;
    }

    if (conf->verify_token.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_webhook\" needs \"mana_verify_token_file\"");
        return NGX_CONF_ERROR;
    }

    /*
     * The signature covers the raw body, so the body must be read whole and
     * into memory (a file would mean blocking reads): the core module's body
     * limits follow the webhook's.  The core module is merged before us.
     */

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->client_max_body_size = conf->max_body;
    clcf->client_body_buffer_size = conf->max_body;

    return NGX_CONF_OK;
}


static char *
ngx_http_mana_handler_slot(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mana_loc_conf_t  *mlcf = conf;

    ngx_http_core_loc_conf_t   *clcf;
    ngx_http_mana_main_conf_t  *mmcf;

    if (mlcf->handler) {
        return "is duplicate";
    }

    mlcf->handler = (ngx_http_handler_pt) cmd->post;

    mmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_mana_module);

    if (mlcf->handler == ngx_http_mana_verify_handler) {
        /* verifying needs the issuers' keys in every worker */
        mmcf->keys_used = 1;
    }

    if (mlcf->handler == ngx_http_mana_document_handler) {
        mmcf->document_used = 1;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = mlcf->handler;

    mmcf->db_used = 1;

    return NGX_CONF_OK;
}


/*
 * The document key, read now (configuration time may block): at least
 * MANA_DOCLINK_KEY_MIN bytes, the same file mmctl's document_key_file
 * names.
 */
static char *
ngx_http_mana_document_key_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mana_main_conf_t  *mmcf = conf;

    int                  n;
    char                 err[512];
    ngx_str_t           *value, path;
    u_char               key[256];
    ngx_pool_cleanup_t  *cln;

    if (mmcf->document_key.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    n = mana_doclink_key_read((const char *) path.data, key, sizeof(key),
                              err, sizeof(err));
    if (n < 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s", err);
        return NGX_CONF_ERROR;
    }

    mmcf->document_key.data = ngx_pnalloc(cf->pool, n);
    if (mmcf->document_key.data == NULL) {
        ngx_explicit_memzero(key, sizeof(key));
        return NGX_CONF_ERROR;
    }

    ngx_memcpy(mmcf->document_key.data, key, n);
    mmcf->document_key.len = n;
    ngx_explicit_memzero(key, sizeof(key));

    /* wiped when the configuration goes, on a reload */
    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_mana_document_key_wipe;
    cln->data = &mmcf->document_key;

    return NGX_CONF_OK;
}


static void
ngx_http_mana_document_key_wipe(void *data)
{
    ngx_str_t  *key = data;

    ngx_explicit_memzero(key->data, key->len);
}


/* the sandbox talks to the database: a pool is needed where it is on */
static char *
ngx_http_mana_sandbox_flag(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char                       *rv;
    ngx_http_mana_loc_conf_t   *mlcf = conf;
    ngx_http_mana_main_conf_t  *mmcf;

    rv = ngx_conf_set_flag_slot(cf, cmd, conf);

    if (rv == NGX_CONF_OK && mlcf->sandbox) {
        mmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_mana_module);
        mmcf->db_used = 1;
        mmcf->sandbox_used = 1;
    }

    return rv;
}


static char *
ngx_http_mana_sandbox_merge(ngx_conf_t *cf, ngx_http_mana_loc_conf_t *prev,
    ngx_http_mana_loc_conf_t *conf)
{
    u_char                    *p, *last;
    ngx_http_core_loc_conf_t  *clcf;

    ngx_conf_merge_value(conf->sandbox, prev->sandbox, 0);
    ngx_conf_merge_str_value(conf->sandbox_number_id,
                             prev->sandbox_number_id, "sandbox");

    /*
     * The number id becomes the Graph path the sender posts to, and an
     * outbox column: keep it to characters that need no escaping anywhere.
     */

    last = conf->sandbox_number_id.data + conf->sandbox_number_id.len;

    for (p = conf->sandbox_number_id.data; p < last; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')
              || (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == '_'
              || *p == '-'))
        {
            break;
        }
    }

    if (p != last || conf->sandbox_number_id.len == 0
        || conf->sandbox_number_id.len > 64)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"mana_sandbox_number_id\" \"%V\": "
                           "use 1 to 64 letters, digits, \".\", \"_\" "
                           "or \"-\"", &conf->sandbox_number_id);
        return NGX_CONF_ERROR;
    }

    if (!conf->sandbox) {
        return NGX_CONF_OK;
    }

    /*
     * Bodies are read into memory, never into a temporary file (that would
     * mean blocking reads): the buffer must hold the largest body the
     * sandbox takes.  nginx allocates only what a request's Content-Length
     * needs, so a larger buffer costs other requests nothing.
     */

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->client_body_buffer_size < NGX_HTTP_MANA_SANDBOX_MAX_BODY) {
        clcf->client_body_buffer_size = NGX_HTTP_MANA_SANDBOX_MAX_BODY;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_mana_postconfiguration(ngx_conf_t *cf)
{
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_mana_module);

    /* the sandbox's content handler costs nothing where nobody uses it */
    if (mmcf->sandbox_used) {
        return ngx_http_mana_sandbox_init(cf);
    }

    return NGX_OK;
}


/* "unix:/path/to/socket" or "127.0.0.1:3306": no names, they would block */
static char *
ngx_http_mana_db_server(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mana_main_conf_t  *mmcf = conf;

    u_char     *colon;
    ngx_str_t  *value, *s;
    ngx_int_t   port;
    in_addr_t   addr;

    if (mmcf->db.server.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    s = &value[1];
    mmcf->db.server = *s;

    if (s->len > 5 && ngx_strncmp(s->data, "unix:", 5) == 0) {
        mmcf->db.socket.data = s->data + 5;
        mmcf->db.socket.len = s->len - 5;
        return NGX_CONF_OK;
    }

    colon = ngx_strlchr(s->data, s->data + s->len, ':');
    port = colon ? ngx_atoi(colon + 1, s->data + s->len - colon - 1) : 3306;
    addr = ngx_inet_addr(s->data, colon ? (size_t) (colon - s->data)
                                        : s->len);

    if (port < 1 || port > 65535 || addr == INADDR_NONE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid MariaDB server \"%V\": use "
                           "\"unix:/path/to/mysqld.sock\" or an IPv4 "
                           "address and port such as \"127.0.0.1:3306\"", s);
        return NGX_CONF_ERROR;
    }

    mmcf->db.host.len = colon ? (size_t) (colon - s->data) : s->len;
    mmcf->db.host.data = ngx_pnalloc(cf->pool, mmcf->db.host.len + 1);
    if (mmcf->db.host.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_cpystrn(mmcf->db.host.data, s->data, mmcf->db.host.len + 1);
    mmcf->db.port = port;

    return NGX_CONF_OK;
}


/*
 * A secret comes from a file, never from the configuration itself: the
 * master reads it while it still runs as root, so the file can be readable
 * by root alone.  Trailing white space (a final newline) is not part of it.
 */
static char *
ngx_http_mana_secret_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    u_char           *buf;
    ssize_t           n;
    ngx_fd_t          fd;
    ngx_str_t        *value, *field, name;
    ngx_file_info_t   fi;

    field = (ngx_str_t *) (p + cmd->offset);

    if (field->data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(name.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "cannot open secret file \"%V\"", &name);
        return NGX_CONF_ERROR;
    }

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_close_file(fd);
        return NGX_CONF_ERROR;
    }

    if (fi.st_mode & S_IROTH) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "secret file \"%V\" is readable by everyone",
                           &name);
    }

    buf = ngx_pnalloc(cf->pool, 4097);
    if (buf == NULL) {
        ngx_close_file(fd);
        return NGX_CONF_ERROR;
    }

    n = ngx_read_fd(fd, buf, 4097);
    ngx_close_file(fd);

    if (n == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "cannot read secret file \"%V\"", &name);
        return NGX_CONF_ERROR;
    }

    if (n > 4096) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "secret file \"%V\" is longer than 4096 bytes",
                           &name);
        return NGX_CONF_ERROR;
    }

    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'
                     || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
    {
        n--;
    }

    if (n == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "secret file \"%V\" is empty", &name);
        return NGX_CONF_ERROR;
    }

    buf[n] = '\0';
    field->data = buf;
    field->len = n;

    return NGX_CONF_OK;
}


/* the outbound sender's settings; it runs when mana_graph_url is set */
static ngx_int_t
ngx_http_mana_sender_init_conf(ngx_conf_t *cf, ngx_http_mana_main_conf_t *mmcf)
{
    ngx_http_mana_sender_conf_t  *sc = &mmcf->sender;

    ngx_conf_init_uint_value(sc->graph.max_conns, 16);
    ngx_conf_init_msec_value(sc->graph.timeout, 10000);
    ngx_conf_init_msec_value(sc->graph.keepalive_timeout, 60000);
    ngx_conf_init_uint_value(sc->batch, 64);
    ngx_conf_init_msec_value(sc->interval, 1000);
    ngx_conf_init_msec_value(sc->lease, 30000);
    ngx_conf_init_uint_value(sc->max_attempts, 10);
    ngx_conf_init_msec_value(sc->backoff, 2000);
    ngx_conf_init_msec_value(sc->backoff_max, 600000);
    ngx_conf_init_uint_value(sc->rate.per_second, 80);
    ngx_conf_init_msec_value(sc->rate.pair_interval, 6000);
    ngx_conf_init_uint_value(sc->rate.pair_burst, 45);

    if (sc->version.data == NULL) {
        ngx_str_set(&sc->version, "v25.0");
    }

    if (sc->template_name.data == NULL) {
        ngx_str_set(&sc->template_name, "");
    }

    if (sc->graph.ca_file.data == NULL) {
        ngx_str_set(&sc->graph.ca_file, "/etc/ssl/certs/ca-certificates.crt");
    }

    if (sc->graph.url.data == NULL) {
        return NGX_OK;
    }

    if (sc->graph.token.data == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_graph_url\" needs "
                           "\"mana_graph_token_file\"");
        return NGX_ERROR;
    }

    if (mmcf->db.server.data == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_graph_url\" needs \"mana_db_server\": "
                           "the sender sends what the outbox holds");
        return NGX_ERROR;
    }

    if (sc->lease <= sc->graph.timeout) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_sender_lease\" must be longer than "
                           "\"mana_graph_timeout\", or a slow answer would "
                           "let another worker send the same message");
        return NGX_ERROR;
    }

    mmcf->db_used = 1;

    if (ngx_http_mana_graph_init_conf(cf, &sc->graph) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_mana_rate_init_conf(cf, &sc->rate, &ngx_http_mana_module);
}


static ngx_int_t
ngx_http_mana_init_process(ngx_cycle_t *cycle)
{
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_mana_module);

    if (mmcf == NULL || !mmcf->db_used) {
        return NGX_OK;
    }

    ngx_http_mana_db_pool = ngx_http_mana_db_pool_create(cycle, &mmcf->db);
    if (ngx_http_mana_db_pool == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_mana_catalogue_start(cycle, &mmcf->catalogue) != NGX_OK) {
        return NGX_ERROR;
    }

    if (mmcf->keys_used
        && ngx_http_mana_keys_start(cycle, mmcf->catalogue.check) != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (mmcf->document_used
        && ngx_http_mana_document_init_process(cycle) != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (mmcf->sender.graph.url.data) {
        ngx_http_mana_sender = ngx_http_mana_sender_create(cycle,
                                                           &mmcf->sender);
        if (ngx_http_mana_sender == NULL) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


static void
ngx_http_mana_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_mana_module);

    if (mmcf && mmcf->document_used) {
        ngx_http_mana_document_exit_process();
    }

    if (ngx_http_mana_sender) {
        ngx_http_mana_sender_destroy(ngx_http_mana_sender);
        ngx_http_mana_sender = NULL;
    }

    ngx_http_mana_catalogue_stop();
    ngx_http_mana_keys_stop();

    if (ngx_http_mana_db_pool) {
        ngx_http_mana_db_pool_destroy(ngx_http_mana_db_pool);
        ngx_http_mana_db_pool = NULL;
    }
}


/*
 * What a log line could show of a request whose path is a secret (a
 * certificate with a name in it, a document link's token): uri in its
 * place, no arguments.  Never an empty line: nginx would rebuild that from
 * the raw request.
 */
void
ngx_http_mana_redact(ngx_http_request_t *r, const char *uri)
{
    size_t   n;
    u_char  *line;

    n = ngx_strlen(uri);
    line = ngx_pnalloc(r->pool, r->method_name.len + 1 + n + 1
                                + r->http_protocol.len);

    if (line) {
        r->request_line.data = line;
        line = ngx_cpymem(line, r->method_name.data, r->method_name.len);
        *line++ = ' ';
        line = ngx_cpymem(line, uri, n);

        if (r->http_protocol.len) {
            *line++ = ' ';
            line = ngx_cpymem(line, r->http_protocol.data,
                              r->http_protocol.len);
        }

        r->request_line.len = line - r->request_line.data;

    } else {
        ngx_str_set(&r->request_line, "- /-");
    }

    r->uri.data = (u_char *) uri;
    r->uri.len = n;
    r->unparsed_uri = r->uri;
    ngx_str_null(&r->args);
    ngx_str_null(&r->exten);
}


ngx_int_t
ngx_http_mana_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *type, u_char *body, size_t len)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    r->headers_out.status = status;
    r->headers_out.content_length_n = len;
    r->headers_out.content_type.len = ngx_strlen(type);
    r->headers_out.content_type.data = (u_char *) type;
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    if (len == 0 || r->method == NGX_HTTP_HEAD) {
        r->header_only = 1;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = body;
    b->last = body + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
