/* SPDX-License-Identifier: MIT */
/*
 * textq.h — a bounded queue of text blocks from one thread to another.
 *
 * The reading path is two stages, inflate and line parsing; a big file
 * read to its end runs them on two cores with this queue between them
 * (tracefile.c).  One producer, one consumer.
 *
 * Blocks are struct buf.  Their memory moves, never copied: textq_push
 * takes it from the producer's buf (left empty), textq_pop gives it to the
 * consumer's, and the consumer hands it back with textq_recycle for the
 * producer's next block (textq_reuse), so a read of gigabytes allocates a
 * few blocks, not one per block.  textq_free frees whatever is left.
 *
 * A block may carry a tag, a pointer handed over with it and back with
 * its recycled memory (tracefile.c: the spans of its lines parsed ahead,
 * spanprep.h).  The queue owns the tags it holds and frees them with the
 * free_tag given to textq_new.
 */
#ifndef TEXTQ_H
#define TEXTQ_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct textq;

/* A queue that holds at most max_blocks blocks (at least 1); free_tag
 * (NULL when blocks carry none) frees a tag the queue still holds. */
struct textq *textq_new(size_t max_blocks, void (*free_tag)(void *));
void textq_free(struct textq *);

/* Producer: queue b's text and tag (waiting while the queue is full); b
 * is left empty. */
void textq_push(struct textq *, struct buf *b, void *tag);
/* Producer: give the empty b the memory of a recycled block, if any, and
 * return that block's tag (NULL when there was none). */
void *textq_reuse(struct textq *, struct buf *b);
/* Producer: how many blocks wait for the consumer (max_blocks: a push
 * would wait). */
size_t textq_depth(struct textq *);
/* Producer: no more blocks will come. */
void textq_close(struct textq *);

/* Consumer: the next block into the empty b and its tag into *tag,
 * waiting for one; false once the queue is closed and empty. */
bool textq_pop(struct textq *, struct buf *b, void **tag);
/* Consumer: b's memory and its tag back to the producer; b is left
 * empty. */
void textq_recycle(struct textq *, struct buf *b, void *tag);

#endif
