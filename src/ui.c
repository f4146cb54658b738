/* SPDX-License-Identifier: MIT */
/*
 * ui.c — the browser's terminal, its one poll() loop, which pane has the
 * keys (ui_pane), key and mouse dispatch through the pane tables, and the
 * one place requests of panes are carried out (ui_request).
 *
 * Each loop turn: draw if anything changed, wait for a key (not at all
 * while reading is pending, up to the next timer otherwise), handle every
 * key that is waiting, then spend a small time budget reading.  Keys are
 * therefore answered between slices of even a very large trace.
 */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"
#include "sources.h"
#include "trace.h"
#include "xmalloc.h"

/* Reading budget per loop turn: small enough that a key waits at most
 * about a frame. */
#define WORK_MS 12
#define SCAN_MS 1000
#define FOLLOW_MS 500
/* While a session loads on other threads, how often the loop looks at
 * what has arrived (the status bar's count, the rows now and then). */
#define LOAD_TICK_MS 100
#define DOUBLE_CLICK_MS 400

/*
 * The timing log (MCP_INSPECT_TUI_TIMING=FILE), for the benchmark: one
 * event a line, times in ms from the cause to the frame that shows it:
 *   list <ms>            start → first frame with session rows
 *   open <ms>            opening a session → first frame with its rows
 *   loaded <ms> <spans>  opening → everything read
 *   key <action> <ms>    a key read → the frame after handling it
 *   keyin <ms>           the earliest moment the keys of a turn can have
 *                        reached the terminal → the frame after them: an
 *                        upper bound of what the user waited, including
 *                        the loop's work (network, reading) before getch
 *   select <ms>          a selection → its tab read back, parsed, rendered
 *   scan <ms> <sessions> a directory scanned again (ui_list.c: only when
 *                        it changed), from its start over the turns it took
 */
static const char *const action_names[] = {
	"none",
#define KEY_NAME(a, w, h, ...) #a,
	KEY_ACTIONS(KEY_NAME)
#undef KEY_NAME
};

static void
ui_timing(struct ui *ui, const char *what, int64_t since_us, const char *extra)
{
	if (ui->timing == NULL)
		return;
	fprintf(ui->timing, "%s %.3f%s%s\n", what, (double)(ui_now_us() - since_us) / 1000.0,
	    extra != NULL ? " " : "", extra != NULL ? extra : "");
	fflush(ui->timing);
}

/* After a frame: log what it completed. */
static void
ui_timing_frame(struct ui *ui)
{
	char name[64], count[32];
	const char *a;
	size_t k;
	int i;

	if (ui->timing == NULL)
		return;
	if (!ui->logged_list && ui->list.nrows > 0) {
		ui->logged_list = true;
		ui_timing(ui, "list", ui->t_start_us, NULL);
	}
	if (ui->screen == SCREEN_SESSION && ui->t_open_us != 0) {
		if (!ui->logged_open && ui->tree.nrows > 0) {
			ui->logged_open = true;
			ui_timing(ui, "open", ui->t_open_us, NULL);
		}
		if (!ui->logged_loaded && !ui->tree.loading) {
			ui->logged_loaded = true;
			snprintf(count, sizeof count, "%u", trace_count(session_trace(ui->tree.s)));
			ui_timing(ui, "loaded", ui->t_open_us, count);
		}
	}
	for (i = 0; i < ui->nkeys_pending; i++) {
		/* "ACT_PAGE_DOWN" → "page_down" */
		a = action_names[ui->keys_pending[i]];
		a += strncmp(a, "ACT_", 4) == 0 ? 4 : 0;
		for (k = 0; a[k] != '\0' && k < sizeof name - 5; k++)
			name[k] = (char)(a[k] >= 'A' && a[k] <= 'Z' ? a[k] - 'A' + 'a' : a[k]);
		name[k] = '\0';
		memmove(name + 4, name, k + 1);
		memcpy(name, "key ", 4);
		ui_timing(ui, name, ui->keys_at_us[i], NULL);
	}
	ui->nkeys_pending = 0;
	if (ui->keyin_us != 0) {
		ui_timing(ui, "keyin", ui->keyin_us, NULL);
		ui->keyin_us = 0;
	}
	if (ui->t_select_us != 0 && ui->insp.doc_width != -1) {
		ui_timing(ui, "select", ui->t_select_us, NULL);
		ui->t_select_us = 0;
	}
}

