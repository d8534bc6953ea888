#!/usr/bin/env perl
# Document links (lib/mana_doclink.c): the token against OpenSSL, its
# expiry, every character altered, malformed tokens, the key file
# (TAP from the binary itself).
use strict;
use warnings;
use FindBin;

my $bin = "$FindBin::Bin/../build/t/test_lib_doclink";
if (!-x $bin) {
    print "1..0 # SKIP $bin is not built: run ./build.sh build\n";
    exit 0;
}
exec $bin or die "cannot run $bin: $!";
