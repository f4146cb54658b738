/* SPDX-License-Identifier: MIT */
/*
 * main.c — command line → one of the modes: browse (interactive), --list,
 * --dump, --tail, --events, --critical-path, --stats, --diff.  Exit status: 0
 * success, 1 runtime failure, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "prices.h"
#include "gz.h"
#include "settings.h"
#include "source.h"
#include "ui.h"
#include "xmalloc.h"

enum mode { MODE_BROWSE, MODE_LIST, MODE_DUMP, MODE_TAIL, MODE_EVENTS, MODE_CRITPATH,
	MODE_STATS, MODE_DIFF };

struct options {
	enum mode mode;
	struct cli_opts cli;
	const char *token;
	const char *id;
	const char *source;          /* --diff's SOURCE */
	char **sources;              /* SOURCE arguments (argv's), nsources */
	size_t nsources;
	const char *diff_a, *diff_b; /* --diff's runs */
	double threshold;            /* --threshold, 0 = default */
};

static const char usage_text[] =
"Usage: mcp-inspect-tui [OPTIONS] [SOURCE...]        browse interactively\n"
"       mcp-inspect-tui --list [--json] [--filter EXPR] [SOURCE...]\n"
"                                                   print the session list\n"
"       mcp-inspect-tui --dump [ID] [--json] [--detail] [--filter EXPR]\n"
"                       [SOURCE...]                 print a session's span tree\n"
"       mcp-inspect-tui --tail [ID] [--json] [--detail] [--filter EXPR]\n"
"                       [SOURCE...]                 print spans as they are written\n"
"       mcp-inspect-tui --events [--json] URL        print inspector events as they arrive\n"
"       mcp-inspect-tui --critical-path [ID] [--span SPAN] [--json] [SOURCE...]\n"
"                                                   print a session's critical path\n"
"       mcp-inspect-tui --stats [ID | --all] [--json] [SOURCE...]\n"
"                                                   print time, tokens and cost per\n"
"                                                   tool, model, agent and span type\n"
"       mcp-inspect-tui --diff A B [--json] [--threshold RATIO] [SOURCE]\n"
"                                                   compare two runs\n"
"\n"
"SOURCE is a trace directory, a .jsonl/.jsonl.gz/.json file, - for standard\n"
"input, a named pipe such as <(command), or an inspector URL\n"
"(http[s]://host[:port][/_inspector], port 7800 by default); default:\n"
"$MCP_TRACES_DIR, else ~/.mcp_traces.  Several SOURCEs are read at once:\n"
"their sessions are merged, newest first, each row naming its source (a\n"
"SOURCE column, \"source\" in --list --json); one that cannot be read is a\n"
"warning and the others go on.  ID is a session id or a unique prefix of\n"
"one, looked up in every SOURCE (the same id in two is ambiguous: give only\n"
"its SOURCE); without it the most recent session is used.  --diff's A and B\n"
"are each a session ID in SOURCE, or a source of their own (a file, a\n"
"directory's newest session, an inspector URL's newest).\n"
"\n"
"Options:\n"
"  -l, --list           print the session list and exit\n"
"  -d, --dump           print a session's span tree and exit\n"
"  -t, --tail           print spans as they are written, until interrupted\n"
"  -e, --events         print a remote inspector's events, until interrupted\n"
"  -c, --critical-path  print the chain of spans that set the session's wall\n"
"                       time: offset, self time and share of each segment\n"
"  -s, --stats          print count, errors, total/p50/p95/max duration, tokens\n"
"                       and cost per tool, model, agent and span type, and the\n"
"                       wall time split into llm, tool, waiting and other\n"
"      --span SPAN      --critical-path of that span's subtree\n"
"      --all            --stats of every session of SOURCE, then of them all\n"
"      --diff           compare two runs: spans added (+), removed (-), changed (~)\n"
"      --threshold R    --diff: a duration ratio that counts as slower or\n"
"                       faster (default 1.25)\n"
"  -j, --json           JSON output (--list: one object; --dump/--tail/\n"
"                       --critical-path/--stats/--diff: JSON Lines)\n"
"      --detail         include attributes, events and resource (--dump, --tail)\n"
"  -f, --filter EXPR    only sessions or spans matching EXPR, e.g.\n"
"                       'type:tool status:error name:fetch free text'\n"
"      --token TOKEN    inspector token (default $MCP_INSPECTOR_TOKEN)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version (and the inflate built in) and exit\n"
"\n"
"Defaults for the source, token and colours may be set in\n"
"$XDG_CONFIG_HOME/mcp-inspect-tui/config (see mcp-inspect-tui(1), FILES).\n"
"Cost: tokens priced by the table shipped with the program, overridden by\n"
"$XDG_CONFIG_HOME/mcp-inspect-tui/prices (lines \"model input output\n"
"[cache_read [cache_write]]\", USD per million tokens; cached input is priced\n"
"apart); an unknown model has tokens and no cost.\n"
"\n"
"Exit status: 0 success, 1 runtime failure (of several sources, one could not\n"
"be read: the others were printed), 2 usage error (an ID several SOURCEs\n"
"match, too); the browser left with C-c (or SIGINT) exits with 130.\n"
"--diff, like diff(1): 0 same structure and statuses, 1 different, 2 usage\n"
"error or a run that cannot be read.\n";

