/* SPDX-License-Identifier: MIT */
/*
 * ui.h — the interactive browser's state, shared by the ui*.c files (the
 * only files besides keys.c that use curses).
 *
 * One poll() loop (ui.c) owns the terminal and the reading work: key and
 * mouse handlers change this state and set `dirty`; the screen is drawn
 * once per loop turn.  Reading is sliced into small budgets between turns,
 * so keys are answered while a large trace or a directory loads.
 */
#ifndef UI_H
#define UI_H

#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "remote.h"
#include "keys.h"
#include "lineedit.h"
#include "session.h"
#include "source.h"
#include "span_view.h"
#include "treeguide.h"
#include "vdoc.h"

struct filter;
struct ui;

enum ui_screen { SCREEN_LIST, SCREEN_SESSION, SCREEN_DIFF };
enum ui_focus { FOCUS_TREE, FOCUS_INSPECTOR };
enum ui_prompt_kind { PROMPT_NONE, PROMPT_SEARCH, PROMPT_FILTER, PROMPT_PIPE,
	PROMPT_COUNT };

struct ui_entry;

/*
 * Sources.  Where sessions come from is one table of operations: local
 * (ui_local.c: a directory, files, stdin, through source.c) and remote
 * (ui_remote.c: an inspector's HTTP API).  The loop, the list and the
 * tree go through it instead of asking which kind they have.  The loop
 * holds every SOURCE argument as one (ui->sources): their descriptors
 * polled together, their scans, work and timers all run, and each list
 * entry names its source, so rows of several sources share one list.
 */
struct ui_source;
struct spansearch;

struct ui_source_ops {
	const char *name;
	/* Rows' meta is the source's word (an inspector's /sessions and
	 * events), not read from their files: counts come from Heartbeats,
	 * and the list, the title and the diff draw them so. */
	bool meta_given;
	/* Make src->state and the first rows (a scan), or the requests that
	 * bring them; false (with a message) when the source cannot be read. */
	bool (*init)(struct ui *, struct ui_source *, const char *token);
	void (*free)(struct ui *, struct ui_source *);
	/* What the title bar names: the directory, file or URL. */
	const char *(*where)(struct ui *, struct ui_source *);
	/* The scan timer (once a second): new sessions, grown files.  True
	 * when the scan goes on over the next turns (work carries it). */
	bool (*scan)(struct ui *, struct ui_source *);
	/* Every working turn, before the list reads sessions: the source's
	 * work spread over turns, until the deadline (NULL: none).  True
	 * while some is left. */
	bool (*work)(struct ui *, struct ui_source *, int64_t deadline_ms);
	/* Every loop turn: the source's own timers (NULL: none). */
	void (*turn)(struct ui *, struct ui_source *);
	/* Point ref at what entry e reads when opened: its files, or a
	 * download's spool (then busy and error speak of it); close: the
	 * open session is going. */
	void (*open)(struct ui *, struct ui_source *, struct ui_entry *, struct session_ref *);
	void (*close)(struct ui *, struct ui_source *);
	/* More of the open session is still coming (a download). */
	bool (*busy)(struct ui *, struct ui_source *);
	/* Why the open session's bytes stopped coming, or NULL. */
	const char *(*error)(struct ui *, struct ui_source *);
	/* The source's file descriptors for the loop's poll, and what poll
	 * said of them; the longest poll may sleep for it (-1: any). */
	int (*pollfds)(struct ui *, struct ui_source *, struct pollfd *, int max);
	void (*perform)(struct ui *, struct ui_source *, struct pollfd *, int n);
	long (*poll_ms)(struct ui *, struct ui_source *);
	/* The connection for the status bar (NULL: nothing to say). */
	void (*status)(struct ui *, struct ui_source *, struct buf *);
	/* What the list says before it has rows (NULL: "No sessions"). */
	const char *(*waiting)(struct ui *, struct ui_source *);
	/* A word for its rows while they are not current (the inspector is
	 * offline), or NULL (see ui_source_down). */
	const char *(*down)(struct ui *, struct ui_source *);
};

/* One source being read: what its SOURCE argument names, its operations
 * and their state (ui_remote.c's: the inspector, its event stream, the
 * open session's download; ui_local.c's: a directory's sweep). */
struct ui_source {
	struct source src;           /* owned */
	char *label;                 /* its short name (sources.h); owned */
	char *error;                 /* why it cannot be read now, or NULL
	                                (ui_source_error); owned */
	const struct ui_source_ops *ops;
	void *state;
};

