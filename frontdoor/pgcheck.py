"""Before the tests: is PostgreSQL there? In CI it must be; elsewhere say clearly what is skipped."""

from __future__ import annotations

import os
import sys

import psycopg

ADMIN_DSN = os.environ.get("FRONTDOOR_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    try:
        with psycopg.connect(ADMIN_DSN, connect_timeout=5) as connection:
            version = connection.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            sys.stderr.write(f"PostgreSQL is required in CI and is not reachable at {ADMIN_DSN}: {exc}\n")
            return 1
        sys.stderr.write("PostgreSQL is not reachable: PostgreSQL tests will be SKIPPED on this machine.\n")
        return 0
    sys.stdout.write(f"PostgreSQL {version[0] if version else '?'} reachable; tests run on SQLite and PostgreSQL.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
