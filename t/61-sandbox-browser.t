#!/usr/bin/env perl
# The sandbox page in Debian's headless Chromium, driven by playwright-core
# (t/browser/): a conversation clicked through from "Hi" to an application
# reference, as a person without a Meta account would try the bot.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $top = $Mana::Test::TOP;
my $dir = "$top/t/browser";
my $chromium = $ENV{MANA_CHROMIUM} || '/usr/bin/chromium';

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

my $db = start_mariadb();
$db->seed_demo;

# as ./build.sh run has it: the sender delivers to the sandbox's stand-in
my $gport = Mana::Test::free_port();
my $ngx = start_nginx($db, workers => 2,
    graph => "http://127.0.0.1:$gport/mana/sandbox/graph",
    http_extra => "mana_bot on; mana_catalogue_check 200ms;\n"
                . "    mana_notice_url http://127.0.0.1:$gport/mana/sandbox/privacy;\n"
                . "    server {\n"
                . "        listen 127.0.0.1:$gport;\n"
                . "        location /mana/sandbox/ { mana_sandbox on; }\n"
                . "    }\n");
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the workers loaded the demo catalogue');

my $tmp = Mana::Test::tmpdir();
my $shot = "$tmp/sandbox.png";
my $phone = '9194' . join '', map { int rand 10 } 1 .. 8;
my $url = "http://127.0.0.1:$gport/mana/sandbox/";

my $out = `timeout 120 $node $dir/sandbox.js $url $phone $shot $tmp/profile 2>&1`;
my ($line) = grep { /^\{/ } split /\n/, $out;
my $res = eval { json_decode($line) } // { ok => 0, error => $out };

ok($res->{ok}, 'clicked through to an application reference in Chromium')
    or diag("$res->{error}\nsteps: @{ $res->{steps} // [] }");
like($res->{ref} // '', qr/^REV-INC-\d{4}-\d{6}$/, 'the reference shown: ' . ($res->{ref} // 'none'));
is_deeply($res->{errors} // [], [], 'no error in the page (CSP or script)');

my $app = $db->dbh->selectrow_hashref(
    q{SELECT a.* FROM application a JOIN citizen c ON c.id = a.citizen_id
      WHERE a.ref = ? AND c.phone = ?}, undef, $res->{ref} // '', $phone);
ok($app, "the application of the page's citizen ($phone) is stored");
is($app && $app->{district}, 'Guntur', '  for the district picked from the list');

ok(-s $shot, "a screenshot: $shot" . ($ENV{MANA_TEST_KEEP} ? '' : ' (MANA_TEST_KEEP=1 keeps it)'));
open my $fh, '<:raw', $shot;
read $fh, my $magic, 8 if $fh;
is($magic // '', "\x89PNG\r\n\x1a\n", '  in PNG');

finish_tests();