extern const struct ui_source_ops ui_local_source, ui_remote_source;

/* One session of the list; its totals are read by a summary session. */
struct ui_entry {
	struct session_ref ref;      /* owned */
	struct ui_source *source;    /* where it comes from */
	struct session *summary;     /* NULL until reading starts */
	struct session_meta meta;    /* refreshed as it is read */
	bool have_meta;
	bool read_once;              /* read to its end at least once */
	bool behind;                 /* grew since: ui_list_work reads on */
	bool gone;                   /* its files went away: meta is the last
	                                read, nothing more is read */
	/* A session whose source gives its meta (ui_entry_remote): these own
	 * the strings meta points to. */
	bool counts;                 /* span and token counts are known */
	unsigned chunks;             /* rotated chunks /trace/ID does not serve
	                                (a real inspector): the trace is partial */
	char *r_engine, *r_signal, *r_prompt;
	int64_t r_tokens;            /* Heartbeat tokens_delta summed since the
	                                browser connected: in and out together,
	                                shown as "+N", never as input */
};

struct ui_list {
	struct ui_entry *e;          /* owned */
	size_t n;
	size_t *rows;                /* shown entries, sorted newest first */
	size_t nrows;
	size_t sel;                  /* entry index of the selection */
	bool sel_top;                /* the selection is the top row until the
	                                user moves it or the list has settled
	                                (every row read once) */
	size_t top;                  /* first row shown */
	struct filter *filter;
	size_t next_read;            /* round-robin cursor for reading */
	bool order_dirty;            /* re-sort/re-filter before drawing */
};

struct ui_tree {
	struct session *s;           /* the open session (owned) */
	const char *id;              /* its entry's id */
	uint32_t *rows;              /* visible nodes in tree order */
	uint32_t nrows;
	uint32_t sel;                /* selected node (span index or placeholder) */
	uint32_t sel_ph;             /* strtab id when sel is a placeholder */
	uint32_t top;                /* node shown at the first row */
	uint8_t *collapsed;          /* per span index */
	uint32_t ncollapsed_cap;
	uint32_t *ph_collapsed;      /* strtab ids of collapsed placeholders */
	size_t nph_collapsed;
	struct filter *filter;
	uint8_t *keep;               /* with a filter, per node: 1 matches, 2 holds
	                                a match (shown dimmed, for context) */
	uint32_t nmatch;             /* spans the filter matches */
	bool rows_dirty;             /* rebuild rows before drawing */
	bool loading;                /* still reading what exists */
	/* Reading it on other threads (loader.h), NULL when read here in
	 * slices.  While set, the loop is inside its gate for each turn:
	 * ui_tree_enter / ui_tree_leave around poll. */
	struct loader *loader;
	int64_t load_started_ms;     /* when the loader started */
	struct timespec last_rows;   /* when rows were last rebuilt while loading */
	uint32_t shown_spans;        /* spans when they were */
	int64_t rebuild_ms;          /* what that rebuild cost */
	int64_t t0, t1;              /* session time range for the waterfall */
	/* A search: every span's name, label, id and raw line (attribute
	 * values, status description), looked at a slice a turn, in tree
	 * order from where it started, so big sessions keep their keys. */
	char *s_text;                /* what is searched (owned), NULL for none */
	uint8_t *s_hit;              /* per span index: 0 not looked at, 1 no, 2 yes */
	uint32_t s_nspans;           /* spans when it started (more arrive: again) */
	uint32_t s_start, s_done;    /* tree position it started at; positions seen */
	uint32_t s_nhits;
	/* Once it is complete: the tree positions of every match, ascending,
	 * for "match i of N" without a pass over every node per n. */
	uint32_t *s_ranks, s_nranks, s_ranks_nodes;
	int s_dir;                   /* the direction of the jump still owed */
	bool s_jump;                 /* select the first match found */
	struct spansearch *s_search; /* which spans hold s_text (owned) */
	struct ui_source *source;    /* of the open session */
};

struct ui_inspector {
	struct span_view *view;      /* NULL when nothing or a placeholder */
	uint32_t node;               /* the node it shows, TRACE_NONE for none */
	enum span_tab tab;
	struct vdoc doc;             /* rendered tab */
	int doc_width;               /* width doc was rendered for, -1 = stale */
	int scroll;                  /* first doc line shown */
	int cursor;                  /* doc line under the cursor (inspector focus) */
	char *error;                 /* why the span could not be shown */
	char *sought;                /* the search this tab was last brought to
	                                (its first match in view; owned) */
};

