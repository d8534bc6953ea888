#!/usr/bin/env perl
# /D/<token>: the certificate's PDF as Meta fetches it for a WhatsApp
# document message (real nginx and MariaDB, certificates issued by mmctl).
# The token is rebuilt here with Digest::SHA from the format; the PDF is
# the same bytes "mmctl cert pdf" writes, passes qpdf, its QR decodes to
# the certificate's QR text and its text holds the names.  Expired,
# altered, foreign and malformed tokens, a revoked certificate, methods
# other than GET and HEAD and a database that is away get clear answers
# and never a PDF; the token never reaches the access log.
use strict;
use warnings;
use utf8;
use Digest::SHA qw(hmac_sha256);
use Encode qw(decode_utf8 encode_utf8);
use File::Temp qw(tempdir);
use MIME::Base64 qw(encode_base64url);
use POSIX ();
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test qw(:DEFAULT slurp spew);

my $TMP = tempdir('doclink-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $MK = "$TMP/master.key";
my $DOCKEY = "$TMP/document.key";
my $HOST = 'verify.example.in';
my $OFFICE = 'REV-AKP-COLL';
my $SERVICE = 'REV-CCRC';
my $HOLDER = 'కొండపల్లి శ్రీనివాస్ రెడ్డి';

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST|DOCUMENT_KEY)/ } keys %ENV;

my $key = encode_base64url(join '', map { chr int rand 256 } 1 .. 32);
spew($DOCKEY, "$key\n");
chmod 0644, $DOCKEY;    # nginx's workers run as nobody here

my $db = start_mariadb();
my $dbh = $db->dbh;
my ($rc, $out) = $db->mmctl('service', 'import', "$Mana::Test::TOP/sql/seed/catalogue.json");
$rc == 0 or BAIL_OUT("seed: $out");

sub mmctl {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          '--document-key-file', $DOCKEY, @_);
}

my $r = mmctl('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = mmctl('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, "an issuer key for $OFFICE") or diag($r->{err});

sub issue {
    my ($n) = @_;
    my $r = mmctl('--json', 'cert', 'issue', '--service', $SERVICE, '--office', $OFFICE,
                  '--number', "REV-CCRC-2026-00000$n", '--holder', encode_utf8($HOLDER),
                  '--field', 'caste=BC-A', '--field', 'village=Gollaprolu');
    is($r->{rc}, 0, "certificate $n issued") or diag($r->{err});
    return json_decode($r->{out});
}
my $cert = issue(1);
my $other = issue(2);

my $ngx = start_nginx($db, workers => 2,
    http_extra => "mana_document_key_file $DOCKEY; mana_verify_host $HOST;",
    server_extra => 'location ^~ /D/ { mana_document; }');

