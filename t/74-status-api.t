#!/usr/bin/perl

# /api/v1/status/<kid>/<cti> (mana_status) on a log that mmctl filled:
# certificates issued with mmctl cert issue, checkpoints signed by mmctl
# log checkpoint, a revocation by mmctl cert revoke.  Each answer is
# checked as a client would, with code that is not the module's: the
# checkpoint's Ed25519 signature with the log key that the served trust
# list names (openssl), every proof recomputed to the checkpoint's root
# (RFC 6962 hashing in Perl), and the leaves' bytes against the kid, the
# certificate's signed bytes and its cti.  The answer carries nothing of
# the certificate but what the leaves publish: no name, number or field.

use strict;
use warnings;

use Digest::SHA qw(sha256);
use File::Temp qw(tempdir);
use JSON::PP;
use MIME::Base64 qw(decode_base64 encode_base64);
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test;

my $MMCTL = "$Mana::Test::BUILD/mmctl";
-x $MMCTL or plan skip_all => 'build/mmctl is not built (./build.sh build)';

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $TMP = tempdir('status-api-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $db = start_mariadb();
my $dbh = $db->dbh;
my $ngx = start_nginx($db, server_extra => <<'LOC');
        location ^~ /api/v1/status/ {
            mana_status;
        }

        location = /.well-known/mana/trust.json {
            mana_trust_list;
        }
LOC

my $MK = "$TMP/master.key";
my $ORIGIN = 'verify.example.in/log';
my $OFFICE = 'REV-AKP-COLL';
my $FIELD = 'Kamma-Velama-BC-A';

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host',
                          'verify.example.in', @_);
}

sub json { JSON::PP->new->utf8->decode($_[0]) }

sub get { $ngx->request('GET', "/api/v1/status/$_[0]") }

# --- RFC 6962 / 9162 in Perl: the independent side ---------------------------

sub leaf_hash { sha256("\x00" . $_[0]) }
sub node_hash { sha256("\x01" . $_[0] . $_[1]) }

# RFC 9162 2.1.3.2: the root an inclusion proof leads to, or undef
sub root_from_inclusion {
    my ($index, $size, $leaf, @proof) = @_;
    return undef if $index >= $size;
    my ($fn, $sn, $r) = ($index, $size - 1, $leaf);
    for my $p (@proof) {
        return undef if $sn == 0;
        if ($fn & 1 || $fn == $sn) {
            $r = node_hash($p, $r);
            if (!($fn & 1)) {
                while (!($fn & 1) && $fn != 0) { $fn >>= 1; $sn >>= 1 }
            }
        } else {
            $r = node_hash($r, $p);
        }
        $fn >>= 1;
        $sn >>= 1;
    }
    return $sn == 0 ? $r : undef;
}

sub b64url_decode {
    my ($s) = @_;
    $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    return decode_base64($s);
}

# --- the catalogue, the keys, the trust list ---------------------------------