/* doc/reference.md §9 in the browser (ui_analysis.c), for the open session. */
struct critpath;
struct cost_rollup;
struct stats;
/* The stats view's columns. */
enum ui_stats_col { STATS_COL_KEY, STATS_COL_COUNT, STATS_COL_ERRORS, STATS_COL_TOTAL,
	STATS_COL_P50, STATS_COL_P95, STATS_COL_MAX, STATS_COL_TOKENS, STATS_COL_COST,
	STATS_COL_N };

struct ui_analysis {
	struct critpath *cp;         /* of the tree snapshot, NULL when none */
	bool cp_none;                /* computed: there is no path */
	bool cp_only;                /* `c`: only spans on the path */
	bool cp_logged;
	uint32_t nodes, spans;       /* the snapshot cp and cost are of */
	int64_t cp_us;               /* what computing cp cost */
	struct cost_rollup *cost;    /* subtree cost per node */
	/* The stats view (`s`). */
	bool stats_open;
	bool stats_logged;
	bool stats_eager;            /* computed once after the load */
	struct stats *stats;
	int64_t stats_us;
	size_t *order;               /* rows: group indexes in sort order */
	struct an_job *job;          /* computing them on a thread, or NULL */
	size_t nrows, sel, top;
	int sort;                    /* column */
	bool sort_rev;
	bool sort_chosen;            /* sort holds a choice (else: total time) */
};

/* Boxes drawn over the screen; any key but a scroll closes them. */
enum ui_overlay {
	OVERLAY_NONE,
	OVERLAY_HELP,       /* the key table */
	OVERLAY_WARNINGS,   /* everything that went wrong reading the session */
	OVERLAY_PIPE,       /* what a | command printed, and its status */
};

/* Smaller than this, the frame says so instead of drawing panes. */
#define UI_MIN_W 40
#define UI_MIN_H 8

struct ui_layout {
	int w, h;
	int list_y, list_h;          /* session list rows */
	int tree_x, tree_y, tree_w, tree_h;
	int insp_x, insp_y, insp_w, insp_h; /* tabs line included */
	bool stacked;
	bool too_small;
};

/* What a status-bar error is about, when it is about something that can
 * come back by itself (ui_message_cause). */
enum ui_cause {
	UI_CAUSE_NONE,
	UI_CAUSE_SOURCE,             /* the directory scan or /sessions */
	UI_CAUSE_TRACE,              /* the open remote session's download */
};

/* Every glyph the browser draws that has a UTF-8 and an ASCII form:
 * one table each (ui_draw.c), chosen once from the locale. */
struct ui_glyphs {
	const char *ellipsis;        /* text cut short */
	/* A list row's status. */
	const char *gone, *loading, *paused, *failed, *completed, *running;
	const char *partial;         /* standard input not read to its end */
	struct treeguide_glyphs guide;
	const char *fold_closed, *fold_open, *leaf;
	const char *on_path;         /* the gutter mark of the critical path */
	const char *error;           /* before a span in error */
	const char *bar;             /* one cell of the waterfall */
	bool acs;                    /* rules drawn with curses' line glyphs */
};

/*
 * Panes.  Each pane (session list, span tree, inspector, stats view, diff
 * screen) is one table of operations, defined in its own file; the loop
 * (ui.c) picks the table of the pane that has the keys in one place
 * (ui_pane) and goes through it for keys, clicks, search, filter, the
 * status bar and drawing.  A pane changes only its own state and the
 * shared bits of struct ui (messages, dirty); what it needs of another
 * pane or of the loop, it asks for with a request (ui_post).
 */
enum ui_pane_id { PANE_LIST, PANE_TREE, PANE_INSPECTOR, PANE_STATS, PANE_DIFF, PANE_COUNT };

/* What a pane asks of the loop; carried out by ui_request (ui.c) after the
 * pane returned, in the order asked. */
enum ui_req_kind {
	REQ_NONE,
	REQ_QUIT,
	REQ_OPEN_SESSION,        /* entry: open the list's entry */
	REQ_CLOSE_SESSION,       /* back to the list */
	REQ_SESSION_FILES,       /* entry: its files changed (the open one reads on) */
	REQ_FOCUS,               /* pane: TREE or INSPECTOR; n != 0: the cursor
	                            starts at the inspector's first line shown */
	REQ_SHOW_SPAN,           /* node: the inspector shows it */
	REQ_SCROLL_INSPECTOR,    /* n lines */
	REQ_PANE_ACTION,         /* pane, action: a key for a pane beside */
	REQ_OPEN_STATS,
	REQ_FILTER_TREE,         /* text (owned by the request): filter the tree */
	REQ_CLOSE_DIFF,
};

