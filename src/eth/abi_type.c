/* abi_type.c - parsing ABI type strings and facts about types (see eth/abi.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"

/* Fixed arrays and static tuples larger than this are refused: no contract
 * of ours needs them and it keeps head-size arithmetic far from overflow. */
#define ZG_ABI_MAX_STATIC (1u << 24)

typedef struct parser {
    const char *s;
    size_t pos;
    int depth;
    zg_err *e;
} parser;

static void skip_spaces(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n')
        p->pos++;
}

static int fail(parser *p, const char *what)
{
    return zg_err_set(p->e, ZG_EINVAL, "ABI type: %s at position %zu", what, p->pos);
}

static zg_abi_type *new_type(zg_abi_kind kind, unsigned bits)
{
    zg_abi_type *t = calloc(1, sizeof *t);
    if (t) {
        t->kind = kind;
        t->bits = bits;
    }
    return t;
}

void zg_abi_type_free(zg_abi_type *t)
{
    if (!t)
        return;
    zg_abi_type_free(t->elem);
    for (size_t i = 0; i < t->n_fields; i++)
        zg_abi_type_free(t->fields[i]);
    free(t->fields);
    free(t->indexed);
    free(t);
}

zg_abi_type *zg_abi_type_clone(const zg_abi_type *t)
{
    zg_abi_type *c = new_type(t->kind, t->bits);
    if (!c)
        return NULL;
    c->len = t->len;
    if (t->elem && !(c->elem = zg_abi_type_clone(t->elem)))
        goto oom;
    if (t->n_fields) {
        c->fields = calloc(t->n_fields, sizeof *c->fields);
        if (!c->fields)
            goto oom;
        c->n_fields = t->n_fields;
        for (size_t i = 0; i < t->n_fields; i++)
            if (!(c->fields[i] = zg_abi_type_clone(t->fields[i])))
                goto oom;
        if (t->indexed) {
            c->indexed = malloc(t->n_fields);
            if (!c->indexed)
                goto oom;
            memcpy(c->indexed, t->indexed, t->n_fields);
        }
    }
    return c;
oom:
    zg_abi_type_free(c);
    return NULL;
}

