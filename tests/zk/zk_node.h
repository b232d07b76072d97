/* zk_node.h - test helper: EdDSA-Poseidon signatures from circomlibjs (node),
 * read from tests/zk/eddsa_sign.js through popen. Header-only, tests only. */
#ifndef ZG_TESTS_ZK_NODE_H
#define ZG_TESTS_ZK_NODE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk/fr.h"

typedef struct zk_node_sig { zg_fr r8x, r8y, s; } zk_node_sig;

/* Signs msgs[0..n) with the 32-byte key given as 64 hex chars, except that
 * msgs[switch_at..n) are signed with prv2_hex when it is not NULL; fills the
 * first key's public key and sigs. Returns 0 on success. */
static inline int zk_node_sign2(const char *prv_hex, const zg_fr *msgs, size_t n, zg_fr *ax, zg_fr *ay,
                         zk_node_sig *sigs, const char *prv2_hex, size_t switch_at)
{
    size_t cap = 512 + n * 82;
    char *cmd = malloc(cap), line[400];
    if (!cmd)
        return -1;
    int at = snprintf(cmd, cap, "node tests/zk/eddsa_sign.js %s", prv_hex);
    for (size_t i = 0; i < n; i++) {
        if (prv2_hex && i == switch_at)
            at += snprintf(cmd + at, cap - (size_t)at, " key=%s", prv2_hex);
        char dec[80];
        zg_fr_to_dec(dec, &msgs[i]);
        at += snprintf(cmd + at, cap - (size_t)at, " %s", dec);
    }
    FILE *f = popen(cmd, "r");
    free(cmd);
    if (!f)
        return -1;
    size_t got = 0;
    int have_a = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        char a[100], b[100], c[100];
        if (strncmp(line, "A ", 2) == 0 && sscanf(line + 2, "%99s %99s", a, b) == 2) {
            bad |= zg_fr_from_str(ax, a, NULL) | zg_fr_from_str(ay, b, NULL);
            have_a = 1;
        } else if (got < n && strncmp(line, "SIG ", 4) == 0 &&
                   sscanf(line + 4, "%99s %99s %99s", a, b, c) == 3) {
            bad |= zg_fr_from_str(&sigs[got].r8x, a, NULL) | zg_fr_from_str(&sigs[got].r8y, b, NULL) |
                   zg_fr_from_str(&sigs[got].s, c, NULL);
            got++;
        }
    }
    int st = pclose(f);
    return (st == 0 && have_a && got == n && !bad) ? 0 : -1;
}

static inline int zk_node_sign(const char *prv_hex, const zg_fr *msgs, size_t n, zg_fr *ax, zg_fr *ay,
                        zk_node_sig *sigs)
{
    return zk_node_sign2(prv_hex, msgs, n, ax, ay, sigs, NULL, 0);
}

#endif
