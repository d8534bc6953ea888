/*
 * The Graph API client.  Each worker keeps up to max_conns connections to
 * the Graph host, reuses them (keep-alive), and queues requests beyond
 * that.  A request on a reused connection that the server had already
 * closed is sent once more on a new one: nothing was received, so nothing
 * was processed.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>
#include <ngx_event_connect.h>

#include "ngx_http_mana_graph.h"


#define NGX_HTTP_MANA_GRAPH_MAX_RESPONSE  65536


typedef enum {
    NGX_HTTP_MANA_GRAPH_CONNECT = 0,
    NGX_HTTP_MANA_GRAPH_WRITE,
    NGX_HTTP_MANA_GRAPH_READ,
    NGX_HTTP_MANA_GRAPH_IDLE
} ngx_http_mana_graph_phase_e;


typedef struct {
    ngx_peer_connection_t        pc;
    ngx_http_mana_graph_t       *graph;
    ngx_http_mana_graph_req_t   *req;
    ngx_http_mana_graph_phase_e  phase;
    ngx_queue_t                  queue;

    u_char                      *out;       /* the request being written */
    size_t                       out_len;
    size_t                       out_sent;

    u_char                      *in;        /* the response being read */
    size_t                       in_len;

    /* the response, once its headers are parsed */
    ngx_uint_t                   status;
    size_t                       header_len;
    off_t                        content_length;
    unsigned                     chunked:1;
    unsigned                     close:1;   /* no keep-alive after it */
    unsigned                     reused:1;
    unsigned                     timedout:1;
    unsigned                     closed_at_once:1;  /* EOF before any byte */
} ngx_http_mana_graph_conn_t;


struct ngx_http_mana_graph_s {
    ngx_http_mana_graph_conf_t  *conf;
    ngx_log_t                   *log;
    ngx_queue_t                  idle;
    ngx_queue_t                  waiting;
    ngx_uint_t                   conns;
    ngx_uint_t                   busy;
};


static void ngx_http_mana_graph_connect(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req);
static void ngx_http_mana_graph_connected(ngx_http_mana_graph_conn_t *gc);
static ngx_int_t ngx_http_mana_graph_test_connect(
    ngx_http_mana_graph_conn_t *gc);
static void ngx_http_mana_graph_ssl_handshake(ngx_connection_t *c);
static void ngx_http_mana_graph_start(ngx_http_mana_graph_conn_t *gc,
    ngx_http_mana_graph_req_t *req);
static void ngx_http_mana_graph_handler(ngx_event_t *ev);
static void ngx_http_mana_graph_write(ngx_http_mana_graph_conn_t *gc);
static void ngx_http_mana_graph_read(ngx_http_mana_graph_conn_t *gc);
static ngx_int_t ngx_http_mana_graph_parse(ngx_http_mana_graph_conn_t *gc);
static void ngx_http_mana_graph_done(ngx_http_mana_graph_conn_t *gc);
static void ngx_http_mana_graph_fail(ngx_http_mana_graph_conn_t *gc,
    const char *why);
static void ngx_http_mana_graph_close(ngx_http_mana_graph_conn_t *gc);
static void ngx_http_mana_graph_complete(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req);