static unsigned ui_where(const struct ui *);

static void
ui_timing_key(struct ui *ui, int key, int64_t at_us)
{
	if (ui->timing == NULL || ui->nkeys_pending == 32)
		return;
	/* Typing into a prompt is logged as "key none", not as the action the
	 * letter would be outside it. */
	ui->keys_pending[ui->nkeys_pending] = ui->prompt != PROMPT_NONE ? ACT_NONE :
	    keys_action(key, ui_where(ui));
	ui->keys_at_us[ui->nkeys_pending++] = at_us;
}

static int64_t
ts_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

/*
 * Signals.  The terminal is in raw mode, so C-c and C-z arrive as keys;
 * the same signals sent by kill(1) only set a flag here, and the loop
 * (woken by EINTR) acts on it outside the handler.
 */
static volatile sig_atomic_t ui_got_signal;	/* SIGINT, SIGTERM or SIGHUP */
static volatile sig_atomic_t ui_got_tstp;
static volatile sig_atomic_t ui_got_cont;

static void
ui_on_signal(int sig)
{
	if (sig == SIGTSTP)
		ui_got_tstp = 1;
	else if (sig == SIGCONT)
		ui_got_cont = 1;
	else
		ui_got_signal = sig;
}

static void
ui_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* C-c: leave at once, as a shell expects of an interrupted program. */
static void
ui_interrupt(struct ui *ui)
{
	ui->quit = true;
	ui->exit_code = 128 + SIGINT;
}

/* C-z: give the terminal back and stop; `fg` continues here and the
 * whole screen is drawn again. */
static void
ui_suspend(struct ui *ui)
{
	struct sigaction sa, old;

	endwin();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &old, NULL);
	ui_got_tstp = ui_got_cont = 0;
	clearok(curscr, TRUE);
	ui->dirty = true;
}

/* What the signal handlers asked for, done in the loop. */
static void
ui_check_signals(struct ui *ui)
{
	if (ui_got_signal != 0) {
		ui->quit = true;
		ui->exit_code = 128 + ui_got_signal;
	}
	if (ui_got_tstp)
		ui_suspend(ui);
	if (ui_got_cont) {
		ui_got_cont = 0;
		clearok(curscr, TRUE);
		ui->dirty = true;
	}
}

/*
 * The pane that has the keys, chosen here and nowhere else; shown (when
 * not NULL) gets the panes on screen, in drawing order, NULL-terminated.
 */
static const struct ui_pane_ops *
ui_pane(const struct ui *ui, const struct ui_pane_ops **shown)
{
	/* The session screen: the tree and the inspector side by side. */
	static const struct ui_pane_ops *const session[] = { &ui_tree_pane,
	    &ui_inspector_pane, NULL };
	const struct ui_pane_ops *pane;
	bool alone = true;

	if (ui->screen == SCREEN_LIST)
		pane = &ui_list_pane;
	else if (ui->screen == SCREEN_DIFF)
		pane = &ui_diff_pane;
	else if (ui->an.stats_open)
		pane = &ui_stats_pane;
	else {
		pane = ui->focus == FOCUS_INSPECTOR ? &ui_inspector_pane : &ui_tree_pane;
		alone = false;
	}
	if (shown != NULL && alone) {
		shown[0] = pane;
		shown[1] = NULL;
	} else if (shown != NULL)
		memcpy(shown, session, sizeof session);
	return pane;
}

static unsigned
ui_where(const struct ui *ui)
{
	return ui_pane(ui, NULL)->where;
}

static const struct ui_pane_ops *
ui_pane_by_id(enum ui_pane_id id)
{
	static const struct ui_pane_ops *const panes[PANE_COUNT] = {
		[PANE_LIST] = &ui_list_pane, [PANE_TREE] = &ui_tree_pane,
		[PANE_INSPECTOR] = &ui_inspector_pane, [PANE_STATS] = &ui_stats_pane,
		[PANE_DIFF] = &ui_diff_pane,
	};

	return panes[id];
}

