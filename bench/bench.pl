#!/usr/bin/env perl
# ./build.sh bench: signed webhook load with wrk against the module, with a
# real MariaDB (durable commits unless --relaxed), beside the same load on
# a plain `return 200` location of the same nginx: the ceiling.
#
#   perl bench/bench.pl [--duration 10] [--connections 64] [--pool 16]
#                       [--workers 2] [--relaxed] [--bot | --cert]
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../t/lib";
use Getopt::Long;
use Time::HiRes qw(time);
use Test::More ();    # the harness reports through it
use Mana::Test;

my %o = (duration => 10, connections => 64, threads => 2, pool => 16,
         workers => 2, relaxed => 0, bot => 0);
GetOptions(\%o, 'duration=i', 'connections=i', 'threads=i', 'pool=i',
           'workers=i', 'relaxed', 'bot', 'cert') or die "usage: see the top of $0\n";

Test::More->builder->no_ending(1);
Test::More->builder->output('/dev/null') unless $ENV{MANA_BENCH_DEBUG};

if ($o{cert}) {
    require "$FindBin::Bin/bench_cert.pl";
    bench_cert(\%o);
    exit 0;
}

if ($o{bot}) {
    require "$FindBin::Bin/bench_bot.pl";
    bench_bot(\%o);
    exit 0;
}

my $db = start_mariadb(durable => !$o{relaxed}, private => 1);
my $ngx = start_nginx($db, workers => $o{workers}, pool_size => $o{pool},
                      queue_size => 1024, max_body => '64k',
                      server_extra => 'location = /ceiling { return 200 "{}"; }');
my $dbh = $db->dbh;
my $flush = $dbh->selectrow_array('SELECT @@innodb_flush_log_at_trx_commit');

my $dir = $ngx->{dir};
my $serial = 0;

# enough distinct messages for a run at 20,000/s
sub bodies {
    my ($name, $n) = @_;
    my $file = "$dir/$name.txt";
    open my $fh, '>', $file or die $!;
    for (1 .. $n) {
        $serial++;
        my $from = 919000000000 + $serial % 5000;    # thousands of senders
        my $body = json_encode(wh_payload(
            contacts => [ { profile => { name => 'Bench' }, wa_id => "$from",
                            user_id => "IN.$from" } ],
            messages => [ { from => "$from", id => "wamid.bench.$$.$serial",
                            timestamp => '' . int(time), type => 'text',
                            text => { body => 'Hi, I need an income certificate' } } ]));
        print $fh $ngx->sign($body), "\t", $body, "\n";
    }
    close $fh;
    return $file;
}

sub to_ms {
    my ($v, $u) = @_;
    return $u eq 'us' ? $v / 1000 : $u eq 's' ? $v * 1000 : $v;
}

sub wrk {
    my ($path, $bodies, $rate) = @_;
    local $ENV{MANA_BENCH_BODIES} = $bodies;
    local $ENV{MANA_BENCH_THREADS} = $o{threads};
    local $ENV{MANA_BENCH_CONNECTIONS} = $o{connections};
    local $ENV{MANA_BENCH_RATE} = $rate // 0;
    my $rows0 = $dbh->selectrow_array('SELECT COUNT(*) FROM message_in');
    my $t0 = time;
    my $out = `wrk -t$o{threads} -c$o{connections} -d$o{duration}s --latency -s $FindBin::Bin/webhook.lua ${\ $ngx->url($path)} 2>&1`;
    my $secs = time - $t0;
    my $rows = $dbh->selectrow_array('SELECT COUNT(*) FROM message_in') - $rows0;
    my %r = (out => $out, stored => $rows, secs => $secs);
    ($r{rps}) = $out =~ /Requests\/sec:\s+([\d.]+)/;
    ($r{non2xx}) = $out =~ /Non-2xx or 3xx responses:\s+(\d+)/;
    ($r{errors}) = $out =~ /Socket errors:\s+(.*)/;
    $r{non2xx} //= 0;
    for my $p (50, 99) {
        my ($v, $u) = $out =~ /^\s+$p%\s+([\d.]+)(us|ms|s)/m;
        $r{"p$p"} = defined $v ? to_ms($v, $u) : undef;
    }
    die "wrk failed:\n$out" unless $r{rps};
    return \%r;
}

printf STDERR "preparing %d signed bodies...\n", 15000 + 40000 * $o{duration};
my $warm = bodies('warm', 15000);
my $full = bodies('full', 25000 * $o{duration});
my $half = bodies('half', 15000 * $o{duration});

{ local $o{duration} = 2; wrk('/webhook', $warm); }    # pool, caches, files

my $ceiling = wrk('/ceiling', $full);
my $max = wrk('/webhook', $full);
my $stored_rate = $max->{stored} / $o{duration};
my $paced = wrk('/webhook', $half, int($stored_rate / 2));

my ($h) = $ngx->health;

print <<"TXT";

Mana webhook benchmark: wrk, $o{threads} threads, $o{connections} connections, $o{duration} s a run
nginx: $o{workers} workers, mana_db_pool_size $o{pool} each; MariaDB innodb_flush_log_at_trx_commit=$flush
each request: one signed webhook, one text message, a distinct wamid, one of 5,000 senders

                          requests/s  stored msgs/s   p50 ms   p99 ms   non-2xx
TXT
printf "%-24s %11.0f %14s %8.2f %8.2f %9d\n", 'ceiling (return 200)',
    $ceiling->{rps}, '-', $ceiling->{p50}, $ceiling->{p99}, $ceiling->{non2xx};
printf "%-24s %11.0f %14.0f %8.2f %8.2f %9d\n", 'webhook, full load',
    $max->{rps}, $stored_rate, $max->{p50}, $max->{p99}, $max->{non2xx};
printf "%-24s %11.0f %14.0f %8.2f %8.2f %9d\n",
    sprintf('webhook at %d/s', int($stored_rate / 2)),
    $paced->{rps}, $paced->{stored} / $o{duration}, $paced->{p50},
    $paced->{p99}, $paced->{non2xx};
printf "\nwebhook / ceiling: %.3f (stored messages per second over return-200 requests per second)\n",
    $stored_rate / $ceiling->{rps};
print "duplicates: $h->{counters}{messages_duplicate}, 503s: $h->{counters}{db_unavailable}\n";
for my $r ($ceiling, $max, $paced) {
    print "socket errors: $r->{errors}\n" if $r->{errors};
}
