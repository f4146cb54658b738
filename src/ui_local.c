/* SPDX-License-Identifier: MIT */
/*
 * ui_local.c — the local source of sessions (ui.h's ui_source_ops): a
 * directory looked at again every second (the sweep below), one file (or
 * stdin) whose rows go when their files do; both read on into grown
 * files.  What a SOURCE argument names and how a directory is scanned is
 * source.c's; merging a scan into the rows is ui_list.c's.
 */
#include "ui.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tracefile.h"
#include "xmalloc.h"

/*
 * A directory's once-a-second look (the sweep): scan it again if it
 * changed, then look at every row's files for growth.  At 20 000 sessions
 * that is 40 000 stat calls, ~400 ms, which keys waited for; so the
 * directory is scanned only when its modification or change time moved
 * (an entry was added, removed or renamed), and both parts are spread
 * over the loop's turns within its work budget.  A file only appended to
 * does not change its directory: growth is still looked for every
 * second, row by row.  Coarse or lying directory times (a second's
 * granularity, network file systems) are covered by scanning again while
 * the directory's time is within the last two seconds, and every
 * SCAN_BACKSTOP_MS whatever it says.
 */
#define SWEEP_STEP 32              /* entries or rows between clock reads */
#define SWEEP_SLICE_MS 4           /* of a turn: a key read in it waits for
                                      no more than that before its frame */
#define SCAN_BACKSTOP_MS 10000

/* A directory source's state (src->state; owned).  Files and stdin have
 * none: their rows are few and looked at whole. */
struct local_sweep {
	struct source_dirscan *scan;   /* a scan under way (owned), or NULL */
	struct session_ref *refs;      /* its sessions, to merge (owned) */
	size_t nrefs;
	bool merge;                    /* refs wait to be merged */
	bool following;                /* rows being followed, from next */
	size_t next;
	bool have_dir;                 /* mtim and ctim are set */
	struct timespec mtim, ctim;    /* the directory's, when last scanned */
	int64_t scanned_ms;            /* when the last scan started */
	int64_t scan_us;               /* the same, for the timing log */
};

static bool
ts_differ(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec != b->tv_sec || a->tv_nsec != b->tv_nsec;
}

/* Whether the directory must be scanned again; records its times. */
static bool
sweep_dir_changed(struct ui_source *src, struct local_sweep *sw)
{
	struct stat st;
	bool changed;

	if (stat(src->src.where, &st) == -1) {
		/* The scan names what is wrong. */
		sw->have_dir = false;
		return true;
	}
	changed = !sw->have_dir || ts_differ(&st.st_mtim, &sw->mtim) ||
	    ts_differ(&st.st_ctim, &sw->ctim) ||
	    ui_now_ms() - sw->scanned_ms >= SCAN_BACKSTOP_MS ||
	    time(NULL) - st.st_mtim.tv_sec <= 1 || time(NULL) - st.st_ctim.tv_sec <= 1;
	sw->mtim = st.st_mtim;
	sw->ctim = st.st_ctim;
	sw->have_dir = true;
	return changed;
}

/* The timer: start a sweep unless one is under way. */
static void
sweep_start(struct ui *ui, struct ui_source *src, struct local_sweep *sw)
{
	char *cause = NULL;

	if (sw->scan != NULL || sw->merge || sw->following)
		return;
	if (sweep_dir_changed(src, sw)) {
		sw->scanned_ms = ui_now_ms();
		sw->scan_us = ui_now_us();
		if (source_dirscan_start(src->src.where, NULL, &sw->scan, &cause) == -1) {
			ui_source_error(ui, src, cause);
			free(cause);
			sw->have_dir = false;
		}
	}
	sw->following = sw->scan == NULL;
	sw->next = 0;
}

/* A finished scan into the rows; the timing log (ui.c) gets a "scan"
 * line: how long it took from its start, and the sessions it found. */
static void
sweep_merge(struct ui *ui, struct ui_source *src, struct local_sweep *sw)
{
	sw->merge = false;
	if (ui->timing != NULL) {
		fprintf(ui->timing, "scan %.3f %zu\n",
		    (double)(ui_now_us() - sw->scan_us) / 1000.0, sw->nrefs);
		fflush(ui->timing);
	}
	ui_source_error(ui, src, NULL);
	ui_list_merge(ui, src, sw->refs, sw->nrefs);
	sw->refs = NULL;
	sw->nrefs = 0;
	sw->following = true;
	sw->next = 0;
}

/* Go on with the sweep until the deadline (a slice of it at most); true
 * while some is left. */