/* Everything that goes with the open session: a diff borrowing it, the
 * inspector, the analyses, the tree. */
static void
ui_close_session(struct ui *ui)
{
	ui_diff_forget(ui);
	ui_inspector_clear(ui);
	ui_analysis_clear(ui);
	if (ui->tree.source != NULL)
		ui->tree.source->ops->close(ui, ui->tree.source);
	ui_tree_close(ui);
}

static void
ui_open_session(struct ui *ui, size_t entry)
{
	struct ui_entry *e = &ui->list.e[entry];
	struct session_ref ref;

	/* Nothing is left to read: say so once, instead of an empty
	 * "running" session and a "cannot open" warning. */
	if (e->gone) {
		ui_message(ui, true, "session %s: its files are gone; the list "
		    "keeps what was last read", e->ref.id);
		return;
	}
	ui_close_session(ui);
	ui->t_open_us = ui_now_us();
	ui->logged_open = ui->logged_loaded = false;
	ui->tree.source = e->source;
	e->source->ops->open(ui, e->source, e, &ref);
	ui->screen = SCREEN_SESSION;
	ui->focus = FOCUS_TREE;
	ui_tree_open(ui, e->ref.id, &ref);
}

/* What the inspector shows follows the tree's selection; a placeholder is
 * shown again (its node number moves as spans arrive). */
static void
ui_show_span(struct ui *ui, uint32_t node)
{
	if (ui->tree.s == NULL)
		return;
	if (node == TRACE_NONE || trace_is_placeholder(session_trace(ui->tree.s), node) ||
	    ui->insp.node != node || ui->insp.view == NULL)
		ui_inspector_show(ui, node);
}

/* The one place requests are carried out. */
static void
ui_request(struct ui *ui, struct ui_req *r)
{
	struct ui_entry *e;

	switch (r->kind) {
	case REQ_NONE:
		break;
	case REQ_QUIT:
		ui->quit = true;
		break;
	case REQ_OPEN_SESSION:
		ui_open_session(ui, r->entry);
		break;
	case REQ_CLOSE_SESSION:
		ui_close_session(ui);
		ui->screen = SCREEN_LIST;
		break;
	case REQ_SESSION_FILES:
		e = &ui->list.e[r->entry];
		if (ui->tree.s != NULL && ui->tree.id == e->ref.id)
			ui_tree_add_files(ui, &e->ref);
		break;
	case REQ_FOCUS:
		ui->focus = ui_pane_by_id(r->pane)->focus;
		if (r->n)
			ui->insp.cursor = ui->insp.scroll;
		break;
	case REQ_SHOW_SPAN:
		ui_show_span(ui, r->node);
		break;
	case REQ_SCROLL_INSPECTOR:
		ui_inspector_scroll(ui, r->n);
		break;
	case REQ_PANE_ACTION:
		ui_pane_by_id(r->pane)->action(ui, r->action);
		break;
	case REQ_OPEN_STATS:
		/* The view counts the tree as it is now. */
		if (ui->tree.rows_dirty || trace_tree_stale(session_trace(ui->tree.s)))
			ui_tree_rows(ui);
		ui_analysis_open_stats(ui);
		break;
	case REQ_FILTER_TREE:
		if (ui_tree_set_filter(ui, r->text))
			ui_message(ui, false, "the spans of this row (f changes the filter)");
		break;
	case REQ_CLOSE_DIFF:
		ui_diff_close(ui);
		break;
	}
	free(r->text);
	ui->dirty = true;
}

/* Carry out what panes asked for, and what that asked for in turn. */
static void
ui_requests(struct ui *ui)
{
	struct ui_req r;

	while (ui_take_request(ui, &r))
		ui_request(ui, &r);
}

/*
 * q goes back a level and quits from the list, or from a session opened
 * directly (a file or stdin, where the list would be one row); Esc goes
 * back too (to that one row) but never quits: it is pressed to dismiss
 * things (tig, htop).  What "back" is, each pane says.
 */
