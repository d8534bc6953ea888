#!/usr/bin/env perl
# The log's roots and proofs against a second implementation: RFC 9162
# section 2.1 (MTH, PATH, PROOF/SUBPROOF) written straight from its
# definitions with Digest::SHA, compared for every size 1..70 and every
# pair with what lib/mana_tlog.c prints (build/t/tlog_vectors).
use strict;
use warnings;
use FindBin;
use Test::More;
use Digest::SHA qw(sha256);

my $SIZE = 70;
my $bin = "$FindBin::Bin/../build/t/tlog_vectors";
plan skip_all => "$bin is not built: run ./build.sh build" unless -x $bin;

# --- RFC 9162 section 2.1, over a list of leaves -------------------------

# k: the largest power of two smaller than n (n > 1)
sub split_point {
    my ($n) = @_;
    my $k = 1;
    $k <<= 1 while $k << 1 < $n;
    return $k;
}

# MTH(D[lo:hi]), memoised per list of leaves
sub mth {
    my ($d, $lo, $hi, $memo) = @_;
    my $key = "$lo,$hi";
    return $memo->{$key} //= do {
        my $n = $hi - $lo;
        if ($n == 0) {
            sha256('');
        } elsif ($n == 1) {
            sha256("\x00" . $d->[$lo]);
        } else {
            my $k = split_point($n);
            sha256("\x01" . mth($d, $lo, $lo + $k, $memo)
                          . mth($d, $lo + $k, $hi, $memo));
        }
    };
}

# PATH(m, D[lo:hi]), 2.1.3.1: the audit path, leaf side first
sub path {
    my ($d, $m, $lo, $hi, $memo) = @_;
    my $n = $hi - $lo;
    return () if $n == 1;
    my $k = split_point($n);
    return $m < $k
        ? (path($d, $m, $lo, $lo + $k, $memo), mth($d, $lo + $k, $hi, $memo))
        : (path($d, $m - $k, $lo + $k, $hi, $memo), mth($d, $lo, $lo + $k, $memo));
}

# SUBPROOF(m, D[lo:hi], b), 2.1.4.1; PROOF(m, D[n]) = SUBPROOF(m, D[0:n], 1)
sub subproof {
    my ($d, $m, $lo, $hi, $b, $memo) = @_;
    my $n = $hi - $lo;
    if ($m == $n) {
        return $b ? () : (mth($d, $lo, $hi, $memo));
    }
    my $k = split_point($n);
    return $m <= $k
        ? (subproof($d, $m, $lo, $lo + $k, $b, $memo), mth($d, $lo + $k, $hi, $memo))
        : (subproof($d, $m - $k, $lo + $k, $hi, 0, $memo), mth($d, $lo, $lo + $k, $memo));
}

sub hexes { return @_ ? join(',', map { unpack('H*', $_) } @_) : '-' }

# --- this implementation, checked against the published vectors first ----

{
    my @d = map { pack('H*', $_) }
        ('', '00', '10', '2021', '3031', '40414243', '5051525354555657',
         '606162636465666768696a6b6c6d6e6f');
    my @want = qw(
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d
        fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125
        aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77
        d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7
        4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4
        76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef
        ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c
        5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328
    );
    my %memo;
    my @got = map { unpack('H*', mth(\@d, 0, $_, {})) } 0 .. 8;
    is_deeply(\@got, \@want, 'the Perl MTH gives the RFC 6962 roots 0..8');

    # proofs published with the Certificate Transparency test vectors
    is(hexes(subproof(\@d, 1, 0, 8, 1, \%memo)),
       '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7,'
       . '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,'
       . '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
       'the Perl PROOF(1, D[8]) is the published one');
    is(hexes(subproof(\@d, 6, 0, 8, 1, \%memo)),
       '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a,'
       . 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0,'
       . 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
       'the Perl PROOF(6, D[8]) is the published one');
    is(hexes(subproof(\@d, 2, 0, 5, 1, \%memo)),
       '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,'
       . 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
       'the Perl PROOF(2, D[5]) is the published one');
    is(hexes(path(\@d, 5, 0, 8, \%memo)),
       'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b,'
       . 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0,'
       . 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
       'the Perl PATH(5, D[8]) is the published one');
}

# --- compare ---------------------------------------------------------------

my @d = map { "mana leaf $_" } 0 .. $SIZE - 1;
my %memo;
my (%root, %incl, %cons);

open(my $fh, '-|', $bin, $SIZE) or die "cannot run $bin: $!";
while (my $line = <$fh>) {
    chomp $line;
    my @f = split / /, $line;
    if ($f[0] eq 'root') {
        $root{$f[1]} = $f[2];
    } elsif ($f[0] eq 'incl') {
        $incl{"$f[1] $f[2]"} = $f[3];
    } elsif ($f[0] eq 'cons') {
        $cons{"$f[1] $f[2]"} = $f[3];
    } else {
        fail("unexpected line: $line");
    }
}
close($fh);
is($?, 0, 'tlog_vectors ran to the end');

is($root{0}, unpack('H*', sha256('')), 'size 0: SHA-256 of nothing');

for my $t (1 .. $SIZE) {
    is($root{$t}, unpack('H*', mth(\@d, 0, $t, \%memo)), "size $t: root");

    my @bad_incl = grep {
        ($incl{"$t $_"} // 'missing') ne hexes(path(\@d, $_, 0, $t, \%memo))
    } 0 .. $t - 1;
    is("@bad_incl", '', "size $t: all $t audit paths are RFC 9162's");

    my @bad_cons = grep {
        ($cons{"$_ $t"} // 'missing') ne hexes(subproof(\@d, $_, 0, $t, 1, \%memo))
    } 1 .. $t;
    is("@bad_cons", '', "size $t: all $t consistency proofs are RFC 9162's");
}

is(scalar(keys %incl), $SIZE * ($SIZE + 1) / 2, 'no inclusion proof left over');
is(scalar(keys %cons), $SIZE * ($SIZE + 1) / 2,
   'no consistency proof left over');

done_testing();