ngx_int_t
ngx_http_mana_graph_init_conf(ngx_conf_t *cf, ngx_http_mana_graph_conf_t *conf)
{
    u_char              *p, *last;
    ngx_url_t           *u;
    ngx_uint_t           i;
    ngx_pool_cleanup_t  *cln;

    u = &conf->u;
    ngx_memzero(u, sizeof(ngx_url_t));

    if (conf->url.len > 8 && ngx_strncasecmp(conf->url.data,
                                             (u_char *) "https://", 8) == 0)
    {
        u->url.data = conf->url.data + 8;
        u->url.len = conf->url.len - 8;
        u->default_port = 443;

    } else if (conf->url.len > 7
               && ngx_strncasecmp(conf->url.data, (u_char *) "http://", 7)
                  == 0)
    {
        u->url.data = conf->url.data + 7;
        u->url.len = conf->url.len - 7;
        u->default_port = 80;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mana_graph_url\" must start with https:// or "
                           "http://: \"%V\"", &conf->url);
        return NGX_ERROR;
    }

    u->uri_part = 1;

    /* resolved here, at configuration time: never in a worker */
    if (ngx_parse_url(cf->pool, u) != NGX_OK || u->naddrs == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"mana_graph_url\" \"%V\": %s",
                           &conf->url, u->err ? u->err : "no address");
        return NGX_ERROR;
    }

    /* loopback test hosts resolve to ::1 too; prefer what most listen on */
    conf->addr = &u->addrs[0];
    for (i = 0; i < u->naddrs; i++) {
        if (u->addrs[i].sockaddr->sa_family == AF_INET) {
            conf->addr = &u->addrs[i];
            break;
        }
    }

    conf->name.len = u->host.len;
    conf->name.data = ngx_pnalloc(cf->pool, u->host.len + 1);
    if (conf->name.data == NULL) {
        return NGX_ERROR;
    }
    ngx_cpystrn(conf->name.data, u->host.data, u->host.len + 1);

    conf->host = u->host;
    if (u->port != u->default_port) {
        /* Host: must name a non-default port */
        p = ngx_pnalloc(cf->pool, u->host.len + 1 + NGX_INT_T_LEN);
        if (p == NULL) {
            return NGX_ERROR;
        }
        last = ngx_sprintf(p, "%V:%d", &u->host, (int) u->port);
        conf->host.data = p;
        conf->host.len = last - p;
    }

    conf->prefix = u->uri;
    while (conf->prefix.len && conf->prefix.data[conf->prefix.len - 1] == '/')
    {
        conf->prefix.len--;
    }

    if (u->default_port != 443) {
        return NGX_OK;
    }

    conf->ssl = ngx_pcalloc(cf->pool, sizeof(ngx_ssl_t));
    if (conf->ssl == NULL) {
        return NGX_ERROR;
    }

    conf->ssl->log = cf->log;

    if (ngx_ssl_create(conf->ssl, NGX_SSL_TLSv1_2|NGX_SSL_TLSv1_3, NULL)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        ngx_ssl_cleanup_ctx(conf->ssl);
        return NGX_ERROR;
    }

    cln->handler = ngx_ssl_cleanup_ctx;
    cln->data = conf->ssl;

    /* the peer's certificate is verified, always; only the CAs vary */
    if (ngx_ssl_trusted_certificate(cf, conf->ssl, &conf->ca_file, 5)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


ngx_http_mana_graph_t *
ngx_http_mana_graph_create(ngx_cycle_t *cycle, ngx_http_mana_graph_conf_t *conf)
{
    ngx_http_mana_graph_t  *graph;

    graph = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mana_graph_t));
    if (graph == NULL) {
        return NULL;
    }

    graph->conf = conf;
    graph->log = cycle->log;
    ngx_queue_init(&graph->idle);
    ngx_queue_init(&graph->waiting);

    return graph;
}


void
ngx_http_mana_graph_destroy(ngx_http_mana_graph_t *graph)
{
    ngx_queue_t  *q;

    while (!ngx_queue_empty(&graph->idle)) {
        q = ngx_queue_head(&graph->idle);
        ngx_http_mana_graph_close(
            ngx_queue_data(q, ngx_http_mana_graph_conn_t, queue));
    }
}


ngx_uint_t
ngx_http_mana_graph_busy(ngx_http_mana_graph_t *graph)
{
    return graph->busy;
}


void
ngx_http_mana_graph_send(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req)
{
    ngx_queue_t                 *q;
    ngx_http_mana_graph_conn_t  *gc;

    req->status = 0;
    req->response = NULL;
    req->response_len = 0;
    req->error[0] = '\0';

    graph->busy++;

    if (!ngx_queue_empty(&graph->idle)) {
        q = ngx_queue_head(&graph->idle);
        ngx_queue_remove(q);
        gc = ngx_queue_data(q, ngx_http_mana_graph_conn_t, queue);
        /*
         * Off the idle list, so no longer idle: a close before the start
         * sets the phase must not take it off the list twice (with
         * NGX_DEBUG a second ngx_queue_remove() dereferences NULL).
         */
        gc->phase = NGX_HTTP_MANA_GRAPH_WRITE;
        ngx_http_mana_graph_start(gc, req);
        return;
    }

    if (graph->conns < graph->conf->max_conns) {
        ngx_http_mana_graph_connect(graph, req);
        return;
    }

    ngx_queue_insert_tail(&graph->waiting, &req->queue);
}


