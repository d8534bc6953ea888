# ./build.sh bench --bot: conversational load.  Every inbound message gets
# a reply from the bot, delivered by the real sender to a Graph stand-in.
# As the peers were measured: nginx and MariaDB share core 0; wrk and the
# stand-in (a plain nginx answering like Graph) run on core 1.
use strict;
use warnings;
use POSIX ();
use Time::HiRes qw(time sleep);
use Mana::Test;

sub pct {
    my ($v, $p) = @_;
    return 0 unless @$v;
    return $v->[int($p / 100 * $#$v + 0.5)];
}

sub bench_bot {
    my ($o) = @_;
    my $dur = $o->{duration};

    my $db = start_mariadb(durable => !$o->{relaxed}, private => 1, cpu => 0);
    for (['service', 'import', "$Mana::Test::TOP/sql/seed/catalogue.json"],
         ['i18n', 'import', "$Mana::Test::TOP/sql/seed/messages.json"]) {
        my ($rc, $out) = $db->mmctl(@$_);
        $rc == 0 or die "seed: $out";
    }
    my $dbh = $db->dbh;

    # the Graph stand-in: a plain nginx, a unique wamid per answer
    my $gdir = Mana::Test::tmpdir();
    my $gport = Mana::Test::free_port();
    open my $fh, '>', "$gdir/nginx.conf" or die $!;
    print $fh "pid $gdir/nginx.pid;\nworker_processes 1;\nevents { worker_connections 1024; }\n"
        . "http { access_log off; server { listen 127.0.0.1:$gport; keepalive_requests 100000;\n"
        . "  location / { default_type application/json; return 200 "
        . "'{\"messaging_product\":\"whatsapp\",\"contacts\":[],\"messages\":[{\"id\":\"wamid.\$request_id\"}]}'; } } }\n";
    close $fh;
    system("taskset -c 1 nginx -p $gdir -c $gdir/nginx.conf -e $gdir/error.log") == 0 or die 'stand-in';

    my $ngx = start_nginx($db, workers => 1, cpu => 0, pool_size => $o->{pool},
        queue_size => 4096, max_body => '64k', graph => "http://127.0.0.1:$gport",
        lease => '60s', graph_timeout => '10s',
        http_extra => 'mana_bot on; mana_sender_rate 100000; mana_sender_pair_burst 1000; '
                    . 'mana_graph_connections 32; mana_sender_batch 256;',
        server_extra => 'location = /ceiling { return 200 "{}"; }');
    Mana::Test::wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} },
                           60, 'the catalogue') or die 'no catalogue';

    # conversations: every citizen says Hi, picks English, accepts, opens
    # Revenue, then the income certificate; round-robin over citizens so
    # that one citizen's messages are rarely in flight together
    my $citizens = 4000 * $dur;
    my @steps = (
        [ text => 'Hi' ], [ button => 'lang:en' ], [ button => 'btn:accept' ],
        [ list => 'dept:REV' ], [ list => 'svc:REV-INC' ],
    );
    my $serial = 0;
    my $make = sub {
        my ($file, $from, $count) = @_;
        open my $out, '>', $file or die $!;
        for my $step (@steps) {
            for my $c ($from .. $from + $count - 1) {
                my $phone = 918000000000 + $c;
                my ($kind, $v) = @$step;
                my $msg = { from => "$phone", id => "wamid.bot.$$." . ++$serial,
                            timestamp => '' . int(time) };
                if ($kind eq 'text') { $msg->{type} = 'text'; $msg->{text} = { body => $v } }
                else {
                    my $k = $kind eq 'list' ? 'list_reply' : 'button_reply';
                    $msg->{type} = 'interactive';
                    $msg->{interactive} = { type => $k, $k => { id => $v, title => 'x' } };
                }
                my $body = json_encode(wh_payload(
                    contacts => [ { profile => { name => 'Bench' }, wa_id => "$phone", user_id => "IN.$phone" } ],
                    messages => [ $msg ]));
                print $out $ngx->sign($body), "\t", $body, "\n";
            }
        }
        close $out;
        return $file;
    };
    print STDERR "preparing conversations...\n";
    my $warm = $make->("$gdir/warm.txt", 1, 1000);
    my $full = $make->("$gdir/full.txt", 100000, $citizens);
    my $half = $make->("$gdir/half.txt", 500000, $citizens / 2);

    my $wrk = sub {
        my ($path, $bodies, $rate, $secs) = @_;
        local $ENV{MANA_BENCH_BODIES} = $bodies;
        local $ENV{MANA_BENCH_THREADS} = 1;
        local $ENV{MANA_BENCH_CONNECTIONS} = $o->{connections};
        local $ENV{MANA_BENCH_RATE} = $rate // 0;
        my $url = $ngx->url($path);
        my $out = `taskset -c 1 wrk -t1 -c$o->{connections} -d${secs}s --latency -s $FindBin::Bin/webhook.lua $url 2>&1`;
        my %r;
        ($r{rps}) = $out =~ /Requests\/sec:\s+([\d.]+)/;
        ($r{non2xx}) = $out =~ /Non-2xx or 3xx responses:\s+(\d+)/;
        $r{non2xx} //= 0;
        for my $p (50, 99) {
            my ($v, $u) = $out =~ /^\s+$p%\s+([\d.]+)(us|ms|s)/m;
            $r{"p$p"} = !defined $v ? 0 : $u eq 'us' ? $v / 1000 : $u eq 's' ? $v * 1000 : $v;
        }
        die "wrk failed: $out" unless $r{rps};
        return \%r;
    };
    my $drain = sub {
        Mana::Test::wait_until(sub {
            !$dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state < 2') }, 120, 'the outbox');
    };
    my $measure = sub {
        my ($name, $bodies, $rate) = @_;
        my ($m0) = $dbh->selectrow_array('SELECT COUNT(*) FROM message_in');
        my ($o0) = $dbh->selectrow_array('SELECT COALESCE(MAX(id), 0) FROM outbox');
        my $w = $wrk->('/webhook', $bodies, $rate, $dur);
        my $t_end = time;
        $drain->();
        my $drained = time - $t_end;
        my ($m1) = $dbh->selectrow_array('SELECT COUNT(*) FROM message_in');
        my $replies = $dbh->selectall_arrayref(
            'SELECT TIMESTAMPDIFF(MICROSECOND, created_at, sent_at) / 1000 FROM outbox '
            . 'WHERE id > ? AND state = 2 ORDER BY 1', undef, $o0);
        my @lat = map { $_->[0] } @$replies;
        my ($failed) = $dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE id > ? AND state <> 2', undef, $o0);
        return { %$w, name => $name, inbound => ($m1 - $m0) / $dur, replies => scalar @lat,
                 failed => $failed, drained => $drained,
                 r50 => pct(\@lat, 50), r99 => pct(\@lat, 99) };
    };

    $wrk->('/webhook', $warm, 0, 2);
    $drain->();
    my $ceiling = $wrk->('/ceiling', $full, 0, $dur);
    my $max = $measure->('conversations, full load', $full);
    my $paced = $measure->(sprintf('at half: %d/s', $max->{inbound} / 2), $half, int($max->{inbound} / 2));

    my @rss;
    for my $pid ($ngx->worker_pids) {
        open my $st, '<', "/proc/$pid/status" or next;
        push @rss, (join '', <$st>) =~ /VmRSS:\s+(\d+)/;
    }
    my ($flush) = $dbh->selectrow_array('SELECT @@innodb_flush_log_at_trx_commit');

    printf "\nMana conversation benchmark: nginx (1 worker) and MariaDB on core 0; wrk and the Graph stand-in on core 1\n";
    printf "innodb_flush_log_at_trx_commit=%d; %d s a run, %d connections; each message answered by the bot\n\n",
           $flush, $dur, $o->{connections};
    printf "%-28s %10s %10s %8s %8s %10s %10s %8s\n", '', 'req/s', 'inbound/s', 'p50 ms', 'p99 ms',
           'reply p50', 'reply p99', 'non-2xx';
    printf "%-28s %10.0f %10s %8.2f %8.2f %10s %10s %8d\n", 'ceiling (return 200)', $ceiling->{rps}, '-',
           $ceiling->{p50}, $ceiling->{p99}, '-', '-', $ceiling->{non2xx};
    for my $r ($max, $paced) {
        printf "%-28s %10.0f %10.0f %8.2f %8.2f %10.2f %10.2f %8d\n", $r->{name}, $r->{rps}, $r->{inbound},
               $r->{p50}, $r->{p99}, $r->{r50}, $r->{r99}, $r->{non2xx};
        printf "%-28s replies delivered %d, not delivered %d, outbox drained %.1f s after the load\n",
               '', $r->{replies}, $r->{failed}, $r->{drained};
    }
    printf "\ninbound / ceiling: %.3f; worker RSS with the demo catalogue: %s MiB\n",
           $max->{inbound} / $ceiling->{rps}, join(', ', map { sprintf '%.1f', $_ / 1024 } @rss);
    print "reply latency: from the reply's outbox insert (in the inbound message's transaction) to Graph's acceptance\n";

    system("nginx -p $gdir -c $gdir/nginx.conf -e $gdir/error.log -s quit");
}

1;