/*
 * A standard descriptor the caller closed (">&-") would be taken by the
 * first file opened, and output would go into it.  Hold it with /dev/null
 * opened so that writing fails as it should (EBADF) and reading ends.
 */
static void
hold_closed_std_fds(void)
{
	int fd, nfd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);
		if (nfd != -1 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

/* --version names the inflate the program was built with. */
static const char *
version_text(void)
{
	static char text[128];

	snprintf(text, sizeof text, "mcp-inspect-tui %s (inflate: %s)\n",
	    PACKAGE_VERSION, gz_backend_name());
	return text;
}

/* --help and --version: their output is checked like any other. */
static void
print_and_exit(const char *text)
{
	fputs(text, stdout);
	exit(cli_output_close() == -1 ? 1 : 0);
}

static void
usage_error(const char *msg, const char *arg)
{
	cli_error("%s%s; try 'mcp-inspect-tui --help'", msg, arg ? arg : "");
	exit(2);
}

static void
set_mode(struct options *o, enum mode m)
{
	if (o->mode != MODE_BROWSE && o->mode != m)
		usage_error("choose one of --list, --dump, --tail, --events, "
		    "--critical-path, --stats and --diff", NULL);
	o->mode = m;
}

/*
 * Positionals are [ID] [SOURCE...].  In a mode that takes an ID, a single
 * one is the SOURCE when it is "-", a URL or an existing path, or holds
 * '/' or '.', which session ids ([A-Za-z0-9_-]) never do (so a typo says
 * "cannot open", not "unknown session"); otherwise the ID.  Of several,
 * the first is the ID (as it always was of two) unless it is "-", a URL
 * or an existing path written with a '/' (./traces, /srv/traces): then
 * every one is a SOURCE.
 */
static bool
first_is_source(char **pos, int npos)
{
	if (npos == 1)
		return source_is_source_arg(pos[0]) || strpbrk(pos[0], "/.") != NULL;
	return strcmp(pos[0], "-") == 0 || strncmp(pos[0], "http://", 7) == 0 ||
	    strncmp(pos[0], "https://", 8) == 0 ||
	    (strchr(pos[0], '/') != NULL && source_is_source_arg(pos[0]));
}

static void
assign_positionals(struct options *o, char **pos, int npos)
{
	bool takes_id = o->mode == MODE_DUMP || o->mode == MODE_TAIL ||
	    o->mode == MODE_CRITPATH || (o->mode == MODE_STATS && !o->cli.all);

	if (o->mode == MODE_DIFF) {
		if (npos < 2)
			usage_error("--diff needs two runs: --diff A B [SOURCE]", NULL);
		if (npos > 3)
			usage_error("too many arguments: ", pos[3]);
		o->diff_a = pos[0];
		o->diff_b = pos[1];
		o->source = npos == 3 ? pos[2] : NULL;
		return;
	}
	if (takes_id && npos > 0 && !first_is_source(pos, npos)) {
		o->id = pos[0];
		pos++;
		npos--;
	}
	if (npos > 1 && o->mode == MODE_EVENTS)
		usage_error("--events reads one inspector: ", pos[1]);
	if (npos > 1 && o->cli.all)
		usage_error("--stats --all reads one SOURCE: ", pos[1]);
	o->sources = pos;
	o->nsources = (size_t)npos;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_DETAIL = 256, OPT_TOKEN, OPT_ALL, OPT_SPAN, OPT_THRESHOLD, OPT_DIFF };
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "dump", no_argument, NULL, 'd' },
		{ "tail", no_argument, NULL, 't' },
		{ "events", no_argument, NULL, 'e' },
		{ "critical-path", no_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 's' },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "span", required_argument, NULL, OPT_SPAN },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "json", no_argument, NULL, 'j' },
		{ "detail", no_argument, NULL, OPT_DETAIL },
		{ "filter", required_argument, NULL, 'f' },
		{ "token", required_argument, NULL, OPT_TOKEN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ldtecsjf:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': set_mode(o, MODE_LIST); break;
		case 'd': set_mode(o, MODE_DUMP); break;
		case 't': set_mode(o, MODE_TAIL); break;
		case 'e': set_mode(o, MODE_EVENTS); break;
		case 'c': set_mode(o, MODE_CRITPATH); break;
		case 's': set_mode(o, MODE_STATS); break;
		case OPT_ALL: o->cli.all = true; break;
		case OPT_SPAN: o->cli.span = optarg; break;
		case OPT_DIFF: set_mode(o, MODE_DIFF); break;
		case OPT_THRESHOLD:
			o->threshold = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(o->threshold > 1.0) ||
			    o->threshold > 1e6)
				usage_error("--threshold needs a ratio above 1, such as 1.5: ",
				    optarg);
			break;
		case 'j': o->cli.json = true; break;
		case OPT_DETAIL: o->cli.detail = true; break;
		case 'f': o->cli.filter = optarg; break;
		case OPT_TOKEN: o->token = optarg; break;
		case 'h':
			print_and_exit(usage_text);
			break;
		case 'V':
			print_and_exit(version_text());
			break;
		default:
			/* A long option missing its argument sets optopt
			 * too: name it as it was typed. */
			if (optopt != 0 && optopt < 256 &&
			    strncmp(argv[optind - 1], "--", 2) != 0)
				cli_error("option -%c %s; try "
				    "'mcp-inspect-tui --help'", optopt, strchr("f", optopt) ?
				    "needs an argument" : "is unknown");
			else
				cli_error("option %s %s; try "
				    "'mcp-inspect-tui --help'", argv[optind - 1],
				    strchr(argv[optind - 1], '=') == NULL &&
				    (strcmp(argv[optind - 1], "--filter") == 0 ||
				    strcmp(argv[optind - 1], "--token") == 0 ||
				    strcmp(argv[optind - 1], "--span") == 0 ||
				    strcmp(argv[optind - 1], "--threshold") == 0) ?
				    "needs an argument" : "is unknown");
			exit(2);
		}
	}
	if (o->cli.detail && o->mode != MODE_DUMP && o->mode != MODE_TAIL)
		usage_error("--detail goes with --dump or --tail", NULL);
	if (o->cli.json && o->mode == MODE_BROWSE)
		usage_error("--json goes with --list, --dump, --tail, --events, "
		    "--critical-path, --stats or --diff", NULL);
	if (o->cli.all && o->mode != MODE_STATS)
		usage_error("--all goes with --stats", NULL);
	if (o->cli.span != NULL && o->mode != MODE_CRITPATH)
		usage_error("--span goes with --critical-path", NULL);
	if (o->cli.filter != NULL && (o->mode == MODE_CRITPATH || o->mode == MODE_STATS))
		usage_error("--filter does not go with --critical-path or --stats: "
		    "they describe the whole session", NULL);
	if (o->threshold != 0 && o->mode != MODE_DIFF)
		usage_error("--threshold goes with --diff", NULL);
	if (o->cli.filter != NULL && o->mode == MODE_DIFF)
		usage_error("--filter does not go with --diff", NULL);
	assign_positionals(o, argv + optind, argc - optind);
	if (o->token == NULL)
		o->token = getenv("MCP_INSPECTOR_TOKEN");
	o->cli.token = o->token;
}

