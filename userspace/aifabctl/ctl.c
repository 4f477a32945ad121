// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl: the object table, verb dispatch, and helpers shared by the
 * object files. Kept apart from main() so that the unit tests can drive
 * whole command lines against substitute ops.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct ctl_obj *const ctl_objs[] = {
	&ctl_dev_obj,
	&ctl_link_obj,
	&ctl_partition_obj,
	&ctl_fence_obj,
	&ctl_route_obj,
	&ctl_monitor_obj,
	&ctl_stats_obj,
	&ctl_topology_obj,
	&ctl_reload_obj,
	&ctl_health_obj,
};

/**
 * ctl_init() - Prepare a command context that talks to the kernel.
 * @ctl: Context.
 * @out: Where results go (stdout).
 * @err: Where errors and usage go (stderr).
 * @out_flags: AIFAB_OUT_* flags.
 */
void ctl_init(struct ctl *ctl, FILE *out, FILE *err, unsigned int out_flags)
{
	*ctl = (struct ctl){
		.in = stdin,
		.out = out,
		.err = err,
		.out_flags = out_flags,
		.ops = &ctl_nl_ops,
		.err_index = -1,
	};
}

/**
 * ctl_fini() - Release what a command context holds.
 * @ctl: Context.
 */
void ctl_fini(struct ctl *ctl)
{
	aifab_nl_close(ctl->nl);
	ctl->nl = NULL;
}

/**
 * ctl_usage() - Print the top-level usage.
 * @f: Stream.
 */
void ctl_usage(FILE *f)
{
	fprintf(f,
		"Usage: aifabctl [ -j | --json ] [ -p | --pretty ] OBJECT COMMAND [ARGS]\n"
		"       aifabctl { -h | --help | -V | --version }\n"
		"where  OBJECT := { dev | link | partition | fence | route | monitor |\n"
		"                   stats | topology | reload | health }\n");
}

static void ctl_obj_usage(FILE *f, const struct ctl_obj *obj)
{
	fprintf(f, "Usage: %s\n", obj->usage);
}

static const struct ctl_obj *ctl_find_obj(const char *name)
{
	size_t i;

	for (i = 0; i < AIFAB_ARRAY_SIZE(ctl_objs); i++)
		if (!strcmp(ctl_objs[i]->name, name))
			return ctl_objs[i];
	return NULL;
}

static const struct ctl_cmd *ctl_find_cmd(const struct ctl_obj *obj,
					  const char *name)
{
	size_t i;

	for (i = 0; i < obj->ncmds; i++)
		if (obj->cmds[i].name && !strcmp(obj->cmds[i].name, name))
			return &obj->cmds[i];
	return NULL;
}

/**
 * ctl_args_report() - Say why a command line was refused.
 * @ctl: Context.
 * @obj: The object named on the command line.
 * @a: What the args() function left.
 *
 * Return: CTL_EXIT_ERR.
 */
static int ctl_args_report(struct ctl *ctl, const struct ctl_obj *obj,
			   const struct ctl_args *a)
{
	if (a->bad)
		fprintf(ctl->err, "aifabctl: invalid %s \"%s\": expected %s\n",
			a->bad_what, a->bad, a->expected);
	else
		ctl_obj_usage(ctl->err, obj);
	return CTL_EXIT_ERR;
}

/**
 * ctl_run() - Check a command's words, then run it against the kernel.
 * @ctl: Context.
 * @obj: The object.
 * @cmd: Its command.
 * @argc: Number of words after the verb.
 * @argv: The words.
 *
 * The words are checked completely before the kernel is contacted, so that
 * a typing error is reported as such even without the module.
 *
 * Return: The exit status.
 */
static int ctl_run_args(struct ctl *ctl, const struct ctl_obj *obj,
			const struct ctl_cmd *cmd, const struct ctl_args *a)
{
	ctl->obj = obj->name;
	ctl->verb = cmd->name;
	if (!(cmd->flags & (CTL_CMD_CONNECT_LATE | CTL_CMD_NO_KERNEL)) &&
	    ctl_connect(ctl))
		return CTL_EXIT_ERR;
	return cmd->run(ctl, a);
}

static int ctl_run(struct ctl *ctl, const struct ctl_obj *obj,
		   const struct ctl_cmd *cmd, int argc, char **argv)
{
	struct ctl_args a = { 0 };
	int ret;

	ret = cmd->args(argc, argv, &a);
	if (ret)
		ret = ctl_args_report(ctl, obj, &a);
	else
		ret = ctl_run_args(ctl, obj, cmd, &a);
	if (a.has_netns_fd)
		close(a.netns_fd);
	return ret;
}

/**
 * ctl_connect() - Connect to the kernel, or say why not.
 * @ctl: Context.
 *
 * ctl_run() calls this before run(), unless the command has
 * CTL_CMD_CONNECT_LATE; such a run() calls it itself.
 *
 * Return: 0, or CTL_EXIT_ERR once the reason is printed.
 */
int ctl_connect(struct ctl *ctl)
{
	int ret = ctl->ops->connect(ctl);

	if (!ret)
		return 0;
	fprintf(ctl->err, "aifabctl: aifab: %s\n", aifab_nl_open_strerror(ret));
	return CTL_EXIT_ERR;
}