static void
ngx_http_mana_graph_connect(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req)
{
    ngx_int_t                    rc;
    ngx_connection_t            *c;
    ngx_http_mana_graph_conn_t  *gc;

    gc = ngx_calloc(sizeof(ngx_http_mana_graph_conn_t), graph->log);
    if (gc == NULL) {
        ngx_snprintf(req->error, sizeof(req->error), "out of memory%Z");
        ngx_http_mana_graph_complete(graph, req);
        return;
    }

    gc->in = ngx_alloc(NGX_HTTP_MANA_GRAPH_MAX_RESPONSE, graph->log);
    if (gc->in == NULL) {
        ngx_free(gc);
        ngx_snprintf(req->error, sizeof(req->error), "out of memory%Z");
        ngx_http_mana_graph_complete(graph, req);
        return;
    }

    gc->graph = graph;
    gc->req = req;
    gc->phase = NGX_HTTP_MANA_GRAPH_CONNECT;
    graph->conns++;

    gc->pc.sockaddr = graph->conf->addr->sockaddr;
    gc->pc.socklen = graph->conf->addr->socklen;
    gc->pc.name = &graph->conf->addr->name;
    gc->pc.get = ngx_event_get_peer;
    gc->pc.log = graph->log;
    gc->pc.log_error = NGX_ERROR_ERR;

    rc = ngx_event_connect_peer(&gc->pc);

    if (rc == NGX_ERROR || rc == NGX_BUSY || rc == NGX_DECLINED) {
        ngx_http_mana_graph_fail(gc, "cannot connect");
        return;
    }

    c = gc->pc.connection;
    c->data = gc;
    c->read->handler = ngx_http_mana_graph_handler;
    c->write->handler = ngx_http_mana_graph_handler;

    c->pool = ngx_create_pool(1024, graph->log);
    if (c->pool == NULL) {
        ngx_http_mana_graph_fail(gc, "out of memory");
        return;
    }

    ngx_add_timer(c->read, graph->conf->timeout);

    if (rc == NGX_OK) {
        ngx_http_mana_graph_connected(gc);
    }
}


static void
ngx_http_mana_graph_connected(ngx_http_mana_graph_conn_t *gc)
{
    ngx_int_t                    rc;
    ngx_connection_t            *c;
    ngx_http_mana_graph_conf_t  *conf;

    c = gc->pc.connection;
    conf = gc->graph->conf;

    if (ngx_http_mana_graph_test_connect(gc) != NGX_OK) {
        return;
    }

    if (conf->ssl == NULL) {
        ngx_http_mana_graph_start(gc, gc->req);
        return;
    }

    if (ngx_ssl_create_connection(conf->ssl, c,
                                  NGX_SSL_BUFFER|NGX_SSL_CLIENT)
        != NGX_OK)
    {
        ngx_http_mana_graph_fail(gc, "TLS setup failed");
        return;
    }

    if (SSL_set_tlsext_host_name(c->ssl->connection, (char *) conf->name.data)
        == 0)
    {
        ngx_http_mana_graph_fail(gc, "TLS SNI failed");
        return;
    }

    rc = ngx_ssl_handshake(c);

    if (rc == NGX_AGAIN) {
        c->ssl->handler = ngx_http_mana_graph_ssl_handshake;
        return;
    }

    ngx_http_mana_graph_ssl_handshake(c);
}


/*
 * A write event ends a non-blocking connect() whether it succeeded or not:
 * ask the socket, as ngx_http_upstream_test_connect() does, so that a
 * refused connection fails with its reason and not later as a failed send.
 */
