#!/usr/bin/perl

# The issuance log's public endpoints (mana_log) and the signed trust list
# (mana_trust_list), served by the module from a log that mmctl cert issue
# filled.  Everything a client would check is checked here with code that
# is not the module's: the checkpoint is the stored note byte for byte;
# tiles, entry bundles and proofs lead to the roots of RFC 6962 hashing
# done in Perl from the leaves; the trust list is the document mmctl
# stored, and its signature verifies with the root key (openssl).  Paths
# and numbers that name nothing get 400 or 404, never a 500.

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
my $SIGN = "$Mana::Test::BUILD/t/checkpoint_sign";
-x $MMCTL && -x $SIGN
    or plan skip_all => 'build/mmctl or build/t/checkpoint_sign is not built '
                        . '(./build.sh build)';

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $TMP = tempdir('log-endpoints-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $db = start_mariadb();
my $dbh = $db->dbh;
my $ngx = start_nginx($db, server_extra => <<'LOC');
        location /log/ {
            mana_log;
        }

        location = /.well-known/mana/trust.json {
            mana_trust_list;
        }
LOC

my $MK = "$TMP/master.key";
my $ORIGIN = 'verify.example.in/log';
my $OFFICE = 'REV-AKP-COLL';
my $LOG_SEED = unpack('H*', join '', map { chr(int rand 256) } 1 .. 32);

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host',
                          'verify.example.in', @_);
}

sub get {
    my ($path, %h) = @_;
    return $ngx->request('GET', $path, headers => \%h);
}

sub json { JSON::PP->new->decode($_[0]) }

# --- RFC 6962 in Perl: the independent side -------------------------------

sub leaf_hash { sha256("\x00" . $_[0]) }
sub node_hash { sha256("\x01" . $_[0] . $_[1]) }

# the largest power of two below n (n > 1)
sub split_point {
    my ($n) = @_;
    my $k = 1;
    $k <<= 1 while $k << 1 < $n;
    return $k;
}

