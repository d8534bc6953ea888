#!/usr/bin/env perl
# /C/<BASE32>, the page a certificate's QR code opens: genuine, revoked,
# expired, altered, signed by an unknown, revoked, retired or out-of-window
# key, or not in the issuance log; broken paths get a clear page, never a
# 500; the path (which carries the holder's name) never reaches a log.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Encode qw(encode_utf8 decode_utf8);
use Mana::Test;

my $tool = "$Mana::Test::TOP/build/t/mm1_issue";
plan skip_all => "$tool is not built: run ./build.sh build" unless -x $tool;

my $db = start_mariadb();
my $dbh = $db->dbh;
my $ngx = start_nginx($db, http_extra => 'mana_catalogue_check 200ms;',
    server_extra => 'location ^~ /C/ { mana_verify; }');

my $now = time;
my %seed = map { $_ => unpack('H*', join '', map { chr(int rand 256) } 1 .. 32) }
           qw(active retired revoked window unknown);

# a certificate signed by the named key, as mm1_issue prints it
sub issue {
    my (%o) = @_;
    my @args = ($seed{$o{key} // 'active'}, $o{iss} // 'AP-REV-TPT', $o{iat} // $now - 60,
                $o{exp} // 0, $o{doctype} // 1, $o{number} // 'REV-INC-2026-000123',
                $o{holder} // 'కె. లక్ష్మి', $o{relation} // 'W/o కె. రమేష్', $o{index} // 0,
                @{ $o{facts} // [ 'income=₹ 96,000', 'purpose=Scholarship' ] });
    open my $fh, '-|', $tool, map { encode_utf8($_) } @args or die "$tool: $!";
    my $line = <$fh>;
    close $fh;
    $? == 0 or die "mm1_issue failed";
    my %c = $line =~ /(\w+)=(\S+)/g;
    return \%c;
}

# an issuer key row: its public half, and a sealed private half that this
# test never needs; one active key per office, as the schema wants
sub add_key {
    my ($name, %o) = @_;
    my $c = issue(key => $name);
    $dbh->do(q{INSERT INTO signing_key (kid, purpose, name, public_key, private_sealed,
               status, valid_from, valid_until, revoked_at)
               VALUES (UNHEX(?), 'issuer', ?, UNHEX(?), X'00', ?,
                       FROM_UNIXTIME(?), FROM_UNIXTIME(?), FROM_UNIXTIME(?))},
             undef, $c->{kid}, $o{office} // 'AP-REV-TPT', $c->{pub}, $o{status} // 'active',
             $o{from} // $now - 86400, $o{until} // $now + 86400 * 365, $o{revoked_at});
    $dbh->do('UPDATE key_version SET version = version + 1');
}

# stored as issued: the certificate row and its leaf in the log
my $index = 0;
sub store {
    my ($c, %o) = @_;
    $dbh->do(q{INSERT INTO certificate (cti, kid, number, service_code, doc_type, cose,
               issued_at, status, log_index) VALUES (UNHEX(?), UNHEX(?), 'REV-INC-2026-000123',
               'REV-INC', 1, UNHEX(?), NOW(), ?, ?)},
             undef, $c->{cti}, $c->{kid}, $c->{cose}, $o{status} // 'valid', $index);
    $dbh->do('INSERT INTO tlog_leaf (idx, leaf) VALUES (?, UNHEX(?))', undef, $index,
             $o{leaf} // $c->{leaf});
    return $index++;
}

sub check {
    my ($b32, %h) = @_;
    my $res = $ngx->request('GET', "/C/$b32", headers => \%h);
    return $res;
}
sub verdict {
    my ($b32) = @_;
    my $res = check($b32, Accept => 'application/json');
    my $j = eval { json_decode($res->{content}) } // {};
    return ($j->{verdict} // "HTTP $res->{status}", $j, $res);
}

add_key('active');
add_key('retired', status => 'retired');
add_key('revoked', status => 'revoked', revoked_at => $now - 3600);
add_key('window', office => 'AP-REV-GNT', from => $now - 86400 * 10, until => $now - 86400 * 5);
ok(wait_until(sub { $ngx->error_log_text =~ /mana keys: version \d+ loaded: 4 issuer keys/ }, 10,
              'the keys'), 'the worker loaded the four issuer keys');

# --- genuine -------------------------------------------------------------------

my $good = issue(index => 0, exp => $now + 86400 * 180);
my $good_index = store($good);
my ($v, $j, $res) = verdict($good->{b32});
is($v, 'genuine', 'a stored, logged certificate is genuine');
is($res->{status}, 200, 'answered 200');
ok($j->{genuine}, 'genuine: true');
is($j->{certificate}{holder}, 'కె. లక్ష్మి', 'the holder as printed, in Telugu');
is($j->{certificate}{relation}, 'W/o కె. రమేష్', 'the relation');
is($j->{certificate}{number}, 'REV-INC-2026-000123', 'the certificate number');
is($j->{certificate}{issuer}, 'AP-REV-TPT', 'the issuing office');
is_deeply($j->{certificate}{facts}, { income => '₹ 96,000', purpose => 'Scholarship' }, 'the facts');
ok($j->{certificate}{expires_at}, 'the expiry date');
is_deeply($j->{log}, { included => JSON::PP::true(), index => $good_index }, 'in the log, at its index');

$res = check($good->{b32});
is($res->{status}, 200, 'the page: 200');
like($res->{headers}{'content-type'}, qr{^text/html; charset=utf-8}, 'as HTML');
my $page = decode_utf8($res->{content});
like($page, qr/data-verdict="genuine"/, 'the page says genuine');
like($page, qr/Genuine certificate/, 'in English');
like($page, qr/నిజమైన ధ్రువపత్రం/, 'and in Telugu');
like($page, qr/కె\. లక్ష్మి/, 'with the name to compare with the paper');
is($res->{headers}{'referrer-policy'}, 'no-referrer', 'no Referer leaves the page');
is($res->{headers}{'cache-control'}, 'no-store', 'nothing cached');

# lower case (a scanner may lower-case the URL): the same certificate
is((verdict(lc $good->{b32}))[0], 'genuine', 'the lower-cased path verifies too');

# a name with markup is shown as text
my $html = issue(holder => '<script>alert(1)</script>', index => $index);
store($html);
$page = check($html->{b32})->{content};
unlike($page, qr/<script>alert/, 'markup in a name is escaped');
like($page, qr/&lt;script&gt;alert/, 'and shown as text');

# --- the key's status -------------------------------------------------------------

my $ret = issue(key => 'retired', index => $index);
store($ret);
is((verdict($ret->{b32}))[0], 'genuine', 'a retired key still verifies what it signed');

my $rev_after = issue(key => 'revoked', iat => $now - 7200, index => $index);
store($rev_after);
is((verdict($rev_after->{b32}))[0], 'genuine', 'a key revoked after issuance: what it signed before stands');
my $rev_before = issue(key => 'revoked', iat => $now - 60, index => $index);
store($rev_before);
is((verdict($rev_before->{b32}))[0], 'key_revoked', 'issued after the key was revoked: not genuine');

my $win = issue(key => 'window', iat => $now - 60, index => $index);
store($win);
is((verdict($win->{b32}))[0], 'key_not_valid', 'issued outside the key validity: not genuine');

is((verdict(issue(key => 'unknown')->{b32}))[0], 'unknown_key', 'a key no office holds: not genuine');

# --- the certificate's own status ----------------------------------------------------

my $expired = issue(exp => $now - 86400, index => $index);
store($expired);
($v, $j) = verdict($expired->{b32});
is($v, 'expired', 'past its expiry: expired');
ok(!$j->{genuine}, 'and not counted genuine');

my $revoked = issue(index => $index);
store($revoked, status => 'revoked');
is((verdict($revoked->{b32}))[0], 'revoked', 'a revoked certificate says so');

# signed with a real key but never issued: what a stolen key would make
my $forged = issue(index => 999);
($v, $j) = verdict($forged->{b32});
is($v, 'not_in_log', 'validly signed but never issued: not genuine');
ok(!$j->{genuine}, 'genuine: false');

# stored, but the log's leaf is another's
my $other = issue(index => $index);
store($other, leaf => $good->{leaf});
is((verdict($other->{b32}))[0], 'not_in_log', 'a leaf that is not its own: not in the log');

# --- altered bytes: never genuine, never a 500 -----------------------------------------

# RFC 4648 Base32 without padding, written out here
sub base32 {
    my $bits = unpack('B*', $_[0]);
    $bits .= '0' x ((5 - length($bits) % 5) % 5);
    return join '', map { ('A' .. 'Z', '2' .. '7')[oct "0b$_"] } $bits =~ /(.{5})/g;
}
is(base32(pack('H*', $good->{cose})), $good->{b32}, 'the test encodes Base32 as the issuer does');

my $cose = pack('H*', $good->{cose});
my %seen;
for (my $bit = 0; $bit < 8 * length $cose; $bit += 3) {
    my $bad = $cose;
    vec($bad, $bit, 1) ^= 1;
    my $b32 = base32($bad);
    my ($vv, undef, $r) = verdict($b32);
    $seen{$vv}++;
    last if $vv eq 'genuine' || $r->{status} >= 500;
}
ok(!$seen{genuine}, 'no single-bit change of the certificate verifies')
    or diag explain \%seen;
ok(!grep({ /^HTTP 5/ } keys %seen), 'none of them is answered with a server error')
    or diag explain \%seen;
ok($seen{tampered} && $seen{malformed}, 'they are refused as altered, or as unreadable')
    or diag explain \%seen;

# --- broken paths ----------------------------------------------------------------------

for my $case (['truncated', substr($good->{b32}, 0, 40)],
              ['one character short', substr($good->{b32}, 0, -1)],
              ['oversized', 'A' x 5000],
              ['not Base32', '0189!@#'],
              ['padded', "$good->{b32}===="],
              ['empty', '']) {
    my ($name, $b32) = @$case;
    my $r = check($b32);
    is($r->{status}, 400, "$name: 400");
    like(decode_utf8($r->{content}), qr/not a readable Mana certificate code.*చదవగలిగే/s,
         "$name: a clear page in both languages");
}
is(check($good->{b32}, Accept => 'application/json')->{headers}{'content-type'},
   'application/json', 'JSON when asked for');
is($ngx->request('POST', "/C/$good->{b32}")->{status}, 405, 'POST: not allowed');

# --- nothing of it in the logs -----------------------------------------------------------

my $access = Mana::Test::slurp("$ngx->{dir}/access.log");
ok($access =~ m{GET /C/- HTTP/1\.1}, 'the access log shows the request as /C/-');
unlike($access, qr/\Q$good->{b32}\E/i, 'and never the certificate');
unlike($ngx->error_log_text, qr/\Q$good->{b32}\E/i, 'nor does the error log');

# --- keys reload without a restart ---------------------------------------------------------

$seed{late} = unpack('H*', join '', map { chr(int rand 256) } 1 .. 32);
my $late = issue(key => 'late', index => $index);
store($late);
is((verdict($late->{b32}))[0], 'unknown_key', 'a key not yet in the database: unknown');
add_key('late', office => 'AP-REV-KRN');
ok(wait_until(sub { (verdict($late->{b32}))[0] eq 'genuine' }, 10, 'the new key'),
   'once added (key_version moved), the workers know it without a reload');

finish_tests();
