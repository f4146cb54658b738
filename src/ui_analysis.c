/* SPDX-License-Identifier: MIT */
/*
 * ui_analysis.c — the browser's side of doc/reference.md §9: the critical path in the
 * span tree (a mark on its spans, `c` for "critical path only"), cost in
 * the tree roll-up and the inspector, and the stats the stats view (`s`,
 * ui_stats.c) shows.
 *
 * Everything here is computed on the tree snapshot ui_tree_rows() builds,
 * and again only when that snapshot changes; the path of a running
 * session runs to the time the snapshot was taken.  A snapshot rebuilt
 * while a big session is still loading gets no path (the load finishing
 * brings one): the path costs O(spans log spans), and keys come first.
 *
 * For a big session the path, the costs and the stats are computed on a
 * thread of their own (a million spans take most of a second), and the
 * rows show without them until they come.  Meanwhile the trace does not
 * change: the tree reads no more of the session (ui_analysis_busy) and
 * whatever needs the results waits for them (an_wait).
 */
#include "ui.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cost.h"
#include "critpath.h"
#include "fmt.h"
#include "prices.h"
#include "stats.h"
#include "trace.h"
#include "xmalloc.h"

/* Below this many nodes the path follows every snapshot, even while a
 * session loads. */
#define AN_LOADING_NODES 50000

/* What the analysis thread computes, on a trace nobody changes until it
 * is joined; the browser takes the results (an_wait). */
struct an_job {
	pthread_t thread;
	struct trace *tr;           /* borrowed */
	const struct prices *prices;
	int64_t now_ns;
	bool want_stats;            /* the first after a load: `s` is instant */
	struct critpath *cp;
	struct cost_rollup *cost;
	struct stats *stats;
	int64_t cp_us, stats_us;
	pthread_mutex_t lock;       /* over done */
	bool done;
};

static struct trace *
an_trace(struct ui *ui)
{
	return session_trace(ui->tree.s);
}

static int64_t
an_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec) / 1000 * 1000;
}

/* MCP_INSPECT_TUI_TIMING (ui.c): "critpath MS SPANS" once the session
 * has loaded, "stats MS SPANS" when the view first shows them. */
static void
ui_analysis_timing(struct ui *ui, const char *what, int64_t us)
{
	if (ui->timing == NULL)
		return;
	fprintf(ui->timing, "%s %.3f %u\n", what, (double)us / 1000.0,
	    trace_tree_spans(an_trace(ui)));
	fflush(ui->timing);
}

/* The stats of the snapshot: by the path's self times when there is a
 * path.  One rule for the analysis thread and for `s`. */
static struct stats *
an_stats(struct trace *tr, const struct prices *p, const struct critpath *cp,
    int64_t now_ns)
{
	return cp != NULL ? stats_compute_path(tr, p, cp, now_ns, NULL) :
	    stats_compute(tr, p, now_ns, NULL);
}

/* New stats are in (a->stats, computed in a->stats_us): the first after
 * a load is logged for the benchmark, and the rows are sorted. */
static void
an_stats_in(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;

	if (!ui->tree.loading && !a->stats_logged) {
		a->stats_logged = true;
		ui_analysis_timing(ui, "stats", a->stats_us);
	}
	ui_analysis_stats_sort(ui);
}

