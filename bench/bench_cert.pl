# ./build.sh bench (third part): certificates.
#
#   issued per second   mmctl cert issue (sign + log append + commit on a
#                       durable MariaDB), one process per certificate, from
#                       1 and from 4 issuers at once; beside it the cost of
#                       an mmctl process that only connects (mmctl db
#                       status), so that the process start can be told apart
#   PDF render          build/t/test_lib_pdf bench: one page, CPU time
#   /C/ verifications   wrk on the verification page of one certificate,
#                       beside `return 200` of the same nginx in the same run
#   /D/ documents       wrk on one certificate's document link: the PDF
#                       drawn in the thread pool for every request, as
#                       Meta fetches it (nothing is cached)
use strict;
use warnings;
use Time::HiRes qw(time);
use Mana::Test;

sub bench_cert {
    my ($o) = @_;
    my $dur = $o->{duration};

    my $db = start_mariadb(durable => !$o->{relaxed}, private => 1);
    my ($rc, $out) = $db->mmctl('service', 'import',
                                "$Mana::Test::TOP/sql/seed/catalogue.json");
    $rc == 0 or die "seed: $out";

    my $mk = "$db->{dir}/master.key";
    my $dockey = "$db->{dir}/document.key";
    Mana::Test::spew($dockey, "bench-document-key-of-at-least-32-bytes\n");
    chmod 0644, $dockey;
    my @keyed = ('--master-key-file', $mk, '--verify-host', 'verify.example.in',
                 '--document-key-file', $dockey);
    my $office = 'REV-AKP-COLL';
    for my $args (['key', 'init-master', $mk],
                  ['key', 'generate', '--purpose', 'issuer', '--office', $office]) {
        my $r = $db->mmctl_run(@keyed, @$args);
        $r->{rc} == 0 or die "@$args: $r->{err}";
    }

    my $serial = 0;
    my $qr;
    my $issue = sub {
        my ($issuers, $each) = @_;
        my $t0 = time;
        my @jobs = map {
            $db->mmctl_start(@keyed, '--json', 'cert', 'issue',
                             '--service', 'REV-CCRC', '--office', $office,
                             '--number', 'REV-CCRC-2026-' . ++$serial,
                             '--holder', "Holder $serial",
                             '--field', 'caste=BC-A')
        } 1 .. $issuers;
        my $done = 0;
        while (@jobs) {
            my $r = $db->mmctl_finish(shift @jobs);
            $r->{rc} == 0 or die "cert issue: $r->{err}";
            $qr //= Mana::Test::json_decode($r->{out})->{qr};
            $done++;
            push @jobs, $db->mmctl_start(@keyed, '--json', 'cert', 'issue',
                '--service', 'REV-CCRC', '--office', $office,
                '--number', 'REV-CCRC-2026-' . ++$serial,
                '--holder', "Holder $serial", '--field', 'caste=BC-A')
                if $done + @jobs < $issuers * $each;
        }
        return $done / (time - $t0);
    };
    my $noop = sub {
        my $t0 = time;
        for (1 .. 50) {
            my $r = $db->mmctl_run('db', 'status');
            $r->{rc} == 0 or die "db status: $r->{err}";
        }
        return 50 / (time - $t0);
    };

    my $one = $issue->(1, 100);
    my $four = $issue->(4, 100);
    my $procs = $noop->();

    # the page's bytes are what wrk asks for: /C/ and the payload
    my ($path) = $qr =~ m{^https?://[^/]+(/C/\S+)$}i or die "qr: $qr";

    my $ngx = start_nginx($db, workers => $o->{workers}, pool_size => $o->{pool},
                          queue_size => 1024,
                          http_extra => 'mana_catalogue_check 1s; '
                                        . "mana_document_key_file $dockey; "
                                        . 'mana_verify_host verify.example.in;',
                          server_extra => 'location ^~ /C/ { mana_verify; } '
                                        . 'location ^~ /D/ { mana_document; } '
                                        . 'location = /ceiling { return 200 "{}"; }');
    Mana::Test::wait_until(sub {
        my $r = `curl -s -o /dev/null -w '%{http_code}' ${\ $ngx->url($path)}`;
        $r eq '200' }, 30, 'the verification page') or die 'no /C/ page';

    my $wrk = sub {
        my ($p) = @_;
        my $out = `wrk -t$o->{threads} -c$o->{connections} -d${dur}s --latency ${\ $ngx->url($p)} 2>&1`;
        my ($rps) = $out =~ /Requests\/sec:\s+([\d.]+)/ or die "wrk: $out";
        my ($p99) = $out =~ /99%\s+([\d.]+\w+)/;
        my ($bad) = $out =~ /Non-2xx or 3xx responses: (\d+)/;
        return { rps => $rps, p99 => $p99 // '?', bad => $bad // 0 };
    };
    # the first certificate's document link
    my ($cti) = $db->dbh->selectrow_array('SELECT LOWER(HEX(cti)) FROM certificate ORDER BY id LIMIT 1');
    my $link = $db->mmctl_run(@keyed, '--json', 'cert', 'link', $cti);
    $link->{rc} == 0 or die "cert link: $link->{err}";
    my ($doc) = Mana::Test::json_decode($link->{out})->{url} =~ m{^https://[^/]+(/D/\S+)$}
        or die "cert link: $link->{out}";

    { local $o->{duration} = 2; $wrk->($path); $wrk->($doc); }    # warm
    my $ceiling = $wrk->('/ceiling');
    my $verify = $wrk->($path);
    my $document = $wrk->($doc);

    my $pdf = `$Mana::Test::BUILD/t/test_lib_pdf bench 50 2>&1`;

    my $flush = $db->dbh->selectrow_array('SELECT @@innodb_flush_log_at_trx_commit');
    print <<"END";
Mana certificate benchmark (innodb_flush_log_at_trx_commit=$flush)

certificates issued per second (mmctl cert issue, one process each):
  1 issuer      ${\ sprintf '%7.1f', $one}
  4 issuers     ${\ sprintf '%7.1f', $four}
  beside: mmctl processes that only connect, per second: ${\ sprintf '%.1f', $procs}

/C/ verification page, wrk $o->{threads} threads, $o->{connections} connections, ${dur} s, $o->{workers} workers:
  ceiling (return 200)   ${\ sprintf '%9.0f', $ceiling->{rps}} req/s  p99 $ceiling->{p99}
  /C/<certificate>       ${\ sprintf '%9.0f', $verify->{rps}} req/s  p99 $verify->{p99}  non-2xx $verify->{bad}
  /C/ / ceiling: ${\ sprintf '%.3f', $verify->{rps} / $ceiling->{rps}}
  /D/<token>             ${\ sprintf '%9.0f', $document->{rps}} req/s  p99 $document->{p99}  non-2xx $document->{bad}
  /D/ / ceiling: ${\ sprintf '%.4f', $document->{rps} / $ceiling->{rps}}

PDF render (build/t/test_lib_pdf bench 50):
$pdf
END
}

1;
