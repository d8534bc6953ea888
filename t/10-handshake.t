#!/usr/bin/env perl
# GET /webhook: Meta's verification handshake.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db, verify_token => 'tok en&1');

my $tok = 'tok%20en%261';
my $r = $ngx->request('GET', "/webhook?hub.mode=subscribe&hub.verify_token=$tok&hub.challenge=1158201444");
is($r->{status}, 200, 'right token: 200');
is($r->{content}, '1158201444', 'the body is the challenge, as sent');
like($r->{headers}{'content-type'}, qr{^text/plain}, 'as plain text');

$r = $ngx->request('GET', '/webhook?hub.mode=subscribe&hub.verify_token=tok%20en%262&hub.challenge=1');
is($r->{status}, 403, 'wrong token: 403');
unlike($r->{content}, qr/^1$/, 'the challenge is not echoed');

$r = $ngx->request('GET', '/webhook?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1');
is($r->{status}, 403, 'a prefix of the token: 403');

$r = $ngx->request('GET', "/webhook?hub.mode=unsubscribe&hub.verify_token=$tok&hub.challenge=1");
is($r->{status}, 403, 'another mode: 403');

for my $q ("hub.mode=subscribe&hub.challenge=1",
           "hub.verify_token=$tok&hub.challenge=1",
           "hub.mode=subscribe&hub.verify_token=$tok",
           "hub.mode=subscribe&hub.verify_token=$tok&hub.challenge=",
           "") {
    $r = $ngx->request('GET', "/webhook?$q");
    is($r->{status}, 403, "missing parameter ($q): 403");
}

$r = $ngx->request('GET', "/webhook?hub.mode=subscribe&hub.verify_token=$tok&hub.challenge=" . ('9' x 600));
is($r->{status}, 403, 'an oversized challenge: 403');

$r = $ngx->request('PUT', '/webhook', content => '{}');
is($r->{status}, 405, 'PUT: 405');

finish_tests();
