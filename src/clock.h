/* SPDX-License-Identifier: MIT */
/*
 * clock.h — the one reading of the monotonic clock: the browser's loop,
 * its timers and timing log, the HTTP client's timeouts and the event
 * stream's reconnection backoff all measure with it.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* Monotonic time in milliseconds and in microseconds (an arbitrary
 * origin: only differences mean anything). */
int64_t clock_ms(void);
int64_t clock_us(void);

#endif
