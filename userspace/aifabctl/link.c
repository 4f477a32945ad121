// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl link: the links between fabric devices.
 *
 *   aifabctl link show [LINK]
 *   aifabctl link set LINK SETTING...
 *
 * where SETTING is "state up|down", "fault drop PCT|corrupt PCT|flap MS|none"
 * or "degrade-threshold PPM"; one command may combine them.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct aifab_nl_policy link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_KIND] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_ADMIN_STATE] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_SPEED_MBPS] = { MNL_TYPE_U32, true },
	/* Optional, so that the tool still works with an older module. */
	[AIFAB_A_LINK_DROP_PCT] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_CORRUPT_PCT] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_FLAP_MS] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_DEGRADE_PPM] = { MNL_TYPE_U32, false },
};

/**
 * link_print_fields() - Print a link's attributes into the open object.
 * @out: Output context.
 * @tb: Validated attributes; only the name is sure to be there (events may
 *      carry fewer than replies).
 *
 * Text: "accel0-accel1: accel0 <-> accel1 kind accel state up admin up
 * speed 400000Mbps drop 0% corrupt 0% flap 0ms degrade-threshold 0ppm",
 * leaving out what is missing.
 *
 * Return: As the output layer.
 */
int link_print_fields(struct aifab_out *out, const struct nlattr **tb)
{
	ctl_out_u32(out, "id", NULL, tb[AIFAB_A_LINK_ID]);
	ctl_out_str(out, "name", "%s:", tb[AIFAB_A_LINK_NAME], NULL);
	ctl_out_str(out, "a", " %s", tb[AIFAB_A_LINK_A], NULL);
	ctl_out_str(out, "b", " <-> %s", tb[AIFAB_A_LINK_B], NULL);
	ctl_out_enum(out, "kind", " kind %s", tb[AIFAB_A_LINK_KIND],
		     aifab_link_kind_names,
		     AIFAB_ARRAY_SIZE(aifab_link_kind_names));
	ctl_out_enum(out, "state", " state %s", tb[AIFAB_A_LINK_STATE],
		     aifab_link_state_names,
		     AIFAB_ARRAY_SIZE(aifab_link_state_names));
	ctl_out_enum(out, "admin_state", " admin %s",
		     tb[AIFAB_A_LINK_ADMIN_STATE], aifab_admin_state_names,
		     AIFAB_ARRAY_SIZE(aifab_admin_state_names));
	ctl_out_u32(out, "speed_mbps", " speed %" PRIu64 "Mbps",
		    tb[AIFAB_A_LINK_SPEED_MBPS]);
	ctl_out_u32(out, "drop_pct", " drop %" PRIu64 "%%",
		    tb[AIFAB_A_LINK_DROP_PCT]);
	ctl_out_u32(out, "corrupt_pct", " corrupt %" PRIu64 "%%",
		    tb[AIFAB_A_LINK_CORRUPT_PCT]);
	ctl_out_u32(out, "flap_ms", " flap %" PRIu64 "ms",
		    tb[AIFAB_A_LINK_FLAP_MS]);
	return ctl_out_u32(out, "degrade_ppm", " degrade-threshold %" PRIu64 "ppm",
			   tb[AIFAB_A_LINK_DEGRADE_PPM]);
}

/**
 * link_print() - Print one LINK_GET reply as an element of the open array.
 * @nlh: The reply.
 * @data: The output context.
 *
 * Return: 0, -EBADMSG for a malformed reply, or an output error.
 */
int link_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct aifab_out *out = data;
	int ret;

	ret = aifab_nl_parse(nlh, link_policy, AIFAB_A_LINK_MAX, tb);
	if (ret)
		return ret;
	aifab_out_open_object(out, NULL);
	link_print_fields(out, tb);
	aifab_out_nl(out);
	return aifab_out_close_object(out);
}

static int link_show_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_LINK_GET, argc == 0);
	if (argc > 1)
		return -EINVAL;
	if (argc == 1)
		return ctl_args_name(a, AIFAB_A_LINK_NAME, "link name",
				     argv[0]);
	return 0;
}

