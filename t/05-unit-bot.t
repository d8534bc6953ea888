#!/usr/bin/env perl
# C unit tests of the bot engine, lib/mana_bot*.c: whole conversations in
# English and Telugu over t/data/bot/, and a walk of the demo catalogue
# (TAP from the binary itself, run from the repository's root).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_bot";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
chdir "$FindBin::Bin/.." or die "cannot chdir: $!";
exec $bin or die "cannot run $bin: $!";
