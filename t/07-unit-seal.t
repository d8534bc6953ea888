#!/usr/bin/env perl
# Secrets at rest (lib/mana_seal.c): AES-256-GCM sealing, tampering,
# the master key file's format and permissions
# (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_seal";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