/**
 * ctl_dispatch() - Run one command line.
 * @ctl: Context.
 * @argc: Number of words, from OBJECT on.
 * @argv: The words.
 *
 * Return: The exit status.
 */
int ctl_dispatch(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_obj *obj;
	const struct ctl_cmd *cmd;

	if (argc < 1) {
		ctl_usage(ctl->err);
		return CTL_EXIT_ERR;
	}
	obj = ctl_find_obj(argv[0]);
	if (!obj) {
		fprintf(ctl->err, "aifabctl: unknown object \"%s\"\n", argv[0]);
		ctl_usage(ctl->err);
		return CTL_EXIT_ERR;
	}
	/* Without a verb, the object's first command runs, with no words. */
	if (argc == 1)
		return ctl_run(ctl, obj, &obj->cmds[0], 0, argv + 1);
	if (!strcmp(argv[1], "help")) {
		ctl_obj_usage(ctl->out, obj);
		return CTL_EXIT_OK;
	}
	cmd = ctl_find_cmd(obj, argv[1]);
	/* An object whose only command has no name takes the words itself. */
	if (!cmd && !obj->cmds[0].name)
		return ctl_run(ctl, obj, &obj->cmds[0], argc - 1, argv + 1);
	if (!cmd) {
		ctl_obj_usage(ctl->err, obj);
		return CTL_EXIT_ERR;
	}
	return ctl_run(ctl, obj, cmd, argc - 2, argv + 2);
}

/**
 * ctl_args_bad() - Record a refused argument.
 * @a: Arguments being parsed.
 * @what: What @arg was meant to be ("device name").
 * @arg: The argument.
 * @expected: What would have been accepted.
 *
 * Return: -EINVAL, for args() functions to return.
 */
int ctl_args_bad(struct ctl_args *a, const char *what, const char *arg,
		 const char *expected)
{
	a->bad_what = what;
	a->bad = arg;
	a->expected = expected;
	return -EINVAL;
}

/**
 * ctl_args_name() - Check a name and add it to the request.
 * @a: Arguments being parsed.
 * @type: Attribute type.
 * @what: What the name names, for the error message ("device name").
 * @s: The name.
 *
 * Return: 0 or -EINVAL.
 */
int ctl_args_name(struct ctl_args *a, uint16_t type, const char *what,
		  const char *s)
{
	if (!aifab_name_valid(s))
		return ctl_args_bad(a, what, s, AIFAB_NAME_RULE);
	if (aifab_nl_req_str(&a->req, type, s))
		return ctl_args_bad(a, what, s,
				    "no more names than one request can carry");
	return 0;
}

/**
 * ctl_args_names() - Check a list of names and add each to the request.
 * @a: Arguments being parsed.
 * @type: Attribute type, repeated once per name.
 * @what: What the names name.
 * @argc: Number of names; at least one is needed.
 * @argv: The names.
 *
 * Return: 0 or -EINVAL.
 */
int ctl_args_names(struct ctl_args *a, uint16_t type, const char *what,
		   int argc, char **argv)
{
	int ret = 0;
	int i;

	if (argc < 1)
		return -EINVAL;
	for (i = 0; !ret && i < argc; i++)
		ret = ctl_args_name(a, type, what, argv[i]);
	return ret;
}

/**
 * ctl_args_none() - args() for commands that take no words.
 * @argc: Number of words.
 * @argv: The words (unused).
 * @a: Arguments; left as they are.
 *
 * Return: 0, or -EINVAL if there are words.
 */
int ctl_args_none(int argc, char **argv, struct ctl_args *a)
{
	(void)argv;
	(void)a;
	return argc ? -EINVAL : 0;
}

/**
 * ctl_fail() - Report a failed request.
 * @ctl: Context.
 * @err: Negative errno value.
 *
 * Prints "aifabctl: <object verb>: <reason>", the reason being the kernel's
 * own message when it gave one, and the argument it pointed at if any.
 *
 * Return: CTL_EXIT_ERR.
 */
int ctl_fail(struct ctl *ctl, int err)
{
	const char *msg = ctl->errmsg;

	if (!msg && err == -EBADMSG)
		msg = "malformed reply from the kernel";
	if (!msg)
		msg = strerror(-err);
	fprintf(ctl->err, "aifabctl: %s%s%s: %s", ctl->obj,
		ctl->verb ? " " : "", ctl->verb ? ctl->verb : "", msg);
	if (ctl->err_arg)
		fprintf(ctl->err, " (at \"%s\")", ctl->err_arg);
	fputc('\n', ctl->err);
	return CTL_EXIT_ERR;
}

/**
 * ctl_show() - Run a get or dump and print the replies as one array.
 * @ctl: Context.
 * @a: The request.
 * @print: Prints one reply into the array; its data is the output context.
 *
 * A show of one named object prints an array of one, so that scripts read
 * the same shape either way. On error nothing of the JSON is printed: the
 * array is still open, which the output layer refuses to emit.
 *
 * Return: The exit status.
 */