static void
ui_back(struct ui *ui, const struct ui_pane_ops *pane, bool may_quit)
{
	struct ui_req r = { .kind = REQ_NONE };

	if (pane->back != NULL)
		pane->back(ui, may_quit, &r);
	ui_request(ui, &r);
}

static void
ui_search(struct ui *ui, const struct ui_pane_ops *pane, int dir)
{
	if (ui->search == NULL || *ui->search == '\0') {
		ui_message(ui, false, "no search yet: press / to search");
		return;
	}
	if (pane->search != NULL)
		pane->search(ui, ui->search, dir);
}

static void
ui_open_prompt(struct ui *ui, const struct ui_pane_ops *pane, enum ui_prompt_kind kind)
{
	const char *cur = NULL;

	if (kind == PROMPT_FILTER && pane->set_filter == NULL)
		return;
	ui->prompt = kind;
	free(ui->prompt_error);
	ui->prompt_error = NULL;
	if (kind == PROMPT_FILTER)
		cur = pane->filter_text(ui);
	lineedit_start(&ui->edit, cur, &ui->hist[kind]);
	ui->dirty = true;
}

static void
ui_close_prompt(struct ui *ui)
{
	ui->prompt = PROMPT_NONE;
	free(ui->prompt_error);
	ui->prompt_error = NULL;
}

static void
ui_prompt_done(struct ui *ui)
{
	const struct ui_pane_ops *pane = ui_pane(ui, NULL);
	const char *text = lineedit_text(&ui->edit);

	lineedit_commit(&ui->edit);
	if (ui->prompt == PROMPT_PIPE) {
		ui->prompt = PROMPT_NONE;
		ui_out_pipe(ui, text);
		return;
	}
	if (ui->prompt == PROMPT_SEARCH) {
		ui_close_prompt(ui);
		if (*text != '\0') {
			free(ui->search);
			ui->search = xstrdup(text);
		}
		ui_search(ui, pane, 1);
		return;
	}
	if (!pane->set_filter(ui, text)) {
		/* The prompt stays open, the reason next to what was typed. */
		free(ui->prompt_error);
		ui->prompt_error = ui->message;
		ui->message = NULL;
		return;
	}
	ui_close_prompt(ui);
	if (*text != '\0')
		ui_message(ui, false, "filter: %s  (f then Enter on an empty line clears it)", text);
	else
		ui_message(ui, false, "filter cleared");
}

static void
ui_prompt_key(struct ui *ui, int key)
{
	ui->dirty = true;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui_prompt_done(ui);
		return;
	case KEY_ESC:
	case KEY_CTRL('g'):
		ui_close_prompt(ui);
		return;
	case KEY_BACKSPACE:
	case 127:
	case KEY_CTRL('h'):
		/* Backspace on an empty line closes it, as in less and vi. */
		if (ui->edit.text.len == 0) {
			ui_close_prompt(ui);
			return;
		}
		break;
	}
	if (ui_lineedit_key(&ui->edit, key)) {
		free(ui->prompt_error);
		ui->prompt_error = NULL;
	}
}

/* Keys while an overlay is shown: they scroll it (drawing clamps the
 * scroll), Q quits, anything else closes it. */
static void
ui_overlay_key(struct ui *ui, enum key_action a)
{
	/* Drawing knows the box and clamps the far end; half a screen a page. */
	switch (a) {
	case ACT_DOWN:
	case ACT_UP:
	case ACT_PAGE_DOWN:
	case ACT_PAGE_UP:
		ui->overlay_scroll = (int)cursor_step(ui->overlay_scroll, keys_cursor_step(a),
		    INT_MAX, ui->lay.h / 2);
		break;
	case ACT_QUIT: ui->quit = true; break;
	case ACT_INTERRUPT: ui_interrupt(ui); break;
	case ACT_SUSPEND: ui_suspend(ui); break;
	default: ui->overlay = OVERLAY_NONE; break;
	}
	ui->dirty = true;
}

static void
ui_open_overlay(struct ui *ui, enum ui_overlay which)
{
	ui->overlay = which;
	ui->overlay_scroll = 0;
}

