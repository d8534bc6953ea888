/*
 * A small HTTP/1.1 client for the Graph API, not tied to any client
 * request (model: the OCSP stapling client).  Keep-alive connections,
 * TLS with certificate and host-name verification, bounded responses,
 * Content-Length and chunked bodies.  Plain http:// too, for tests and the
 * sandbox's stand-in.
 */

#ifndef NGX_HTTP_MANA_GRAPH_H
#define NGX_HTTP_MANA_GRAPH_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>
#include <ngx_event_connect.h>


typedef struct ngx_http_mana_graph_req_s  ngx_http_mana_graph_req_t;
typedef struct ngx_http_mana_graph_s      ngx_http_mana_graph_t;

typedef void (*ngx_http_mana_graph_handler_pt)(ngx_http_mana_graph_req_t *req);


typedef struct {
    ngx_str_t                        url;        /* as configured */
    ngx_url_t                        u;          /* resolved at start */
    ngx_str_t                        host;       /* Host: */
    ngx_str_t                        name;       /* SNI, NUL-terminated */
    ngx_addr_t                      *addr;       /* IPv4 when there is one */
    ngx_str_t                        prefix;     /* path before /vNN.N */
    ngx_str_t                        token;      /* bearer token */
    ngx_str_t                        ca_file;
    ngx_ssl_t                       *ssl;        /* NULL for http:// */
    ngx_uint_t                       max_conns;
    ngx_msec_t                       timeout;
    ngx_msec_t                       keepalive_timeout;
} ngx_http_mana_graph_conf_t;


struct ngx_http_mana_graph_req_s {
    ngx_str_t                        path;       /* "/v25.0/<id>/messages" */
    ngx_str_t                        body;       /* JSON */
    ngx_http_mana_graph_handler_pt   handler;
    void                            *data;

    /* the answer: status 0 when there was none (refused, reset, timeout) */
    ngx_uint_t                       status;
    u_char                          *response;
    size_t                           response_len;
    u_char                           error[128];

    ngx_queue_t                      queue;
    ngx_event_t                      done;
    ngx_uint_t                       retried;
};


ngx_int_t ngx_http_mana_graph_init_conf(ngx_conf_t *cf,
    ngx_http_mana_graph_conf_t *conf);
ngx_http_mana_graph_t *ngx_http_mana_graph_create(ngx_cycle_t *cycle,
    ngx_http_mana_graph_conf_t *conf);
void ngx_http_mana_graph_destroy(ngx_http_mana_graph_t *graph);

/*
 * The handler is always called, once, from a posted event (never from
 * inside this call); it owns req->response (ngx_free()).
 */
void ngx_http_mana_graph_send(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req);

ngx_uint_t ngx_http_mana_graph_busy(ngx_http_mana_graph_t *graph);

#endif /* NGX_HTTP_MANA_GRAPH_H */
