#pragma once
// The database schema and its versioned migrations. A file is accepted only when it is empty (new),
// or carries Retain's application_id and a schema version this build knows; a foreign or newer file
// is refused before anything is written to it.

#include <string>
#include <vector>

#include "storage/sqlite.h"

namespace retain::storage {

// PRAGMA application_id of every Retain database: "RETN".
inline constexpr int kApplicationId = 0x5245544E;

struct Migration {
    int version;
    const char* description;
    const char* sql;
};

// All migrations, in order; the last one's version is the current schema version.
const std::vector<Migration>& migrations();
int currentSchemaVersion();

// Opens a Retain database: checks identity and version, enables WAL with synchronous=FULL, and
// migrates to `targetVersion` (default: current). Errors: DataLoss for a foreign or corrupt file,
// FailedPrecondition for a newer schema.
Result<Database> openRetainDatabase(const std::string& path, int targetVersion = 0);

// The schema version stored in an open database (PRAGMA user_version).
Result<int> schemaVersion(Database& db);

}  // namespace retain::storage