/* The pane on screen under (y, x): the last drawn that has the point. */
static const struct ui_pane_ops *
ui_pane_at(struct ui *ui, int y, int x)
{
	const struct ui_pane_ops *shown[3];
	int i;

	ui_pane(ui, shown);
	for (i = 0; shown[i + 1] != NULL; i++)
		;
	for (; i > 0; i--) {
		if (shown[i]->contains == NULL || shown[i]->contains(ui, y, x))
			break;
	}
	return shown[i];
}

static void
ui_mouse(struct ui *ui)
{
	const struct ui_pane_ops *pane;
	MEVENT ev;
	bool twice;
	int64_t now;

	if (getmouse(&ev) != OK)
		return;
	pane = ui_pane_at(ui, ev.y, ev.x);
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		if (pane->wheel != NULL)
			pane->wheel(ui, ev.bstate & BUTTON4_PRESSED ? ACT_UP : ACT_DOWN);
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)))
		return;
	now = ui_now_ms();
	twice = (ev.bstate & BUTTON1_DOUBLE_CLICKED) ||
	    (now - ts_ms(&ui->last_click) < DOUBLE_CLICK_MS && ev.y == ui->last_click_y);
	clock_gettime(CLOCK_MONOTONIC, &ui->last_click);
	ui->last_click_y = ev.y;
	if (pane->click == NULL)
		return;
	if (pane->click(ui, ev.y, ev.x, twice) && pane->session)
		ui->focus = pane->focus;
	ui->dirty = true;
}

/* Keys that work the same in every pane, before the pane's own. */
static bool
ui_global_key(struct ui *ui, enum key_action a)
{
	switch (a) {
	case ACT_NONE: return true;
	case ACT_QUIT: ui->quit = true; return true;
	case ACT_INTERRUPT: ui_interrupt(ui); return true;
	case ACT_SUSPEND: ui_suspend(ui); return true;
	case ACT_HELP: ui_open_overlay(ui, OVERLAY_HELP); return true;
	case ACT_REDRAW: clearok(curscr, TRUE); return true;
	default: return false;
	}
}

/* D: the open session is read to its end first (the diff needs all of
 * it; what a download still lacks, ui_diff_open refuses). */
static void
ui_open_diff(struct ui *ui)
{
	if (!ui_diff_ready(ui))
		return;
	if (ui->screen == SCREEN_SESSION)
		ui_tree_load_all(ui);
	ui_diff_open(ui);
}

/* Keys the panes leave to the loop: going back, prompts, marks, copy. */
static void
ui_common_key(struct ui *ui, const struct ui_pane_ops *pane, enum key_action a)
{
	switch (a) {
	case ACT_BACK: ui_back(ui, pane, true); break;
	case ACT_CANCEL: ui_back(ui, pane, false); break;
	case ACT_WARNINGS: ui_open_overlay(ui, OVERLAY_WARNINGS); break;
	case ACT_SEARCH: ui_open_prompt(ui, pane, PROMPT_SEARCH); break;
	case ACT_SEARCH_NEXT: ui_search(ui, pane, 1); break;
	case ACT_SEARCH_PREV: ui_search(ui, pane, -1); break;
	case ACT_FILTER: ui_open_prompt(ui, pane, PROMPT_FILTER); break;
	case ACT_MARK: ui_diff_mark(ui); break;
	case ACT_DIFF: ui_open_diff(ui); break;
	case ACT_COPY: ui_out_copy(ui, false); break;
	case ACT_COPY_OUTLINE: ui_out_copy(ui, true); break;
	case ACT_PAGER: ui_out_pager(ui); break;
	case ACT_PIPE: ui_open_prompt(ui, pane, PROMPT_PIPE); break;
	default: break;
	}
}

