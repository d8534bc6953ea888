#!/usr/bin/env perl
# The verification page a certificate's QR code opens, in Debian's headless
# Chromium driven by playwright-core (t/browser/verify.js): what a person
# sees for a genuine certificate, for one altered in its claims or its
# signature, a revoked one and one signed by a key no office holds; in
# Telugu and English, on a phone's screen, with no script error and
# nothing fetched but the page.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Encode qw(encode_utf8);
use POSIX qw(strftime);
use Test::More;
use Time::Local qw(timegm);
use Mana::Test;

my $top = $Mana::Test::TOP;
my $dir = "$top/t/browser";
my $chromium = $ENV{MANA_CHROMIUM} || '/usr/bin/chromium';
my $mmctl = "$top/build/mmctl";
my $tool = "$top/build/t/mm1_issue";

plan skip_all => "$mmctl or $tool is not built: run ./build.sh build"
    unless -x $mmctl && -x $tool;

# what the browser side needs; build.sh deps installs all of it
my ($node) = grep { -x } map { "$_/node" } split /:/, $ENV{PATH};
plan skip_all => 'node is not installed (apt-get install nodejs)' unless $node;
my ($major) = `$node --version` =~ /^v(\d+)/;
plan skip_all => "node 18 or later is needed, this is $major" unless ($major // 0) >= 18;
plan skip_all => "no Chromium at $chromium (apt-get install chromium)" unless -x $chromium;

if (!-d "$dir/node_modules/playwright-core"
    || -M "$dir/package-lock.json" < -M "$dir/node_modules/.package-lock.json") {
    my $out = `cd $dir && npm ci --no-audit --no-fund 2>&1`;
    plan skip_all => "npm ci failed in t/browser (offline?): "
                     . join(' ', grep { /ERR/ } split /\n/, $out)
        if $?;
}

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;
my $tmp = Mana::Test::tmpdir();
my $MK = "$tmp/master.key";
my $HOST = 'verify.example.in';
my $QR_HOST = uc $HOST;
my $OFFICE = 'REV-AKP-COLL';
my $SERVICE = 'REV-INC';

# the catalogue's names, from the seed file itself
my $catalogue = json_decode(Mana::Test::slurp("$top/sql/seed/catalogue.json"));
my ($office) = grep { $_->{code} eq $OFFICE } @{ $catalogue->{offices} };
my ($service) = grep { $_->{code} eq $SERVICE } @{ $catalogue->{services} };

sub mmctl {
    my $r = $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                           map { encode_utf8($_) } @_);
    $r->{rc} == 0 or BAIL_OUT("mmctl @_[0, 1]: $r->{err}");
    return $r;
}

