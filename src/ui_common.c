/* SPDX-License-Identifier: MIT */
/*
 * ui_common.c — what every pane of the browser uses and nothing else
 * provides: the status-bar message, the clock, filter parsing, text
 * search, the marks, and the queue of requests panes leave for the loop.
 * It calls no pane: panes and the loop build on it.
 */
#include "ui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "filter.h"
#include "text.h"
#include "xmalloc.h"

/* The browser's names for clock.h's readings. */
int64_t
ui_now_ms(void)
{
	return clock_ms();
}

int64_t
ui_now_us(void)
{
	return clock_us();
}

void
ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	free(ui->message);
	va_start(ap, fmt);
	ui->message = xvasprintf(fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui->message_cause = UI_CAUSE_NONE;
	ui->dirty = true;
}

void
ui_message_cause(struct ui *ui, enum ui_cause cause, const char *error)
{
	if (error != NULL) {
		ui_message(ui, true, "%s", error);
		ui->message_cause = cause;
		return;
	}
	if (ui->message != NULL && ui->message_cause == cause) {
		free(ui->message);
		ui->message = NULL;
		ui->message_cause = UI_CAUSE_NONE;
		ui->dirty = true;
	}
}

void
ui_source_error(struct ui *ui, struct ui_source *src, const char *error)
{
	size_t i;

	if (error == NULL && src->error == NULL)
		return;
	free(src->error);
	src->error = error != NULL ? xstrdup(error) : NULL;
	ui->dirty = true;
	/* The message names the directory or URL already. */
	if (error != NULL) {
		ui_message_cause(ui, UI_CAUSE_SOURCE, error);
		return;
	}
	/* Back: another source's trouble, if any, is what the bar says. */
	for (i = 0; i < ui->nsources; i++) {
		if (ui->sources[i]->error != NULL) {
			ui_message_cause(ui, UI_CAUSE_SOURCE, ui->sources[i]->error);
			return;
		}
	}
	ui_message_cause(ui, UI_CAUSE_SOURCE, NULL);
}

const char *
ui_source_down(struct ui *ui, struct ui_source *src)
{
	/* An inspector that cannot be reached is offline, as its rows say
	 * while it reconnects; a directory that cannot be read, unreadable. */
	if (src->error != NULL)
		return src->ops->meta_given ? "offline" : "unreadable";
	return src->ops->down != NULL ? src->ops->down(ui, src) : NULL;
}

bool
ui_entry_remote(const struct ui_entry *e)
{
	return e->source != NULL && e->source->ops->meta_given;
}

void
ui_search_note(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	free(ui->search_note);
	va_start(ap, fmt);
	ui->search_note = xvasprintf(fmt, ap);
	va_end(ap);
	ui->dirty = true;
}

bool
ui_filter_parse(struct ui *ui, const char *expr, struct filter **out)
{
	char *cause = NULL;

	*out = NULL;
	if (*expr != '\0' && (*out = filter_parse(expr, &cause)) == NULL) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		return false;
	}
	return true;
}

/* text_find (the one rule) for a NUL-terminated needle. */
bool
ui_text_find(const char *hay, size_t n, const char *needle, size_t *at)
{
	return text_find(hay, n, needle, strlen(needle), at);
}

bool
ui_is_marked(const struct ui *ui, const char *id)
{
	return (ui->mark[0] != NULL && strcmp(ui->mark[0], id) == 0) ||
	    (ui->mark[1] != NULL && strcmp(ui->mark[1], id) == 0);
}

/*
 * Requests.  A pane never calls another: it leaves a request here and the
 * loop (ui.c, ui_request) carries it out once the pane has returned.  A
 * selection shown in the inspector is the only frequent one, and only the
 * last of those matters: a later one replaces one still queued (and
 * goes after what was asked in between).
 */
void
ui_post(struct ui *ui, const struct ui_req *r)
{
	size_t i;

	if (r->kind == REQ_SHOW_SPAN) {
		for (i = 0; i < ui->nreqs; i++) {
			if (ui->reqs[i].kind == REQ_SHOW_SPAN) {
				memmove(ui->reqs + i, ui->reqs + i + 1,
				    (ui->nreqs - i - 1) * sizeof *ui->reqs);
				ui->nreqs--;
				break;
			}
		}
	}
	if (ui->nreqs == ui->reqs_cap) {
		ui->reqs_cap = ui->reqs_cap ? ui->reqs_cap * 2 : 8;
		ui->reqs = xreallocarray(ui->reqs, ui->reqs_cap, sizeof *ui->reqs);
	}
	ui->reqs[ui->nreqs++] = *r;
	ui->dirty = true;
}

bool
ui_take_request(struct ui *ui, struct ui_req *r)
{
	if (ui->nreqs == 0)
		return false;
	*r = ui->reqs[0];
	memmove(ui->reqs, ui->reqs + 1, (ui->nreqs - 1) * sizeof *ui->reqs);
	ui->nreqs--;
	return true;
}