static ngx_int_t
ngx_http_mana_graph_test_connect(ngx_http_mana_graph_conn_t *gc)
{
    int                err;
    u_char            *p, why[128];
    socklen_t          len;
    ngx_connection_t  *c;

    static ngx_str_t  failed = ngx_string("connect() failed: ");

    c = gc->pc.connection;
    err = 0;

#if (NGX_HAVE_KQUEUE)

    if (ngx_event_flags & NGX_USE_KQUEUE_EVENT) {
        if (c->write->pending_eof || c->read->pending_eof) {
            err = c->write->pending_eof ? c->write->kq_errno
                                        : c->read->kq_errno;
        }

    } else

#endif
    {
        len = sizeof(int);

        /* Linux and the BSDs set err; Solaris fails and sets errno */
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, (void *) &err, &len)
            == -1)
        {
            err = ngx_socket_errno;
        }
    }

    if (err == 0) {
        return NGX_OK;
    }

    p = ngx_cpymem(why, failed.data, failed.len);
    p = ngx_strerror(err, p, why + sizeof(why) - 1 - p);
    *p = '\0';

    ngx_http_mana_graph_fail(gc, (char *) why);

    return NGX_ERROR;
}


static void
ngx_http_mana_graph_ssl_handshake(ngx_connection_t *c)
{
    long                         rc;
    ngx_http_mana_graph_conn_t  *gc;

    gc = c->data;

    if (!c->ssl->handshaked) {
        ngx_http_mana_graph_fail(gc, "TLS handshake failed");
        return;
    }

    rc = SSL_get_verify_result(c->ssl->connection);

    if (rc != X509_V_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "mana graph: certificate of %V refused: %s",
                      &gc->graph->conf->host,
                      X509_verify_cert_error_string(rc));
        ngx_http_mana_graph_fail(gc, "certificate not trusted");
        return;
    }

    if (ngx_ssl_check_host(c, &gc->graph->conf->name) != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "mana graph: certificate does not match \"%V\"",
                      &gc->graph->conf->name);
        ngx_http_mana_graph_fail(gc, "certificate does not match the host");
        return;
    }

    c->read->handler = ngx_http_mana_graph_handler;
    c->write->handler = ngx_http_mana_graph_handler;

    ngx_http_mana_graph_start(gc, gc->req);
}


static void
ngx_http_mana_graph_start(ngx_http_mana_graph_conn_t *gc,
    ngx_http_mana_graph_req_t *req)
{
    u_char                      *p;
    size_t                       len;
    ngx_connection_t            *c;
    ngx_http_mana_graph_conf_t  *conf;

    c = gc->pc.connection;
    conf = gc->graph->conf;

    gc->req = req;
    gc->in_len = 0;
    gc->status = 0;
    gc->header_len = 0;
    gc->content_length = -1;
    gc->chunked = 0;
    gc->close = 0;
    c->idle = 0;

    len = sizeof("POST  HTTP/1.1\r\nHost: \r\nAuthorization: Bearer \r\n"
                 "Content-Type: application/json\r\nContent-Length: \r\n"
                 "\r\n") - 1
          + conf->prefix.len + req->path.len + conf->host.len
          + conf->token.len + NGX_SIZE_T_LEN + req->body.len;

    ngx_free(gc->out);
    gc->out = ngx_alloc(len, gc->graph->log);
    if (gc->out == NULL) {
        ngx_http_mana_graph_fail(gc, "out of memory");
        return;
    }

    p = ngx_sprintf(gc->out, "POST %V%V HTTP/1.1\r\nHost: %V\r\n"
                    "Authorization: Bearer %V\r\n"
                    "Content-Type: application/json\r\n"
                    "Content-Length: %uz\r\n\r\n",
                    &conf->prefix, &req->path, &conf->host, &conf->token,
                    req->body.len);
    p = ngx_cpymem(p, req->body.data, req->body.len);

    gc->out_len = p - gc->out;
    gc->out_sent = 0;
    gc->phase = NGX_HTTP_MANA_GRAPH_WRITE;

    if (c->read->timer_set) {
        ngx_del_timer(c->read);
    }

    /* a request in flight keeps a quitting worker alive until answered */
    c->read->cancelable = 0;
    ngx_add_timer(c->read, conf->timeout);

    ngx_http_mana_graph_write(gc);
}


