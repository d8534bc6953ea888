/*
 * The worker's copy of the issuers' public keys (the trust list as the
 * database holds it), loaded at start and again whenever key_version moves:
 * verifying a certificate never asks the database for its key.
 */

#ifndef NGX_HTTP_MANA_KEYS_H
#define NGX_HTTP_MANA_KEYS_H

#include <ngx_config.h>
#include <ngx_core.h>

#include "mana_mm1.h"


typedef struct {
    u_char          kid[MANA_MM1_KID_LEN];
    mana_mm1_key_t  key;
    u_char          office[65];     /* the key's name: the office code */
} ngx_http_mana_key_t;


ngx_int_t ngx_http_mana_keys_start(ngx_cycle_t *cycle, ngx_msec_t check);
void ngx_http_mana_keys_stop(void);

/* NULL when the kid is not an issuer key (or no keys are loaded yet) */
const ngx_http_mana_key_t *ngx_http_mana_key_find(
    const u_char kid[MANA_MM1_KID_LEN]);

/* whether a first load has happened: until then, nothing is "unknown" */
ngx_uint_t ngx_http_mana_keys_loaded(void);

#endif /* NGX_HTTP_MANA_KEYS_H */
