#!/usr/bin/env perl
# C unit tests of lib/mana_records.c and the instant-document effects of
# lib/mana_conv_sql.c (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_records";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