static void *
an_job_main(void *arg)
{
	struct an_job *j = arg;
	int64_t t0 = ui_now_us();

	j->cp = critpath_compute(j->tr, CRITPATH_SESSION, j->now_ns);
	j->cp_us = ui_now_us() - t0;
	j->cost = cost_rollup_new(j->tr, j->prices);
	t0 = ui_now_us();
	if (j->want_stats)
		j->stats = an_stats(j->tr, j->prices, j->cp, j->now_ns);
	j->stats_us = ui_now_us() - t0;
	pthread_mutex_lock(&j->lock);
	j->done = true;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* Start computing the snapshot's analyses on their own thread; false
 * when no thread can be had (compute them here). */
static bool
an_start(struct ui *ui)
{
	struct an_job *j = xcalloc(1, sizeof *j);

	j->tr = an_trace(ui);
	j->prices = prices_default();
	j->now_ns = an_now_ns();
	j->want_stats = !ui->an.stats_eager;
	pthread_mutex_init(&j->lock, NULL);
	if (pthread_create(&j->thread, NULL, an_job_main, j) != 0) {
		pthread_mutex_destroy(&j->lock);
		free(j);
		return false;
	}
	ui->an.job = j;
	return true;
}

static void an_finish(struct ui *);

/* Wait for the job and take what it computed. */
static void
an_wait(struct ui *ui)
{
	struct an_job *j = ui->an.job;
	struct ui_analysis *a = &ui->an;

	if (j == NULL)
		return;
	pthread_join(j->thread, NULL);
	a->job = NULL;
	a->cp = j->cp;
	a->cp_none = a->cp == NULL;
	a->cp_us = j->cp_us;
	a->cost = j->cost;
	a->stats = j->stats;
	a->stats_us = j->stats_us;
	pthread_mutex_destroy(&j->lock);
	free(j);
	an_finish(ui);
	if (a->stats != NULL) {
		a->stats_eager = true;
		a->stats_logged = false;
		an_stats_in(ui);
	}
	/* `c` and the inspector's figures show what came. */
	ui->tree.rows_dirty = ui->tree.rows_dirty || a->cp_only;
	ui->dirty = true;
}

void
ui_analysis_wait(struct ui *ui)
{
	an_wait(ui);
}

bool
ui_analysis_busy(struct ui *ui)
{
	struct an_job *j = ui->an.job;
	bool done = false;

	if (j != NULL) {
		pthread_mutex_lock(&j->lock);
		done = j->done;
		pthread_mutex_unlock(&j->lock);
	}
	if (done)
		an_wait(ui);
	return ui->an.job != NULL;
}

void
ui_analysis_clear(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;

	an_wait(ui);
	critpath_free(a->cp);
	cost_rollup_free(a->cost);
	stats_free(a->stats);
	free(a->order);
	memset(a, 0, sizeof *a);
}

/* Unpriced tokens: one hint per run, in the status bar. */
static void
an_hint(struct ui *ui, const char *unpriced)
{
	struct buf b = BUF_INIT;

	if (unpriced == NULL || *unpriced == '\0' || ui->an_hinted)
		return;
	ui->an_hinted = true;
	cost_hint(&b, unpriced);
	ui_message(ui, false, "%s", buf_str(&b));
	buf_free(&b);
}

/* The price table's own complaints (a bad line of the user's table),
 * once per run, in place of the unpriced hint: a bad line is most
 * likely why a cost is unknown. */
static bool
an_prices_warning(struct ui *ui)
{
	static bool said;
	const struct prices *p = prices_default();
	size_t n = prices_nwarnings(p);

	if (said || n == 0)
		return false;
	said = true;
	ui->an_hinted = true;
	if (n > 1)
		ui_message(ui, true, "price table: %s (and %zu more)",
		    prices_warning(p, 0), n - 1);
	else
		ui_message(ui, true, "price table: %s", prices_warning(p, 0));
	return true;
}

void
ui_analysis_update(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	struct trace *tr = an_trace(ui);
	uint32_t nodes = trace_nodes(tr), spans = trace_tree_spans(tr);
	int64_t t0;

	/* The snapshot cannot have changed while a job runs on it. */
	if (a->job != NULL)
		return;
	if (a->cost != NULL && a->nodes == nodes && a->spans == spans &&
	    (a->cp != NULL || a->cp_none || ui->tree.loading))
		return;
	if (ui->tree.loading && nodes >= AN_LOADING_NODES) {
		/* Keep the old marks rather than none; they are about to be
		 * replaced. */
		return;
	}
	critpath_free(a->cp);
	cost_rollup_free(a->cost);
	stats_free(a->stats);
	a->stats = NULL;
	a->nodes = nodes;
	a->spans = spans;
	a->cp = NULL;
	a->cost = NULL;
	if (!ui->tree.loading && nodes >= AN_LOADING_NODES && !a->stats_open &&
	    an_start(ui))
		return;
	t0 = ui_now_us();
	a->cp = critpath_compute(tr, CRITPATH_SESSION, an_now_ns());
	a->cp_none = a->cp == NULL;
	a->cp_us = ui_now_us() - t0;
	a->cost = cost_rollup_new(tr, prices_default());
	an_finish(ui);
	/* The stats too, so that `s` is a key like any other: once when a
	 * session has loaded, and after that on every change of a small one
	 * (a big live session recomputes them when `s` asks). */
	if (a->stats_open || (!ui->tree.loading && (!a->stats_eager ||
	    nodes < AN_LOADING_NODES))) {
		a->stats_eager = true;
		ui_analysis_stats_refresh(ui);
	}
}

/* After the path and costs of a snapshot are in: what follows from them. */
static void
an_finish(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	struct trace *tr = an_trace(ui);
	struct cost c;

	/* The inspector's self time and share come from the path. */
	ui->insp.doc_width = -1;
	if (!ui->tree.loading && a->cp != NULL && !a->cp_logged) {
		a->cp_logged = true;
		ui_analysis_timing(ui, "critpath", a->cp_us);
	}
	if (!ui->tree.loading && !an_prices_warning(ui)) {
		cost_trace(tr, prices_default(), &c);
		if (!c.known)
			an_hint(ui, c.unpriced);
	}
}

bool
ui_analysis_on_path(struct ui *ui, uint32_t node)
{
	return critpath_on(ui->an.cp, node);
}

/* For ui_tree_rows: false for a node `c` hides (with its subtree). */
bool
ui_analysis_keep(struct ui *ui, uint32_t node)
{
	return !ui->an.cp_only || ui->an.cp == NULL || critpath_on(ui->an.cp, node);
}

bool
ui_analysis_cost(struct ui *ui, uint32_t node, double *usd)
{
	return cost_rollup_get(ui->an.cost, node, usd);
}

void
ui_analysis_toggle_path(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	struct buf b = BUF_INIT;

	an_wait(ui);
	if (a->cp == NULL) {
		ui_message(ui, false, ui->tree.loading ? "the critical path comes when "
		    "the session has loaded" : "no critical path: no span has a start time");
		return;
	}
	a->cp_only = !a->cp_only;
	ui->tree.rows_dirty = true;
	if (a->cp_only) {
		buf_adds(&b, "critical path only: wall time ");
		fmt_duration(&b, critpath_wall(a->cp));
		buf_printf(&b, ", %zu segment%s (c shows every span)", a->cp->nseg,
		    a->cp->nseg == 1 ? "" : "s");
		ui_message(ui, false, "%s", buf_str(&b));
	} else
		ui_message(ui, false, "every span (c: critical path only)");
	buf_free(&b);
}

/* What the inspector's Attributes tab says about a span. */
void
ui_analysis_span_extra(struct ui *ui, uint32_t node, struct span_view_extra *x)
{
	struct ui_analysis *a = &ui->an;
	struct trace *tr = an_trace(ui);
	const struct span *sp;
	struct cost c;

	memset(x, 0, sizeof *x);
	if (a->cp == NULL || node >= trace_tree_spans(tr))
		return;
	x->have = true;
	x->self_ns = critpath_span_self(tr, node, an_now_ns());
	x->wall_ns = critpath_wall(a->cp);
	x->on_path = critpath_on(a->cp, node);
	x->path_ns = critpath_self(a->cp, node);
	if (trace_rollup_in(tr, node) > 0 || trace_rollup_out(tr, node) > 0) {
		x->have_subtree = true;
		x->subtree_known = cost_rollup_get(a->cost, node, &x->subtree_usd);
	}
	sp = trace_span(tr, node);
	if (sp->tok_in > 0 || sp->tok_out > 0) {
		cost_span(tr, prices_default(), node, &c);
		x->have_cost = true;
		x->cost_known = c.known;
		x->cost_usd = c.usd;
	}
}

/*
 * The stats: computed and sorted here, shown by the stats pane (ui_stats.c).
 */



static struct ui *an_sort_ui;

static int
an_cmp_num(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
an_row_cmp(const void *pa, const void *pb)
{
	struct ui_analysis *a = &an_sort_ui->an;
	const struct stats_group *x = &a->stats->g[*(const size_t *)pa];
	const struct stats_group *y = &a->stats->g[*(const size_t *)pb];
	int c = 0;

	if (x->by != y->by)
		return x->by < y->by ? -1 : 1;
	switch (a->sort) {
	case STATS_COL_KEY: c = strcmp(x->key, y->key); break;
	case STATS_COL_COUNT: c = an_cmp_num(x->count, y->count); break;
	case STATS_COL_ERRORS: c = an_cmp_num(x->errors, y->errors); break;
	case STATS_COL_TOTAL: c = an_cmp_num(x->total_ns, y->total_ns); break;
	case STATS_COL_P50: c = an_cmp_num(x->p50_ns, y->p50_ns); break;
	case STATS_COL_P95: c = an_cmp_num(x->p95_ns, y->p95_ns); break;
	case STATS_COL_MAX: c = an_cmp_num(x->max_ns, y->max_ns); break;
	case STATS_COL_TOKENS: c = an_cmp_num(tokens_add(x->tok_in, x->tok_out),
	    tokens_add(y->tok_in, y->tok_out)); break;
	case STATS_COL_COST:
		/* Unknown costs sort above every known one. */
		c = x->cost.known != y->cost.known ? (x->cost.known ? -1 : 1) :
		    x->cost.usd < y->cost.usd ? -1 : x->cost.usd > y->cost.usd;
		break;
	}
	/* Names ascend by default, figures descend. */
	if (a->sort != STATS_COL_KEY)
		c = -c;
	if (a->sort_rev)
		c = -c;
	return c != 0 ? c : strcmp(x->key, y->key);
}

void
ui_analysis_stats_sort(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	size_t i;

	free(a->order);
	a->order = xcalloc(a->stats->n ? a->stats->n : 1, sizeof *a->order);
	for (i = 0; i < a->stats->n; i++)
		a->order[i] = i;
	an_sort_ui = ui;
	if (a->stats->n > 1)
		qsort(a->order, a->stats->n, sizeof *a->order, an_row_cmp);
	a->nrows = a->stats->n;
	if (a->sel >= a->nrows)
		a->sel = a->nrows > 0 ? a->nrows - 1 : 0;
}

void
ui_analysis_stats_refresh(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	int64_t t0 = ui_now_us();

	stats_free(a->stats);
	a->stats_logged = false;
	a->stats = an_stats(an_trace(ui), prices_default(), a->cp, an_now_ns());
	a->stats_us = ui_now_us() - t0;
	an_stats_in(ui);
}

void
ui_analysis_open_stats(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	size_t i;

	an_wait(ui);
	if (!a->sort_chosen) {
		a->sort = STATS_COL_TOTAL;
		a->sort_chosen = true;
	}
	/* The loop rebuilt the tree's rows first (REQ_OPEN_STATS). */
	if (a->stats == NULL)
		ui_analysis_stats_refresh(ui);
	else
		ui_analysis_stats_sort(ui);   /* computed before the sort was set */
	a->stats_open = true;
	for (i = 0; i < a->stats->n; i++) {
		if (!a->stats->g[i].cost.known) {
			an_hint(ui, a->stats->g[i].cost.unpriced);
			break;
		}
	}
}