static void
ui_key(struct ui *ui, int key)
{
	const struct ui_pane_ops *pane;
	enum key_action a;

	if (key == KEY_RESIZE) {
		ui->insp.doc_width = -1;
		ui->dirty = true;
		return;
	}
	if (key == KEY_MOUSE) {
		ui_mouse(ui);
		return;
	}
	/* C-c and C-z work everywhere, a prompt included. */
	if (key == KEY_CTRL('c')) {
		ui_interrupt(ui);
		return;
	}
	if (key == KEY_CTRL('z')) {
		ui_suspend(ui);
		return;
	}
	if (ui->prompt != PROMPT_NONE) {
		ui_prompt_key(ui, key);
		return;
	}
	pane = ui_pane(ui, NULL);
	a = keys_action(key, pane->where);
	if (ui->overlay != OVERLAY_NONE) {
		ui_overlay_key(ui, a);
		return;
	}
	if (a != ACT_NONE && ui->message != NULL) {
		free(ui->message);
		ui->message = NULL;
	}
	if (a != ACT_NONE) {
		free(ui->search_note);
		ui->search_note = NULL;
	}
	ui->dirty = true;
	if (ui->lay.too_small && a != ACT_BACK && a != ACT_CANCEL && a != ACT_QUIT &&
	    a != ACT_INTERRUPT && a != ACT_SUSPEND)
		return;
	if (ui_global_key(ui, a) || pane->action(ui, a))
		return;
	ui_common_key(ui, pane, a);
}

/* One frame: the frame's bars around the panes on screen.  What drawing
 * a pane asks for (the tree's rows rebuilt select a span) is done before
 * the next pane draws. */
static void
ui_draw(struct ui *ui)
{
	const struct ui_pane_ops *shown[3], *pane = ui_pane(ui, shown);
	int i;

	ui_requests(ui);
	if (!ui_frame_begin(ui, pane))
		return;
	for (i = 0; shown[i] != NULL; i++) {
		shown[i]->draw(ui);
		ui_requests(ui);
	}
	ui_frame_end(ui, pane);
}

/* The terminal: stdin, or /dev/tty when stdin carries the trace. */
static FILE *tty_in, *tty_out;
static SCREEN *ui_screen;

/* A terminal that cannot move the cursor (TERM=dumb, an emacs shell
 * buffer) would get a blank screen: refuse it as an unknown one. */
static bool
ui_term_can_draw(char **cause)
{
	char *cup = tigetstr("cup");

	if (cup != NULL && cup != (char *)-1)
		return true;
	endwin();
	delscreen(ui_screen);
	ui_screen = NULL;
	if (tty_in != NULL) {
		fclose(tty_in);
		tty_in = NULL;
	}
	*cause = xasprintf("cannot start the terminal (TERM=%s): it cannot move the "
	    "cursor; use --list, --dump or --tail", getenv("TERM") ? getenv("TERM") : "");
	return false;
}

static int
ui_term_init(struct ui *ui, char **cause)
{
	SCREEN *scr;

	if (!isatty(STDIN_FILENO)) {
		if ((tty_in = fopen("/dev/tty", "r")) == NULL) {
			*cause = xasprintf("cannot open the terminal /dev/tty: %s", strerror(errno));
			return -1;
		}
		tty_out = stdout;
		if ((scr = ui_screen = newterm(NULL, tty_out, tty_in)) == NULL) {
			*cause = xasprintf("cannot start the terminal (TERM=%s)",
			    getenv("TERM") ? getenv("TERM") : "");
			return -1;
		}
		set_term(scr);
		/* The trace on stdin must not block the loop. */
		fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	} else if ((ui_screen = newterm(NULL, stdout, stdin)) == NULL) {
		*cause = xasprintf("cannot start the terminal (TERM=%s)",
		    getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	if (!ui_term_can_draw(cause))
		return -1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
	    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	{
		const char *cs = nl_langinfo(CODESET);

		ui->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	}
	ui_draw_init(ui);
	return 0;
}

static int
ui_input_fd(void)
{
	return tty_in != NULL ? fileno(tty_in) : STDIN_FILENO;
}

static void
ui_timers(struct ui *ui, bool *working)
{
	struct timespec now;

	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ts_ms(&now) - ts_ms(&ui->last_scan) >= SCAN_MS) {
		ui->last_scan = now;
		for (i = 0; i < ui->nsources; i++) {
			if (ui->sources[i]->ops->scan(ui, ui->sources[i]))
				*working = true;
		}
		ui_requests(ui);
	}
	if (ui->screen == SCREEN_SESSION && ts_ms(&now) - ts_ms(&ui->last_follow) >= FOLLOW_MS) {
		ui->last_follow = now;
		ui_tree_follow(ui);
		*working = *working || ui->tree.loading;
	}
	for (i = 0; i < ui->nsources; i++) {
		if (ui->sources[i]->ops->turn != NULL)
			ui->sources[i]->ops->turn(ui, ui->sources[i]);
	}
}

/* How long poll may sleep: not at all while reading, else until the next
 * timer of ours or of the network. */
static int
ui_poll_timeout(struct ui *ui, bool working)
{
	long t = FOLLOW_MS / 2, n;
	size_t i;

	if (working)
		return 0;
	if (ui_tree_loading_apart(ui) || ui->an.job != NULL)
		t = LOAD_TICK_MS;
	for (i = 0; i < ui->nsources; i++) {
		n = ui->sources[i]->ops->poll_ms(ui, ui->sources[i]);
		if (n >= 0 && n < t)
			t = n;
	}
	return (int)t;
}

#define MAX_FDS 256

/* Every source's descriptors after the terminal's, one run each
 * (nfds[i] of source i); how many in all. */
static int
ui_sources_pollfds(struct ui *ui, struct pollfd *fds, int max, int *nfds)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ui->nsources; i++) {
		nfds[i] = ui->sources[i]->ops->pollfds(ui, ui->sources[i], fds + n,
		    max - n);
		n += nfds[i];
	}
	return n;
}

