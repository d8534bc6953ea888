#!/usr/bin/env perl
# Base32 and deterministic CBOR (lib/mana_base32.c, lib/mana_cbor.c):
# RFC 4648 and RFC 8949 examples, and every input the decoders refuse
# (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_cbor";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