static void
ngx_http_mana_graph_handler(ngx_event_t *ev)
{
    ngx_connection_t            *c;
    ngx_http_mana_graph_conn_t  *gc;

    c = ev->data;
    gc = c->data;

    if (gc->phase == NGX_HTTP_MANA_GRAPH_IDLE) {
        if (ev->write && !c->close) {
            return;
        }

        /* timed out, told to close, or the server closed it */
        ngx_http_mana_graph_close(gc);
        return;
    }

    if (ev->timedout) {
        gc->timedout = 1;
        ngx_http_mana_graph_fail(gc, "timed out");
        return;
    }

    switch (gc->phase) {

    case NGX_HTTP_MANA_GRAPH_CONNECT:
        if (ev->write) {
            ngx_http_mana_graph_connected(gc);
        }
        break;

    case NGX_HTTP_MANA_GRAPH_WRITE:
        if (ev->write) {
            ngx_http_mana_graph_write(gc);
        }
        break;

    default:
        if (!ev->write) {
            ngx_http_mana_graph_read(gc);
        }
        break;
    }
}


static void
ngx_http_mana_graph_write(ngx_http_mana_graph_conn_t *gc)
{
    ssize_t            n;
    ngx_connection_t  *c;

    c = gc->pc.connection;

    while (gc->out_sent < gc->out_len) {
        n = c->send(c, gc->out + gc->out_sent, gc->out_len - gc->out_sent);

        if (n == NGX_AGAIN) {
            if (ngx_handle_write_event(c->write, 0) != NGX_OK) {
                ngx_http_mana_graph_fail(gc, "event error");
            }
            return;
        }

        if (n == NGX_ERROR) {
            ngx_http_mana_graph_fail(gc, "send failed");
            return;
        }

        gc->out_sent += n;
    }

    gc->phase = NGX_HTTP_MANA_GRAPH_READ;

    ngx_http_mana_graph_read(gc);
}


static void
ngx_http_mana_graph_read(ngx_http_mana_graph_conn_t *gc)
{
    ssize_t            n;
    ngx_int_t          rc;
    ngx_connection_t  *c;

    c = gc->pc.connection;

    for ( ;; ) {

        if (gc->in_len == NGX_HTTP_MANA_GRAPH_MAX_RESPONSE) {
            ngx_http_mana_graph_fail(gc, "response too large");
            return;
        }

        n = c->recv(c, gc->in + gc->in_len,
                    NGX_HTTP_MANA_GRAPH_MAX_RESPONSE - gc->in_len);

        if (n == NGX_AGAIN) {
            if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
                ngx_http_mana_graph_fail(gc, "event error");
            }
            return;
        }

        if (n == NGX_ERROR) {
            ngx_http_mana_graph_fail(gc, "connection reset");
            return;
        }

        if (n == 0) {
            /* a body without a length ends with the connection */
            if (gc->header_len && gc->content_length < 0 && !gc->chunked) {
                gc->close = 1;
                ngx_http_mana_graph_done(gc);
                return;
            }

            gc->closed_at_once = (gc->in_len == 0);
            ngx_http_mana_graph_fail(gc, gc->in_len ? "truncated response"
                                                    : "connection closed");
            return;
        }

        gc->in_len += n;

        rc = ngx_http_mana_graph_parse(gc);

        if (rc == NGX_OK) {
            ngx_http_mana_graph_done(gc);
            return;
        }

        if (rc == NGX_ERROR) {
            ngx_http_mana_graph_fail(gc, "malformed response");
            return;
        }
    }
}


