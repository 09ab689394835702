//! Database addresses: a PostgreSQL URL or a file (whether or not the `postgres` feature is
//! built, so that a lean build can say what it lacks).

/// Whether `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than a
/// file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A PostgreSQL URL with its password (if any) replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.split_once('@') {
        Some(x) => x,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}