static void
config_warning(void *arg, const char *msg)
{
	cli_error("warning: config %s", msg);
}

/*
 * The configuration file fills what the command line and the environment
 * left open (settings.h).  Its colour choice goes through NO_COLOR, the one
 * switch the browser reads.
 */
static void
apply_config(struct options *o, struct settings *cfg)
{
	char *path = settings_default_path(), *cause = NULL;
	const char *env_dir = getenv("MCP_TRACES_DIR");

	if (settings_load(cfg, path, config_warning, NULL, &cause) == -1) {
		cli_error("warning: config %s", cause);
		free(cause);
	}
	free(path);
	/* Every source line of the file: several are read at once. */
	if (o->nsources == 0 && (env_dir == NULL || *env_dir == '\0') &&
	    cfg->nsources > 0) {
		o->sources = cfg->sources;
		o->nsources = cfg->nsources;
	}
	if (o->mode == MODE_DIFF && o->source == NULL && (env_dir == NULL ||
	    *env_dir == '\0'))
		o->source = cfg->source;
	if (o->token == NULL)
		o->token = cfg->token;
	if (cfg->prices != NULL)
		prices_set_user_path(cfg->prices);
	if (cfg->color == SETTINGS_COLOR_OFF)
		setenv("NO_COLOR", "1", 1);
	else if (cfg->color == SETTINGS_COLOR_ON)
		unsetenv("NO_COLOR");
	o->cli.token = o->token;
}

/* A remote source with no token yet runs the configured token command. */
static char *
config_token(const struct settings *cfg, const struct source *src, size_t n,
    const char *token)
{
	char *cause = NULL, *t;
	size_t i;

	for (i = 0; i < n && src[i].kind != SOURCE_URL; i++)
		;
	if (i == n || token != NULL || cfg->token_command == NULL)
		return NULL;
	if ((t = settings_run_token_command(cfg, &cause)) == NULL) {
		cli_error("warning: config %s", cause);
		free(cause);
	}
	return t;
}

