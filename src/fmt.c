/* SPDX-License-Identifier: MIT */
/* fmt.c — times, durations and counts as text; see fmt.h. */
#include "fmt.h"

#include <stdio.h>
#include <time.h>

#include "span.h"

static int64_t
fmt_floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static void
fmt_civil(int64_t ns, struct tm *tm, long *usec)
{
	int64_t sec = fmt_floor_div(ns, 1000000000);
	time_t t = (time_t)sec;

	*usec = (long)((ns - sec * 1000000000) / 1000);
	gmtime_r(&t, tm);
}

void
fmt_time_rfc3339(struct buf *b, int64_t ns)
{
	struct tm tm;
	long usec;

	fmt_civil(ns, &tm, &usec);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}

void
fmt_json_time(struct buf *b, int64_t ns)
{
	if (ns == SPAN_TIME_NONE) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	fmt_time_rfc3339(b, ns);
	buf_addc(b, '"');
}

void
fmt_time_short(struct buf *b, int64_t ns)
{
	struct tm tm;
	long usec;

	fmt_civil(ns, &tm, &usec);
	buf_printf(b, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
fmt_ms(struct buf *b, int64_t ns)
{
	int64_t us = ns / 1000, whole = us / 1000, frac = us % 1000;
	const char *sign = "";

	if (us < 0) {
		sign = "-";
		whole = -whole;
		frac = -frac;
	}
	if (frac == 0)
		buf_printf(b, "%s%lld", sign, (long long)whole);
	else if (frac % 100 == 0)
		buf_printf(b, "%s%lld.%lld", sign, (long long)whole, (long long)frac / 100);
	else if (frac % 10 == 0)
		buf_printf(b, "%s%lld.%02lld", sign, (long long)whole, (long long)frac / 10);
	else
		buf_printf(b, "%s%lld.%03lld", sign, (long long)whole, (long long)frac);
}

void
fmt_duration(struct buf *b, int64_t ns)
{
	int64_t s;

	if (ns < 0) {
		buf_addc(b, '-');
		ns = -ns;
	}
	if (ns < 1000)
		buf_printf(b, "%lldns", (long long)ns);
	else if (ns < 1000000)
		buf_printf(b, "%lld\xc2\xb5s", (long long)(ns / 1000));
	else if (ns < 1000000000)
		buf_printf(b, "%lldms", (long long)(ns / 1000000));
	else if (ns < 60 * 1000000000LL)
		buf_printf(b, "%.2fs", (double)ns / 1e9);
	else if ((s = ns / 1000000000) < 3600)
		buf_printf(b, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else
		buf_printf(b, "%lldh%02lldm", (long long)(s / 3600), (long long)(s / 60 % 60));
}

void
fmt_count(struct buf *b, int64_t n)
{
	static const char units[] = "kMGTPE";
	double scaled = (double)n, scale;
	int u, decimals;

	if (n < 1000) {
		buf_printf(b, "%lld", (long long)n);
		return;
	}
	/* The smallest unit whose rounded figure stays under 1000, so 999 950
	 * is "1.00M", not "1000.0k"; up to E, where int64 ends (9.22E). */
	for (u = 0; u < 6; u++) {
		scaled /= 1000.0;
		decimals = u == 0 ? 1 : 2;
		scale = decimals == 1 ? 10.0 : 100.0;
		/* What printf's rounding will show (positive, so +0.5 rounds). */
		if ((double)(long long)(scaled * scale + 0.5) / scale < 1000.0 || u == 5)
			break;
	}
	buf_printf(b, "%.*f%c", decimals, scaled, units[u]);
}

void
fmt_size(struct buf *b, uint64_t n)
{
	static const char *units[] = { "KB", "MB", "GB", "TB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		buf_printf(b, "%llu B", (unsigned long long)n);
		return;
	}
	for (v /= 1024; v >= 1024 && u < 3; u++)
		v /= 1024;
	if (v < 10)
		buf_printf(b, "%.1f %s", v, units[u]);
	else
		buf_printf(b, "%.0f %s", v, units[u]);
}

void
fmt_grouped(struct buf *b, uint64_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n), i;

	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ' ');
		buf_addc(b, digits[i]);
	}
}
