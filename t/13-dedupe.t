#!/usr/bin/env perl
# Meta retries: the same wamid, again or at the same moment, is one row.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db, workers => 2, pool_size => 4);
my $dbh = $db->dbh;

sub rows { scalar $dbh->selectrow_array('SELECT COUNT(*) FROM message_in WHERE wamid = ?', undef, $_[0]) }

my $body = json_encode(wh_payload(messages => [ wh_text_message(id => 'wamid.dup.1') ]));
my $r1 = $ngx->post_webhook($body);
my $r2 = $ngx->post_webhook($body);
is($r1->{status}, 200, 'first delivery: 200');
is($r2->{status}, 200, 'the retry: 200, so Meta stops');
is(json_decode($r1->{content})->{stored}, 1, 'first stored');
is(json_decode($r2->{content})->{duplicate}, 1, 'retry recognised as a duplicate');
is(rows('wamid.dup.1'), 1, 'exactly one row');

# one payload naming the same message twice
$r1 = $ngx->post_webhook(wh_payload(messages => [ wh_text_message(id => 'wamid.dup.2'),
                                                  wh_text_message(id => 'wamid.dup.2') ]));
is($r1->{status}, 200, 'a payload repeating a wamid: 200');
is(rows('wamid.dup.2'), 1, 'one row');

# the same deliveries at the same moment, from many connections
for my $round (1 .. 5) {
    my @ids = map { "wamid.race.$round.$_" } 1 .. 10;
    my $b = json_encode(wh_payload(messages => [ map { wh_text_message(id => $_) } @ids ]));
    my @res = $ngx->concurrent_posts(($b) x 8);
    is(scalar(grep { $_->[0] == 200 } @res), 8, "round $round: all 8 concurrent copies answered 200");
    my $stored = 0;
    $stored += json_decode($_->[1])->{stored} for grep { $_->[0] == 200 } @res;
    is($stored, 10, "round $round: 10 stored in all, across the copies");
    is(scalar $dbh->selectrow_array("SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.race.$round.%'"),
       10, "round $round: exactly one row per wamid");
}

# overlapping batches in different orders do not deadlock each other away
my @a = map { "wamid.ovl.$_" } 1 .. 20;
my @bodies = map {
    my @ids = $_ % 2 ? @a : reverse @a;
    json_encode(wh_payload(messages => [ map { wh_text_message(id => $_) } @ids ]))
} 1 .. 6;
my @res = $ngx->concurrent_posts(@bodies);
is(scalar(grep { $_->[0] == 200 } @res), 6, 'overlapping batches in opposite orders: all 200');
is(scalar $dbh->selectrow_array("SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.ovl.%'"),
   20, 'each stored once');

finish_tests();