/* headers, once; then whether the body is complete (NGX_OK) */
static ngx_int_t
ngx_http_mana_graph_parse(ngx_http_mana_graph_conn_t *gc)
{
    u_char  *p, *end, *line, *eol, *dst;
    size_t   size;

    end = gc->in + gc->in_len;

    if (gc->header_len == 0) {
        p = ngx_strlcasestrn(gc->in, end, (u_char *) "\r\n\r\n", 4 - 1);
        if (p == NULL) {
            return NGX_AGAIN;
        }

        gc->header_len = p + 4 - gc->in;

        if (gc->in_len < 12 || ngx_strncmp(gc->in, "HTTP/1.", 7) != 0) {
            return NGX_ERROR;
        }

        gc->status = ngx_atoi(gc->in + 9, 3);
        if (gc->status == (ngx_uint_t) NGX_ERROR || gc->status < 100) {
            return NGX_ERROR;
        }

        if (gc->in[7] == '0') {
            gc->close = 1;
        }

        for (line = gc->in; line < gc->in + gc->header_len - 2; line = eol + 2)
        {
            eol = ngx_strlcasestrn(line, gc->in + gc->header_len,
                                   (u_char *) "\r\n", 2 - 1);

            if (eol - line > 15
                && ngx_strncasecmp(line, (u_char *) "Content-Length:", 15)
                   == 0)
            {
                for (p = line + 15; p < eol && *p == ' '; p++) { /* void */ }
                gc->content_length = ngx_atoof(p, eol - p);
                if (gc->content_length < 0) {
                    return NGX_ERROR;
                }

            } else if (eol - line >= 26
                       && ngx_strncasecmp(line,
                              (u_char *) "Transfer-Encoding: chunked", 26)
                          == 0)
            {
                gc->chunked = 1;

            } else if (eol - line >= 17
                       && ngx_strncasecmp(line,
                              (u_char *) "Connection: close", 17) == 0)
            {
                gc->close = 1;
            }
        }

        if (gc->status == 204 || gc->status == 304) {
            gc->content_length = 0;
        }
    }

    p = gc->in + gc->header_len;

    if (!gc->chunked) {
        if (gc->content_length < 0) {
            return NGX_AGAIN;
        }

        if ((off_t) (end - p) < gc->content_length) {
            return NGX_AGAIN;
        }

        if ((off_t) (end - p) > gc->content_length) {
            /* more than the response: do not reuse a confused stream */
            gc->close = 1;
        }

        return NGX_OK;
    }

    /*
     * Chunked: decode only once the whole body is here (responses are
     * small), into the same buffer, behind the headers.
     */

    for (line = p; ; line = eol + 2 + size + 2) {
        eol = ngx_strlcasestrn(line, end, (u_char *) "\r\n", 2 - 1);
        if (eol == NULL) {
            return NGX_AGAIN;
        }

        size = (size_t) ngx_hextoi(line, ngx_strlchr(line, eol, ';')
                                         ? ngx_strlchr(line, eol, ';') - line
                                         : eol - line);
        if (size == (size_t) NGX_ERROR) {
            return NGX_ERROR;
        }

        if (size == 0) {
            /* no trailers from Graph: the last CRLF ends it */
            if (end - eol < 4) {
                return NGX_AGAIN;
            }
            break;
        }

        if ((size_t) (end - (eol + 2)) < size + 2) {
            return NGX_AGAIN;
        }
    }

    dst = p;

    for (line = p; ; line = eol + 2 + size + 2) {
        eol = ngx_strlcasestrn(line, end, (u_char *) "\r\n", 2 - 1);
        size = (size_t) ngx_hextoi(line, ngx_strlchr(line, eol, ';')
                                         ? ngx_strlchr(line, eol, ';') - line
                                         : eol - line);
        if (size == 0) {
            break;
        }

        dst = ngx_movemem(dst, eol + 2, size);
    }

    gc->content_length = dst - p;

    return NGX_OK;
}


