#!/usr/bin/env perl
# nginx -s reload and -s quit under load: no webhook lost, no MariaDB
# connection left behind by the old workers.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use POSIX ();
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db, workers => 2, pool_size => 3, queue_size => 64);
my $dbh = $db->dbh;

sub module_conns {
    scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM information_schema.processlist WHERE user = ?},
                                 undef, $db->{module_user});
}

# four clients posting as fast as they can, retrying like Meta on anything
# but 200, each reporting what it saw
my @kids;
for my $k (1 .. 4) {
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        my (%seen, $sent);
        for my $i (1 .. 150) {
            my $body = json_encode(wh_payload(messages => [
                wh_text_message(id => "wamid.rl.$k.$i") ]));
            for my $try (1 .. 50) {
                my $r = $ngx->post_webhook($body);
                $seen{$r->{status}}++;
                last if $r->{status} == 200;
                select undef, undef, undef, 0.05;
            }
        }
        print join(',', map { "$_=$seen{$_}" } sort keys %seen), "\n";
        close STDOUT;
        POSIX::_exit(0);
    }
    push @kids, $fh;
}

wait_until(sub { $dbh->selectrow_array('SELECT COUNT(*) FROM message_in') > 50 }, 20, 'load');
for (1 .. 3) {
    $ngx->reload;
    select undef, undef, undef, 0.3;
}

my %seen;
for my $fh (@kids) {
    my $line = <$fh> // '';
    close $fh;
    chomp $line;
    for (split /,/, $line) { my ($s, $c) = split /=/; $seen{$s} += $c }
}
ok($seen{200}, "webhooks stored during the reloads ($seen{200})");
is(join(',', grep { $_ != 200 && $_ != 503 } sort keys %seen), '',
   'no answer but 200 or 503 (no reset connection, no error page)')
    or diag explain \%seen;

is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.rl.%'}),
   600, 'all 600 messages stored');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(DISTINCT wamid) FROM message_in WHERE wamid LIKE 'wamid.rl.%'}),
   600, 'each once');

# the old workers are gone, and with them their connections
ok(wait_until(sub { module_conns() <= 2 * 3 }, 10, 'old connections to close'),
   'after the reloads, at most the new workers\' pools are connected ('
   . module_conns() . ')');

$ngx->stop;
ok(wait_until(sub { module_conns() == 0 }, 10, 'connections to close'),
   'after nginx -s quit, no connection is left');

finish_tests();
