/*
 * main.c — command line → one of the modes: browse (interactive), --list,
 * --dump, --tail.  Exit status: 0 success, 1 runtime failure, 2 usage.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gz.h"
#include "settings.h"
#include "source.h"
#include "ui.h"

enum mode { MODE_BROWSE, MODE_LIST, MODE_DUMP, MODE_TAIL, MODE_EVENTS };

struct options {
	enum mode mode;
	struct cli_opts cli;
	const char *token;
	const char *id;
	const char *source;
};

static const char usage_text[] =
"Usage: mcp-inspect-tui [OPTIONS] [SOURCE]           browse interactively\n"
"       mcp-inspect-tui --list [--json] [SOURCE]     print the session list\n"
"       mcp-inspect-tui --dump [ID] [--json] [--detail] [SOURCE]\n"
"                                                   print a session's span tree\n"
"       mcp-inspect-tui --tail [ID] [--json] [SOURCE]\n"
"                                                   print spans as they are written\n"
"       mcp-inspect-tui --events [--json] URL        print inspector events as they arrive\n"
"\n"
"SOURCE is a trace directory, a .jsonl/.jsonl.gz/.json file, - for standard\n"
"input, a named pipe such as <(command), or an inspector URL\n"
"(http[s]://host[:port][/_inspector], port 7800 by default); default:\n"
"$MCP_TRACES_DIR, else ~/.mcp_traces.  ID is a session id or a unique prefix\n"
"of one; without it the most recent session is used.\n"
"\n"
"Options:\n"
"  -l, --list           print the session list and exit\n"
"  -d, --dump           print a session's span tree and exit\n"
"  -t, --tail           print spans as they are written, until interrupted\n"
"  -e, --events         print a remote inspector's events, until interrupted\n"
"  -j, --json           JSON output (--list: one object; --dump/--tail: JSON Lines)\n"
"      --detail         include attributes, events and resource (--dump, --tail)\n"
"  -f, --filter EXPR    only sessions or spans matching EXPR, e.g.\n"
"                       'type:tool status:error name:fetch free text'\n"
"      --token TOKEN    inspector token (default $MCP_INSPECTOR_TOKEN)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version (and the inflate built in) and exit\n"
"\n"
"Defaults for the source, token and colours may be set in\n"
"$XDG_CONFIG_HOME/mcp-inspect-tui/config (see mcp-inspect-tui(1), FILES).\n"
"\n"
"Exit status: 0 success, 1 runtime failure, 2 usage error.\n";

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
		usage_error("choose one of --list, --dump, --tail and --events", NULL);
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
	bool takes_id = o->mode == MODE_DUMP || o->mode == MODE_TAIL;

	if (npos > 2)
		usage_error("too many arguments: ", pos[2]);
	if (npos == 2 && !takes_id)
		usage_error("a session ID is only taken by --dump and --tail: ", pos[0]);
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
	enum { OPT_DETAIL = 256, OPT_TOKEN };
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "dump", no_argument, NULL, 'd' },
		{ "tail", no_argument, NULL, 't' },
		{ "events", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "detail", no_argument, NULL, OPT_DETAIL },
		{ "filter", required_argument, NULL, 'f' },
		{ "token", required_argument, NULL, OPT_TOKEN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ldtejf:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': set_mode(o, MODE_LIST); break;
		case 'd': set_mode(o, MODE_DUMP); break;
		case 't': set_mode(o, MODE_TAIL); break;
		case 'e': set_mode(o, MODE_EVENTS); break;
		case 'j': o->cli.json = true; break;
		case OPT_DETAIL: o->cli.detail = true; break;
		case 'f': o->cli.filter = optarg; break;
		case OPT_TOKEN: o->token = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("mcp-inspect-tui %s (inflate: %s)\n", PACKAGE_VERSION,
			    gz_backend_name());
			exit(0);
		default:
			if (optopt != 0 && optopt < 256)
				cli_error("option -%c %s; try "
				    "'mcp-inspect-tui --help'", optopt, strchr("f", optopt) ?
				    "needs an argument" : "is unknown");
			else
				cli_error("option %s %s; try "
				    "'mcp-inspect-tui --help'", argv[optind - 1],
				    strchr(argv[optind - 1], '=') == NULL &&
				    (strcmp(argv[optind - 1], "--filter") == 0 ||
				    strcmp(argv[optind - 1], "--token") == 0) ?
				    "needs an argument" : "is unknown");
			exit(2);
		}
	}
	if (o->cli.detail && o->mode != MODE_DUMP && o->mode != MODE_TAIL)
		usage_error("--detail goes with --dump or --tail", NULL);
	if (o->cli.json && o->mode == MODE_BROWSE)
		usage_error("--json goes with --list, --dump, --tail or --events", NULL);
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

	setlocale(LC_ALL, "");
	parse_options(argc, argv, &o);
	apply_config(&o, &cfg);
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
	return rc;
}
