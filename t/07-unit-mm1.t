#!/usr/bin/env perl
# MM1 certificates (lib/mana_mm1.c, lib/mana_ed25519.c): sign, parse,
# verify, every bit flipped, key statuses, expiry, malformed input
# (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_mm1";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
