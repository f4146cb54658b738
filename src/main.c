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

enum mode { MODE_BROWSE, MODE_LIST, MODE_DUMP, MODE_TAIL, MODE_EVENTS, MODE_CRITPATH,
	MODE_STATS, MODE_DIFF };

struct options {
	enum mode mode;
	struct cli_opts cli;
	const char *token;
	const char *id;
	const char *source;
	const char *diff_a, *diff_b; /* --diff's runs */
	double threshold;            /* --threshold, 0 = default */
};

static const char usage_text[] =
"Usage: mcp-inspect-tui [OPTIONS] [SOURCE]           browse interactively\n"
"       mcp-inspect-tui --list [--json] [--filter EXPR] [SOURCE]\n"
"                                                   print the session list\n"
"       mcp-inspect-tui --dump [ID] [--json] [--detail] [--filter EXPR] [SOURCE]\n"
"                                                   print a session's span tree\n"
"       mcp-inspect-tui --tail [ID] [--json] [--detail] [--filter EXPR] [SOURCE]\n"
"                                                   print spans as they are written\n"
"       mcp-inspect-tui --events [--json] URL        print inspector events as they arrive\n"
"       mcp-inspect-tui --critical-path [ID] [--span SPAN] [--json] [SOURCE]\n"
"                                                   print a session's critical path\n"
"       mcp-inspect-tui --stats [ID | --all] [--json] [SOURCE]\n"
"                                                   print time, tokens and cost per\n"
"                                                   tool, model, agent and span type\n"
"       mcp-inspect-tui --diff A B [--json] [--threshold RATIO] [SOURCE]\n"
"                                                   compare two runs\n"
"\n"
"SOURCE is a trace directory, a .jsonl/.jsonl.gz/.json file, - for standard\n"
"input, a named pipe such as <(command), or an inspector URL\n"
"(http[s]://host[:port][/_inspector], port 7800 by default); default:\n"
"$MCP_TRACES_DIR, else ~/.mcp_traces.  ID is a session id or a unique prefix\n"
"of one; without it the most recent session is used.  --diff's A and B are\n"
"each a session ID in SOURCE, or a source of their own (a file, a directory's\n"
"newest session, an inspector URL's newest).\n"
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
"Exit status: 0 success, 1 runtime failure, 2 usage error; the browser left\n"
"with C-c (or SIGINT) exits with 130.  --diff, like diff(1): 0 same structure\n"
"and statuses, 1 different, 2 usage error or a run that cannot be read.\n";

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
 * Positionals are [ID] [SOURCE].  A single one is the SOURCE when it is
 * "-", a URL or an existing path, or when the mode takes no ID; it is also
 * taken as a (missing) path when it holds '/' or '.', which session ids
 * ([A-Za-z0-9_-]) never do, so a typo says "cannot open", not "unknown
 * session".
 */
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
	if (npos > 2)
		usage_error("too many arguments: ", pos[2]);
	if (npos == 2 && !takes_id)
		usage_error(o->cli.all ? "--stats --all takes no session ID: " :
		    "a session ID is only taken by --dump, --tail, --critical-path "
		    "and --stats: ", pos[0]);
	if (npos == 2) {
		o->id = pos[0];
		o->source = pos[1];
	} else if (npos == 1) {
		if (!takes_id || source_is_source_arg(pos[0]) || strpbrk(pos[0], "/.") != NULL)
			o->source = pos[0];
		else
			o->id = pos[0];
	}
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
	if (o->source == NULL && (env_dir == NULL || *env_dir == '\0'))
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
config_token(const struct settings *cfg, const struct source *src, const char *token)
{
	char *cause = NULL, *t;

	if (src->kind != SOURCE_URL || token != NULL || cfg->token_command == NULL)
		return NULL;
	if ((t = settings_run_token_command(cfg, &cause)) == NULL) {
		cli_error("warning: config %s", cause);
		free(cause);
	}
	return t;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct settings cfg;
	struct source src;
	char *cause = NULL, *cmd_token;
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
	if (source_init(&src, o.source, &cause) == -1) {
		cli_error("%s", cause);
		free(cause);
		settings_clear(&cfg);
		return 1;
	}
	if ((cmd_token = config_token(&cfg, &src, o.token)) != NULL)
		o.token = o.cli.token = cmd_token;
	switch (o.mode) {
	case MODE_LIST:
		rc = cli_list(&src, &o.cli);
		break;
	case MODE_DUMP:
		rc = cli_dump(&src, o.id, &o.cli);
		break;
	case MODE_TAIL:
		rc = cli_tail(&src, o.id, &o.cli);
		break;
	case MODE_EVENTS:
		rc = cli_events(&src, &o.cli);
		break;
	case MODE_CRITPATH:
		rc = cli_critical_path(&src, o.id, &o.cli);
		break;
	case MODE_STATS:
		rc = cli_stats(&src, o.id, &o.cli);
		break;
	case MODE_BROWSE:
	default:
		/* With the trace on stdin, keys come from /dev/tty. */
		if (!isatty(STDOUT_FILENO) ||
		    (!isatty(STDIN_FILENO) && src.kind != SOURCE_STDIN)) {
			fprintf(stderr, "mcp-inspect-tui: the browser needs a terminal on "
			    "standard input and output; use --list, --dump or --tail "
			    "for scripts\n");
			rc = 2;
			break;
		}
		rc = ui_run(&src, o.token);
		break;
	}
	source_clear(&src);
	free(cmd_token);
	settings_clear(&cfg);
	if (o.mode != MODE_BROWSE && cli_output_close() == -1)
		rc = 1;
	return rc;
}
