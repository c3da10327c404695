/* leader: a session advisory lock, re-checked rather than re-taken. */
#include "store/leader.h"

#include "store/db.h"

/* pg_try_advisory_lock stacks when the holder asks again, so a holder
 * first looks in pg_locks for its own lock (a bigint key is classid =
 * high 32 bits, objid = low 32 bits, objsubid = 1). */
static const db_stmt leader_sql[] = {
	{"leader_hold",
	 "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
	 " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
	 " AND (classid::bigint << 32 | objid::bigint) = $1::bigint)"
	 " THEN true ELSE pg_try_advisory_lock($1::bigint) END AS leader"},
};

void leader_register(void)
{
	db_register(leader_sql, sizeof(leader_sql) / sizeof(leader_sql[0]));
}

bool leader_hold(ctx *c, int64_t key)
{
	const char *p[] = {db_param_i64(c, key)};
	db_res *r = db_exec(c, "leader_hold", 1, p);
	bool lead = r && db_bool(r, 0, "leader");
	if (!r)
		ctx_clear(c);
	return lead;
}