# MTH over a list of leaf hashes
sub mth {
    my (@h) = @_;
    return sha256('') if !@h;
    return $h[0] if @h == 1;
    my $k = split_point(scalar @h);
    return node_hash(mth(@h[0 .. $k - 1]), mth(@h[$k .. $#h]));
}

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

# RFC 9162 2.1.4.2: 1 when the proof shows new_root extends old_root
sub consistency_holds {
    my ($m, $n, $old, $new, @proof) = @_;
    return @proof == 0 && $old eq $new if $m == $n;
    return 0 if !@proof;
    unshift @proof, $old if ($m & ($m - 1)) == 0;
    my ($fn, $sn) = ($m - 1, $n - 1);
    while ($fn & 1) { $fn >>= 1; $sn >>= 1 }
    my ($fr, $sr) = ($proof[0], $proof[0]);
    for my $c (@proof[1 .. $#proof]) {
        return 0 if $sn == 0;
        if ($fn & 1 || $fn == $sn) {
            $fr = node_hash($c, $fr);
            $sr = node_hash($c, $sr);
            if (!($fn & 1)) {
                while (!($fn & 1) && $fn != 0) { $fn >>= 1; $sn >>= 1 }
            }
        } else {
            $sr = node_hash($sr, $c);
        }
        $fn >>= 1;
        $sn >>= 1;
    }
    return $sn == 0 && $fr eq $old && $sr eq $new;
}

# the leaves as the database holds them, and their hashes
sub leaves {
    return map { $_->[0] } @{ $dbh->selectall_arrayref(
        'SELECT leaf FROM tlog_leaf ORDER BY idx') };
}

# a checkpoint of the first $size leaves, signed as the log key would and
# stored as the log stores it; the note
sub checkpoint {
    my ($size) = @_;
    my @h = map { leaf_hash($_) } (leaves())[0 .. $size - 1];
    my $root = mth(@h);
    open my $fh, '-|', $SIGN, $LOG_SEED, $ORIGIN, $size, unpack('H*', $root)
        or die "$SIGN: $!";
    local $/;
    my $note = <$fh>;
    close $fh;
    $? == 0 or die "checkpoint_sign failed";
    # DBD::MariaDB sends characters: the note's, and the root in hex
    my $text = $note;
    utf8::decode($text) or die 'the note is not UTF-8';
    $dbh->do('INSERT INTO tlog_checkpoint (size, root, note)'
             . ' VALUES (?, UNHEX(?), ?)', undef, $size, unpack('H*', $root),
             $text);
    return $note;
}

# --- the catalogue, the keys ----------------------------------------------

my $r = $db->mmctl_run('service', 'import', "$Mana::Test::TOP/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
for my $k (['--purpose', 'issuer', '--office', $OFFICE],
           ['--purpose', 'root', '--name', 'mana-root'],
           ['--purpose', 'log', '--name', $ORIGIN]) {
    $r = run('key', 'generate', @$k);
    is($r->{rc}, 0, "key generate @$k[0, 1]") or diag($r->{err});
}

# --- an empty log ------------------------------------------------------------

$r = get('/log/checkpoint');
is($r->{status}, 404, 'no checkpoint yet: 404');
like($r->{content}, qr/No checkpoint has been signed yet/,
     '... saying so in words');
is(get('/log/tile/0/000.p/1')->{status}, 404, 'no checkpoint: no tile');
$r = get('/log/proof/inclusion?index=0&size=1');
is($r->{status}, 400, 'no checkpoint: no proof (400)');
is(json($r->{content})->{error}{code}, 'out_of_range', '... out_of_range');
$r = get('/.well-known/mana/trust.json');
is($r->{status}, 404, 'no trust list yet: 404');
like(json($r->{content})->{error}{message}, qr/no trust list has been signed/,
     '... as JSON that says so');

# --- issue: 300 certificates, four at a time ---------------------------------

my $N = 300;
for (my $n = 0; $n < $N; $n += 4) {
    my @jobs = map {
        $db->mmctl_start('--master-key-file', $MK, '--verify-host',
                         'verify.example.in', 'cert', 'issue', '--service',
                         'REV-CCRC', '--office', $OFFICE, '--number',
                         "REV-CCRC-2026-$_", '--holder', "Holder $_",
                         '--field', 'caste=BC-A')
    } grep { $_ < $N } $n .. $n + 3;
    for my $j (@jobs) {
        my $res = $db->mmctl_finish($j);
        $res->{rc} == 0 or BAIL_OUT("mmctl cert issue failed: $res->{err}");
    }
}
is($dbh->selectrow_array('SELECT size FROM tlog_state'), $N,
   "$N certificates issued, the log has $N leaves");

my @leaf = leaves();
my @lh = map { leaf_hash($_) } @leaf;

my %note;
$note{$_} = checkpoint($_) for 5, 70, 256, $N;

# three more after the last checkpoint: stored, but not signed yet
for my $n (1 .. 3) {
    $r = run('cert', 'issue', '--service', 'REV-CCRC', '--office', $OFFICE,
             '--number', "REV-CCRC-2026-late$n", '--holder', "Late $n");
    is($r->{rc}, 0, "late issue $n") or diag($r->{err});
}

# --- the checkpoint ----------------------------------------------------------

$r = get('/log/checkpoint');
is($r->{status}, 200, 'checkpoint: 200');
is($r->{content}, $note{$N}, 'checkpoint: the latest stored note, byte for byte');
like($r->{headers}{'content-type'}, qr{^text/plain}, 'checkpoint: text/plain');
my ($origin, $size, $root_b64) = split /\n/, $r->{content};
is($origin, $ORIGIN, 'checkpoint: the origin line');
is($size, $N, 'checkpoint: the size of the latest one');
is(decode_base64($root_b64), mth(@lh), 'checkpoint: the root of the leaves');
is(get('/log/checkpoint', 'X' => 'y')->{content}, $note{$N},
   'checkpoint: the same bytes again');
is($ngx->request('HEAD', '/log/checkpoint')->{status}, 200, 'HEAD: 200');
is($ngx->request('POST', '/log/checkpoint')->{status}, 405, 'POST: 405');

# --- tiles ---------------------------------------------------------------------

sub tile {
    my ($path, $name) = @_;
    my $r = get("/log/$path");
    is($r->{status}, 200, "$path: 200") or diag($r->{content});
    return $r;
}

$r = tile('tile/0/000', 'level 0 tile 0');
is(length $r->{content}, 256 * 32, 'tile/0/000: 256 hashes');
is($r->{headers}{'cache-control'}, 'public, max-age=31536000, immutable',
   'a full tile is immutable');
is($r->{headers}{'content-type'}, 'application/octet-stream',
   'tiles are application/octet-stream');
my @t0 = unpack('(a32)*', $r->{content});

$r = tile('tile/0/001.p/44');
is(length $r->{content}, 44 * 32, 'tile/0/001.p/44: 44 hashes');
unlike($r->{headers}{'cache-control'}, qr/immutable/,
       'a partial tile is not immutable');
like($r->{headers}{'cache-control'}, qr/max-age=60\b/, '... and short-lived');
my @t1 = unpack('(a32)*', $r->{content});

is_deeply([ map { unpack 'H*', $_ } @t0, @t1 ], [ map { unpack 'H*', $_ } @lh ],
          'the level-0 tiles are the leaf hashes of the leaves');
is(mth(@t0, @t1), decode_base64($root_b64),
   'the level-0 tiles recompute the checkpoint root');

$r = tile('tile/1/000.p/1');
is(length $r->{content}, 32, 'tile/1/000.p/1: one hash');
is($r->{content}, mth(@t0), 'tile/1/000.p/1 is the root of the first 256');

# the narrower spelling of a tile is its prefix
$r = tile('tile/0/001.p/7');
is($r->{content}, join('', @t1[0 .. 6]), 'tile/0/001.p/7: the first 7 of .p/44');

# entry bundles
$r = tile('tile/entries/000');
my @e;
my $b = $r->{content};
while (length $b) {
    my $n = unpack('n', $b);
    push @e, substr($b, 2, $n);
    substr($b, 0, 2 + $n) = '';
}
is(scalar @e, 256, 'tile/entries/000: 256 entries');
is_deeply([ map { unpack 'H*', $_ } @e ], [ map { unpack 'H*', $_ } @leaf[0 .. 255] ],
          '... the leaves, each with its length');
is_deeply([ map { leaf_hash($_) } @e ], \@t0,
          '... whose leaf hashes are tile/0/000');
$r = tile('tile/entries/001.p/44');
my ($n0) = unpack('n', $r->{content});
is(length $r->{content}, 44 * (2 + $n0), 'tile/entries/001.p/44: 44 entries');
is(substr($r->{content}, 2, $n0), $leaf[256], '... from leaf 256 on');
like($r->{headers}{'cache-control'}, qr/max-age=60\b/, '... short-lived');

# beyond the latest checkpoint (though the rows are there), or the tree
for my $p ('tile/0/001', 'tile/0/001.p/45', 'tile/0/001.p/47', 'tile/0/002.p/1',
           'tile/1/000', 'tile/1/000.p/2', 'tile/2/000.p/1',
           'tile/entries/001.p/45', 'tile/entries/001', 'tile/6/000.p/1') {
    $r = get("/log/$p");
    is($r->{status}, 404, "$p: beyond the latest checkpoint, 404");
}

# paths that are not tiles
for my $p ('tile/0/0', 'tile/0/00', 'tile/0/0000', 'tile/0/x000/001',
           'tile/0/x1/000', 'tile/00/000', 'tile/07/000', 'tile/7/000',
           'tile/64/000', 'tile/0/000.p/0', 'tile/0/000.p/256',
           'tile/0/000.p/007', 'tile/0/000.p/', 'tile/0/000.p', 'tile/0/000/',
           'tile/0/-01', 'tile/entries/', 'tile/entries/x001',
           'tile/0/x999/x999/x999/x999/x999/999',
           'tile/0/x009/x007/x199/x254/x740/991', 'tile/', 'tile', 'tiles/0/000',
           'tile/0/000.p/1x', 'checkpoint/', 'checkpointx', '', 'proof',
           'proof/', 'proof/other', 'tile/0/%30%30%30x') {
    $r = get("/log/$p");
    is($r->{status}, 404, "/log/$p: 404") or diag($r->{content});
}

# --- proofs ------------------------------------------------------------------

for my $c ([0, 1], [3, 5], [4, 5], [0, 70], [37, 70], [69, 70], [0, 256],
           [255, 256], [17, 300], [255, 300], [256, 300], [299, 300]) {
    my ($i, $n) = @$c;
    $r = get("/log/proof/inclusion?index=$i&size=$n");
    is($r->{status}, 200, "inclusion $i in $n: 200") or diag($r->{content}), next;
    is($r->{headers}{'content-type'}, 'application/json', '... JSON');
    my $j = json($r->{content});
    is_deeply([ $j->{index}, $j->{size} ], [ $i, $n ], '... with its numbers');
    my $want = mth(@lh[0 .. $n - 1]);
    is(decode_base64($j->{root_hash}), $want, '... the root of the first size leaves');
    is(decode_base64($j->{leaf_hash}), $lh[$i], '... the leaf hash');
    my $got = root_from_inclusion($i, $n, $lh[$i], map { decode_base64($_) } @{ $j->{proof} });
    ok(defined $got && $got eq $want, "inclusion $i in $n: the proof leads to the root");
    if (@{ $j->{proof} }) {
        my @bad = map { decode_base64($_) } @{ $j->{proof} };
        $bad[-1] ^= "\x01";
        my $g = root_from_inclusion($i, $n, $lh[$i], @bad);
        ok(!defined $g || $g ne $want, '... and one bit changed does not');
    }
}

for my $c ([1, 5], [5, 70], [70, 300], [5, 300], [256, 300], [64, 256], [3, 7],
           [1, 1], [300, 300], [299, 300], [1, 300]) {
    my ($m, $n) = @$c;
    $r = get("/log/proof/consistency?old=$m&new=$n");
    is($r->{status}, 200, "consistency $m to $n: 200") or diag($r->{content}), next;
    my $j = json($r->{content});
    is_deeply([ $j->{old}, $j->{new} ], [ $m, $n ], '... with its sizes');
    my ($old, $new) = (mth(@lh[0 .. $m - 1]), mth(@lh[0 .. $n - 1]));
    is(decode_base64($j->{old_root_hash}), $old, '... the old root');
    is(decode_base64($j->{new_root_hash}), $new, '... the new root');
    my @p = map { decode_base64($_) } @{ $j->{proof} };
    ok(consistency_holds($m, $n, $old, $new, @p),
       "consistency $m to $n: the proof holds (RFC 9162 2.1.4.2)");
    if (@p) {
        $p[0] ^= "\x80";
        ok(!consistency_holds($m, $n, $old, $new, @p),
           '... and one bit changed does not');
    }
}

# a proof against a signed checkpoint: 70 extends 5, as the notes say
{
    my ($r5) = $note{5} =~ /^.*\n.*\n(.*)\n/;
    my ($r70) = $note{70} =~ /^.*\n.*\n(.*)\n/;
    my $j = json(get('/log/proof/consistency?old=5&new=70')->{content});
    ok(consistency_holds(5, 70, decode_base64($r5), decode_base64($r70),
                         map { decode_base64($_) } @{ $j->{proof} }),
       'the signed checkpoint of 70 extends the one of 5');
}

my $BIG = 1 << 53;
for my $q (['inclusion?index=0&size=' . ($N + 1), 'out_of_range', 'size past the checkpoint'],
           ['inclusion?index=' . ($N + 1) . '&size=' . ($N + 2), 'out_of_range', 'both past it'],
           ['inclusion?index=5&size=5', 'out_of_range', 'index = size'],
           ['inclusion?index=6&size=5', 'out_of_range', 'index > size'],
           ['inclusion?index=0&size=0', 'out_of_range', 'size 0'],
           ['inclusion?index=0', 'bad_request', 'no size'],
           ['inclusion?size=5', 'bad_request', 'no index'],
           ['inclusion', 'bad_request', 'no arguments'],
           ['inclusion?index=&size=5', 'bad_request', 'empty index'],
           ['inclusion?index=a&size=5', 'bad_request', 'letters'],
           ['inclusion?index=-1&size=5', 'bad_request', 'negative'],
           ['inclusion?index=1.0&size=5', 'bad_request', 'a fraction'],
           ['inclusion?index=01&size=5', 'bad_request', 'a leading zero'],
           ['inclusion?index=%31&size=5', 'bad_request', 'percent-encoded'],
           ['inclusion?index=0&size=' . ($BIG + 1), 'bad_request', '2^53 + 1'],
           ['inclusion?index=0&size=99999999999999999999', 'bad_request', '20 digits'],
           ['inclusion?index=0&size=18446744073709551617', 'bad_request', '2^64 + 1'],
           ['inclusion?index=0&size=' . $BIG, 'out_of_range', '2^53: past the checkpoint'],
           ['consistency?old=0&new=5', 'out_of_range', 'old 0'],
           ['consistency?old=6&new=5', 'out_of_range', 'old > new'],
           ['consistency?old=5&new=' . ($N + 1), 'out_of_range', 'new past the checkpoint'],
           ['consistency?old=5', 'bad_request', 'no new'],
           ['consistency?new=5', 'bad_request', 'no old'],
           ['consistency?old=5&new=x', 'bad_request', 'new not a number']) {
    my ($q, $code, $name) = @$q;
    $r = get("/log/proof/$q");
    is($r->{status}, 400, "proof/$q ($name): 400");
    my $j = eval { json($r->{content}) };
    is($j && $j->{error}{code}, $code, "... a JSON error: $code")
        or diag($r->{content});
}

# --- the trust list ----------------------------------------------------------

$r = run('key', 'trust-list', '-o', "$TMP/trust1.json");
is($r->{rc}, 0, 'mmctl key trust-list -o FILE') or diag($r->{err});
my $file1 = Mana::Test::slurp("$TMP/trust1.json");
my ($stored1) = $dbh->selectrow_array(
    'SELECT document FROM trust_list ORDER BY id DESC LIMIT 1');
is($stored1, $file1, 'trust-list stores what it writes to the file');

$r = get('/.well-known/mana/trust.json');
is($r->{status}, 200, 'trust.json: 200');
is($r->{content}, $stored1, 'trust.json: the stored document, byte for byte');
is($r->{headers}{'content-type'}, 'application/json', 'trust.json: application/json');

sub openssl_verifies {
    my ($pub, $data, $sig) = @_;
    # an Ed25519 SubjectPublicKeyInfo: a fixed prefix and the 32 bytes
    my $der = pack('H*', '302a300506032b6570032100') . $pub;
    Mana::Test::spew("$TMP/pub.pem", "-----BEGIN PUBLIC KEY-----\n"
        . encode_base64($der) . "-----END PUBLIC KEY-----\n");
    Mana::Test::spew("$TMP/data", $data);
    Mana::Test::spew("$TMP/sig", $sig);
    my $out = `openssl pkeyutl -verify -pubin -inkey $TMP/pub.pem -rawin -in $TMP/data -sigfile $TMP/sig 2>&1`;
    return $? == 0 && $out =~ /Signature Verified Successfully/;
}

sub b64url { my $s = $_[0]; $s =~ tr{-_}{+/}; decode_base64($s) }

{
    my ($kid, $pub) = $dbh->selectrow_array(
        "SELECT LOWER(HEX(kid)), public_key FROM signing_key WHERE purpose = 'root'");
    my $doc = json($r->{content});
    my $payload = $doc->{payload};
    utf8::encode($payload);
    my ($s) = grep { $_->{kid} eq $kid } @{ $doc->{signatures} };
    ok($s, 'trust.json is signed by the root key') or diag($r->{content});
    ok($s && openssl_verifies($pub, $payload, b64url($s->{sig})),
       'openssl verifies the served trust list with the root key');
    (my $bad = $payload) =~ s/"status":"active"/"status":"revoked"/;
    ok($s && $bad ne $payload && !openssl_verifies($pub, $bad, b64url($s->{sig})),
       '... and not once a status is changed');
    my $list = JSON::PP->new->utf8->decode($payload);
    is($list->{log}{origin}, $ORIGIN, 'the list names the log\'s origin')
        or diag($payload);
}

# a new list: the newest row is served
$r = run('key', 'rotate', $dbh->selectrow_array(
    "SELECT LOWER(HEX(kid)) FROM signing_key WHERE purpose = 'issuer'"));
is($r->{rc}, 0, 'the issuer key rotates') or diag($r->{err});
$r = run('key', 'trust-list');
is($r->{rc}, 0, 'mmctl key trust-list to stdout') or diag($r->{err});
isnt($r->{out}, $file1, '... a new list');
is($dbh->selectrow_array('SELECT COUNT(*) FROM trust_list'), 2, '... stored as a second row');
is(get('/.well-known/mana/trust.json')->{content}, $r->{out},
   'trust.json: the newest list, as printed');
is($ngx->request('POST', '/.well-known/mana/trust.json')->{status}, 405,
   'trust.json: POST 405');

# --- the database away -----------------------------------------------------------

SKIP: {
    skip 'a shared MariaDB is not stopped here', 8 if $db->{external};

    $db->stop;
    $r = get('/log/checkpoint');
    is($r->{status}, 503, 'database down: checkpoint 503');
    like($r->{content}, qr/unavailable/, '... saying so');
    $r = get('/.well-known/mana/trust.json');
    is($r->{status}, 503, 'database down: trust.json 503');
    is(eval { json($r->{content})->{error}{code} }, 'unavailable', '... as JSON');
    $r = get('/log/proof/inclusion?index=0&size=1');
    is($r->{status}, 503, 'database down: a proof 503');
    is(get('/log/tile/0/000')->{status}, 503, 'database down: a tile 503');
    is(get('/log/tile/0/0')->{status}, 404,
       'database down: a bad path is still 404, asked of nobody');
}

# --- nothing broke -------------------------------------------------------------

unlike($ngx->error_log_text, qr/\[(crit|alert|emerg)\]/, 'error.log: nothing critical');
unlike(Mana::Test::slurp("$ngx->{dir}/access.log"), qr/" 50[0-24-9] /,
       'access.log: no 5xx answer but the 503s of the database\'s absence');

Mana::Test::finish_tests();
