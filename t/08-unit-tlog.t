#!/usr/bin/env perl
# C unit tests of the issuance log's maths, lib/mana_tlog*.c (TAP from the
# binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_tlog";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