my $r = $db->mmctl_run('service', 'import',
                       "$Mana::Test::TOP/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
for my $k (['--purpose', 'issuer', '--office', $OFFICE],
           ['--purpose', 'root', '--name', 'mana-root'],
           ['--purpose', 'log', '--name', $ORIGIN]) {
    $r = run('key', 'generate', @$k);
    is($r->{rc}, 0, "key generate @$k[0, 1]") or diag($r->{err});
}
$r = run('key', 'trust-list');
is($r->{rc}, 0, 'key trust-list') or diag($r->{err});

my ($KID) = $dbh->selectrow_array(
    "SELECT LOWER(HEX(kid)) FROM signing_key WHERE purpose = 'issuer'");

# the log's verifier key, as a client finds it: in the served trust list
$r = $ngx->request('GET', '/.well-known/mana/trust.json');
is($r->{status}, 200, 'trust.json is served');
my $payload = json(json($r->{content})->{payload});
my ($vname, $vid, $vkey) = split /\+/, $payload->{log}{key}, 3;
is($vname, $ORIGIN, 'trust.json names the log key by the origin');
my $LOG_PUB = substr(decode_base64($vkey), 1);
is(length $LOG_PUB, 32, 'the log key: an Ed25519 public key');
is($vid, unpack('H*', substr(sha256("$ORIGIN\n\x01$LOG_PUB"), 0, 4)),
   'the log key: its key id is its own');

# --- issue, checkpoint, revoke, checkpoint -----------------------------------

my $n = 0;
my %cert;

sub issue {
    my ($name, @extra) = @_;
    $n++;
    my $r = run('--json', 'cert', 'issue', '--service', 'REV-CCRC',
                '--office', $OFFICE, '--number', "REV-CCRC-2026-00$n",
                '--holder', "Holder Name$n Kumari", '--field',
                "caste=$FIELD", @extra);
    is($r->{rc}, 0, "cert issue $name") or diag($r->{err});
    my $c = json($r->{out});
    my ($cose) = $dbh->selectrow_array(
        'SELECT cose FROM certificate WHERE cti = UNHEX(?)', undef,
        $c->{id});
    $cert{$name} = { cti => $c->{id}, index => $c->{log_index},
                     cose => $cose, holder => "Holder Name$n Kumari",
                     number => "REV-CCRC-2026-00$n" };
}

issue('valid');
issue('revoked');
issue('revoked later');
issue('expired', '--expires', '2030-01-01');

$r = run('log', 'checkpoint');
is($r->{rc}, 0, 'log checkpoint (size 4)') or diag($r->{err});

$r = run('--json', 'cert', 'revoke', $cert{revoked}{cti}, '--reason',
         'issued_in_error');
is($r->{rc}, 0, 'cert revoke') or diag($r->{err});
$cert{revoked}{rindex} = json($r->{out})->{log_index};
is($dbh->selectrow_array(
       'SELECT revocation_index FROM certificate WHERE cti = UNHEX(?)',
       undef, $cert{revoked}{cti}),
   $cert{revoked}{rindex}, 'cert revoke records the leaf\'s index');

# certificates revoked before migration 013 find their leaf by its bytes
my ($backfill) = Mana::Test::slurp(
    "$Mana::Test::TOP/sql/013_revocation_index.sql") =~ /^(UPDATE .*?);/ms;
$dbh->do('UPDATE certificate SET revocation_index = NULL');
$dbh->do($backfill);
is($dbh->selectrow_array(
       'SELECT GROUP_CONCAT(revocation_index) FROM certificate'),
   $cert{revoked}{rindex},
   'migration 013 finds the revocation leaf of the one revoked certificate');

$r = run('log', 'checkpoint');
is($r->{rc}, 0, 'log checkpoint (size 5)') or diag($r->{err});

# after the latest checkpoint: an issuance and a revocation it cannot cover
issue('pending');
$r = run('--json', 'cert', 'revoke', $cert{'revoked later'}{cti},
         '--reason', 'withdrawn');
is($r->{rc}, 0, 'cert revoke after the checkpoint') or diag($r->{err});
$cert{'revoked later'}{rindex} = json($r->{out})->{log_index};

$dbh->do('UPDATE certificate SET expires_at = ? WHERE cti = UNHEX(?)',
         undef, '2020-01-01 00:00:00', $cert{expired}{cti});

my ($NOTE) = $dbh->selectrow_array(
    'SELECT note FROM tlog_checkpoint ORDER BY size DESC LIMIT 1');

# --- what a client checks ----------------------------------------------------

# the checkpoint: the stored note, signed by the log key; its size and root
sub check_checkpoint {
    my ($name, $note) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is($note, $NOTE, "$name: the checkpoint is the stored note, exactly");
    my $bytes = $note;
    utf8::encode($bytes);
    my ($text, $sig) = $bytes =~
        /\A(.*?\n)\n\xe2\x80\x94 \Q$ORIGIN\E (\S+)\n\z/s;
    ok(defined $sig, "$name: a note with the log's signature line")
        or return;
    my $blob = decode_base64($sig);
    is(substr($blob, 0, 4), pack('H*', $vid),
       "$name: signed under the trust list's log key id");
    Mana::Test::spew("$TMP/text", $text);
    Mana::Test::spew("$TMP/sig", substr($blob, 4));
    Mana::Test::spew("$TMP/pub.der",
                     pack('H*', '302a300506032b6570032100') . $LOG_PUB);
    my $out = `openssl pkeyutl -verify -pubin -keyform DER -inkey $TMP/pub.der -rawin -in $TMP/text -sigfile $TMP/sig 2>&1`;
    like($out, qr/Signature Verified Successfully/,
         "$name: openssl verifies the checkpoint with the log key");
    my ($origin, $size, $root) = split /\n/, $text;
    return ($size, decode_base64($root));
}

# a leaf and its proof; the leaf's bytes
sub check_proof {
    my ($name, $what, $l, $index, $size, $root) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is($l->{index}, $index, "$name: the $what leaf's index");
    ok(!$l->{pending}, "$name: the $what leaf is covered, not pending");
    my $leaf = decode_base64($l->{leaf});
    my @proof = map { decode_base64($_) } @{ $l->{proof} || [] };
    my $got = root_from_inclusion($index, $size, leaf_hash($leaf), @proof);
    ok(defined $got && $got eq $root,
       "$name: the $what proof leads to the checkpoint's root");
    return $leaf;
}

sub issuance_names {
    my ($name, $leaf, $c) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is(length $leaf, 51, "$name: an issuance leaf, 51 bytes");
    is(substr($leaf, 0, 1), "\x01", "$name: of type 0x01");
    is(unpack('H*', substr($leaf, 1, 8)), $KID, "$name: naming the kid");
    is(substr($leaf, 9, 32), sha256($c->{cose}),
       "$name: and the hash of the certificate's signed bytes");
    ok(index($c->{cose}, pack('H*', $c->{cti})) >= 0,
       "$name: whose claims hold the cti");
}

sub revocation_names {
    my ($name, $leaf, $c, $reason) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is(length $leaf, 50, "$name: a revocation leaf, 50 bytes");
    is(substr($leaf, 0, 1), "\x02", "$name: of type 0x02");
    is(unpack('H*', substr($leaf, 1, 8)), $KID, "$name: naming the kid");
    is(substr($leaf, 9, 32), sha256(pack('H*', $c->{cti})),
       "$name: and the hash of the cti");
    is(ord(substr($leaf, 49, 1)), $reason, "$name: with the reason");
}

sub no_personal_data {
    my ($name, $body) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    for my $c (values %cert) {
        for my $s ($c->{holder}, $c->{number}, 'Holder', 'REV-CCRC-2026',
                   $FIELD, 'caste', $OFFICE) {
            unlike($body, qr/\Q$s\E/, "$name: no \"$s\" in the body")
                or last;
        }
    }
}

sub status_of {
    my ($name, $c) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $r = get("$KID/$c->{cti}");
    is($r->{status}, 200, "$name: 200");
    is($r->{headers}{'content-type'}, 'application/json',
       "$name: application/json");
    is($r->{headers}{'cache-control'}, 'no-cache', "$name: no-cache");
    no_personal_data($name, $r->{content});
    my $s = json($r->{content});
    is($s->{kid}, $KID, "$name: the kid");
    is($s->{cti}, $c->{cti}, "$name: the cti");
    return $s;
}

# --- valid -------------------------------------------------------------------

my $s = status_of('valid', $cert{valid});
is($s->{status}, 'valid', 'valid: status valid');
like($s->{issued_at}, qr/\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\z/,
     'valid: issued_at');
is($s->{revoked_at}, undef, 'valid: revoked_at null');
is($s->{reason}, undef, 'valid: reason null');
ok(!exists $s->{revocation}, 'valid: no revocation');
my ($size, $root) = check_checkpoint('valid', $s->{checkpoint});
is($size, 5, 'valid: the latest checkpoint is of size 5');
my $leaf = check_proof('valid', 'issuance', $s->{issuance},
                       $cert{valid}{index}, $size, $root);
issuance_names('valid', $leaf, $cert{valid});

# a proof that does not belong to the leaf does not lead to the root
my $other = decode_base64(status_of('other', $cert{revoked})
                          ->{issuance}{leaf});
my $got = root_from_inclusion($cert{valid}{index}, $size, leaf_hash($other),
    map { decode_base64($_) } @{ $s->{issuance}{proof} });
ok(!defined $got || $got ne $root,
   'another certificate\'s leaf does not prove with this proof');

# --- revoked, with a covered revocation --------------------------------------

$s = status_of('revoked', $cert{revoked});
is($s->{status}, 'revoked', 'revoked: status revoked');
is($s->{reason}, 3, 'revoked: reason 3 (issued_in_error)');
like($s->{revoked_at}, qr/\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\z/,
     'revoked: revoked_at');
($size, $root) = check_checkpoint('revoked', $s->{checkpoint});
$leaf = check_proof('revoked', 'issuance', $s->{issuance},
                    $cert{revoked}{index}, $size, $root);
issuance_names('revoked', $leaf, $cert{revoked});
ok($s->{revocation}, 'revoked: a revocation');
$leaf = check_proof('revoked', 'revocation', $s->{revocation},
                    $cert{revoked}{rindex}, $size, $root);
revocation_names('revoked', $leaf, $cert{revoked}, 3);

# --- revoked after the checkpoint: the revocation pending --------------------

$s = status_of('revoked later', $cert{'revoked later'});
is($s->{status}, 'revoked', 'revoked later: status revoked');
is($s->{reason}, 4, 'revoked later: reason 4 (withdrawn)');
($size, $root) = check_checkpoint('revoked later', $s->{checkpoint});
check_proof('revoked later', 'issuance', $s->{issuance},
            $cert{'revoked later'}{index}, $size, $root);
is($s->{revocation}{index}, $cert{'revoked later'}{rindex},
   'revoked later: the revocation leaf\'s index');
ok($s->{revocation}{pending}, 'revoked later: the revocation is pending');
ok(!exists $s->{revocation}{proof}, 'revoked later: with no proof');
revocation_names('revoked later', decode_base64($s->{revocation}{leaf}),
                 $cert{'revoked later'}, 4);

# --- issued after the checkpoint: pending ------------------------------------

$s = status_of('pending', $cert{pending});
is($s->{status}, 'valid', 'pending: status valid');
is($s->{issuance}{index}, $cert{pending}{index}, 'pending: its index');
ok($s->{issuance}{pending}, 'pending: the issuance is pending');
ok(!exists $s->{issuance}{proof}, 'pending: with no proof');
ok($s->{issuance}{index} >= $size,
   'pending: its index is beyond the checkpoint');
issuance_names('pending', decode_base64($s->{issuance}{leaf}),
               $cert{pending});

# --- expired -----------------------------------------------------------------

$s = status_of('expired', $cert{expired});
is($s->{status}, 'expired', 'expired: status expired');
is($s->{expires_at}, '2020-01-01T00:00:00Z', 'expired: expires_at');
check_proof('expired', 'issuance', $s->{issuance}, $cert{expired}{index},
            (check_checkpoint('expired', $s->{checkpoint})));

# --- a new checkpoint covers what was pending --------------------------------

$r = run('log', 'checkpoint');
is($r->{rc}, 0, 'log checkpoint (size 7)') or diag($r->{err});
($NOTE) = $dbh->selectrow_array(
    'SELECT note FROM tlog_checkpoint ORDER BY size DESC LIMIT 1');
$s = status_of('covered', $cert{pending});
($size, $root) = check_checkpoint('covered', $s->{checkpoint});
is($size, 7, 'covered: the checkpoint of size 7');
check_proof('covered', 'issuance', $s->{issuance}, $cert{pending}{index},
            $size, $root);
$s = status_of('covered revocation', $cert{'revoked later'});
check_proof('covered revocation', 'revocation', $s->{revocation},
            $cert{'revoked later'}{rindex},
            check_checkpoint('covered revocation', $s->{checkpoint}));

# superseded is set by no mmctl verb yet: the row says it, and so does the
# answer, ahead of the expiry
$dbh->do("UPDATE certificate SET status = 'superseded', expires_at = ?"
         . ' WHERE cti = UNHEX(?)', undef, '2020-01-01 00:00:00',
         $cert{pending}{cti});
is(status_of('superseded', $cert{pending})->{status}, 'superseded',
   'superseded: status superseded, though expired too');

# upper-case hex is the same certificate, echoed in lower case
$r = get(uc("$KID/$cert{valid}{cti}"));
is($r->{status}, 200, 'upper-case hex: 200');
is(json($r->{content})->{cti}, $cert{valid}{cti}, '... echoed lower-case');

# --- unknown -----------------------------------------------------------------

for my $u (["$KID/" . ('0' x 24), 'an unknown cti'],
           [('ab' x 8) . "/$cert{valid}{cti}", 'another kid']) {
    $r = get($u->[0]);
    is($r->{status}, 404, "$u->[1]: 404");
    is(json($r->{content})->{status}, 'unknown', "$u->[1]: status unknown");
    is($r->{headers}{'content-type'}, 'application/json',
       "$u->[1]: application/json");
}

# --- malformed ---------------------------------------------------------------

my $cti = $cert{valid}{cti};
for my $m ([substr($KID, 1) . "/$cti", 'a short kid'],
           ["${KID}0/$cti", 'a long kid'],
           ["$KID/" . substr($cti, 1), 'a short cti'],
           ["$KID/${cti}00", 'a long cti'],
           ["$KID/" . substr($cti, 0, 23) . 'g', 'a non-hex cti'],
           ['zz' . substr($KID, 2) . "/$cti", 'a non-hex kid'],
           ["$KID/$cti/", 'a trailing slash'],
           ["$KID/$cti/more", 'one segment too many'],
           ["$KID", 'no cti'],
           ['', 'nothing'],
           ["$KID$cti", 'no slash'],
           ["$KID/$cti?x=1%00", 'arguments do not make it longer'])
{
    $r = get($m->[0]);
    my $want = $m->[1] =~ /arguments/ ? 200 : 400;
    is($r->{status}, $want, "$m->[1]: $want");
    my $doc = eval { json($r->{content}) };
    ok($want == 200 || ($doc && $doc->{error}{code} eq 'bad_request'),
       "$m->[1]: a JSON error");
}

$r = $ngx->request('POST', "/api/v1/status/$KID/$cti", content => '{}');
is($r->{status}, 405, 'POST: 405');

# --- the log broken under the module: 500, never a proof that fails ----------

# stored hash 1 is leaf 1's: the sibling in leaf 0's proof
$dbh->do('UPDATE tlog_hash SET hash = UNHEX(SHA2(\'x\', 256))'
         . ' WHERE idx = 1');
is(get("$KID/$cti")->{status}, 500,
   'a stored hash altered: 500, not a proof that does not hold');
like($ngx->error_log_text,
     qr/mana status: .*(do not give the root|does not prove)/,
     '... and error.log says why');

# --- the database away -------------------------------------------------------

SKIP: {
    skip 'a shared MariaDB is not stopped here', 4 if $db->{external};

    $db->stop;
    $r = get("$KID/$cti");
    is($r->{status}, 503, 'database down: 503');
    is(eval { json($r->{content})->{error}{code} }, 'unavailable',
       '... as JSON');
    is(get("$KID/zz")->{status}, 400,
       'database down: a malformed path is still 400, asked of nobody');
    is(get("$KID/" . ('0' x 24))->{status}, 503,
       'database down: an unknown certificate is 503, not 404');
}

unlike($ngx->error_log_text, qr/\[(crit|alert|emerg)\]/,
       'error.log: nothing critical');

Mana::Test::finish_tests();