# the format of lib/mana_doclink.h, computed here
sub token {
    my ($cti_hex, $expires, $k) = @_;
    my $id = pack('H*', $cti_hex) . pack('N', $expires);
    my $mac = substr hmac_sha256("mana-doclink/1\0" . $id, $k // $key), 0, 16;
    return encode_base64url($id . $mac);
}

sub fetch { $ngx->request($_[1] // 'GET', "/D/$_[0]") }

# --- mmctl cert link ------------------------------------------------------

$r = mmctl('--json', 'cert', 'link', $cert->{id});
is($r->{rc}, 0, 'mmctl cert link') or diag($r->{err});
my $link = json_decode($r->{out});
my ($tok) = $link->{url} =~ m{\Ahttps://\Q$HOST\E/D/([A-Za-z0-9_-]{43})\z};
ok($tok, "a link on the verify host: $link->{url}");
my ($y, $mo, $d, $h, $mi, $s) = $link->{expires_at} =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z$/;
require Time::Local;
my $expires = Time::Local::timegm($s, $mi, $h, $d, $mo - 1, $y);
cmp_ok(abs($expires - (time + 7 * 86400)), '<', 60, 'it expires in a week');
is($tok, token($cert->{id}, $expires), 'its token is the format\'s, to the byte');

$r = mmctl('--json', 'cert', 'link', $cert->{id}, '--days', 30);
my $month = json_decode($r->{out} || '{}');
ok($month->{url} && $month->{url} ne $link->{url}, '--days 30: another link');
for my $bad ('0', '31', 'x', '') {
    $r = mmctl('cert', 'link', $cert->{id}, '--days', $bad);
    is($r->{rc}, 2, "--days '$bad' is a usage error") or diag($r->{err});
}
$r = $db->mmctl_run('--verify-host', $HOST, 'cert', 'link', $cert->{id});
is($r->{rc}, 78, 'no document key: a configuration error (78)');
like($r->{err}, qr/no document key/, 'which says what to give');
$r = mmctl('cert', 'link', 'ffffffffffffffffffffffff');
is($r->{rc}, 1, 'an unknown certificate: exit 1');

# --- the PDF --------------------------------------------------------------

my $res = fetch($tok);
is($res->{status}, 200, 'GET /D/<token>: 200') or diag($res->{content});
is($res->{headers}{'content-type'}, 'application/pdf', 'a PDF');
is($res->{headers}{'content-disposition'}, 'attachment; filename="REV-CCRC-2026-000001.pdf"',
   'named by the certificate number');
is($res->{headers}{'cache-control'}, 'private, no-store', 'kept by no cache');
my $pdf = $res->{content};
spew("$TMP/fetched.pdf", $pdf);

$r = mmctl('cert', 'pdf', $cert->{id}, '-o', '-');
is($r->{rc}, 0, 'mmctl cert pdf') or diag($r->{err});
ok($r->{out} eq $pdf, 'the same bytes mmctl cert pdf renders (' . length($pdf) . ')');

($rc, $out) = Mana::Test::run_cmd('qpdf', '--check', "$TMP/fetched.pdf");
is($rc, 0, 'qpdf --check passes') or diag($out);
($rc, $out) = Mana::Test::run_cmd('pdftotext', '-enc', 'UTF-8', "$TMP/fetched.pdf", '-');
my $text = decode_utf8($out);
like($text, qr/\Q$HOLDER\E/, 'pdftotext finds the holder\'s Telugu name');
like($text, qr/REV-CCRC-2026-000001/, 'and the number');
($rc) = Mana::Test::run_cmd('pdftoppm', '-r', 200, '-png', '-singlefile', "$TMP/fetched.pdf", "$TMP/page");
($rc, $out) = Mana::Test::run_cmd('zbarimg', '--raw', '-q', "$TMP/page.png");
# its standard error comes along (D-Bus chatter on a machine without it)
($out) = grep { /^HTTPS:/ } split /\n/, $out;
is($out, $cert->{qr}, 'its QR code decodes to the certificate\'s QR text') or diag("rc $rc");

$res = fetch($tok, 'HEAD');
is($res->{status}, 200, 'HEAD: 200');
is($res->{headers}{'content-length'}, length $pdf, 'with the length');
is($res->{content} // '', '', 'and no body');

$res = fetch($tok, 'POST');
is($res->{status}, 405, 'POST: 405');

# several at once: renders run in the thread pool, side by side
{
    my @pids;
    for my $i (1 .. 8) {
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            my $res = fetch($i % 2 ? $tok : token($other->{id}, time + 3600));
            spew("$TMP/par.$i", $res->{status} == 200 ? $res->{content} : "HTTP $res->{status}");
            POSIX::_exit(0);
        }
        push @pids, $pid;
    }
    waitpid $_, 0 for @pids;
    my $same = grep { slurp("$TMP/par.$_") eq $pdf } grep { $_ % 2 } 1 .. 8;
    is($same, 4, 'four fetched at once: each the same PDF');
    my @others = map { slurp("$TMP/par.$_") } grep { !($_ % 2) } 1 .. 8;
    ok(!grep({ $_ !~ /\A%PDF-/ || $_ eq $pdf } @others) && !grep({ $_ ne $others[0] } @others),
       'and four of another certificate, alike and its own');
}

# a reload while pages are drawn: the old workers answer before they exit
{
    my @pids;
    for my $i (1 .. 6) {
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            my $res = fetch($tok);
            spew("$TMP/reload.$i", $res->{status} == 200 ? $res->{content} : "HTTP $res->{status}");
            POSIX::_exit(0);
        }
        push @pids, $pid;
    }
    select undef, undef, undef, 0.02;
    $ngx->reload;
    waitpid $_, 0 for @pids;
    is(scalar(grep { slurp("$TMP/reload.$_") eq $pdf } 1 .. 6), 6,
       'six fetched across a reload: each got the PDF');
}

# --- links that give no document -------------------------------------------

$res = fetch(token($cert->{id}, time - 1));
is($res->{status}, 410, 'an expired link: 410');
like($res->{content}, qr/expired/, 'which says so');
like(decode_utf8($res->{content}), qr/గడువు ముగిసింది/, 'in Telugu too');
ok($res->{content} !~ /%PDF/, 'and no PDF');

my %bad = (
    'one character changed' => do { (my $t = $tok) =~ s/^(.)/$1 eq 'A' ? 'B' : 'A'/e; $t },
    'another key' => token($cert->{id}, $expires, 'k' x 32),
    'a later expiry, the old mac' => substr(token($cert->{id}, $expires + 86400), 0, 21)
                                     . substr($tok, 21),
    'a certificate never issued' => token('00' x 12, $expires),
    'too short' => substr($tok, 0, 42),
    'too long' => $tok . 'A',
    'not base64url' => substr($tok, 0, 40) . '%2B%2B',
    'empty' => '',
);
for my $case (sort keys %bad) {
    $res = fetch($bad{$case});
    is($res->{status}, 404, "$case: 404");
    ok($res->{content} !~ /%PDF/, "$case: no PDF");
}

$r = mmctl('cert', 'revoke', $cert->{id}, '--reason', 'issued_in_error');
is($r->{rc}, 0, 'the certificate is revoked') or diag($r->{err});
$res = fetch($tok);
is($res->{status}, 410, 'its link now: 410');
ok($res->{content} !~ /%PDF/, 'no PDF of a revoked certificate');
$r = mmctl('cert', 'link', $cert->{id});
is($r->{rc}, 1, 'and mmctl gives it no new link');
like($r->{err}, qr/revoked/, 'saying why');

# an expired certificate is not served either, however fresh its link
my $third = issue(3);
$dbh->do('UPDATE certificate SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE cti = UNHEX(?)',
         undef, $third->{id});
$res = fetch(token($third->{id}, time + 3600));
is($res->{status}, 410, 'an expired certificate: 410');
ok($res->{content} !~ /%PDF/, 'and no PDF');

# the token is a key to the document: it never reaches a log
my $access = slurp("$ngx->{dir}/access.log");
my $errors = slurp("$ngx->{dir}/error.log");
ok($access =~ m{"GET /D/- HTTP/1\.1" 200}, 'the access log shows /D/-');
ok(index($access, substr($tok, 0, 20)) < 0 && index($errors, substr($tok, 0, 20)) < 0,
   'and never the token');

# --- the database away: try again later ------------------------------------

$db->stop;
$res = fetch(token($other->{id}, time + 3600));
is($res->{status}, 503, 'the database away: 503');
like($res->{content}, qr/try again/, 'which says to try again');

finish_tests();
