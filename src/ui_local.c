/*
 * ui_local.c — the local source of sessions (ui.h's ui_source_ops): a
 * directory scanned again every second, one file (or stdin) whose rows go
 * when their files do; both read on into grown files.  What a SOURCE
 * argument names and how a directory is scanned is source.c's.
 */
#include "ui.h"

static bool
local_init(struct ui *ui, struct ui_source *src, const char *token)
{
	ui_list_rescan(ui, src);
	return true;
}

static void
local_free(struct ui *ui, struct ui_source *src)
{
}

static const char *
local_where(struct ui *ui, struct ui_source *src)
{
	return ui->src.where;
}

/* New sessions, files that went, grown files. */
static void
local_scan(struct ui *ui, struct ui_source *src)
{
	if (ui->src.kind == SOURCE_DIR)
		ui_list_rescan(ui, src);
	else if (ui->src.kind == SOURCE_FILE)
		ui_list_check_files(ui);
	ui_list_follow(ui);
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

static int
local_pollfds(struct ui *ui, struct ui_source *src, struct pollfd *fds, int max)
{
	return 0;
}

static void
local_perform(struct ui *ui, struct ui_source *src, struct pollfd *fds, int n)
{
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
	.open = local_open,
	.close = local_close,
	.busy = local_busy,
	.error = local_error,
	.pollfds = local_pollfds,
	.perform = local_perform,
	.poll_ms = local_poll_ms,
};
