/*
 * Signs an issuance log checkpoint for the tests of the log's endpoints,
 * with lib/'s own code, and prints the signed note as the log stores it:
 *
 *   checkpoint_sign <seed hex> <origin> <size> <root hex>
 *
 * The key's name is the origin, as the log key's is.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_buf.h"
#include "mana_hex.h"
#include "mana_note.h"


int
main(int argc, char **argv)
{
    int              len;
    char             text[1024];
    long long        size;
    mana_buf_t       note;
    unsigned char    seed[32], root[32];
    mana_note_key_t  key;

    if (argc != 5 || strlen(argv[1]) != 64 || strlen(argv[4]) != 64
        || mana_hex_decode(seed, argv[1], 32) != 0
        || mana_hex_decode(root, argv[4], 32) != 0)
    {
        fprintf(stderr, "usage: see the top of t/unit/checkpoint_sign.c\n");
        return 2;
    }

    size = atoll(argv[3]);

    len = mana_note_checkpoint_format(text, sizeof(text), argv[2],
                                      strlen(argv[2]), size, root);

    if (len < 0
        || mana_note_key_from_seed(&key, argv[2], strlen(argv[2]), seed) != 0)
    {
        fprintf(stderr, "checkpoint_sign: bad origin or size\n");
        return 1;
    }

    mana_buf_init(&note);

    if (mana_note_sign(&note, text, (size_t) len, &key, 1) != 0
        || mana_buf_failed(&note))
    {
        fprintf(stderr, "checkpoint_sign: cannot sign\n");
        return 1;
    }

    fwrite(note.data, 1, note.len, stdout);

    mana_buf_free(&note);
    mana_note_key_free(&key);

    return 0;
}
