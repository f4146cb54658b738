/* SPDX-License-Identifier: MIT */
/*
 * ui_out.c — getting things out of the browser (doc/reference.md §9): `y` / `Y` copy
 * with OSC 52, `o` opens the value in $PAGER, `|` pipes it into a shell
 * command and shows what came back in an overlay.
 *
 * "The value" is what the cursor is on: in the tree, the span as JSON
 * (its full detail; `Y` the subtree as a Markdown outline); in the
 * inspector, on the State tab the JSON node, on the Context tab the
 * message, on the Attributes tab the span's JSON again.
 */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* What a piped command may take and give back. */
#define PIPE_TIMEOUT_MS 10000
#define PIPE_OUTPUT_MAX (1024 * 1024)

/* The Context tab's message under the cursor: from the header line at or
 * above it to the line before the next header, as shown. */
static char *
ui_out_message(const struct vdoc *doc, int cursor)
{
	struct buf b = BUF_INIT;
	size_t from, to, i;
	uint16_t r;
	bool header;

	if (doc->n == 0)
		return NULL;
	from = (size_t)cursor < doc->n ? (size_t)cursor : doc->n - 1;
	for (;; from--) {
		for (header = false, r = 0; r < doc->lines[from].nruns; r++)
			header = header || doc->lines[from].runs[r].style == VS_HEADER;
		if (header || from == 0)
			break;
	}
	for (to = from + 1; to < doc->n; to++) {
		for (header = false, r = 0; r < doc->lines[to].nruns; r++)
			header = header || doc->lines[to].runs[r].style == VS_HEADER;
		if (header)
			break;
	}
	while (to > from + 1 && doc->lines[to - 1].len == 0)
		to--;
	for (i = from; i < to; i++) {
		buf_add(&b, doc->lines[i].text, doc->lines[i].len);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

/* The value under the cursor (caller frees) and what it is; NULL with
 * the reason in the status bar. */
static char *
ui_out_value(struct ui *ui, bool outline, const char **what)
{
	struct trace *t;
	char *v, *cause = NULL;
	uint32_t node = ui->tree.sel;

	if (ui->screen != SCREEN_SESSION || ui->tree.s == NULL) {
		ui_message(ui, true, "open a session first");
		return NULL;
	}
	t = session_trace(ui->tree.s);
	if (node == TRACE_NONE || node >= trace_nodes(t)) {
		ui_message(ui, true, "no span selected");
		return NULL;
	}
	if (outline) {
		*what = "subtree outline";
		return export_outline(t, node);
	}
	if (ui->focus == FOCUS_INSPECTOR && ui->insp.view != NULL) {
		if (ui->insp.tab == TAB_STATE) {
			v = span_view_state_value(ui->insp.view, &ui->insp.doc,
			    (size_t)ui->insp.cursor, what);
			if (v == NULL)
				ui_message(ui, true, "no state or result JSON on this span");
			return v;
		}
		if (ui->insp.tab == TAB_CONTEXT) {
			*what = "message";
			if ((v = ui_out_message(&ui->insp.doc, ui->insp.cursor)) == NULL)
				ui_message(ui, true, "no message here");
			return v;
		}
	}
	if (trace_is_placeholder(t, node)) {
		ui_message(ui, true, "a missing parent has no JSON; Y copies its subtree");
		return NULL;
	}
	*what = "span JSON";
	if ((v = export_span_json(ui->tree.s, node, &cause)) == NULL) {
		ui_message(ui, true, "%s", cause);
		free(cause);
	}
	return v;
}

static void
ui_out_write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void
ui_out_copy(struct ui *ui, bool outline)
{
	struct buf seq = BUF_INIT, size = BUF_INIT;
	const char *what = "value";
	char *v, *cause = NULL;
	size_t n;

	if ((v = ui_out_value(ui, outline, &what)) == NULL)
		return;
	n = strlen(v);
	export_size(&size, n);
	if (export_osc52(&seq, v, n, &cause) == -1) {
		ui_message(ui, true, "%s %s", what, cause);
		free(cause);
	} else {
		/* Between frames the screen is settled: the sequence goes
		 * straight to the terminal, which keeps it (tmux needs
		 * set-clipboard on). */
		ui_out_write_all(STDOUT_FILENO, seq.p, seq.len);
		ui_message(ui, false, "copied %s (%s) with OSC 52", what, buf_str(&size));
	}
	buf_free(&seq);
	buf_free(&size);
	free(v);
}

/* The value in an unlinked-on-return temporary file; -1 with a message. */
static int
ui_out_tempfile(struct ui *ui, const char *v, char **path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	*path = xasprintf("%s/mcp-inspect-tui.XXXXXX", dir != NULL && *dir != '\0' ?
	    dir : "/tmp");
	if ((fd = mkstemp(*path)) == -1) {
		ui_message(ui, true, "cannot make a temporary file %s: %s", *path,
		    strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	ui_out_write_all(fd, v, strlen(v));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

void
ui_out_pager(struct ui *ui)
{
	const char *what = "value";
	char *v, *path;
	pid_t pid;
	int fd, status = 0, tty;

	if ((v = ui_out_value(ui, false, &what)) == NULL)
		return;
	if ((fd = ui_out_tempfile(ui, v, &path)) == -1) {
		free(v);
		return;
	}
	free(v);
	def_prog_mode();
	endwin();
	if ((pid = fork()) == 0) {
		/* The pager reads keys from the terminal even when the trace
		 * came on standard input. */
		if (!isatty(STDIN_FILENO) && (tty = open("/dev/tty", O_RDONLY)) != -1)
			dup2(tty, STDIN_FILENO);
		execl("/bin/sh", "sh", "-c", "exec ${PAGER:-less} \"$1\"", "sh", path,
		    (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	close(fd);
	unlink(path);
	free(path);
	reset_prog_mode();
	clearok(curscr, TRUE);
	ui->dirty = true;
	if (pid == -1)
		ui_message(ui, true, "cannot start the pager: %s", strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		ui_message(ui, true, "the pager could not be run (PAGER=%s)",
		    getenv("PAGER") != NULL ? getenv("PAGER") : "less");
}

/* Read the command's output until it closes it, the limit or the time
 * runs out. */
static void
ui_out_collect(int rfd, struct buf *out, bool *timed_out, bool *cut)
{
	struct pollfd pfd = { rfd, POLLIN, 0 };
	int64_t end = ui_now_ms() + PIPE_TIMEOUT_MS, left;
	char tmp[8192];
	ssize_t n;

	*timed_out = *cut = false;
	for (;;) {
		if ((left = end - ui_now_ms()) <= 0) {
			*timed_out = true;
			return;
		}
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return;
		if ((n = read(rfd, tmp, sizeof tmp)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return;
		}
		if (n == 0)
			return;
		if (out->len + (size_t)n > PIPE_OUTPUT_MAX) {
			buf_add(out, tmp, PIPE_OUTPUT_MAX - out->len);
			*cut = true;
			return;
		}
		buf_add(out, tmp, (size_t)n);
	}
}

/* Run cmd with the value on its standard input; its output and status
 * go to the pipe overlay. */
void
ui_out_pipe(struct ui *ui, const char *cmd)
{
	struct buf out = BUF_INIT;
	const char *what = "value";
	char *v, *path;
	bool timed_out, cut;
	pid_t pid;
	int in, p[2], status = 0;

	if (*cmd == '\0')
		return;
	if ((v = ui_out_value(ui, false, &what)) == NULL)
		return;
	in = ui_out_tempfile(ui, v, &path);
	free(v);
	if (in == -1)
		return;
	unlink(path);
	free(path);
	if (pipe(p) == -1) {
		ui_message(ui, true, "cannot make a pipe: %s", strerror(errno));
		close(in);
		return;
	}
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		dup2(in, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(in);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in);
	close(p[1]);
	if (pid == -1) {
		ui_message(ui, true, "cannot start the command: %s", strerror(errno));
		close(p[0]);
		return;
	}
	ui_out_collect(p[0], &out, &timed_out, &cut);
	close(p[0]);
	if (timed_out || cut)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	free(ui->pipe_cmd);
	ui->pipe_cmd = xstrdup(cmd);
	free(ui->pipe_status);
	if (timed_out)
		ui->pipe_status = xasprintf("stopped after %d s", PIPE_TIMEOUT_MS / 1000);
	else if (cut)
		ui->pipe_status = xasprintf("stopped: output over %d KB", PIPE_OUTPUT_MAX / 1024);
	else if (WIFEXITED(status))
		ui->pipe_status = xasprintf("exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		ui->pipe_status = xasprintf("killed by signal %d", WTERMSIG(status));
	else
		ui->pipe_status = xstrdup("ended");
	free(ui->pipe_out);
	ui->pipe_out = buf_detach(&out);
	ui->overlay = OVERLAY_PIPE;
	ui->overlay_scroll = 0;
	ui->dirty = true;
}

/* The overlay: the command's output, one screen line a line, each drawn
 * through ui_put, which escapes whatever the command printed. */
void
ui_out_draw_pipe(struct ui *ui)
{
	struct buf title = BUF_INIT;
	const char *p = ui->pipe_out != NULL ? ui->pipe_out : "", *nl;
	const char *none = "(no output)";
	int x, y, w, h, nlines = 0, i;

	for (nl = p; *nl != '\0'; nl++)
		nlines += *nl == '\n';
	if (*p != '\0' && p[strlen(p) - 1] != '\n')
		nlines++;
	buf_adds(&title, " | ");
	text_sanitize(&title, ui->pipe_cmd, strlen(ui->pipe_cmd), 0);
	buf_printf(&title, "  [%s]  (j/k scroll; q closes) ", ui->pipe_status);
	ui_draw_box(ui, 120, nlines > 0 ? nlines : 1, buf_str(&title), &x, &y, &w, &h);
	if (nlines == 0)
		ui_put(y, x, w, none, strlen(none), VS_DIM, false);
	for (i = 0; i < ui->overlay_scroll && *p != '\0'; i++)
		p = (nl = strchr(p, '\n')) != NULL ? nl + 1 : p + strlen(p);
	for (i = 0; i < h && *p != '\0'; i++) {
		nl = strchr(p, '\n');
		ui_put(y + i, x, w, p, nl != NULL ? (size_t)(nl - p) : strlen(p), VS_NORMAL, false);
		p = nl != NULL ? nl + 1 : p + strlen(p);
	}
	buf_free(&title);
}