int ctl_show(struct ctl *ctl, const struct ctl_args *a, aifab_nl_cb_t print)
{
	struct aifab_out *out = aifab_out_new(ctl->out, ctl->out_flags);
	int ret;

	if (!out)
		return ctl_fail(ctl, -errno);
	ret = aifab_out_open_array(out, NULL);
	if (!ret)
		ret = ctl->ops->exec(ctl, &a->req, print, out);
	if (!ret)
		ret = aifab_out_close_array(out);
	if (!ret)
		ret = aifab_out_flush(out);
	aifab_out_free(out);
	return ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
}

/**
 * ctl_dump() - Dump every object of a kind, with no output of its own.
 * @ctl: Context.
 * @cmd: The GET command.
 * @cb: Called once per reply.
 * @data: Passed to @cb.
 *
 * For commands that combine several dumps into one result.
 *
 * Return: 0 or a negative errno value.
 */
int ctl_dump(struct ctl *ctl, uint8_t cmd, aifab_nl_cb_t cb, void *data)
{
	struct aifab_nl_req *req = aifab_nl_req_new(cmd, true);
	int ret;

	if (!req)
		return -ENOMEM;
	ret = ctl->ops->exec(ctl, req, cb, data);
	free(req);
	return ret;
}

/**
 * ctl_change() - Run a request that changes the fabric and prints nothing.
 * @ctl: Context.
 * @a: The request.
 *
 * Like ip(8), success is silent: the exit status says it all.
 *
 * Return: The exit status.
 */
int ctl_change(struct ctl *ctl, const struct ctl_args *a)
{
	int ret = ctl->ops->exec(ctl, &a->req, NULL, NULL);

	return ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
}

static int ctl_nl_connect(struct ctl *ctl)
{
	return aifab_nl_open(&ctl->nl);
}

static int ctl_nl_exec(struct ctl *ctl, const struct aifab_nl_req *req,
		       aifab_nl_cb_t cb, void *data)
{
	int ret = aifab_nl_exec(ctl->nl, req, cb, data);
	int idx = aifab_nl_err_attr(ctl->nl);

	ctl->errmsg = aifab_nl_errmsg(ctl->nl);
	ctl->err_arg = NULL;
	if (ret && idx >= 0 && req->attrs[idx].kind == AIFAB_NL_STR)
		ctl->err_arg = req->attrs[idx].str;
	return ret;
}

static int ctl_nl_exec_msg(struct ctl *ctl, struct aifab_nl_msg *m,
			   aifab_nl_cb_t cb, void *data)
{
	int ret = aifab_nl_exec_msg(ctl->nl, m, cb, data);

	ctl->errmsg = aifab_nl_errmsg(ctl->nl);
	ctl->err_arg = NULL;
	ctl->err_index = -1;
	if (ret && aifab_nl_err_offs(ctl->nl))
		ctl->err_index = aifab_nl_msg_attr_index(m,
						aifab_nl_err_offs(ctl->nl));
	return ret;
}

const struct ctl_ops ctl_nl_ops = {
	.connect = ctl_nl_connect,
	.exec = ctl_nl_exec,
	.exec_msg = ctl_nl_exec_msg,
};

/**
 * ctl_out_str() - Print a string attribute, or a missing value.
 * @out: Output context.
 * @key: JSON key.
 * @fmt: Text format for the string.
 * @attr: Validated NUL string attribute, or NULL.
 * @none: Text printed when @attr is NULL (JSON gets null), or NULL.
 *
 * Return: As the output layer.
 */
int ctl_out_str(struct aifab_out *out, const char *key, const char *fmt,
		const struct nlattr *attr, const char *none)
{
	if (!attr)
		return aifab_out_null(out, key, none);
	return aifab_out_string(out, key, fmt, mnl_attr_get_str(attr));
}

/**
 * ctl_out_u32() - Print a u32 attribute, or null when it is missing.
 * @out: Output context.
 * @key: JSON key.
 * @fmt: Text format taking a uint64_t, or NULL.
 * @attr: Validated u32 attribute, or NULL.
 *
 * Return: As the output layer.
 */
int ctl_out_u32(struct aifab_out *out, const char *key, const char *fmt,
		const struct nlattr *attr)
{
	if (!attr)
		return aifab_out_null(out, key, NULL);
	return aifab_out_uint(out, key, fmt, mnl_attr_get_u32(attr));
}

/**
 * ctl_out_enum() - Print a u32 enum attribute by name.
 * @out: Output context.
 * @key: JSON key.
 * @fmt: Text format for the name.
 * @attr: Validated u32 attribute, or NULL (JSON null, no text).
 * @names: Names indexed by value.
 * @n: Number of entries in @names.
 *
 * Return: As the output layer.
 */
int ctl_out_enum(struct aifab_out *out, const char *key, const char *fmt,
		 const struct nlattr *attr, const char *const *names, size_t n)
{
	if (!attr)
		return aifab_out_null(out, key, NULL);
	return aifab_out_string(out, key, fmt,
				aifab_enum_name(names, n,
						mnl_attr_get_u32(attr)));
}