struct ui_req {
	enum ui_req_kind kind;
	enum ui_pane_id pane;
	enum key_action action;
	size_t entry;
	uint32_t node;
	int n;
	char *text;
};

/* The keys that matter in a pane, for the status bar. */
struct ui_hint {
	const char *keys, *what;
	int rank;                    /* the lowest go first when room is short */
};

struct ui_pane_ops {
	const char *name;
	unsigned where;              /* keys.h KW_*: which bindings apply */
	bool session;                /* the title bar names the open session */
	enum ui_focus focus;         /* with session: the focus it stands for */
	const struct ui_hint *hints;
	void (*draw)(struct ui *);
	/* A key's action: false when it is not this pane's, and the loop's
	 * common keys (search, filter, marks, copy, back...) apply. */
	bool (*action)(struct ui *, enum key_action);
	/* q (may_quit) or Esc: what going back from here is. */
	void (*back)(struct ui *, bool may_quit, struct ui_req *);
	/* Whether (y, x) is in the pane (the loop asks the panes shown, the
	 * last drawn first); NULL: anywhere. */
	bool (*contains)(struct ui *, int y, int x);
	/* A click; true when it takes the focus.  NULL: clicks do nothing. */
	bool (*click)(struct ui *, int y, int x, bool twice);
	/* The wheel: ACT_UP or ACT_DOWN.  NULL: nothing. */
	void (*wheel)(struct ui *, enum key_action);
	/* n / N and /; NULL: no search here. */
	void (*search)(struct ui *, const char *text, int dir);
	/* f: NULL when the pane has no filter. */
	bool (*set_filter)(struct ui *, const char *expr);
	const char *(*filter_text)(struct ui *);
	/* The right of the status bar; NULL: the session list's counts. */
	void (*status)(struct ui *, struct buf *);
	/* The left of the status bar when no message is up (true when it
	 * wrote); NULL: the first warning of the session on screen. */
	bool (*hint)(struct ui *, struct buf *);
};

extern const struct ui_pane_ops ui_list_pane, ui_tree_pane, ui_inspector_pane,
    ui_stats_pane, ui_diff_pane;

struct ui {
	struct ui_source **sources;  /* every SOURCE argument, in order (owned) */
	size_t nsources;
	enum ui_screen screen;
	enum ui_focus focus;
	struct ui_list list;
	struct ui_tree tree;
	struct ui_inspector insp;
	struct ui_analysis an;
	bool an_hinted;              /* the unpriced-model hint was given */
	struct ui_layout lay;
	enum ui_overlay overlay;     /* a box over the screen, until a key */
	int overlay_scroll;
	enum ui_prompt_kind prompt;  /* an input line is open */
	struct lineedit edit;        /* its text */
	char *prompt_error;          /* why Enter did not take it, shown in place */
	struct lineedit_history hist[PROMPT_COUNT]; /* each prompt's, for the run */
	char *search;                /* last search text */
	char *message;               /* status-bar message until the next key */
	char *search_note;           /* "match i of N", beside the counts, until
	                                the next key: the left keeps warnings */
	bool message_error;
	enum ui_cause message_cause; /* what a failure message is about */
	bool dirty;
	bool quit;
	int exit_code;               /* ui_run's: 0, or 128 + a signal */
	bool direct;                 /* a file or stdin, opened at start: q quits */
	bool utf8;                   /* box drawing and glyphs */
	const struct ui_glyphs *glyph; /* the set for utf8 (never NULL once
	                                  the terminal is up) */
	bool color;
	struct timespec last_scan;   /* directory re-scan timer */
	struct timespec last_follow; /* open-session follow timer */
	struct timespec last_click;  /* for double clicks */
	int last_click_y;
	/* MCP_INSPECT_TUI_TIMING: what the benchmark reads (see ui.c). */
	FILE *timing;
	int64_t t_start_us, t_open_us, t_select_us;
	bool logged_list, logged_open, logged_loaded;
	enum key_action keys_pending[32];
	int64_t keys_at_us[32];
	int nkeys_pending;
	int64_t keyin_us;           /* earliest a key read this turn can have come */
	/* Compare and export (ui_diff.c, ui_out.c). */
	char *mark[2];               /* marked session ids, the older first */
	struct ui_diff *diff;        /* the diff screen's state, or NULL */
	enum ui_screen diff_back;    /* the screen q returns to from it */
	char *pipe_cmd, *pipe_out, *pipe_status; /* the last | command */
	/* Requests posted by panes, not yet carried out (ui_common.c). */
	struct ui_req *reqs;
	size_t nreqs, reqs_cap;
};

