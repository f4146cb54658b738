/* SPDX-License-Identifier: MIT */
/* strtab.c — interned strings; see strtab.h. */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define STRTAB_CHUNK (256 * 1024)
#define STRTAB_FIRST 512

/* Each string is stored as a 4-byte length, the bytes and a NUL. */
struct strtab {
	char **chunks;        /* owned; never moved once allocated */
	size_t nchunks;
	size_t used;          /* bytes used in the last chunk */
	size_t chunk_size;    /* size of the last chunk */
	const char **strs;    /* id → pointer to the bytes (after the length) */
	uint32_t count;
	uint32_t cap;
	uint32_t *slots;      /* open addressing: id + 1, 0 = free */
	uint32_t *hashes;     /* hash of each id, to rehash without rereading */
	size_t nslots;        /* power of two */
	size_t bytes;
};

static uint32_t
strtab_hash(const char *s, size_t n)
{
	/* FNV-1a over 8-byte words where possible: cheap and good enough for
	 * hex ids and span names. */
	uint64_t h = 0xcbf29ce484222325ULL;
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static char *
strtab_alloc(struct strtab *t, size_t n)
{
	size_t need = n + 5;
	char *p;

	if (t->nchunks == 0 || t->used + need > t->chunk_size) {
		/* Chunks grow from small: a list row's table holds a title
		 * and a few names, and twenty thousand rows are kept. */
		t->chunk_size = t->chunk_size == 0 ? STRTAB_FIRST :
		    t->chunk_size * 2 > STRTAB_CHUNK ? STRTAB_CHUNK : t->chunk_size * 2;
		if (t->chunk_size < need)
			t->chunk_size = need;
		t->chunks = xreallocarray(t->chunks, t->nchunks + 1, sizeof *t->chunks);
		t->chunks[t->nchunks++] = xmalloc(t->chunk_size);
		t->used = 0;
		t->bytes += t->chunk_size;
	}
	p = t->chunks[t->nchunks - 1] + t->used;
	t->used += need;
	return p;
}

/* The slots again, n of them (a power of two). */
static void
strtab_rehash_to(struct strtab *t, size_t n)
{
	size_t j;
	uint32_t id;

	free(t->slots);
	t->slots = xcalloc(n, sizeof *t->slots);
	t->nslots = n;
	for (id = 0; id < t->count; id++) {
		for (j = t->hashes[id] & (n - 1);; j = (j + 1) & (n - 1)) {
			if (t->slots[j] == 0) {
				t->slots[j] = id + 1;
				break;
			}
		}
	}
}

static void
strtab_rehash(struct strtab *t)
{
	strtab_rehash_to(t, t->nslots ? t->nslots * 2 : 64);
}

void
strtab_reserve(struct strtab *t, uint32_t n)
{
	size_t slots = t->nslots;

	if (n > t->cap) {
		t->cap = n;
		t->strs = xreallocarray(t->strs, t->cap, sizeof *t->strs);
		t->hashes = xreallocarray(t->hashes, t->cap, sizeof *t->hashes);
	}
	while ((size_t)n * 2 > slots)
		slots *= 2;
	if (slots > t->nslots)
		strtab_rehash_to(t, slots);
}

static uint32_t
strtab_lookup(const struct strtab *t, const char *s, size_t n, uint32_t h, size_t *slot)
{
	size_t j, mask = t->nslots - 1;
	uint32_t id;

	for (j = h & mask;; j = (j + 1) & mask) {
		if (t->slots[j] == 0) {
			*slot = j;
			return STRTAB_NONE;
		}
		id = t->slots[j] - 1;
		if (t->hashes[id] == h && strtab_len(t, id) == n &&
		    memcmp(t->strs[id], s, n) == 0)
			return id;
	}
}

uint32_t
strtab_intern(struct strtab *t, const char *s, size_t n)
{
	uint32_t h = strtab_hash(s, n), id, len32;
	size_t slot;
	char *p;

	id = strtab_lookup(t, s, n, h, &slot);
	if (id != STRTAB_NONE)
		return id;
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->strs = xreallocarray(t->strs, t->cap, sizeof *t->strs);
		t->hashes = xreallocarray(t->hashes, t->cap, sizeof *t->hashes);
	}
	p = strtab_alloc(t, n);
	len32 = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	memcpy(p, &len32, 4);
	memcpy(p + 4, s, n);
	p[4 + n] = '\0';
	id = t->count++;
	t->strs[id] = p + 4;
	t->hashes[id] = h;
	t->slots[slot] = id + 1;
	if ((size_t)t->count * 2 > t->nslots)
		strtab_rehash(t);
	return id;
}

uint32_t
strtab_find(const struct strtab *t, const char *s, size_t n)
{
	size_t slot;

	return strtab_lookup(t, s, n, strtab_hash(s, n), &slot);
}

struct strtab *
strtab_new(void)
{
	struct strtab *t = xcalloc(1, sizeof *t);

	strtab_rehash(t);
	strtab_intern(t, "", 0);
	return t;
}

void
strtab_free(struct strtab *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->strs);
	free(t->hashes);
	free(t->slots);
	free(t);
}

const char *
strtab_str(const struct strtab *t, uint32_t id)
{
	return id < t->count ? t->strs[id] : "";
}

size_t
strtab_len(const struct strtab *t, uint32_t id)
{
	uint32_t n;

	if (id >= t->count)
		return 0;
	memcpy(&n, t->strs[id] - 4, 4);
	return n;
}

uint32_t
strtab_count(const struct strtab *t)
{
	return t->count;
}

size_t
strtab_bytes(const struct strtab *t)
{
	return t->bytes + (size_t)t->cap * (sizeof *t->strs + sizeof *t->hashes) +
	    t->nslots * sizeof *t->slots;
}
