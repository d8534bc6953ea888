#!/usr/bin/env perl
# The C unit tests of lib/ print TAP themselves.
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_webhook";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