/* What poll said of them, to each its own. */
static void
ui_sources_perform(struct ui *ui, struct pollfd *fds, const int *nfds)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ui->nsources; i++) {
		ui->sources[i]->ops->perform(ui, ui->sources[i], fds + n, nfds[i]);
		n += nfds[i];
	}
}

/* Every source's work spread over turns, within the deadline; true while
 * some is left. */
static bool
ui_sources_work(struct ui *ui, int64_t deadline)
{
	bool working = false;
	size_t i;

	for (i = 0; i < ui->nsources; i++) {
		if (ui->sources[i]->ops->work != NULL &&
		    ui->sources[i]->ops->work(ui, ui->sources[i], deadline))
			working = true;
	}
	return working;
}

static void
ui_loop(struct ui *ui)
{
	struct pollfd fds[MAX_FDS];
	bool working = true, tty_ready;
	int64_t deadline, drained_us = ui_now_us(), poll_in_us, poll_out_us;
	int key, n, rc, timeout, *nfds = xcalloc(ui->nsources, sizeof *nfds);

	while (!ui->quit) {
		if (ui->dirty) {
			ui->dirty = false;
			ui_draw(ui);
			ui_timing_frame(ui);
		}
		fds[0].fd = ui_input_fd();
		fds[0].events = POLLIN;
		fds[0].revents = 0;
		n = 1;
		n += ui_sources_pollfds(ui, fds + 1, MAX_FDS - 2, nfds);
		/* Last, so that the sources' runs stay where they are. */
		if ((fds[n].fd = ui_tree_load_fd(ui)) != -1) {
			fds[n].events = POLLIN;
			fds[n++].revents = 0;
		}
		timeout = ui_poll_timeout(ui, working);
		poll_in_us = ui_now_us();
		/* A background load goes on while the loop sleeps. */
		ui_tree_leave(ui);
		rc = poll(fds, (nfds_t)n, timeout);
		ui_tree_enter(ui);
		if (rc == -1 && errno != EINTR)
			break;
		ui_check_signals(ui);
		poll_out_us = ui_now_us();
		tty_ready = (fds[0].revents & POLLIN) != 0;
		ui_sources_perform(ui, fds + 1, nfds);
		/* ncurses reports resizes (SIGWINCH) through getch too. */
		while ((key = getch()) != ERR && !ui->quit) {
			/* A key poll slept until came when poll woke; one that was
			 * waiting already came after the last empty getch; one that
			 * came during http_perform, after poll. */
			if (ui->timing != NULL && ui->keyin_us == 0)
				ui->keyin_us = !tty_ready ? poll_out_us :
				    poll_out_us - poll_in_us >= 2000 && timeout > 0 ?
				    poll_out_us : drained_us;
			ui_timing_key(ui, key, ui_now_us());
			ui_key(ui, key);
			/* The next key finds what this one asked for done. */
			ui_requests(ui);
		}
		drained_us = ui_now_us();
		deadline = ui_now_ms() + WORK_MS;
		working = false;
		/* The analyses' thread's results, when they have come. */
		ui_analysis_busy(ui);
		if (ui->screen == SCREEN_SESSION)
			working = ui_tree_work(ui, deadline) ||
			    ui_tree_search_work(ui, deadline);
		/* The list's rows wait while the open session has the cores. */
		if (!working && !ui_tree_loading_apart(ui))
			working = ui_sources_work(ui, deadline);
		if (!working && !ui_tree_loading_apart(ui))
			working = ui_list_work(ui, deadline);
		ui_timers(ui, &working);
	}
	free(nfds);
}

