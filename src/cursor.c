/* SPDX-License-Identifier: MIT */
/* cursor.c — selection and scrolling arithmetic; see cursor.h. */
#include "cursor.h"

long
cursor_clamp(long i, long n)
{
	if (i >= n)
		i = n - 1;
	return i < 0 ? 0 : i;
}

long
cursor_page(long h)
{
	return h > 1 ? h - 1 : 1;
}

long
cursor_step(long cur, enum cursor_step step, long n, long page)
{
	switch (step) {
	case CURSOR_DOWN: return cursor_clamp(cur + 1, n);
	case CURSOR_UP: return cursor_clamp(cur - 1, n);
	case CURSOR_PAGE_DOWN: return cursor_clamp(cur + page, n);
	case CURSOR_PAGE_UP: return cursor_clamp(cur - page, n);
	case CURSOR_HOME: return 0;
	case CURSOR_END: return cursor_clamp(n - 1, n);
	case CURSOR_NONE: break;
	}
	return cur;
}

long
cursor_follow(long top, long sel, long h)
{
	if (top < 0)
		top = 0;
	if (sel >= 0 && sel < top)
		top = sel;
	if (sel >= 0 && sel >= top + h)
		top = sel - h + 1;
	return top;
}

long
cursor_top(long top, long sel, long h, long n)
{
	top = cursor_follow(top, sel, h);
	if (top + h > n)
		top = n > h ? n - h : 0;
	return top;
}