/* ui.c: browse n sources (copied). */
int ui_run(const struct source *, size_t n, const char *token);

/* ui_common.c — below every pane. */
void ui_message(struct ui *, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error about cause (NULL: cause works again).  The message is shown
 * like any other, and taken back when cause recovers, so that a stale
 * "cannot open" never stays after the directory or server came back. */
void ui_message_cause(struct ui *, enum ui_cause, const char *error);
/* Source src failed (error) or works again (NULL): kept on the source for
 * its rows, and the status bar's UI_CAUSE_SOURCE message follows the
 * first source still failing. */
void ui_source_error(struct ui *, struct ui_source *, const char *error);
/* Why src's rows are not current (its error, or its ops' down word), or
 * NULL. */
const char *ui_source_down(struct ui *, struct ui_source *);
/* Whether e's meta is its source's word rather than read from its files. */
bool ui_entry_remote(const struct ui_entry *);
void ui_search_note(struct ui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int64_t ui_now_ms(void);
int64_t ui_now_us(void);
/* Parse a filter typed by the user; an empty one is NULL (no filter).
 * False, with the reason in the status bar, when it does not parse. */
bool ui_filter_parse(struct ui *, const char *expr, struct filter **);
/* Case-insensitive (ASCII) substring search in hay[0..n); *at gets where. */
bool ui_text_find(const char *hay, size_t n, const char *needle, size_t *at);
/* Whether session id is marked (m) for a diff. */
bool ui_is_marked(const struct ui *, const char *id);
/* Leave a request for the loop (copied; a text it holds is the loop's to
 * free), and take the oldest back (ui.c). */
void ui_post(struct ui *, const struct ui_req *);
bool ui_take_request(struct ui *, struct ui_req *);

/* ui_frame.c — the frame around the panes: title and status bars, the
 * help, warnings and pipe overlays.  ui_frame_begin is false (and the
 * frame drawn) when the terminal is too small for panes. */
bool ui_frame_begin(struct ui *, const struct ui_pane_ops *);
void ui_frame_end(struct ui *, const struct ui_pane_ops *);

/* ui_draw.c — the shared drawing helpers: everything reaches the screen
 * through these. */
void ui_draw_init(struct ui *);
void ui_draw_layout(struct ui *);
void ui_fill(int y, int x, int w, int attr);
/* Draw safe text clipped to w columns at (y, x) in a style; returns the
 * columns used. */
int ui_put(int y, int x, int w, const char *s, size_t n, enum vstyle st, bool reverse);
int ui_put_attr(int y, int x, int w, const char *s, size_t n, int attr);
/* ui_put, with every match of needle (a search; may be NULL) shown
 * highlighted. */
int ui_put_hl(int y, int x, int w, const char *s, size_t n, enum vstyle st, bool reverse,
    const char *needle);
int ui_style_attr(enum vstyle st);
void ui_draw_vline(const struct vline *, int y, int x, int w, int skip_cols, bool selected);
/* A document line with every match of needle (a search; may be NULL)
 * highlighted as ui_put_hl does. */
void ui_draw_vline_hl(const struct vline *, int y, int x, int w, bool selected,
    const char *needle);
/* A rule down (vertical) or across, in the glyph set's line style. */
void ui_draw_rule(struct ui *, int y, int x, int len, bool vertical);
/* A centred box for an overlay (see ui_draw.c). */
void ui_draw_box(struct ui *, int max_w, int nlines, const char *title,
    int *x, int *y, int *w, int *rows);

/* ui_prompt.c — prompt lines, for every prompt of the browser. */
/* Apply an editing key (readline's: arrows, C-a C-e C-w C-u C-k, Delete,
 * Up/Down history) or insert a typed byte; false for other keys. */
bool ui_lineedit_key(struct lineedit *, int key);
int ui_prompt_draw(int y, int w, const char *label, const struct lineedit *);

/*
 * The panes.  Beyond its table, each exports only what the loop calls
 * (opening, closing, reading work, timers) and, for ui_list.c and
 * ui_analysis.c, what the layers above read (entries, the analyses).
 */

/* ui_list.c */
void ui_list_init(struct ui *);
void ui_list_free(struct ui *);
/* Scan source from whole and merge it into the list (its rows only).
 * ui_list_merge: merge a scan's refs (taken) the same way. */
void ui_list_rescan(struct ui *, struct ui_source *from);
void ui_list_merge(struct ui *, struct ui_source *from, struct session_ref *,
    size_t n);
/* A file named on the command line: its row is gone when its files are. */
void ui_list_check_files(struct ui *, struct ui_source *);
/* Read on into grown files of rows read once (live sessions). */
void ui_list_follow(struct ui *);
/* The same for rows from..from+count of source src; returns the row after
 * them (the list's length when done), for a follow spread over turns. */
size_t ui_list_follow_rows(struct ui *, struct ui_source *, size_t from,
    size_t count);
bool ui_list_work(struct ui *, int64_t deadline_ms);
void ui_list_sort(struct ui *);
/* The entry of session id from source src (NULL: any), or NULL. */
struct ui_entry *ui_list_entry(struct ui *, struct ui_source *src, const char *id);
/* A new row for ref (copied), from source. */
struct ui_entry *ui_list_add(struct ui *, const struct session_ref *, struct ui_source *);
/* "N sessions  filter: ...  reading i/n", for the status bar. */
void ui_list_status(struct ui *, struct buf *);

/* ui_tree.c */
/* Open the session of list entry id (its files: ref) in the tree. */
void ui_tree_open(struct ui *, const char *id, const struct session_ref *);
void ui_tree_close(struct ui *);
bool ui_tree_work(struct ui *, int64_t deadline_ms);
/* A background load runs (other work of the loop waits for it: the cores
 * are its), and its descriptor, readable when it is done (-1: none). */
bool ui_tree_loading_apart(const struct ui *);
int ui_tree_load_fd(const struct ui *);
/* Around poll: the loop leaves the load's gate while it sleeps. */
void ui_tree_leave(struct ui *);
void ui_tree_enter(struct ui *);
/* Read the open session to its current end before going on (the diff). */
void ui_tree_load_all(struct ui *);
void ui_tree_follow(struct ui *);
void ui_tree_add_files(struct ui *, const struct session_ref *);
void ui_tree_rows(struct ui *);
bool ui_tree_search_work(struct ui *, int64_t deadline_ms);
bool ui_tree_set_filter(struct ui *, const char *expr);

/* ui_inspector.c */
void ui_inspector_show(struct ui *, uint32_t node);
void ui_inspector_clear(struct ui *);
void ui_inspector_scroll(struct ui *, int lines);

/* ui_local.c and ui_remote.c export their ui_source_ops only. */

/* ui_analysis.c — the open session's analyses (below the tree, the
 * inspector and the stats pane, ui_stats.c, which show them). */
void ui_analysis_clear(struct ui *);
/* After the tree snapshot was rebuilt: the path and costs follow it. */
void ui_analysis_update(struct ui *);
/* A big session's analyses are being computed on their own thread: the
 * trace must not change until then (takes them in when they are done). */
bool ui_analysis_busy(struct ui *);
/* Wait for them (the diff reads the rest of the session). */
void ui_analysis_wait(struct ui *);
bool ui_analysis_on_path(struct ui *, uint32_t node);
bool ui_analysis_keep(struct ui *, uint32_t node);
bool ui_analysis_cost(struct ui *, uint32_t node, double *usd);
void ui_analysis_toggle_path(struct ui *);
void ui_analysis_span_extra(struct ui *, uint32_t node, struct span_view_extra *);
void ui_analysis_open_stats(struct ui *);
void ui_analysis_stats_refresh(struct ui *);
/* Order the rows by the column chosen (a->sort, a->sort_rev). */
void ui_analysis_stats_sort(struct ui *);

/* ui_diff.c — m, D and the diff screen. */
void ui_diff_mark(struct ui *);
/* Whether D can compare something here (a message says why not); the
 * loop then reads the rest of the open session before ui_diff_open. */
bool ui_diff_ready(struct ui *);
void ui_diff_open(struct ui *);
void ui_diff_close(struct ui *);
void ui_diff_forget(struct ui *);

/* ui_out.c — y / Y (OSC 52), o ($PAGER), | (pipe). */
void ui_out_copy(struct ui *, bool outline);
void ui_out_pager(struct ui *);
void ui_out_pipe(struct ui *, const char *cmd);
void ui_out_draw_pipe(struct ui *);

#endif
