#ifndef PALADIN_CSQLITE_SHIM_H
#define PALADIN_CSQLITE_SHIM_H

#include <sqlite3.h>

// Variadic and macro-only parts of the SQLite API, wrapped for Swift.

/// sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, 0): refuses writes that could corrupt
/// the file (writable_schema, journal_mode=OFF...).
static inline int paladin_sqlite3_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}

#endif
