#!/usr/bin/env perl
# The trust list (lib/mana_trust.c) and its parts: Base64, RFC 3339 times,
# signed-note verifier keys; signing, opening, tampering, crafted lists
# (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_trust";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