int zg_abi_type_is_dynamic(const zg_abi_type *t)
{
    switch (t->kind) {
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING:
    case ZG_ABI_DARRAY:
        return 1;
    case ZG_ABI_ARRAY:
        return zg_abi_type_is_dynamic(t->elem);
    case ZG_ABI_TUPLE:
        for (size_t i = 0; i < t->n_fields; i++)
            if (zg_abi_type_is_dynamic(t->fields[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

size_t zg_abi_type_head_size(const zg_abi_type *t)
{
    if (zg_abi_type_is_dynamic(t))
        return 32;
    if (t->kind == ZG_ABI_ARRAY)
        return t->len * zg_abi_type_head_size(t->elem);
    if (t->kind == ZG_ABI_TUPLE) {
        size_t n = 0;
        for (size_t i = 0; i < t->n_fields; i++)
            n += zg_abi_type_head_size(t->fields[i]);
        return n;
    }
    return 32;
}

/* Reads a decimal size with no leading zero; -1 if absent, -2 if bad. */
static long read_number(parser *p)
{
    if (!isdigit((unsigned char)p->s[p->pos]))
        return -1;
    if (p->s[p->pos] == '0' && isdigit((unsigned char)p->s[p->pos + 1]))
        return -2;
    long n = 0;
    while (isdigit((unsigned char)p->s[p->pos])) {
        n = n * 10 + (p->s[p->pos++] - '0');
        if (n > 100000000)
            return -2;
    }
    return n;
}

static int parse_elementary(parser *p, zg_abi_type **out)
{
    size_t start = p->pos;
    while (isalpha((unsigned char)p->s[p->pos]))
        p->pos++;
    size_t n = p->pos - start;
    const char *w = p->s + start;
    zg_abi_kind kind;
    unsigned bits = 0;
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)
    if (IS("uint") || IS("int")) {
        kind = IS("uint") ? ZG_ABI_UINT : ZG_ABI_INT;
        long m = read_number(p);
        if (m == -1)
            m = 256;
        if (m < 8 || m > 256 || m % 8)
            return fail(p, "integer width must be 8..256 in steps of 8");
        bits = (unsigned)m;
    } else if (IS("bytes")) {
        long m = read_number(p);
        kind = m == -1 ? ZG_ABI_BYTES : ZG_ABI_FBYTES;
        if (m != -1 && (m < 1 || m > 32))
            return fail(p, "bytes<M> needs M in 1..32");
        bits = m == -1 ? 0 : (unsigned)m;
    } else if (IS("byte")) {
        kind = ZG_ABI_FBYTES;
        bits = 1;
    } else if (IS("address")) {
        kind = ZG_ABI_ADDRESS;
    } else if (IS("bool")) {
        kind = ZG_ABI_BOOL;
    } else if (IS("string")) {
        kind = ZG_ABI_STRING;
    } else {
        p->pos = start;
        return fail(p, n ? "unknown type name" : "expected a type");
    }
#undef IS
    if (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')
        return fail(p, "unexpected character in type name");
    *out = new_type(kind, bits);
    return *out ? ZG_OK : zg_err_set(p->e, ZG_ENOMEM, "out of memory");
}

/* Static size of t in bytes, saturating above ZG_ABI_MAX_STATIC. */
static size_t static_size(const zg_abi_type *t)
{
    if (zg_abi_type_is_dynamic(t))
        return 32;
    if (t->kind == ZG_ABI_ARRAY) {
        size_t s = static_size(t->elem);
        return t->len > ZG_ABI_MAX_STATIC / (s ? s : 1) ? ZG_ABI_MAX_STATIC + 1 : t->len * s;
    }
    if (t->kind == ZG_ABI_TUPLE) {
        size_t n = 0;
        for (size_t i = 0; i < t->n_fields && n <= ZG_ABI_MAX_STATIC; i++)
            n += static_size(t->fields[i]);
        return n;
    }
    return 32;
}

static int parse_list(parser *p, int allow_names, zg_abi_type **out);

/* Array suffixes "[k]" / "[]" after a base type. */
static int parse_suffixes(parser *p, zg_abi_type **t)
{
    for (;;) {
        skip_spaces(p);
        if (p->s[p->pos] != '[')
            return ZG_OK;
        p->pos++;
        long k = read_number(p);
        if (k == -2 || k == 0)
            return fail(p, "array size must be a positive number without leading zeros");
        if (p->s[p->pos] != ']')
            return fail(p, "expected ']'");
        p->pos++;
        zg_abi_type *a = new_type(k == -1 ? ZG_ABI_DARRAY : ZG_ABI_ARRAY, 0);
        if (!a)
            return zg_err_set(p->e, ZG_ENOMEM, "out of memory");
        a->len = k == -1 ? 0 : (size_t)k;
        a->elem = *t;
        *t = a;
        if (++p->depth > ZG_ABI_MAX_DEPTH)
            return fail(p, "type nested too deeply");
        if (static_size(a) > ZG_ABI_MAX_STATIC)
            return fail(p, "fixed-size array too large");
    }
}

/* One type; `top` when it is the outermost (only there may "()" stand). */
static int parse_type(parser *p, int allow_names, int top, zg_abi_type **out)
{
    *out = NULL;
    skip_spaces(p);
    int depth = p->depth;
    int rc;
    if (strncmp(p->s + p->pos, "tuple(", 6) == 0)
        p->pos += 5;
    if (p->s[p->pos] == '(') {
        if (++p->depth > ZG_ABI_MAX_DEPTH)
            return fail(p, "type nested too deeply");
        rc = parse_list(p, allow_names, out);
    } else {
        rc = parse_elementary(p, out);
    }
    if (rc == ZG_OK && (*out)->kind == ZG_ABI_TUPLE && (*out)->n_fields == 0) {
        /* A zero-size element would let a tiny input claim huge arrays. */
        skip_spaces(p);
        if (!top || p->s[p->pos] == '[')
            rc = fail(p, "the empty tuple () cannot be nested or used in an array");
    }
    if (rc == ZG_OK)
        rc = parse_suffixes(p, out);
    if (rc == ZG_OK && static_size(*out) > ZG_ABI_MAX_STATIC)
        rc = fail(p, "static type too large");
    p->depth = depth;
    if (rc != ZG_OK) {
        zg_abi_type_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Optional words after a parameter's type: "indexed", a data location, a name. */
static int parse_param_words(parser *p, int *indexed)
{
    for (;;) {
        skip_spaces(p);
        size_t start = p->pos;
        if (!(isalpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_' || p->s[p->pos] == '$'))
            return ZG_OK;
        while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_' || p->s[p->pos] == '$')
            p->pos++;
        if (p->pos - start == 7 && memcmp(p->s + start, "indexed", 7) == 0) {
            if (!indexed)
                return fail(p, "'indexed' outside an event");
            *indexed = 1;
        }
    }
}

static int push_field(zg_abi_type *tup, zg_abi_type *f, int indexed)
{
    zg_abi_type **nf = realloc(tup->fields, (tup->n_fields + 1) * sizeof *nf);
    if (!nf)
        return ZG_ENOMEM;
    tup->fields = nf;
    unsigned char *ni = realloc(tup->indexed, tup->n_fields + 1);
    if (!ni)
        return ZG_ENOMEM;
    tup->indexed = ni;
    tup->indexed[tup->n_fields] = (unsigned char)indexed;
    tup->fields[tup->n_fields++] = f;
    return ZG_OK;
}

static int parse_list(parser *p, int allow_names, zg_abi_type **out)
{
    p->pos++; /* '(' */
    zg_abi_type *tup = new_type(ZG_ABI_TUPLE, 0);
    if (!tup)
        return zg_err_set(p->e, ZG_ENOMEM, "out of memory");
    int any_indexed = 0;
    skip_spaces(p);
    if (p->s[p->pos] == ')') {
        p->pos++;
        *out = tup;
        return ZG_OK;
    }
    for (;;) {
        zg_abi_type *f = NULL;
        int rc = parse_type(p, allow_names, 0, &f);
        int indexed = 0;
        if (rc == ZG_OK && allow_names)
            rc = parse_param_words(p, p->depth == 1 ? &indexed : NULL);
        if (rc == ZG_OK && push_field(tup, f, indexed) != ZG_OK)
            rc = zg_err_set(p->e, ZG_ENOMEM, "out of memory");
        if (rc != ZG_OK) {
            zg_abi_type_free(f); /* not in tup yet */
            zg_abi_type_free(tup);
            return rc;
        }
        any_indexed |= indexed;
        skip_spaces(p);
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] == ')') {
            p->pos++;
            break;
        }
        zg_abi_type_free(tup);
        return fail(p, "expected ',' or ')'");
    }
    if (!any_indexed) { /* flags only matter for events that use them */
        free(tup->indexed);
        tup->indexed = NULL;
    }
    *out = tup;
    return ZG_OK;
}

int zg_abi_parse_list_(const char *s, size_t *pos, int allow_names,
                       zg_abi_type **out, zg_err *e)
{
    parser p = { s, *pos, 1, e };
    *out = NULL;
    if (s[p.pos] != '(')
        return fail(&p, "expected '('");
    int rc = parse_list(&p, allow_names, out);
    *pos = p.pos;
    return rc;
}

int zg_abi_type_parse(const char *s, zg_abi_type **out, zg_err *e)
{
    parser p = { s, 0, 0, e };
    *out = NULL;
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "ABI type: missing");
    int rc = parse_type(&p, 0, 1, out);
    if (rc != ZG_OK)
        return rc;
    skip_spaces(&p);
    if (s[p.pos] != '\0') {
        zg_abi_type_free(*out);
        *out = NULL;
        return fail(&p, "unexpected text after the type");
    }
    return ZG_OK;
}

static int write_canonical(const zg_abi_type *t, zg_buf *b)
{
    char tmp[32];
    int rc = ZG_OK;
    switch (t->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
        snprintf(tmp, sizeof tmp, "%s%u", t->kind == ZG_ABI_UINT ? "uint" : "int", t->bits);
        return zg_buf_append(b, tmp, strlen(tmp));
    case ZG_ABI_FBYTES:
        snprintf(tmp, sizeof tmp, "bytes%u", t->bits);
        return zg_buf_append(b, tmp, strlen(tmp));
    case ZG_ABI_ADDRESS: return zg_buf_append(b, "address", 7);
    case ZG_ABI_BOOL: return zg_buf_append(b, "bool", 4);
    case ZG_ABI_BYTES: return zg_buf_append(b, "bytes", 5);
    case ZG_ABI_STRING: return zg_buf_append(b, "string", 6);
    case ZG_ABI_ARRAY:
    case ZG_ABI_DARRAY:
        rc = write_canonical(t->elem, b);
        if (t->kind == ZG_ABI_ARRAY)
            snprintf(tmp, sizeof tmp, "[%zu]", t->len);
        else
            snprintf(tmp, sizeof tmp, "[]");
        return rc ? rc : zg_buf_append(b, tmp, strlen(tmp));
    case ZG_ABI_TUPLE:
        rc = zg_buf_append_byte(b, '(');
        for (size_t i = 0; i < t->n_fields && !rc; i++) {
            if (i)
                rc = zg_buf_append_byte(b, ',');
            if (!rc)
                rc = write_canonical(t->fields[i], b);
        }
        return rc ? rc : zg_buf_append_byte(b, ')');
    }
    return ZG_EINTERNAL;
}

char *zg_abi_type_canonical(const zg_abi_type *t)
{
    zg_buf b;
    zg_buf_init(&b);
    if (write_canonical(t, &b) != ZG_OK || zg_buf_append_byte(&b, 0) != ZG_OK) {
        zg_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}
