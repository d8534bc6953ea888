#!/usr/bin/env perl
# Each worker holds the catalogue in memory and picks up changes made with
# mmctl without a restart; a catalogue broken behind mmctl's back is not
# loaded, and the last good one stays.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $file = "$FindBin::Bin/data/catalogue-small.json";
plan skip_all => "no fixture $file" unless -f $file;

my $db = start_mariadb();
my $dbh = $db->dbh;
my $ngx = start_nginx($db, workers => 2,
                      http_extra => 'mana_catalogue_check 200ms;');

sub health_catalogue {
    # ask until both workers have answered
    my %seen;
    for (1 .. 20) {
        my ($h) = $ngx->health;
        $seen{$h->{pid}} = $h->{catalogue} if $h;
        last if keys %seen == 2;
    }
    return values %seen;
}
sub all_at {
    my ($version) = @_;
    wait_until(sub {
        my @c = health_catalogue();
        @c == 2 && !grep { !$_ || $_->{version} != $version } @c;
    }, 15, "catalogue version $version");
}

ok(all_at(1), 'both workers loaded the empty catalogue (version 1)');

my ($rc, $out) = $db->mmctl('service', 'import', $file);
is($rc, 0, 'mmctl imports the fixture') or diag $out;
my $doc = json_decode(do { local $/; open my $fh, '<', $file or die; <$fh> });
my $v = $dbh->selectrow_array('SELECT version FROM catalogue_version');
ok($v > 1, "the version moved ($v)");
ok(all_at($v), 'both workers swapped to it without a restart');
my ($c) = health_catalogue();
is($c->{services}, scalar @{ $doc->{services} }, 'with every service');
is($c->{departments}, scalar @{ $doc->{departments} }, 'and every department');

# a change behind mmctl's back that breaks the contract
my $code = $doc->{services}[0]{code};
$dbh->do(q{UPDATE service SET name = '{"en":"A name far too long for a WhatsApp list row"}' WHERE code = ?},
         undef, $code);
$dbh->do('UPDATE catalogue_version SET version = version + 1');
ok(wait_until(sub { $ngx->error_log_text =~ /version \d+ not loaded, keeping version $v/ }, 10, 'the refusal'),
   'the broken version is refused, with the reason logged');
like($ngx->error_log_text, qr/not loaded.*\Q$code\E.*name/, 'naming the service and field');
($c) = health_catalogue();
is($c->{version}, $v, 'the last good catalogue stays in use');

finish_tests();
