#!/usr/bin/env perl
# A worker out of connections: the webhook that needs a new database
# connection is answered 503 (Meta retries), and the socket Connector/C
# opened for it is closed, not leaked, however often it happens.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use IO::Socket::INET;
use Mana::Test;

my $db = start_mariadb();
# 12 connections: the worker's own, idle clients, and one for the webhook
# request; none left for MariaDB
my $ngx = start_nginx($db, worker_connections => 12, pool_size => 4,
                      http_extra => 'mana_catalogue_check 1h;');
$ngx->{allow_log} = qr/worker_connections are not enough/;
my ($worker) = $ngx->worker_pids;

sub sockets {
    return scalar grep { (readlink($_) // '') =~ /^socket:/ } glob("/proc/$worker/fd/*");
}
# the catalogue's first load is the worker's only query of its own: once
# it is done, nothing but the webhooks below opens a database connection
ok(wait_until(sub { ($ngx->health)[0]{catalogue} }, 10, 'the catalogue'),
   'the worker has loaded the catalogue');

# no database connection open: the next webhook must make one
my $dbh = $db->dbh;
sub module_threads {
    @{ $dbh->selectcol_arrayref(q{SELECT id FROM information_schema.processlist
                                  WHERE user = 'mana_module'}) };
}
$dbh->do("KILL $_") for module_threads();
ok(wait_until(sub { !module_threads() }, 10, 'the kill'), 'the module holds no database connection');

# clients in the middle of a request: nginx cannot close them to make room
# (it does close clients that have sent nothing yet)
sub clients {
    map { my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ngx->{port}") or die $!;
          $s->syswrite("POST /webhook HTTP/1.1\r\nHost: x\r\n"); $s } 1 .. $_[0];
}
# the worker's socket count once it has not moved for a second: a loaded
# machine accepts a burst of clients over more than one look
sub settle {
    my ($n, $same) = (-1, 0);
    while ($same < 4) {
        my $now = sockets();
        $same = $now == $n ? $same + 1 : 0;
        $n = $now;
        select undef, undef, undef, 0.25;
    }
    return $n;
}

# the worker sees the server close them, and lets go of their sockets
my $before = settle();

# how many clients the worker can take (its own sockets use some of the 12)
my @probe = clients(20);
my $room = settle() - $before;
close $_ for @probe;
ok(wait_until(sub { sockets() == $before }, 10, 'the probe to end'), "the worker takes $room clients");

# all of them but one, which the webhook request takes
my @idle = clients($room - 1);
is(settle(), $before + $room - 1, 'idle clients hold all connections but one');

for my $i (1 .. 5) {
    my $body = json_encode(wh_payload(messages => [ wh_text_message(id => "wamid.wc.$i") ]));
    my $res = $ngx->post_webhook($body);
    is($res->{status}, 503, "attempt $i: no connection for MariaDB, 503");
}
like($ngx->error_log_text, qr/no free worker connection for MariaDB/, 'and the reason is logged');

close $_ for @idle;
ok(wait_until(sub { sockets() == $before }, 10, 'the sockets'),
   'once the clients are gone the worker holds as many sockets as before: none leaked')
    or diag sockets() . " sockets, $before before";

# and it works again
my $body = json_encode(wh_payload(messages => [ wh_text_message(id => 'wamid.wc.ok') ]));
is($ngx->post_webhook($body)->{status}, 200, 'with connections free, the webhook is stored');
is(scalar $db->dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.wc.%'}), 1,
   'only that message: nothing of the refused ones');

finish_tests();