static bool
sweep_work(struct ui *ui, struct ui_source *src, int64_t deadline_ms)
{
	struct local_sweep *sw = src->state;

	if (sw == NULL)
		return false;
	if (deadline_ms > ui_now_ms() + SWEEP_SLICE_MS)
		deadline_ms = ui_now_ms() + SWEEP_SLICE_MS;
	while (sw->scan != NULL) {
		if (ui_now_ms() >= deadline_ms)
			return true;
		if (source_dirscan_step(sw->scan, SWEEP_STEP))
			continue;
		/* Grouping and sorting, then merging: one turn each. */
		source_dirscan_finish(sw->scan, &sw->refs, &sw->nrefs);
		sw->scan = NULL;
		sw->merge = true;
		if (ui_now_ms() >= deadline_ms)
			return true;
	}
	if (sw->merge)
		sweep_merge(ui, src, sw);
	while (sw->following) {
		if (ui_now_ms() >= deadline_ms)
			return true;
		sw->next = ui_list_follow_rows(ui, src, sw->next, SWEEP_STEP);
		if (sw->next >= ui->list.n)
			sw->following = false;
	}
	return false;
}

static bool
local_init(struct ui *ui, struct ui_source *src, const char *token)
{
	struct local_sweep *sw;

	if (src->src.kind == SOURCE_DIR) {
		/* The first sweep need not scan again what this scan finds. */
		src->state = sw = xcalloc(1, sizeof *sw);
		sweep_dir_changed(src, sw);
		sw->scanned_ms = ui_now_ms();
	}
	ui_list_rescan(ui, src);
	return true;
}

static void
local_free(struct ui *ui, struct ui_source *src)
{
	struct local_sweep *sw = src->state;

	if (sw != NULL) {
		source_dirscan_free(sw->scan);
		session_refs_free(sw->refs, sw->nrefs);
		free(sw);
	}
	src->state = NULL;
}

static const char *
local_where(struct ui *ui, struct ui_source *src)
{
	return src->src.where;
}

/* New sessions, files that went, grown files: a directory's over the
 * next turns (the sweep), the few rows of named files at once. */
static bool
local_scan(struct ui *ui, struct ui_source *src)
{
	if (src->state != NULL) {
		sweep_start(ui, src, src->state);
		return sweep_work(ui, src, ui_now_ms() + SWEEP_SLICE_MS);
	}
	if (src->src.kind == SOURCE_FILE)
		ui_list_check_files(ui, src);
	ui_list_follow(ui);
	return false;
}

/* A session reads its own files. */
static void
local_open(struct ui *ui, struct ui_source *src, struct ui_entry *e,
    struct session_ref *ref)
{
	*ref = e->ref;
}

/* Growth is picked up by the follow timer: nothing is on its way. */
/* Nothing of the open session is the source's to let go. */
static void
local_close(struct ui *ui, struct ui_source *src)
{
}

static bool
local_busy(struct ui *ui, struct ui_source *src)
{
	return false;
}

/* A file's trouble is a warning on its session, not the source's. */
static const char *
local_error(struct ui *ui, struct ui_source *src)
{
	return NULL;
}

/* Standard input while a writer may still send: polled, so that its
 * bytes are read when they come, not on the next follow timer (a fast
 * writer was held to a few hundred spans a second, blocked on a full
 * pipe between timers). */
static int
local_pollfds(struct ui *ui, struct ui_source *src, struct pollfd *fds, int max)
{
	if (src->src.kind != SOURCE_STDIN || max < 1 || !tracefile_stdin_waiting())
		return 0;
	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	fds[0].revents = 0;
	return 1;
}

/* Bytes (or the end) on standard input: the open session and the row
 * read on now.  (At the end the spool says so, and it is not polled.) */
static void
local_perform(struct ui *ui, struct ui_source *src, struct pollfd *fds, int n)
{
	if (n < 1 || (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return;
	if (ui->screen == SCREEN_SESSION)
		ui_tree_follow(ui);
	ui_list_follow(ui);
}

static long
local_poll_ms(struct ui *ui, struct ui_source *src)
{
	return -1;
}

const struct ui_source_ops ui_local_source = {
	.name = "local",
	.init = local_init,
	.free = local_free,
	.where = local_where,
	.scan = local_scan,
	.work = sweep_work,
	.open = local_open,
	.close = local_close,
	.busy = local_busy,
	.error = local_error,
	.pollfds = local_pollfds,
	.perform = local_perform,
	.poll_ms = local_poll_ms,
};