/*
 * The sources named (NULL: the default directory), each made ready.  One
 * that cannot be opened stops the program when it is the only one; among
 * several it stays, as a directory that cannot be read (yet): --list and
 * an id's lookup warn about it and go on with the others, and the
 * browser shows its error and lists its rows if it appears.  Returns how
 * many are in *out, or 0 after reporting.
 */
static size_t
open_sources(const struct options *o, struct source **out)
{
	size_t n = o->nsources > 0 ? o->nsources : 1, i, nstdin = 0;
	struct source *src = xcalloc(n, sizeof *src);
	char *cause = NULL;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (source_init(&src[i], o->nsources > 0 ? o->sources[i] : NULL,
		    &cause) == 0) {
			nstdin += src[i].kind == SOURCE_STDIN;
			continue;
		}
		if (n == 1) {
			cli_error("%s", cause);
			free(cause);
			free(src);
			return 0;
		}
		free(cause);
		cause = NULL;
		src[i].kind = SOURCE_DIR;
		src[i].where = xstrdup(o->sources[i]);
	}
	if (nstdin > 1) {
		for (i = 0; i < n; i++)
			source_clear(&src[i]);
		free(src);
		usage_error("standard input can be only one of the sources", NULL);
	}
	*out = src;
	return n;
}

/* A mode that reads one session: over several sources, the one its id
 * (or, without one, the newest) names. */
static int
run_session_mode(struct options *o, const struct source *src, size_t nsrc)
{
	const char *id = o->id;
	char *full = NULL;
	size_t k = 0;
	int rc;

	if (nsrc > 1) {
		if ((rc = cli_resolve(src, nsrc, o->id, &o->cli, &k, &full)) != 0)
			return rc;
		id = full;
	}
	switch (o->mode) {
	case MODE_DUMP:
		rc = cli_dump(&src[k], id, &o->cli);
		break;
	case MODE_TAIL:
		rc = cli_tail(&src[k], id, &o->cli);
		break;
	case MODE_CRITPATH:
		rc = cli_critical_path(&src[k], id, &o->cli);
		break;
	case MODE_STATS:
	default:
		rc = cli_stats(&src[k], id, &o->cli);
		break;
	}
	free(full);
	return rc;
}

static int
run_browser(struct options *o, const struct source *src, size_t nsrc)
{
	size_t i;
	bool from_stdin = false;

	for (i = 0; i < nsrc; i++)
		from_stdin = from_stdin || src[i].kind == SOURCE_STDIN;
	/* With the trace on stdin, keys come from /dev/tty. */
	if (!isatty(STDOUT_FILENO) || (!isatty(STDIN_FILENO) && !from_stdin)) {
		fprintf(stderr, "mcp-inspect-tui: the browser needs a terminal on "
		    "standard input and output; use --list, --dump or --tail "
		    "for scripts\n");
		return 2;
	}
	return ui_run(src, nsrc, o->token);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct settings cfg;
	struct source *src;
	char *cmd_token;
	size_t nsrc, i;
	int rc;

	hold_closed_std_fds();
	setlocale(LC_ALL, "");
	parse_options(argc, argv, &o);
	apply_config(&o, &cfg);
	/* Each run of --diff may name its own source. */
	if (o.mode == MODE_DIFF) {
		rc = cli_diff(o.source, o.diff_a, o.diff_b, o.threshold, &o.cli);
		settings_clear(&cfg);
		/* Trouble is 2 for --diff, as for diff(1). */
		return cli_output_close() == -1 ? 2 : rc;
	}
	if ((nsrc = open_sources(&o, &src)) == 0) {
		settings_clear(&cfg);
		return 1;
	}
	if ((cmd_token = config_token(&cfg, src, nsrc, o.token)) != NULL)
		o.token = o.cli.token = cmd_token;
	switch (o.mode) {
	case MODE_LIST:
		rc = cli_list(src, nsrc, &o.cli);
		break;
	case MODE_EVENTS:
		rc = cli_events(&src[0], &o.cli);
		break;
	case MODE_DUMP:
	case MODE_TAIL:
	case MODE_CRITPATH:
	case MODE_STATS:
		rc = run_session_mode(&o, src, nsrc);
		break;
	case MODE_BROWSE:
	default:
		rc = run_browser(&o, src, nsrc);
		break;
	}
	for (i = 0; i < nsrc; i++)
		source_clear(&src[i]);
	free(src);
	free(cmd_token);
	settings_clear(&cfg);
	if (o.mode != MODE_BROWSE && cli_output_close() == -1)
		rc = 1;
	return rc;
}