mmctl('service', 'import', "$top/sql/seed/catalogue.json");
mmctl('key', 'init-master', $MK);
mmctl('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);

# as an officer at the counter issues them
my %holder = (name => 'కె. లక్ష్మి', relation => 'W/o కె. రమేష్');
my %facts = (income => '₹ 96,000', purpose => 'Scholarship');
my $expires = strftime('%Y-%m-%d', gmtime(time + 86400 * 365));
sub issue {
    my ($number) = @_;
    my $r = mmctl('--json', 'cert', 'issue', '--service', $SERVICE,
                  '--office', $OFFICE, '--number', $number,
                  '--holder', $holder{name}, '--relation', $holder{relation},
                  (map { ('--field', "$_=$facts{$_}") } sort keys %facts),
                  '--expires', $expires);
    my $c = json_decode($r->{out});
    ($c->{b32}) = $c->{qr} =~ m{^HTTPS://\Q$QR_HOST\E/C/([A-Z2-7]+)\z}
        or BAIL_OUT("not a QR text: $c->{qr}");
    $c->{number} = $number;
    return $c;
}

my $good = issue('REV-INC-2026-000777');
my $revoked = issue('REV-INC-2026-000778');
$dbh->do(q{UPDATE certificate SET status = 'revoked', revoked_at = NOW(),
           revoke_reason = 1 WHERE cti = UNHEX(?)}, undef, $revoked->{id});

# the paper prints dates as dd-mm-yyyy in IST (docs/certificate-pdf.md)
sub ist_date { strftime('%d-%m-%Y', gmtime($_[0] + 5 * 3600 + 1800)) }
sub issued_on {
    my ($id) = @_;
    my ($t) = $dbh->selectrow_array(
        'SELECT issued_at FROM certificate WHERE cti = UNHEX(?)', undef, $id);
    my @t = $t =~ /^(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)$/ or die "issued_at $t";
    return ist_date(timegm(@t[5, 4, 3, 2], $t[1] - 1, $t[0]));
}

# RFC 4648 Base32 without padding, both ways, written out here
my @b32 = ('A' .. 'Z', '2' .. '7');
my %b32 = map { $b32[$_] => $_ } 0 .. 31;
sub base32 {
    my $bits = unpack('B*', $_[0]);
    $bits .= '0' x ((5 - length($bits) % 5) % 5);
    return join '', map { $b32[oct "0b$_"] } $bits =~ /(.{5})/g;
}
sub unbase32 {
    my $bits = join '', map { sprintf '%05b', $b32{$_} } split //, $_[0];
    return pack('B*', substr($bits, 0, length($bits) - length($bits) % 8));
}

# altered in the signed claims: one bit of the certificate number's last
# digit, so still Base32, still CBOR, still a printable number
my $cose = unbase32($good->{b32});
my $at = index($cose, $good->{number});
ok($at > 0, 'the certificate number is in the signed bytes');
my $claims = $cose;
vec($claims, 8 * ($at + length($good->{number}) - 1), 1) ^= 1;
my $bad_claims = base32($claims);
my $bad_number = substr($claims, $at, length $good->{number});
like($bad_number, qr/^REV-INC-2026-00077\d$/, "altered to read $bad_number");

# altered in the signature: the last character, in a bit that carries data
# (the last character's low bits may be padding, which must stay zero)
my $last = substr($good->{b32}, -1);
my $bad_sig = substr($good->{b32}, 0, -1) . $b32[$b32{$last} ^ 0x10];

for ([$bad_claims, 'claims'], [$bad_sig, 'signature']) {
    my ($b, $what) = @$_;
    is(scalar(grep { substr($b, $_, 1) ne substr($good->{b32}, $_, 1) }
              0 .. length($b) - 1), 1,
       "altered $what: one character of the QR text differs");
    ok(unbase32($b) ne $cose && base32(unbase32($b)) eq $b,
       "altered $what: still Base32 for other bytes");
}

# signed by a key no office holds
# mm1_issue SEED ISS IAT EXP DOCTYPE NUMBER HOLDER RELATION INDEX FACT..
sub mm1_issue {
    open my $fh, '-|', $tool, @_ or die "$tool: $!";
    my $line = <$fh> // '';
    close $fh;
    $? == 0 or BAIL_OUT("mm1_issue failed");
    return map { /(\w+)=(\S+)/g } $line;
}
sub random_seed { unpack 'H*', join '', map { chr int rand 256 } 1 .. 32 }

my %unknown = mm1_issue(random_seed(), $OFFICE, time - 60, 0, 1,
                        'REV-INC-2026-000779', 'Lakshmi', '-', 0,
                        'purpose=Scholarship');
ok($unknown{b32}, 'a certificate signed by an unknown key');

# issued just after midnight in India, before midnight in UTC: the page's
# date must be the paper's
my $night = (int(time / 86400) - 1) * 86400 + 20 * 3600 + 60;    # 01:31 IST
my ($size) = $dbh->selectrow_array('SELECT size FROM tlog_state');
my %late = mm1_issue(random_seed(), 'REV-AKP-NARSIPATNAM', $night, 0, 1,
                     'REV-INC-2026-000780', 'Lakshmi', '-', $size,
                     'purpose=Scholarship');
$dbh->do(q{INSERT INTO signing_key (kid, purpose, name, public_key,
           private_sealed, status, valid_from, valid_until)
           VALUES (UNHEX(?), 'issuer', 'REV-AKP-NARSIPATNAM', UNHEX(?), X'00',
                   'active', FROM_UNIXTIME(?), FROM_UNIXTIME(?))},
         undef, $late{kid}, $late{pub}, $night - 86400, time + 86400);
$dbh->do('UPDATE key_version SET version = version + 1');
$dbh->do(q{INSERT INTO certificate (cti, kid, number, service_code, doc_type,
           cose, issued_at, status, log_index) VALUES (UNHEX(?), UNHEX(?),
           'REV-INC-2026-000780', ?, 1, UNHEX(?), FROM_UNIXTIME(?), 'valid', ?)},
         undef, $late{cti}, $late{kid}, $SERVICE, $late{cose}, $night, $size);
$dbh->do('INSERT INTO tlog_leaf (idx, leaf) VALUES (?, UNHEX(?))', undef,
         $size, $late{leaf});

my $ngx = start_nginx($db, http_extra => 'mana_catalogue_check 200ms;',
    server_extra => 'location ^~ /C/ { mana_verify; }');
ok(wait_until(sub {
    my $res = $ngx->request('GET', "/C/$late{b32}",
                            headers => { Accept => 'application/json' });
    my $j = eval { json_decode($res->{content}) } // {};
    return ($j->{verdict} // '') eq 'genuine';
}, 10, 'the keys'), 'the workers loaded the issuer keys');

# --- in Chromium -------------------------------------------------------------

my %phone = (width => 360, height => 740);
my @cases = (
    [ genuine  => $good->{b32}, width => 1280, height => 900 ],
    [ phone    => $good->{b32}, %phone ],
    [ claims   => $bad_claims, %phone ],
    [ signature => $bad_sig, %phone ],
    [ revoked  => $revoked->{b32}, %phone ],
    [ unknown  => $unknown{b32}, %phone ],
    [ late     => $late{b32}, %phone ],
);
my %url;
my @spec = map {
    my ($name, $b32, %o) = @$_;
    $url{$name} = $ngx->url("/C/$b32");
    { name => $name, url => $url{$name}, shot => "$tmp/$name.png", %o }
} @cases;
Mana::Test::spew("$tmp/cases.json", json_encode(\@spec));

my $out = `timeout 180 $node $dir/verify.js $tmp/cases.json $tmp/profile 2>&1`;
my ($line) = grep { /^\{/ } split /\n/, $out;
my $res = eval { json_decode($line) } // { ok => 0, error => $out };
ok($res->{ok}, 'Chromium opened the pages') or diag($res->{error});
my %page = %{ $res->{pages} // {} };

# the table as a person reads it: English label => value
sub rows {
    my ($p) = @_;
    return { map { my ($th, $td) = @$_; (split /\n/, $th // '')[0] => $td }
             @{ $p->{rows} // [] } };
}

# every page: in the browser as in a phone's, nothing but the page itself
for my $c (@cases) {
    my $name = $c->[0];
    my $p = $page{$name} // {};
    ok(!$p->{error}, "$name: opened") or diag($p->{error});
    ok($p->{verdict_visible}, "$name: the verdict is on screen");
    is_deeply($p->{errors}, [], "$name: no script or console error");
    is_deeply($p->{requests}, [ $url{$name} ],
              "$name: nothing fetched but the page (no external resource)");
    ok(($p->{scroll_width} // 1e9) <= ($p->{client_width} // 0),
       "$name: no horizontal scroll ($p->{scroll_width} <= $p->{client_width})");
    ok(scalar(grep { $_->{family} =~ /Telugu/ && $_->{glyphs} > 0 }
              @{ $p->{te_fonts} // [] }),
       "$name: the Telugu line is drawn with a Telugu font")
        or diag(explain $p->{te_fonts});
    my $shot = "$tmp/$name.png";
    ok(($p->{shot_bytes} // 0) > 0 && -s $shot == $p->{shot_bytes},
       "$name: a screenshot, $shot");
    open my $fh, '<:raw', $shot;
    read $fh, my $magic, 8 if $fh;
    is($magic // '', "\x89PNG\r\n\x1a\n", "$name:   in PNG");
}
for my $name (grep { $_ ne 'genuine' } map { $_->[0] } @cases) {
    ok(($page{$name}{scroll_width} // 1e9) <= 360,
       "$name: fits a 360 px wide phone screen");
}

# genuine, on a computer's screen and on a phone's
for my $name (qw(genuine phone)) {
    my $p = $page{$name} // {};
    my $text = $p->{text} // '';
    my $rows = rows($p);
    is($p->{status}, 200, "$name: 200");
    is($p->{verdict}, 'genuine', "$name: the verdict is genuine");
    like($text, qr/Genuine certificate/, "$name: says so in English");
    like($text, qr/నిజమైన ధ్రువపత్రం/, "$name: and in Telugu");
    like($p->{verdict_colour} // '', qr/^rgb\((\d+), (\d+)/, "$name: in colour");
    my ($r, $g) = ($p->{verdict_colour} // '') =~ /(\d+), (\d+)/;
    ok(($g // 0) > ($r // 0), "$name: green, not red ($p->{verdict_colour})");
    is($rows->{Name}, $holder{name}, "$name: the holder's name as issued");
    is($rows->{Relation}, $holder{relation}, "$name: the relation");
    is($rows->{'Certificate number'}, $good->{number},
       "$name: the certificate number");
    is($rows->{Certificate}, "$service->{name}{en}\n$service->{name}{te}",
       "$name: the service, in English and Telugu");
    is($rows->{'Issued by'}, "$office->{name}{en}\n$office->{name}{te}\n$OFFICE",
       "$name: the issuing office, by name and code");
    is($rows->{'Issued on'}, issued_on($good->{id}), "$name: the issue date");
    is($rows->{'Valid until'}, join('-', reverse split /-/, $expires),
       "$name: the expiry");
    is($rows->{$_}, $facts{$_}, "$name: $_ as issued") for sort keys %facts;
    is($rows->{'Public log entry'}, "#$good->{log_index}",
       "$name: the issuance log's entry, #$good->{log_index}");
    like($text, qr/Public log entry.*\n.*పబ్లిక్ లాగ్/,
         "$name: the log line labelled in both languages");
    like($text, qr/Compare these facts with the paper/,
         "$name: asks to compare with the paper, in English");
    like($text, qr/ఈ వివరాలను కాగితంపై ఉన్నవాటితో సరిపోల్చండి/,
         "$name: and in Telugu");
}

# altered: never a holder's facts as though they were true
for my $name (qw(claims signature)) {
    my $p = $page{$name} // {};
    my $text = $p->{text} // '';
    is($p->{verdict}, 'tampered', "$name altered: the verdict is tampered");
    like($text, qr/Not genuine: this certificate has been altered/,
         "$name altered: says so in English");
    like($text, qr/నిజమైనది కాదు: మార్చబడింది/, "$name altered: and in Telugu");
    unlike($text, qr/Genuine certificate|నిజమైన ధ్రువపత్రం/,
           "$name altered: nothing calls it genuine");
    my ($r, $g) = ($p->{verdict_colour} // '') =~ /(\d+), (\d+)/;
    ok(($r // 0) > ($g // 0), "$name altered: red ($p->{verdict_colour})");
    is_deeply($p->{rows}, [], "$name altered: no table of facts");
    unlike($text, qr/\Q$holder{name}\E|\Q$good->{number}\E|\Q$bad_number\E
                     |\Q$office->{name}{en}\E|Scholarship/x,
           "$name altered: no name, number, office or fact shown");
}

{
    my $p = $page{revoked} // {};
    my $text = $p->{text} // '';
    is($p->{verdict}, 'revoked', 'revoked: the verdict is revoked');
    like($text, qr/Revoked: the issuing office has withdrawn this certificate/,
         'revoked: says so in English');
    like($text, qr/రద్దు చేయబడింది/, 'revoked: and in Telugu');
    unlike($text, qr/Genuine certificate/, 'revoked: not called genuine');
    my ($r, $g) = ($p->{verdict_colour} // '') =~ /(\d+), (\d+)/;
    ok(($r // 0) > ($g // 0), "revoked: red ($p->{verdict_colour})");
    is(rows($p)->{'Certificate number'}, $revoked->{number},
       'revoked: which certificate it is');
}

{
    my $p = $page{unknown} // {};
    my $text = $p->{text} // '';
    is($p->{verdict}, 'unknown_key', 'unknown key: the verdict');
    like($text, qr/Not genuine: signed by a key no Mana office holds/,
         'unknown key: says so in English');
    like($text, qr/నిజమైనది కాదు: తెలియని కీ/, 'unknown key: and in Telugu');
    is_deeply($p->{rows}, [], 'unknown key: no table of facts');
    unlike($text, qr/Lakshmi|REV-INC-2026-000779/, 'unknown key: no name or number');
}

{
    my $p = $page{late} // {};
    is($p->{verdict}, 'genuine', 'issued at 01:31 IST: genuine');
    is(rows($p)->{'Issued on'}, ist_date($night),
       'issued at 01:31 IST: the date is the Indian one, as on the paper');
}

finish_tests();