/* The sources, each copied with its short name, its rows scanned or
 * asked for. */
static void
ui_sources_init(struct ui *ui, const struct source *src, size_t n, const char *token)
{
	struct ui_source *us;
	char **labels = xcalloc(n, sizeof *labels);
	size_t i;

	sources_labels(src, n, labels);
	ui->sources = xcalloc(n, sizeof *ui->sources);
	ui->nsources = n;
	for (i = 0; i < n; i++) {
		ui->sources[i] = us = xcalloc(1, sizeof *us);
		us->src.kind = src[i].kind;
		us->src.where = xstrdup(src[i].where);
		us->label = labels[i];
		us->ops = src[i].kind == SOURCE_URL ? &ui_remote_source : &ui_local_source;
	}
	free(labels);
	for (i = 0; i < n; i++)
		ui->sources[i]->ops->init(ui, ui->sources[i], token);
}

static void
ui_sources_free(struct ui *ui)
{
	struct ui_source *us;
	size_t i;

	for (i = 0; i < ui->nsources; i++) {
		us = ui->sources[i];
		us->ops->free(ui, us);
		source_clear(&us->src);
		free(us->label);
		free(us->error);
		free(us);
	}
	free(ui->sources);
}

int
ui_run(const struct source *src, size_t nsrc, const char *token)
{
	struct ui ui;
	struct ui_req req;
	char *cause = NULL;
	int n;

	memset(&ui, 0, sizeof ui);
	ui.insp.node = TRACE_NONE;
	ui.insp.doc_width = -1;
	ui.t_start_us = ui_now_us();
	/* A big session is built while the user waits (xmalloc.h). */
	xmalloc_huge_pages(true);
	if (getenv("MCP_INSPECT_TUI_TIMING") != NULL)
		ui.timing = fopen(getenv("MCP_INSPECT_TUI_TIMING"), "a");
	/* Before newterm, so that ncurses keeps its own handlers off. */
	ui_signals();
	if (ui_term_init(&ui, &cause) == -1) {
		cli_error("%s", cause);
		free(cause);
		return 1;
	}
	ui_sources_init(&ui, src, nsrc, token);
	ui_list_init(&ui);
	clock_gettime(CLOCK_MONOTONIC, &ui.last_scan);
	ui.dirty = true;
	/* One file or stdin: open it at once, as `less file` would. */
	if (nsrc == 1 && src[0].kind != SOURCE_DIR && ui.list.n == 1) {
		ui.direct = src[0].kind != SOURCE_URL;
		ui_open_session(&ui, 0);
	}
	ui_requests(&ui);
	ui_loop(&ui);
	endwin();
	delscreen(ui_screen);
	if (tty_in != NULL)
		fclose(tty_in);
	ui_diff_close(&ui);
	ui_close_session(&ui);
	while (ui_take_request(&ui, &req))
		free(req.text);
	free(ui.reqs);
	ui_list_free(&ui);
	free(ui.mark[0]);
	free(ui.mark[1]);
	free(ui.pipe_cmd);
	free(ui.pipe_out);
	free(ui.pipe_status);
	ui_sources_free(&ui);
	lineedit_free(&ui.edit);
	free(ui.prompt_error);
	for (n = 0; n < PROMPT_COUNT; n++)
		lineedit_history_free(&ui.hist[n]);
	free(ui.search);
	free(ui.message);
	free(ui.search_note);
	if (ui.timing != NULL)
		fclose(ui.timing);
	return ui.exit_code;
}