static int link_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	return ctl_show(ctl, a, link_print);
}

/* The ranges of the settable values, as the UAPI gives them. */
#define LINK_PCT_MAX		100
#define LINK_FLAP_MS_MIN	10
#define LINK_FLAP_MS_MAX	3600000
#define LINK_PPM_MAX		1000000

#define LINK_PCT_RULE	"an integer from 0 to 100"

/* A link set being parsed: the words left, and which attributes are set. */
struct link_set {
	int argc;
	char **argv;
	struct ctl_args *a;
	unsigned int seen;		/* bit per attribute type */
};

/**
 * link_set_u32() - Add one setting to the request, at most once.
 * @ls: The link set being parsed.
 * @type: Attribute type.
 * @v: The value.
 * @word: The keyword that set it, for the error message.
 *
 * Return: 0 or -EINVAL.
 */
static int link_set_u32(struct link_set *ls, uint16_t type, uint32_t v,
			const char *word)
{
	if (ls->seen & (1U << type))
		return ctl_args_bad(ls->a, "setting", word,
				    "each setting at most once");
	ls->seen |= 1U << type;
	return aifab_nl_req_u32(&ls->a->req, type, v);
}

/**
 * link_set_value() - Read the number that follows a keyword.
 * @ls: The link set being parsed; its first word is the number.
 * @what: What the number is, for the error message.
 * @max: Largest value accepted.
 * @rule: What is accepted, for the error message.
 * @v: Filled with the value.
 *
 * Return: 0, or -EINVAL (a usage error if the number is missing).
 */
static int link_set_value(struct link_set *ls, const char *what,
			  uint32_t max, const char *rule, uint32_t *v)
{
	uint64_t n;

	if (ls->argc < 1)
		return -EINVAL;
	if (aifab_parse_u64(ls->argv[0], max, &n))
		return ctl_args_bad(ls->a, what, ls->argv[0], rule);
	*v = n;
	ls->argc--;
	ls->argv++;
	return 0;
}

/*
 * "degraded" is an operational state the fabric decides, never one an
 * operator can ask for, so only "up" and "down" are accepted.
 */
static int link_set_state(struct link_set *ls)
{
	uint32_t state;

	if (ls->argc < 1)
		return -EINVAL;
	if (AIFAB_ENUM_VALUE(aifab_admin_state_names, ls->argv[0], &state))
		return ctl_args_bad(ls->a, "state", ls->argv[0], "up or down");
	ls->argc--;
	ls->argv++;
	return link_set_u32(ls, AIFAB_A_LINK_ADMIN_STATE, state, "state");
}

/* fault none: every kind of fault injection off at once. */
static int link_set_fault_none(struct link_set *ls)
{
	int ret = link_set_u32(ls, AIFAB_A_LINK_DROP_PCT, 0, "none");

	if (!ret)
		ret = link_set_u32(ls, AIFAB_A_LINK_CORRUPT_PCT, 0, "none");
	if (!ret)
		ret = link_set_u32(ls, AIFAB_A_LINK_FLAP_MS, 0, "none");
	return ret;
}

static int link_set_fault_drop(struct link_set *ls)
{
	uint32_t v = 0;
	int ret = link_set_value(ls, "drop percentage", LINK_PCT_MAX,
				 LINK_PCT_RULE, &v);

	return ret ? ret : link_set_u32(ls, AIFAB_A_LINK_DROP_PCT, v, "drop");
}

static int link_set_fault_corrupt(struct link_set *ls)
{
	uint32_t v = 0;
	int ret = link_set_value(ls, "corrupt percentage", LINK_PCT_MAX,
				 LINK_PCT_RULE, &v);

	return ret ? ret : link_set_u32(ls, AIFAB_A_LINK_CORRUPT_PCT, v,
					"corrupt");
}