static void
ngx_http_mana_graph_done(ngx_http_mana_graph_conn_t *gc)
{
    size_t                      len;
    ngx_queue_t                *q;
    ngx_connection_t           *c;
    ngx_http_mana_graph_t      *graph;
    ngx_http_mana_graph_req_t  *req;

    c = gc->pc.connection;
    graph = gc->graph;
    req = gc->req;
    gc->req = NULL;

    len = gc->content_length >= 0 ? (size_t) gc->content_length
                                  : gc->in_len - gc->header_len;

    req->status = gc->status;
    req->response = ngx_alloc(len + 1, graph->log);

    if (req->response) {
        ngx_memcpy(req->response, gc->in + gc->header_len, len);
        req->response[len] = '\0';
        req->response_len = len;
    }

    ngx_http_mana_graph_complete(graph, req);

    if (gc->close || ngx_exiting || ngx_terminate || ngx_quit) {
        ngx_http_mana_graph_close(gc);
        return;
    }

    gc->reused = 1;

    if (!ngx_queue_empty(&graph->waiting)) {
        q = ngx_queue_head(&graph->waiting);
        ngx_queue_remove(q);
        ngx_http_mana_graph_start(gc,
            ngx_queue_data(q, ngx_http_mana_graph_req_t, queue));
        return;
    }

    /* keep it: closed on a timeout, when the server closes it, or on quit */
    gc->phase = NGX_HTTP_MANA_GRAPH_IDLE;
    c->idle = 1;
    ngx_queue_insert_head(&graph->idle, &gc->queue);

    if (c->read->timer_set) {
        ngx_del_timer(c->read);
    }

    ngx_add_timer(c->read, graph->conf->keepalive_timeout);
    c->read->cancelable = 1;

    if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
        /* it is idle: closing it takes it off the idle list */
        ngx_http_mana_graph_close(gc);
    }
}


static void
ngx_http_mana_graph_fail(ngx_http_mana_graph_conn_t *gc, const char *why)
{
    ngx_http_mana_graph_t      *graph;
    ngx_http_mana_graph_req_t  *req;

    graph = gc->graph;
    req = gc->req;
    gc->req = NULL;

    /*
     * Only a request the server cannot have seen is sent again: it was not
     * fully written, or the kept-alive connection was found closed at once.
     * After a timeout Graph may have sent the message: no second copy.
     */
    if (req && gc->reused && gc->in_len == 0 && !req->retried
        && !gc->timedout
        && (gc->out_sent < gc->out_len || gc->closed_at_once))
    {
        req->retried = 1;
        ngx_http_mana_graph_close(gc);
        graph->busy--;
        ngx_http_mana_graph_send(graph, req);
        return;
    }

    if (req) {
        ngx_log_error(NGX_LOG_WARN, graph->log, 0,
                      "mana graph: request to %V failed: %s",
                      &graph->conf->host, why);
        ngx_snprintf(req->error, sizeof(req->error), "%s%Z", why);
        ngx_http_mana_graph_complete(graph, req);
    }

    ngx_http_mana_graph_close(gc);
}


static void
ngx_http_mana_graph_close(ngx_http_mana_graph_conn_t *gc)
{
    ngx_pool_t             *pool;
    ngx_queue_t            *q;
    ngx_connection_t       *c;
    ngx_http_mana_graph_t  *graph;

    graph = gc->graph;
    c = gc->pc.connection;

    if (gc->phase == NGX_HTTP_MANA_GRAPH_IDLE) {
        ngx_queue_remove(&gc->queue);
    }

    if (c) {
        pool = c->pool;

        if (c->ssl) {
            c->ssl->no_wait_shutdown = 1;
            (void) ngx_ssl_shutdown(c);
        }

        ngx_close_connection(c);

        if (pool) {
            ngx_destroy_pool(pool);
        }
    }

    ngx_free(gc->out);
    ngx_free(gc->in);
    ngx_free(gc);

    graph->conns--;

    /* a waiting request gets the freed place */
    if (!ngx_queue_empty(&graph->waiting)
        && graph->conns < graph->conf->max_conns
        && !(ngx_exiting || ngx_terminate || ngx_quit))
    {
        q = ngx_queue_head(&graph->waiting);
        ngx_queue_remove(q);
        ngx_http_mana_graph_connect(graph,
            ngx_queue_data(q, ngx_http_mana_graph_req_t, queue));
    }
}


static void
ngx_http_mana_graph_done_handler(ngx_event_t *ev)
{
    ngx_http_mana_graph_req_t  *req;

    req = ev->data;
    req->handler(req);
}


/* completion goes through a posted event: never back into the caller */
static void
ngx_http_mana_graph_complete(ngx_http_mana_graph_t *graph,
    ngx_http_mana_graph_req_t *req)
{
    graph->busy--;

    req->done.handler = ngx_http_mana_graph_done_handler;
    req->done.data = req;
    req->done.log = graph->log;

    ngx_post_event(&req->done, &ngx_posted_events);
}