/* Below 10 ms a flapping link would only load the CPU; 0 stops it. */
static int link_set_fault_flap(struct link_set *ls)
{
	static const char rule[] = "0 (off) or 10 to 3600000 milliseconds";
	const char *word = ls->argc ? ls->argv[0] : NULL;
	uint32_t v = 0;
	int ret = link_set_value(ls, "flap period", LINK_FLAP_MS_MAX, rule,
				 &v);

	if (ret)
		return ret;
	if (v && v < LINK_FLAP_MS_MIN)
		return ctl_args_bad(ls->a, "flap period", word, rule);
	return link_set_u32(ls, AIFAB_A_LINK_FLAP_MS, v, "flap");
}

struct link_keyword {
	const char *name;
	int (*parse)(struct link_set *ls);	/* the words after the keyword */
};

static const struct link_keyword link_fault_kws[] = {
	{ "drop", link_set_fault_drop },
	{ "corrupt", link_set_fault_corrupt },
	{ "flap", link_set_fault_flap },
	{ "none", link_set_fault_none },
};

/**
 * link_set_keyword() - Parse one keyword and its words.
 * @ls: The link set being parsed; its first word is the keyword.
 * @kws: The keywords accepted here.
 * @n: Their number.
 * @what: What the keyword is, for the error message; NULL for a usage
 *        error when it is unknown.
 *
 * Return: 0 or -EINVAL.
 */
static int link_set_keyword(struct link_set *ls,
			    const struct link_keyword *kws, size_t n,
			    const char *what)
{
	const char *word;
	size_t i;

	if (ls->argc < 1)
		return -EINVAL;
	word = ls->argv[0];
	ls->argc--;
	ls->argv++;
	for (i = 0; i < n; i++)
		if (!strcmp(kws[i].name, word))
			return kws[i].parse(ls);
	if (!what)
		return -EINVAL;
	return ctl_args_bad(ls->a, what, word,
			    "drop PCT, corrupt PCT, flap MS or none");
}

static int link_set_fault(struct link_set *ls)
{
	return link_set_keyword(ls, link_fault_kws,
				AIFAB_ARRAY_SIZE(link_fault_kws), "fault");
}

static int link_set_degrade(struct link_set *ls)
{
	uint32_t v = 0;
	int ret = link_set_value(ls, "degrade threshold", LINK_PPM_MAX,
				 "an integer from 0 to 1000000 (errors per "
				 "million packets)", &v);

	return ret ? ret : link_set_u32(ls, AIFAB_A_LINK_DEGRADE_PPM, v,
					"degrade-threshold");
}

static const struct link_keyword link_set_kws[] = {
	{ "state", link_set_state },
	{ "fault", link_set_fault },
	{ "degrade-threshold", link_set_degrade },
};

_Static_assert(AIFAB_A_LINK_MAX < 32, "link_set.seen has a bit per attribute");

/*
 * link set LINK SETTING...: the settings in the order given, each at most
 * once, all in one request so that the kernel applies all or none.
 */
static int link_set_args(int argc, char **argv, struct ctl_args *a)
{
	struct link_set ls = { argc - 1, argv + 1, a, 0 };
	int ret;

	aifab_nl_req_init(&a->req, AIFAB_CMD_LINK_SET, false);
	if (argc < 2)
		return -EINVAL;
	ret = ctl_args_name(a, AIFAB_A_LINK_NAME, "link name", argv[0]);
	while (!ret && ls.argc)
		ret = link_set_keyword(&ls, link_set_kws,
				       AIFAB_ARRAY_SIZE(link_set_kws), NULL);
	return ret;
}

static const struct ctl_cmd link_cmds[] = {
	{ "show", link_show_args, link_show_run, 0 },
	{ "set", link_set_args, ctl_change, 0 },
};

const struct ctl_obj ctl_link_obj = {
	"link",
	"aifabctl link { show [LINK] | set LINK SETTING... }\n"
	"where  SETTING := { state { up | down } | degrade-threshold PPM |\n"
	"                    fault { drop PCT | corrupt PCT | flap MS | none } }",
	link_cmds, AIFAB_ARRAY_SIZE(link_cmds),
};
